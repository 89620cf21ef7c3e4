#include "session/cache_job.hpp"

#include <QtConcurrent/QtConcurrentRun>

namespace ft::ui {

CacheJob::CacheJob(Work work, QObject* parent) : QObject(parent) {
  connect(&watcher_, &QFutureWatcherBase::progressValueChanged, this,
          [this](int value) { emit progress(value, watcher_.progressMaximum()); });
  connect(&watcher_, &QFutureWatcherBase::finished, this, [this] {
    result_ = watcher_.future().takeResult();
    emit finished();
    deleteLater();
  });
  // The worker holds its own reference to the flag: it may outlive the job.
  watcher_.setFuture(QtConcurrent::run([work = std::move(work), cancelled = cancelled_](QPromise<Result>& promise) {
    Result result;
    try {
      result = work(promise, *cancelled);
    } catch (const std::exception& e) {
      result.errors << QString::fromStdString(e.what());
    }
    promise.addResult(std::move(result));
  }));
}

CacheJob::~CacheJob() { cancel(); }

}  // namespace ft::ui
