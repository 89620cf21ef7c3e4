#include "session/delete_planner.hpp"

#include <QDateTime>

namespace ft::ui {

DeletePlanner::DeletePlanner(StoreBackend* store, QObject* parent) : QObject(parent), store_(store) {}

void DeletePlanner::start(const QList<RemoteFile>& files) {
  left_ = int(files.size());
  if (files.isEmpty()) {
    end();
    return;
  }
  const qint64 now = QDateTime::currentSecsSinceEpoch();
  for (const RemoteFile& f : files) {
    StoreJob* job = store_->remove(f.name, f.version >= 0 ? f.version : now);
    connect(job, &StoreJob::finished, this, [this, job] {
      if (job->succeeded()) {
        ++deleted_;
      } else {
        ++failed_;
        errors_ << job->errorString();
      }
      if (--left_ == 0) end();
    });
  }
}

void DeletePlanner::end() {
  emit finished(deleted_, failed_, errors_);
  deleteLater();
}

}  // namespace ft::ui
