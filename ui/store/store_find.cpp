// startFind: the server's "find" extension when it has it, else the
// fallback: list the pattern's literal directory, match the names here with
// core's FindFilter (the one glob definition the server uses too), and when
// size or date bounds are set but the listing has no metadata, ask each name
// match by HEAD, a few at a time, handing on each match as its answer comes.
#include "store/store_find.hpp"

#include <QFutureWatcher>
#include <QPointer>
#include <QtConcurrent>

#include <algorithm>
#include <memory>
#include <utility>

#include "filetracker/protocol.hpp"
#include "store/remote_store.hpp"

namespace ft::ui {

namespace {

constexpr int kStatsInFlight = 6;
constexpr qsizetype kBatch = 2000;  // matches per filesFound()

bool isBelow(const std::string& name, const std::string& dir) {
  if (dir == "/") return true;
  return name.size() > dir.size() && name.compare(0, dir.size(), dir) == 0 && name[dir.size()] == '/';
}

class FallbackFind : public QObject {
 public:
  FallbackFind(StoreBackend* store, FindJob* job, std::shared_ptr<const ft::FindFilter> filter, bool bounds)
      : QObject(job), store_(store), job_(job), filter_(std::move(filter)), bounds_(bounds) {}

  void start(const QString& directory) {
    // Scan the deeper of the directory and the glob's literal directory;
    // when neither holds the other, nothing below the directory can match.
    const std::string dir = directory.toStdString();
    const std::string& literal = filter_->pattern().literal_directory();
    std::string scan;
    if (literal == dir || isBelow(literal, dir)) scan = literal;
    else if (isBelow(dir, literal)) scan = dir;
    else {
      QMetaObject::invokeMethod(job_, [job = job_] { job->finishSuccess(); }, Qt::QueuedConnection);
      return;
    }
    listing_ = store_->listFilesBelow(QString::fromStdString(scan));
    job_->setCancelHandler([this] { cancel(); });
    connect(listing_, &StoreJob::finished, this, [this] { onListed(); });
  }

 private:
  void cancel() {
    if (listing_ && !listing_->isFinished()) return listing_->cancel();  // onListed() ends the job
    queue_.clear();
    for (const QPointer<StoreJob>& s : std::exchange(stats_, {}))
      if (s) s->cancel();
    job_->finishCancelled();
  }

  void onListed() {
    if (job_->isFinished()) return;
    if (listing_->wasCancelled()) return job_->finishCancelled();
    if (!listing_->succeeded()) return job_->finishError(listing_->errorString(), listing_->httpStatus());
    const bool known = listing_->listing().metadataComplete;
    const bool heads = bounds_ && !known;
    auto* watcher = new QFutureWatcher<QVector<RemoteFile>>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, heads] {
      if (job_->isFinished()) return;
      QVector<RemoteFile> matches = watcher->future().takeResult();
      if (!heads) {
        for (qsizetype at = 0; at < matches.size(); at += kBatch) job_->reportFound(matches.mid(at, kBatch));
        return job_->finishSuccess();
      }
      total_ = int(matches.size());
      for (const RemoteFile& f : matches) queue_ << f.name;
      job_->reportProgress(0, total_);
      pump();
    });
    // Matching a big listing takes a while: on a worker thread.
    watcher->setFuture(QtConcurrent::run([filter = filter_, files = listing_->listing().files, heads, bounds = bounds_] {
      QVector<RemoteFile> out;
      for (const RemoteFile& f : files) {
        const std::string name = f.name.toStdString();
        if (!filter->name_matches(name)) continue;
        if (!heads && bounds &&
            !filter->bounds_match(f.version, f.size < 0 ? 0 : std::uint64_t(f.size)))
          continue;
        out.push_back(f);
      }
      std::sort(out.begin(), out.end(), [](const RemoteFile& a, const RemoteFile& b) { return a.name < b.name; });
      return out;
    }));
  }

  void pump() {
    stats_.removeIf([](const QPointer<StoreJob>& s) { return !s || s->isFinished(); });
    while (stats_.size() < kStatsInFlight && !queue_.isEmpty()) {
      StoreJob* stat = store_->stat(queue_.takeFirst());
      stats_ << stat;
      connect(stat, &StoreJob::finished, this, [this, stat] {
        if (job_->isFinished() || stat->wasCancelled()) return;
        ++done_;
        // A name gone since the listing is simply not a match.
        const RemoteFile& f = stat->file();
        if (stat->succeeded() && f.hasMetadata() && filter_->bounds_match(f.version, std::uint64_t(f.size)))
          job_->reportFound({f});
        job_->reportProgress(done_, total_);
        if (done_ == total_) return job_->finishSuccess();
        QMetaObject::invokeMethod(this, [this] { pump(); }, Qt::QueuedConnection);
      });
    }
  }

  StoreBackend* store_;
  FindJob* job_;
  std::shared_ptr<const ft::FindFilter> filter_;
  bool bounds_;
  QPointer<StoreJob> listing_;
  QStringList queue_;
  QList<QPointer<StoreJob>> stats_;
  int total_ = 0;
  int done_ = 0;
};

}  // namespace

FindJob* startFind(StoreBackend* store, const QString& directory, const ft::FindQuery& query) {
  static const QString kFind = QString::fromLatin1(protocol::kExtFind.data(), qsizetype(protocol::kExtFind.size()));
  if (auto* remote = qobject_cast<RemoteStore*>(store); remote && remote->info().has(kFind))
    return remote->find(directory, query);
  auto* job = new FindJob(store);
  std::shared_ptr<const ft::FindFilter> filter;
  try {
    filter = std::make_shared<const ft::FindFilter>(query, directory.toStdString());
  } catch (const std::exception& e) {
    const QString reason = QString::fromStdString(e.what());
    QMetaObject::invokeMethod(job, [job, reason] { job->finishError(reason); }, Qt::QueuedConnection);
    return job;
  }
  (new FallbackFind(store, job, std::move(filter), query.has_bounds()))->start(directory);
  return job;
}

}  // namespace ft::ui
