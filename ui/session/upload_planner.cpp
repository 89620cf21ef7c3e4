#include "session/upload_planner.hpp"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>

#include <filesystem>

#include "filetracker/name.hpp"

namespace ft::ui {

QList<UploadPlanner::Item> UploadPlanner::expand(const QStringList& localPaths, const QString& targetDirectory,
                                                 QStringList* errors) {
  QList<Item> items;
  const auto add = [&](const QString& local, const QString& relative) {
    const QString name = joinName(targetDirectory, relative);
    if (auto error = ft::name_error(name.toStdString(), false)) {
      if (errors) *errors << QString::fromStdString(*error);
      return;
    }
    items.push_back(Item{local, name});
  };
  // Filetracker names are UTF-8 (one rule for every peer). Qt's directory
  // listing leaves out a file whose name is not (it cannot name it), so
  // such files are found from the raw bytes and reported, not dropped in
  // silence nor uploaded under a U+FFFD name.
  const auto report_non_utf8 = [&](const QString& dir) {
    std::error_code ec;
    std::filesystem::recursive_directory_iterator it(QFile::encodeName(dir).toStdString(),
                                                     std::filesystem::directory_options::skip_permission_denied, ec);
    for (; !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
      const std::string base = it->path().filename().string();
      if (ft::is_valid_utf8(base)) continue;
      if (it->is_directory(ec)) it.disable_recursion_pending();
      if (errors)
        *errors << QCoreApplication::translate("ft::ui::UploadPlanner",
                                               "%1: the file name is not valid UTF-8, which filetracker names must be")
                       .arg(QString::fromStdString(ft::quoted_name(it->path().string())));
    }
  };
  for (const QString& path : localPaths) {
    const QFileInfo info(path);
    if (info.isDir()) {
      report_non_utf8(info.absoluteFilePath());
      const QDir top(info.absoluteFilePath());
      const QString prefix = info.fileName();
      QDirIterator it(top.path(), QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
      QList<Item> found;
      while (it.hasNext()) {
        const QString file = it.next();
        add(file, prefix + QLatin1Char('/') + top.relativeFilePath(file));
      }
    } else if (info.isFile()) {
      add(info.absoluteFilePath(), info.fileName());
    } else if (errors) {
      *errors << QCoreApplication::translate("ft::ui::UploadPlanner", "%1: no such file").arg(path);
    }
  }
  std::sort(items.begin(), items.end(), [](const Item& a, const Item& b) { return a.name < b.name; });
  return items;
}

UploadPlanner::UploadPlanner(ProfileSession* session, ConflictResolver resolver, QObject* parent)
    : QObject(parent), session_(session), resolver_(std::move(resolver)) {}

void UploadPlanner::start(const QStringList& localPaths, const QString& targetDirectory) {
  auto* watcher = new QFutureWatcher<QPair<QList<Item>, QStringList>>(this);
  connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, targetDirectory] {
    watcher->deleteLater();
    const auto [items, errors] = watcher->result();
    errors_ << errors;
    StoreBackend* store = session_->store();
    if (items.isEmpty() || !store) {
      emit finished(0, 0, 0, errors_);
      deleteLater();
      return;
    }
    StoreJob* job = store->listFilesBelow(targetDirectory);
    connect(job, &StoreJob::finished, this, [this, job, items] {
      if (!job->succeeded()) {
        // Every file the user meant to upload gets a row in Transfers that
        // says why it did not go (and can be retried), not only a status line.
        errors_ << job->errorString();
        for (const Item& item : items) {
          session_->transfers()->addFailedUpload(UploadRequest{item.localPath, item.name, {}}, job->errorString());
        }
        emit finished(0, int(items.size()), 0, errors_);
        deleteLater();
        return;
      }
      QHash<QString, RemoteFile> existing;
      for (const RemoteFile& f : job->listing().files) existing.insert(f.name, f);
      resolveAndQueue(items, existing);
    });
  });
  watcher->setFuture(QtConcurrent::run([localPaths, targetDirectory] {
    QStringList errors;
    QList<Item> items = expand(localPaths, targetDirectory, &errors);
    return qMakePair(items, errors);
  }));
}

void UploadPlanner::resolveAndQueue(const QList<Item>& items, const QHash<QString, RemoteFile>& existing) {
  std::optional<bool> overwriteAll;
  QList<Item> toQueue;
  int conflictsLeft = 0;
  for (const Item& item : items) conflictsLeft += existing.contains(item.name) ? 1 : 0;
  for (const Item& item : items) {
    if (const auto found = existing.constFind(item.name); found != existing.cend()) {
      bool overwrite = false;
      if (overwriteAll) {
        overwrite = *overwriteAll;
      } else {
        // Both sides, for the prompt (a local stat: the user's own file, cheap).
        const QFileInfo local(item.localPath);
        ConflictDetails details;
        details.direction = ConflictDetails::Direction::Upload;
        details.name = item.name;
        details.localPath = item.localPath;
        details.localSize = local.exists() ? local.size() : -1;
        details.localModified = local.exists() ? local.lastModified().toSecsSinceEpoch() : -1;
        details.remoteSize = found->size;
        details.remoteVersion = found->version;
        details.remaining = conflictsLeft;
        switch (resolver_ ? resolver_(details) : ConflictChoice::Overwrite) {
          case ConflictChoice::Overwrite: overwrite = true; break;
          case ConflictChoice::KeepBoth:  // the store keeps versions: never offered for uploads
          case ConflictChoice::Skip: overwrite = false; break;
          case ConflictChoice::OverwriteAll: overwrite = true; overwriteAll = true; break;
          case ConflictChoice::KeepBothAll:
          case ConflictChoice::SkipAll: overwrite = false; overwriteAll = false; break;
          case ConflictChoice::Cancel:
            emit finished(0, 0, int(items.size()), errors_);
            deleteLater();
            return;
        }
      }
      --conflictsLeft;
      if (!overwrite) {
        ++skipped_;
        continue;
      }
    }
    toQueue << item;
  }
  if (toQueue.isEmpty()) {
    emit finished(0, 0, skipped_, errors_);
    deleteLater();
    return;
  }
  TransferQueue* queue = session_->transfers();
  connect(queue, &TransferQueue::transferFinished, this, [this, queue](quint64 id, bool ok) {
    if (!pending_.remove(id)) return;
    if (ok) {
      ++uploaded_;
    } else {
      ++failed_;
      if (const Transfer* t = queue->find(id); t && !t->error.isEmpty()) errors_ << t->error;
    }
    if (pending_.isEmpty()) {
      emit finished(uploaded_, failed_, skipped_, errors_);
      deleteLater();
    }
  });
  for (const Item& item : toQueue) pending_.insert(queue->enqueueUpload(UploadRequest{item.localPath, item.name, {}}));
}

}  // namespace ft::ui
