#include "session/delete_planner.hpp"

#include <QDateTime>

namespace ft::ui {

namespace {
// Enough to keep the connections to the server busy, few enough that a
// cancel stops a big folder's deletion almost at once.
constexpr int kRemovesInFlight = 8;
}  // namespace

DeletePlanner::DeletePlanner(StoreBackend* store, QObject* parent) : QObject(parent), store_(store) {}

void DeletePlanner::start(const QList<RemoteFile>& files) {
  queue_ = files;
  total_ = int(files.size());
  now_ = QDateTime::currentSecsSinceEpoch();
  pump();
}

void DeletePlanner::cancel() {
  cancelled_ = true;
  queue_.clear();
  if (inFlight_ == 0) end();
}

void DeletePlanner::pump() {
  while (!cancelled_ && inFlight_ < kRemovesInFlight && !queue_.isEmpty()) {
    const RemoteFile f = queue_.takeFirst();
    ++inFlight_;
    StoreJob* job = store_->remove(f.name, f.version >= 0 ? f.version : now_);
    connect(job, &StoreJob::finished, this, [this, job] {
      --inFlight_;
      if (job->succeeded()) {
        ++deleted_;
      } else {
        ++failed_;
        errors_ << job->errorString();
      }
      emit progress(deleted_ + failed_, total_);
      pump();
    });
  }
  if (inFlight_ == 0 && (queue_.isEmpty() || cancelled_)) end();
}

void DeletePlanner::end() {
  if (ended_) return;
  ended_ = true;
  emit finished(deleted_, failed_, errors_);
  deleteLater();
}

}  // namespace ft::ui
