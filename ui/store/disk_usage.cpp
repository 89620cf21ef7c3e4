#include "store/disk_usage.hpp"

#include <QFutureWatcher>
#include <QHash>
#include <QPointer>
#include <QtConcurrent>

#include <algorithm>

#include "filetracker/protocol_disk_usage.hpp"
#include "store/remote_store.hpp"

namespace ft::ui {

DiskUsage sumDiskUsage(const QString& directory, const QVector<RemoteFile>& files, bool sizesKnown) {
  DiskUsage usage;
  usage.total = FolderUsage{directory, 0, sizesKnown ? 0 : -1};
  const QString base = directory == QLatin1String("/") ? directory : directory + QLatin1Char('/');
  QHash<QString, int> at;  // child path -> index in usage.folders
  auto add = [](FolderUsage& f, qint64 size) {
    ++f.files;
    f.bytes = f.bytes < 0 || size < 0 ? -1 : f.bytes + size;
  };
  for (const RemoteFile& file : files) {
    if (!file.name.startsWith(base)) continue;
    add(usage.total, file.size);
    const qsizetype slash = file.name.indexOf(QLatin1Char('/'), base.size());
    if (slash < 0) continue;  // right in the directory
    const QString child = file.name.left(slash);
    auto it = at.find(child);
    if (it == at.end()) {
      it = at.insert(child, int(usage.folders.size()));
      usage.folders.push_back(FolderUsage{child, 0, sizesKnown ? 0 : -1});
    }
    add(usage.folders[*it], file.size);
  }
  std::sort(usage.folders.begin(), usage.folders.end(),
            [](const FolderUsage& a, const FolderUsage& b) { return a.path < b.path; });
  return usage;
}

DiskUsageJob* startDiskUsage(StoreBackend* store, const QString& directory) {
  static const QString kDu = QString::fromLatin1(protocol::kExtDiskUsage.data(), qsizetype(protocol::kExtDiskUsage.size()));
  if (auto* remote = qobject_cast<RemoteStore*>(store); remote && remote->info().has(kDu))
    return remote->diskUsage(directory);
  auto* job = new DiskUsageJob(store);
  QPointer<StoreJob> listing = store->listFilesBelow(directory);
  job->setCancelHandler([job, listing] {
    if (listing && !listing->isFinished()) return listing->cancel();  // its finished() ends this job
    job->finishCancelled();  // summing: the result is dropped
  });
  QObject::connect(listing, &StoreJob::finished, job, [job, listing, directory] {
    if (job->isFinished()) return;
    if (listing->wasCancelled()) return job->finishCancelled();
    if (!listing->succeeded()) return job->finishError(listing->errorString(), listing->httpStatus());
    // A big tree takes a while to sum: on a worker thread.
    auto* watcher = new QFutureWatcher<DiskUsage>(job);
    QObject::connect(watcher, &QFutureWatcherBase::finished, job, [job, watcher] {
      if (job->isFinished()) return;
      job->setDiskUsage(watcher->future().takeResult());
      job->finishSuccess();
    });
    watcher->setFuture(QtConcurrent::run(
        [directory, files = listing->listing().files, known = listing->listing().metadataComplete] {
          return sumDiskUsage(directory, files, known);
        }));
  });
  return job;
}

}  // namespace ft::ui
