#include "store/store_backend.hpp"

#include <QFutureWatcher>
#include <QPointer>
#include <QtConcurrent>

#include "store/disk_usage.hpp"

namespace ft::ui {

StoreJob* StoreBackend::diskUsage(const QString& directory) {
  auto* job = new StoreJob(this);
  QPointer<StoreJob> listing = listFilesBelow(directory);
  job->setCancelHandler([job, listing] {
    if (listing && !listing->isFinished()) return listing->cancel();  // its finished() ends this job
    job->finishCancelled();  // summing: the result is dropped
  });
  connect(listing, &StoreJob::finished, job, [job, listing, directory] {
    if (job->isFinished()) return;
    if (listing->wasCancelled()) return job->finishCancelled();
    if (!listing->succeeded()) return job->finishError(listing->errorString(), listing->httpStatus());
    // A big tree takes a while to sum: on a worker thread.
    auto* watcher = new QFutureWatcher<DiskUsage>(job);
    connect(watcher, &QFutureWatcherBase::finished, job, [job, watcher] {
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
