#include "session/download_planner.hpp"

#include <QDateTime>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>

#include <optional>

namespace ft::ui {

DownloadPlanner::DownloadPlanner(ProfileSession* session, ConflictResolver resolver, QObject* parent)
    : QObject(parent), session_(session), resolver_(std::move(resolver)) {}

void DownloadPlanner::start(const QList<RemoteFile>& files, const QStringList& directories, const QString& folder) {
  folder_ = folder;
  directories_ = directories;
  for (const RemoteFile& f : files) items_ << Item{f, folder + QLatin1Char('/') + baseNameOf(f.name)};
  listNext();
}

void DownloadPlanner::cancel() {
  cancelled_ = true;
  if (listing_) listing_->cancel();
  for (quint64 id : QSet<quint64>(pending_)) session_->transfers()->cancel(id);
}

void DownloadPlanner::listNext() {
  if (cancelled_) return end();
  if (directories_.isEmpty()) {
    qint64 bytes = 0;
    for (const Item& item : items_) bytes = bytes < 0 || item.file.size < 0 ? -1 : bytes + item.file.size;
    emit planned(int(items_.size()), bytes);
    return checkLocal();
  }
  StoreBackend* store = session_->store();
  if (!store) {
    errors_ << tr("not connected to a store");
    return end();
  }
  const QString dir = directories_.takeFirst();
  // "/a/b" lands as <folder>/b/…: the folder's own name, then the paths below it.
  const QString parent = parentDirectoryOf(dir);
  const qsizetype strip = parent == QLatin1String("/") ? 1 : parent.size() + 1;
  listing_ = store->listFilesBelow(dir);
  connect(listing_, &StoreJob::finished, this, [this, job = listing_.data(), strip] {
    if (job->wasCancelled()) return end();
    if (!job->succeeded()) {
      errors_ << job->errorString();
      ++failed_;
    } else {
      for (const RemoteFile& f : job->listing().files) items_ << Item{f, folder_ + QLatin1Char('/') + f.name.mid(strip)};
    }
    listNext();
  });
}

void DownloadPlanner::checkLocal() {
  if (items_.isEmpty()) return end();
  QStringList destinations;
  for (const Item& item : items_) destinations << item.destination;
  auto* watcher = new QFutureWatcher<QList<Local>>(this);
  connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher] {
    watcher->deleteLater();
    if (cancelled_) return end();
    resolveAndQueue(watcher->result());
  });
  watcher->setFuture(QtConcurrent::run([destinations] {
    const QSet<QString> planned(destinations.cbegin(), destinations.cend());
    QSet<QString> taken;
    QList<Local> locals;
    for (const QString& path : destinations) {
      const QFileInfo info(path);
      Local local;
      local.exists = info.exists();
      if (local.exists) {
        local.size = info.size();
        local.modified = info.lastModified().toSecsSinceEpoch();
        local.keepBoth = keepBothPath(path, [&](const QString& candidate) {
          return planned.contains(candidate) || taken.contains(candidate) || QFileInfo::exists(candidate);
        });
        taken.insert(local.keepBoth);
      }
      locals << local;
    }
    return locals;
  }));
}

void DownloadPlanner::resolveAndQueue(const QList<Local>& locals) {
  int conflictsLeft = 0;
  for (const Local& l : locals) conflictsLeft += l.exists ? 1 : 0;
  std::optional<ConflictChoice> forAll;
  QList<Item> toQueue;
  for (qsizetype i = 0; i < items_.size(); ++i) {
    Item item = items_[i];
    const Local& local = locals[i];
    if (local.exists) {
      ConflictChoice choice;
      if (forAll) {
        choice = *forAll;
      } else {
        ConflictDetails details;
        details.direction = ConflictDetails::Direction::Download;
        details.name = item.file.name;
        details.localPath = item.destination;
        details.localSize = local.size;
        details.localModified = local.modified;
        details.remoteSize = item.file.size;
        details.remoteVersion = item.file.version;
        details.remaining = conflictsLeft;
        // No prompt at all: never overwrite silently.
        choice = resolver_ ? resolver_(details) : ConflictChoice::Skip;
      }
      --conflictsLeft;
      switch (choice) {
        case ConflictChoice::Cancel:
          skipped_ = int(items_.size());  // nothing was queued yet
          return end();
        case ConflictChoice::OverwriteAll: forAll = ConflictChoice::Overwrite; [[fallthrough]];
        case ConflictChoice::Overwrite: break;
        case ConflictChoice::SkipAll: forAll = ConflictChoice::Skip; [[fallthrough]];
        case ConflictChoice::Skip: ++skipped_; continue;
        case ConflictChoice::KeepBothAll: forAll = ConflictChoice::KeepBoth; [[fallthrough]];
        case ConflictChoice::KeepBoth: item.destination = local.keepBoth; break;
      }
    }
    toQueue << item;
  }
  if (toQueue.isEmpty()) return end();
  TransferQueue* queue = session_->transfers();
  connect(queue, &TransferQueue::transferFinished, this, [this, queue](quint64 id, bool ok) {
    if (!pending_.remove(id)) return;
    if (ok) {
      ++downloaded_;
    } else {
      ++failed_;
      if (const Transfer* t = queue->find(id); t && !t->error.isEmpty()) errors_ << t->error;
    }
    if (pending_.isEmpty()) end();
  });
  for (const Item& item : toQueue) {
    pending_.insert(queue->enqueueDownload(DownloadRequest{item.file.name, item.destination, false}));
  }
}

void DownloadPlanner::end() {
  emit finished(downloaded_, failed_, skipped_, errors_);
  deleteLater();
}

}  // namespace ft::ui
