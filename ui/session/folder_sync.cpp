#include "session/folder_sync.hpp"

#include <QDir>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>

#include <chrono>

#include "filetracker/error.hpp"
#include "session/delete_planner.hpp"

namespace ft::ui {

namespace {
Version nowSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}
}  // namespace

FolderSync::FolderSync(TransferQueue* queue, QString localFolder, QString remoteDirectory, QObject* parent)
    : QObject(parent), queue_(queue), localFolder_(std::move(localFolder)), remoteDirectory_(std::move(remoteDirectory)) {}

void FolderSync::start(const SyncPlan& plan, SyncDirection direction) {
  if (running_ || !queue_) return;
  running_ = true;
  plan_ = plan;
  direction_ = direction;
  total_ = int(plan.copies.size() + plan.deletions.size());
  connect(queue_, &TransferQueue::transferFinished, this, &FolderSync::copyEnded);
  const std::string remoteDir = remoteDirectory_.toStdString();
  const Version now = nowSeconds();
  QStringList refused;
  for (const SyncAction& action : plan_.copies) {
    const SyncItem& item = action.item;
    quint64 id = 0;
    if (direction == SyncDirection::Upload) {
      UploadRequest request;
      request.localPath = QString::fromStdString(item.local->path.string());
      request.name = QString::fromStdString(sync_remote_name(remoteDir, item.relative));
      request.version = sync_upload_version(action, now);  // newer than what it replaces
      id = queue_->enqueueUpload(request);
    } else {
      DownloadRequest request;
      request.name = QString::fromStdString(item.remote->name);
      request.destinationPath = QDir(localFolder_).filePath(QString::fromStdString(item.relative));
      request.setVersionAsMtime = true;  // as `filetracker get` and `sync --download` do
      const std::filesystem::path target = request.destinationPath.toStdString();
      try {
        // Not through a symbolic link planted in the folder (as the CLI).
        check_sync_target(localFolder_.toStdString(), target);
        QDir().mkpath(QFileInfo(request.destinationPath).absolutePath());
        check_sync_target(localFolder_.toStdString(), target);
      } catch (const Error& e) {
        refused << QString::fromUtf8(e.what());
        continue;
      }
      id = queue_->enqueueDownload(request);
    }
    copies_.insert(id);
  }
  emit progress(0, total_);
  for (const QString& why : refused) ended(false, why);
  if (copies_.isEmpty()) startDeletions();
}

void FolderSync::cancel() {
  if (!running_ || cancelled_) return;
  cancelled_ = true;
  for (quint64 id : QSet<quint64>(copies_))
    if (queue_) queue_->cancel(id);
  if (deleter_) deleter_->cancel();
}

void FolderSync::copyEnded(quint64 id, bool ok) {
  if (!copies_.remove(id)) return;  // another transfer of the queue
  const Transfer* t = queue_ ? queue_->find(id) : nullptr;
  ended(ok, ok || !t ? QString() : t->error);
  if (copies_.isEmpty()) startDeletions();
}

void FolderSync::startDeletions() {
  if (deleting_) return;
  deleting_ = true;
  if (cancelled_ || plan_.deletions.empty()) return finish();
  if (direction_ == SyncDirection::Upload)
    deleteRemote();
  else
    deleteLocal();
}

void FolderSync::deleteRemote() {
  if (!queue_ || !queue_->store()) return finish();
  QList<RemoteFile> files;
  for (const SyncAction& action : plan_.deletions) {
    // The version compared: a newer upload since then is kept.
    files << RemoteFile{QString::fromStdString(action.item.remote->name), qint64(action.item.remote->version), -1, {}};
  }
  deleter_ = new DeletePlanner(queue_->store(), this);
  int before = done_ + failed_;
  connect(deleter_, &DeletePlanner::progress, this, [this, before](int ended, int) {
    const int now = before + ended;
    // The planner counts both outcomes; the tally comes with finished().
    emit progress(now, total_);
  });
  connect(deleter_, &DeletePlanner::finished, this, [this](int deleted, int failed, const QStringList& errors) {
    done_ += deleted;
    failed_ += failed;
    errors_ << errors;
    finish();
  });
  deleter_->start(files);
}

void FolderSync::deleteLocal() {
  std::vector<std::filesystem::path> paths;
  for (const SyncAction& action : plan_.deletions) paths.push_back(action.item.local->path);
  const std::filesystem::path root(localFolder_.toStdString());
  auto* watcher = new QFutureWatcher<QStringList>(this);
  connect(watcher, &QFutureWatcher<QStringList>::finished, this, [this, watcher, count = int(paths.size())] {
    const QStringList errors = watcher->result();
    watcher->deleteLater();
    failed_ += int(errors.size());
    done_ += count - int(errors.size());
    errors_ << errors;
    finish();
  });
  // File system work off the GUI thread: a big folder's extras can take a while.
  watcher->setFuture(QtConcurrent::run([paths, root] {
    QStringList errors;
    std::vector<std::filesystem::path> removed;
    for (const auto& path : paths) {
      std::error_code ec;
      if (std::filesystem::remove(path, ec) || !ec)
        removed.push_back(path);
      else
        errors << tr("%1: cannot delete: %2").arg(QString::fromStdString(path.string()), QString::fromStdString(ec.message()));
    }
    remove_emptied_directories(root, removed);
    return errors;
  }));
}

void FolderSync::ended(bool ok, const QString& error) {
  if (ok) {
    ++done_;
  } else {
    ++failed_;
    if (!error.isEmpty()) errors_ << error;
  }
  emit progress(done_ + failed_, total_);
}

void FolderSync::finish() {
  if (!running_) return;
  running_ = false;
  if (queue_) disconnect(queue_, nullptr, this, nullptr);
  emit progress(total_, total_);
  emit finished();
}

}  // namespace ft::ui
