#include "store/store_job.hpp"

namespace ft::ui {

StoreJob::StoreJob(QObject* parent) : QObject(parent) {}

void StoreJob::cancel() {
  if (finished_ || cancelled_) return;
  cancelled_ = true;
  if (cancelHandler_) {
    // The handler ends the job (finishCancelled) once the work has stopped.
    auto handler = std::move(cancelHandler_);
    handler();
  } else {
    finishCancelled();
  }
}

void StoreJob::reportProgress(qint64 done, qint64 total) {
  if (!finished_) emit progress(done, total);
}

void StoreJob::reportStage(Stage stage) {
  if (!finished_) emit stageChanged(stage);
}

void StoreJob::finishSuccess() {
  if (cancelled_) {
    finishCancelled();
    return;
  }
  finish();
}

void StoreJob::finishError(const QString& reason, int httpStatus) {
  if (cancelled_) {
    finishCancelled();
    return;
  }
  error_ = reason;
  httpStatus_ = httpStatus;
  finish();
}

void StoreJob::finishCancelled() {
  cancelled_ = true;
  if (error_.isEmpty()) error_ = tr("Cancelled");
  finish();
}

void StoreJob::finish() {
  if (finished_) return;
  finished_ = true;
  cancelHandler_ = nullptr;
  emit finished();
  deleteLater();
}

}  // namespace ft::ui
