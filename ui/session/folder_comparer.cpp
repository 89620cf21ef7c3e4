#include "session/folder_comparer.hpp"

#include <QDir>
#include <QtConcurrent/QtConcurrentRun>

#include "filetracker/error.hpp"

namespace ft::ui {

namespace {
// Enough to keep a plain server's connections busy with HEADs and small
// fetches; few enough that Cancel stops at once.
constexpr int kRequestsInFlight = 8;
// How often the bytes hashed on the worker are reported.
constexpr int kHashReportMs = 100;

std::filesystem::path toPath(const QString& path) { return std::filesystem::path(path.toStdString()); }
}  // namespace

FolderComparer::FolderComparer(StoreBackend* store, QString localFolder, QString remoteDirectory, QObject* parent)
    : QObject(parent), store_(store), localFolder_(std::move(localFolder)), remoteDirectory_(std::move(remoteDirectory)) {
  hashTimer_.setInterval(kHashReportMs);
  connect(&hashTimer_, &QTimer::timeout, this, [this] { emit progress(Phase::Hashing, hashed_->load(), hashTotal_); });
}

FolderComparer::~FolderComparer() {
  cancelFlag_->store(true);
  worker_.waitForFinished();
  for (StoreJob* job : QSet<StoreJob*>(jobs_)) job->cancel();
}

void FolderComparer::start() {
  if (running_) return;
  running_ = true;
  try {
    remoteDirectory_ = QString::fromStdString(normalised_sync_directory(remoteDirectory_.toStdString()));
  } catch (const Error& e) {
    return fail(QString::fromUtf8(e.what()));
  }
  if (!store_) return fail(tr("not connected"));
  emit progress(Phase::Scanning, 0, -1);

  // The local side on the worker.
  auto scanned = std::make_shared<std::map<std::string, SyncLocalFile>>();
  auto error = std::make_shared<QString>();
  const auto root = toPath(localFolder_);
  const QString shown = localFolder_;
  connect(&worker_, &QFutureWatcher<void>::finished, this, [this, scanned, error] {
    disconnect(&worker_, nullptr, this, nullptr);
    if (cancelled_) return end();
    local_ = std::move(*scanned);
    scanError_ = *error;
    scanned_ = true;
    maybePair();
  });
  worker_.setFuture(QtConcurrent::run([root, scanned, error, shown, flag = cancelFlag_] {
    try {
      if (!std::filesystem::is_directory(root)) {
        *error = tr("%1: no such folder").arg(shown);
        return;
      }
      *scanned = scan_sync_folder(root, {}, [&flag] { return flag->load(); });  // Cancel stops a big scan too
    } catch (const std::exception& e) {
      *error = QString::fromUtf8(e.what());
    }
  }));

  // The remote side at the same time.
  StoreJob* job = store_->listFilesBelow(remoteDirectory_);
  jobs_.insert(job);
  connect(job, &StoreJob::finished, this, [this, job] {
    jobs_.remove(job);
    listingArrived(job);
  });
}

void FolderComparer::cancel() {
  if (!running_ || cancelled_) return;
  cancelled_ = true;
  cancelFlag_->store(true);
  for (StoreJob* job : QSet<StoreJob*>(jobs_)) job->cancel();
  // The worker notices the flag within one chunk; its watcher ends it then.
  if (!worker_.isRunning()) end();
}

void FolderComparer::listingArrived(StoreJob* job) {
  if (cancelled_ || !running_) return;
  if (!job->succeeded()) return fail(job->errorString());
  const DirectoryListing& listing = job->listing();
  remote_.clear();
  remote_.reserve(std::size_t(listing.files.size()));
  for (const RemoteFile& f : listing.files) {
    remote_.push_back(RemoteEntry{f.name.toStdString(), Version(std::max<qint64>(f.version, 0)),
                                  std::uint64_t(std::max<qint64>(f.size, 0)), f.sha256.toStdString()});
    if (!f.hasMetadata()) toStat_.push_back(remote_.size() - 1);
  }
  listed_ = true;
  askTotal_ = qint64(toStat_.size());
  if (!toStat_.empty()) emit progress(Phase::Asking, 0, askTotal_);
  pumpStats();
}

// A plain server listed names only: one stat each for version, size and
// (when it says) the checksum.
void FolderComparer::pumpStats() {
  while (!cancelled_ && running_ && inFlight_ < kRequestsInFlight && !toStat_.empty()) {
    const std::size_t index = toStat_.back();
    toStat_.pop_back();
    ++inFlight_;
    StoreJob* job = store_->stat(QString::fromStdString(remote_[index].name));
    jobs_.insert(job);
    connect(job, &StoreJob::finished, this, [this, job, index] {
      jobs_.remove(job);
      --inFlight_;
      if (cancelled_ || !running_) return;
      if (job->succeeded()) {
        const RemoteFile& f = job->file();
        remote_[index].version = Version(std::max<qint64>(f.version, 0));
        remote_[index].size = std::uint64_t(std::max<qint64>(f.size, 0));
        remote_[index].sha256 = f.sha256.toStdString();
      } else if (job->httpStatus() == 404) {
        remote_[index].name.clear();  // deleted since the listing: not there
      } else {
        return fail(job->errorString());
      }
      emit progress(Phase::Asking, ++asked_, askTotal_);
      pumpStats();
    });
  }
  if (inFlight_ == 0 && toStat_.empty()) maybePair();
}

void FolderComparer::maybePair() {
  if (cancelled_ || !running_ || !scanned_ || !listed_ || inFlight_ > 0 || !toStat_.empty()) return;
  if (!scanError_.isEmpty()) return fail(scanError_);
  std::erase_if(remote_, [](const RemoteEntry& e) { return e.name.empty(); });
  items_ = pair_sync_sides(local_, remote_, remoteDirectory_.toStdString());
  for (std::size_t i = 0; i < items_.size(); ++i)
    if (items_[i].status == SyncStatus::Unsure && items_[i].remote->sha256.empty()) toFetch_.push_back(i);
  if (toFetch_.empty()) return startHashing();
  fetchDir_ = std::make_unique<QTemporaryDir>(QDir::tempPath() + QStringLiteral("/filetracker-compare-XXXXXX"));
  if (!fetchDir_->isValid()) return fail(tr("cannot create a temporary folder: %1").arg(fetchDir_->errorString()));
  asked_ = 0;
  askTotal_ = qint64(toFetch_.size());
  emit progress(Phase::Fetching, 0, askTotal_);
  pumpFetches();
}

// The server sent no checksum: its content, into a temporary file, is hashed
// with the local files.
void FolderComparer::pumpFetches() {
  while (!cancelled_ && running_ && inFlight_ < kRequestsInFlight && !toFetch_.empty()) {
    const std::size_t index = toFetch_.back();
    toFetch_.pop_back();
    ++inFlight_;
    DownloadRequest request;
    request.name = QString::fromStdString(items_[index].remote->name);
    request.destinationPath = fetchDir_->filePath(QString::number(index));
    StoreJob* job = store_->download(request);
    jobs_.insert(job);
    connect(job, &StoreJob::finished, this, [this, job, index, path = request.destinationPath] {
      jobs_.remove(job);
      --inFlight_;
      if (cancelled_ || !running_) return;
      if (!job->succeeded()) return fail(job->errorString());
      if (!job->file().sha256.isEmpty())
        items_[index].remote->sha256 = job->file().sha256.toStdString();  // the store hashed it already
      else
        fetched_[index] = path;
      emit progress(Phase::Fetching, ++asked_, askTotal_);
      pumpFetches();
    });
  }
  if (inFlight_ == 0 && toFetch_.empty() && running_ && !cancelled_) startHashing();
}

void FolderComparer::startHashing() {
  // The worker gets its own copy and hands back the settled one.
  auto items = std::make_shared<std::vector<SyncItem>>(items_);
  auto fetched = std::make_shared<std::map<std::size_t, QString>>(fetched_);
  auto error = std::make_shared<QString>();
  hashTotal_ = 0;
  for (const SyncItem& item : items_)
    if (item.status == SyncStatus::Unsure) hashTotal_ += qint64(item.local->size);
  for (const auto& [index, path] : fetched_) hashTotal_ += qint64(items_[index].local->size);
  hashed_->store(0);
  emit progress(Phase::Hashing, 0, hashTotal_);
  hashTimer_.start();
  connect(&worker_, &QFutureWatcher<void>::finished, this, [this, items, error] {
    disconnect(&worker_, nullptr, this, nullptr);
    hashTimer_.stop();
    if (cancelled_) return end();
    if (!error->isEmpty()) return fail(*error);
    items_ = std::move(*items);
    end();
  });
  worker_.setFuture(QtConcurrent::run([items, fetched, error, flag = cancelFlag_, hashed = hashed_] {
    const auto count = [&](std::uint64_t n) {
      if (flag->load()) throw Error(ErrorCode::Cancelled, "cancelled");
      hashed->fetch_add(qint64(n));
    };
    try {
      for (std::size_t i = 0; i < items->size(); ++i) {
        SyncItem& item = (*items)[i];
        if (item.status != SyncStatus::Unsure) continue;
        std::string remoteSha = item.remote->sha256;
        if (auto it = fetched->find(i); it != fetched->end()) remoteSha = sha256_file_reporting(toPath(it->second), count);
        settle_sync_item(item, sha256_file_reporting(item.local->path, count), remoteSha);
      }
    } catch (const Error& e) {
      if (e.code() != ErrorCode::Cancelled) *error = QString::fromUtf8(e.what());
    }
  }));
}

void FolderComparer::fail(const QString& reason) {
  if (!running_) return;
  error_ = reason;
  cancelFlag_->store(true);
  for (StoreJob* job : QSet<StoreJob*>(jobs_)) job->cancel();
  if (worker_.isRunning()) {
    // End once the worker has stopped (it never outlives the comparer's work).
    disconnect(&worker_, nullptr, this, nullptr);
    connect(&worker_, &QFutureWatcher<void>::finished, this, [this] {
      disconnect(&worker_, nullptr, this, nullptr);
      end();
    });
    return;
  }
  end();
}

void FolderComparer::end() {
  if (!running_) return;
  running_ = false;
  hashTimer_.stop();
  fetchDir_.reset();  // the temporary copies of remote files go now
  if (!cancelled_ && error_.isEmpty()) emit progress(Phase::Done, 1, 1);
  emit finished();
}

}  // namespace ft::ui
