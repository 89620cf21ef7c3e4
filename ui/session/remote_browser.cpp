#include "session/remote_browser.hpp"

#include "store/disk_usage.hpp"

#include <QFileInfo>

#include "filetracker/name.hpp"
#include <QtConcurrent/QtConcurrentRun>

#include <sys/stat.h>

namespace ft::ui {

namespace {

constexpr int kMaxHeadsInFlight = 6;

// Which of `files` the local cache holds at the same version (the cache keeps
// versions as mtimes). Runs on a worker thread: one stat per file.
QSet<QString> cachedNames(const QString& cacheDir, bool storeIsCache, const QVector<RemoteFile>& files) {
  QSet<QString> result;
  if (storeIsCache) {
    for (const RemoteFile& f : files) result.insert(f.name);
    return result;
  }
  const QByteArray base = QFile::encodeName(cacheDir + QStringLiteral("/files"));
  for (const RemoteFile& f : files) {
    struct stat st {};
    const QByteArray path = base + f.name.toUtf8();
    if (::stat(path.constData(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
    if (f.version < 0 || qint64(st.st_mtime) == f.version) result.insert(f.name);
  }
  return result;
}

}  // namespace

RemoteBrowser::RemoteBrowser(ProfileSession* session, QObject* parent) : QObject(parent), session_(session) {
  timing_ = qEnvironmentVariableIsSet("FILETRACKER_GUI_TIMING");
  proxy_.setSourceModel(&files_);
  connect(&tree_, &DirectoryTreeModel::listingRequested, this, &RemoteBrowser::listForTree);
  connect(session_, &ProfileSession::storeChanged, this, &RemoteBrowser::onStoreChanged);
  connect(session_, &ProfileSession::ready, this, [this] { openDirectory(current_.isEmpty() ? QStringLiteral("/") : current_); });
  connect(&files_, &FileTableModel::sortRequested, this, [this] { completeMetadataForSort(); });
}

void RemoteBrowser::onStoreChanged() {
  ++generation_;
  tree_.reset();
  files_.clear();
  metadataQueue_.clear();
  metadataAsked_.clear();
  metadataFailed_.clear();
  // The old store's jobs die with it without finishing: restart the count.
  metadataInFlight_ = 0;
  cancelSortMetadata();
  cancelSummaries();
  back_.clear();
  forward_.clear();
  select_.clear();
  StoreBackend* store = session_->store();
  tree_.setRootLabel(store ? (store->isRemote() ? store->location() : tr("Local store")) : QString(),
                     !store || store->isRemote());
  current_ = QStringLiteral("/");
}

void RemoteBrowser::openDirectory(const QString& directory) {
  StoreBackend* store = session_->store();
  if (!store || !session_->isReady()) return;
  const QString dir = directory.isEmpty() ? QStringLiteral("/") : directory;
  const quint64 generation = ++generation_;
  const bool sameDirectory = dir == current_ && files_.directory() == dir;
  current_ = dir;
  loading_ = true;
  cancelSortMetadata();  // asked again once the new listing is shown
  if (!sameDirectory) {
    cancelSummaries();
    // The table names the new directory at once (empty until listed), so
    // the path bar, the table and the upload target never disagree.
    files_.setRows(dir, FileTableModel::Prepared{});
    metadataQueue_.clear();
    metadataAsked_.clear();
    metadataFailed_.clear();
    emit directoryChanged(dir);
  }
  StoreJob* job = store->listDirectory(dir);
  clock_.start();
  connect(job, &StoreJob::finished, this, [this, job, generation] {
    if (generation != generation_) return;
    if (timing_) qInfo("timing: %s listed in %lld ms", qPrintable(job->listing().directory), clock_.elapsed());
    if (!job->succeeded()) {
      loading_ = false;
      select_.clear();
      emit loadFailed(job->errorString());
      return;
    }
    applyListing(job->listing());
  });
}

void RemoteBrowser::navigate(const QString& directory) {
  const QString dir = directory.isEmpty() ? QStringLiteral("/") : directory;
  if (dir == current_) return refresh();
  if (!current_.isEmpty()) back_ << current_;
  forward_.clear();
  openDirectory(dir);
}

void RemoteBrowser::goBack() {
  if (back_.isEmpty()) return;
  forward_ << current_;
  openDirectory(back_.takeLast());
}

void RemoteBrowser::goForward() {
  if (forward_.isEmpty()) return;
  back_ << current_;
  openDirectory(forward_.takeLast());
}

void RemoteBrowser::goUp() {
  if (current_.isEmpty() || current_ == QLatin1String("/")) return;
  select_ = current_;  // back in the parent, the folder we came from is selected
  navigate(parentDirectoryOf(current_));
}

bool RemoteBrowser::goTo(const QString& text, QString* error) {
  QString path = text.trimmed();
  qint64 version = -1;
  // "/a/b.txt@1600000000": the name of one version, as "Copy versioned name" gives.
  if (const qsizetype at = path.lastIndexOf(QLatin1Char('@')); at > 0) {
    bool ok = false;
    const qint64 v = path.mid(at + 1).toLongLong(&ok);
    if (ok && v >= 0) {
      version = v;
      path.truncate(at);
    }
  }
  while (path.size() > 1 && path.endsWith(QLatin1Char('/'))) path.chop(1);
  if (!path.startsWith(QLatin1Char('/'))) path.prepend(QLatin1Char('/'));
  if (path != QLatin1String("/")) {
    if (auto bad = ft::name_error(path.toStdString(), false)) {
      if (error) *error = QString::fromStdString(*bad);
      return false;
    }
  }
  StoreBackend* store = session_->store();
  if (!store || !session_->isReady()) {
    if (error) *error = tr("not connected to a store");
    return false;
  }
  // A file's name or a directory's: the store says (a file answers HEAD).
  StoreJob* job = store->stat(path);
  QPointer<StoreBackend> forStore = store;
  connect(job, &StoreJob::finished, this, [this, job, path, version, forStore] {
    if (forStore != session_->store()) return;
    if (path != QLatin1String("/") && job->succeeded()) {
      select_ = path;
      selectVersion_ = version;
      if (version >= 0 && job->file().version >= 0 && job->file().version != version) {
        emit versionNotListed(path, version, job->file().version);
      }
      const QString dir = parentDirectoryOf(path);
      if (dir == current_ && !loading_ && files_.directory() == dir) {
        emit directoryLoaded(dir, files_.rowCount());  // already shown: just select it
      } else {
        navigate(dir);
      }
    } else {
      navigate(path);
    }
  });
  return true;
}

void RemoteBrowser::applyListing(const DirectoryListing& listing) {
  tree_.setSubdirectories(listing.directory, listing.subdirectories);
  QStringList folders;
  for (const QString& sub : listing.subdirectories) folders << joinName(listing.directory, sub);
  const quint64 generation = generation_;
  const QString cacheDir = session_->cacheDirectory();
  const bool storeIsCache = !session_->isRemote();
  // Keep what HEAD already told us when refreshing a plain listing.
  QVector<RemoteFile> files = listing.files;
  if (!listing.metadataComplete && files_.directory() == listing.directory) {
    for (RemoteFile& f : files) {
      const int r = files_.rowOfName(f.name);
      if (r >= 0) f = files_.row(r).file;
    }
  }
  const int sortColumn = files_.sortColumn();
  const Qt::SortOrder sortOrder = files_.sortOrder();
  auto* watcher = new QFutureWatcher<FileTableModel::Prepared>(this);
  connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation, listing, sortColumn, sortOrder, folders] {
    watcher->deleteLater();
    if (generation != generation_) return;
    FileTableModel::Prepared prepared = watcher->future().takeResult();
    if (timing_) qInfo("timing: rows prepared at %lld ms", clock_.elapsed());
    const int count = int(prepared.rows.size());
    if (sortColumn != files_.sortColumn() || sortOrder != files_.sortOrder()) {
      // The user re-sorted while the rows were prepared.
      files_.setRows(listing.directory, std::move(prepared));
      files_.sort(files_.sortColumn(), files_.sortOrder());
    } else {
      files_.setRows(listing.directory, std::move(prepared));
    }
    loading_ = false;
    if (timing_) qInfo("timing: model reset done at %lld ms", clock_.elapsed());
    emit directoryLoaded(listing.directory, count);
    completeMetadataForSort();  // the table is sorted by version or size
    summarizeFolders(folders);
  });
  watcher->setFuture(QtConcurrent::run([files = std::move(files), cacheDir, storeIsCache, sortColumn, sortOrder, folders] {
    return FileTableModel::prepareRows(files, cachedNames(cacheDir, storeIsCache, files), sortColumn, sortOrder, folders);
  }));
}

// ---- What is below each subfolder (files and bytes), in the background ------

void RemoteBrowser::summarizeFolders(const QStringList& folders) {
  cancelSummaries();
  StoreBackend* store = session_->store();
  if (!store || folders.isEmpty()) return;
  // One disk usage request for the directory answers every subfolder (the
  // server's "du" extension sums its index; else one recursive listing).
  DiskUsageJob* job = startDiskUsage(store, current_);
  summaryJobs_ << job;
  const quint64 generation = generation_;
  connect(job, &StoreJob::finished, this, [this, job, generation] {
    if (generation != generation_ || job->wasCancelled() || !job->succeeded()) return;
    const DiskUsage& usage = job->diskUsage();
    tree_.setFolderUsage(usage.total);
    for (const FolderUsage& f : usage.folders) {
      files_.setFolderSummary(f.path, int(f.files), f.bytes);
      tree_.setFolderUsage(f);
    }
  });
}

void RemoteBrowser::cancelSummaries() {
  for (const QPointer<StoreJob>& job : std::exchange(summaryJobs_, {})) {
    if (job) job->cancel();
  }
}

void RemoteBrowser::listForTree(const QString& directory) {
  StoreBackend* store = session_->store();
  if (!store || !session_->isReady()) {
    tree_.setSubdirectories(directory, {});
    return;
  }
  QPointer<StoreBackend> forStore = store;
  StoreJob* job = store->listDirectory(directory);
  connect(job, &StoreJob::finished, this, [this, job, directory, forStore] {
    if (forStore != session_->store()) return;
    tree_.setSubdirectories(directory, job->succeeded() ? job->listing().subdirectories : QStringList());
  });
}

void RemoteBrowser::refresh() {
  openDirectory(current_.isEmpty() ? QStringLiteral("/") : current_);
}

void RemoteBrowser::fetchMetadata(const QStringList& names) {
  for (const QString& name : names) {
    const int r = files_.rowOfName(name);
    if (r < 0 || files_.row(r).folder || files_.row(r).file.hasMetadata()) continue;
    queueMetadata(name);
  }
  pumpMetadata();
}

void RemoteBrowser::queueMetadata(const QString& name) {
  if (metadataAsked_.contains(name)) return;  // queued or in flight
  metadataAsked_.insert(name);
  metadataQueue_ << name;
}

void RemoteBrowser::completeMetadataForSort() {
  if (loading_ || !files_.isMissingSortData(files_.sortColumn())) return;
  // Already waiting: the rows asked for will arrive, then the newest sort
  // column and order are applied.
  if (!sortPending_.isEmpty()) return;
  // Every row still missing it is asked (again if an earlier answer was
  // lost to a refresh), except the ones already waiting in the queue.
  const QSet<QString> queued(metadataQueue_.cbegin(), metadataQueue_.cend());
  for (int r = 0; r < files_.rowCount(); ++r) {
    const RemoteFile& file = files_.row(r).file;
    if (files_.row(r).folder || file.hasMetadata() || metadataFailed_.contains(file.name)) continue;
    sortPending_.insert(file.name);
    metadataAsked_.insert(file.name);
    if (!queued.contains(file.name)) metadataQueue_ << file.name;
  }
  if (sortPending_.isEmpty()) return;  // only rows whose HEAD failed (deleted meanwhile?)
  sortTotal_ = int(sortPending_.size());
  emit sortMetadataProgress(0, sortTotal_);
  pumpMetadata();
}

void RemoteBrowser::cancelSortMetadata() {
  if (sortPending_.isEmpty()) return;
  sortPending_.clear();
  sortTotal_ = 0;
  emit sortMetadataProgress(0, 0);
}

void RemoteBrowser::pumpMetadata() {
  StoreBackend* store = session_->store();
  while (store && metadataInFlight_ < kMaxHeadsInFlight && !metadataQueue_.isEmpty()) {
    const QString name = metadataQueue_.takeLast();  // the newest request is what is on screen
    ++metadataInFlight_;
    StoreJob* job = store->stat(name);
    QPointer<StoreBackend> forStore = store;
    // An answer is applied by full name, so it is still right after a
    // refresh or a change of directory (it then matches no row), not after
    // a change of store.
    connect(job, &StoreJob::finished, this, [this, job, forStore, name] {
      if (forStore != session_->store()) return;  // counted for the old store (reset)
      --metadataInFlight_;
      if (job->succeeded()) {
        metadataFailed_.remove(name);
        files_.updateFile(job->file());
      } else {
        metadataAsked_.remove(name);  // may be asked again (scrolled to again)
        metadataFailed_.insert(name);  // but not again and again for sorting
      }
      if (sortPending_.remove(name)) {
        const int left = int(sortPending_.size());
        emit sortMetadataProgress(sortTotal_ - left, sortTotal_);
        if (left == 0) {
          sortTotal_ = 0;
          files_.sort(files_.sortColumn(), files_.sortOrder());
        }
      }
      pumpMetadata();
    });
  }
}

void RemoteBrowser::refreshCachedFlags() {
  const QString cacheDir = session_->cacheDirectory();
  const bool storeIsCache = !session_->isRemote();
  QVector<RemoteFile> files;
  for (int r = 0; r < files_.rowCount(); ++r) {
    if (!files_.row(r).folder) files << files_.row(r).file;
  }
  auto* watcher = new QFutureWatcher<QSet<QString>>(this);
  const quint64 generation = generation_;
  connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation, files] {
    watcher->deleteLater();
    if (generation != generation_) return;
    const QSet<QString> cached = watcher->result();
    for (const RemoteFile& f : files) files_.setCached(f.name, cached.contains(f.name));
  });
  watcher->setFuture(QtConcurrent::run(
      [cacheDir, storeIsCache, files] { return cachedNames(cacheDir, storeIsCache, files); }));
}

}  // namespace ft::ui
