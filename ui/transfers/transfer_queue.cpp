#include "transfers/transfer_queue.hpp"

#include "transfers/archive_job.hpp"

namespace ft::ui {

TransferQueue::TransferQueue(QObject* parent) : QObject(parent) {
  speedTimer_.setInterval(500);
  connect(&speedTimer_, &QTimer::timeout, this, &TransferQueue::updateSpeeds);
}

void TransferQueue::setStore(StoreBackend* store, const QString& key) {
  if (store_ == store) return;
  cancelAll();
  store_ = store;
  key_ = !store ? QString() : key.isEmpty() ? store->location() : key;
}

void TransferQueue::setConcurrencyLimit(int limit) {
  limit_ = qMax(1, limit);
  schedule();
}

quint64 TransferQueue::enqueueUpload(const UploadRequest& request) {
  Transfer t;
  t.kind = Transfer::Kind::Upload;
  t.upload = request;
  return enqueue(std::move(t));
}

quint64 TransferQueue::enqueueDownload(const DownloadRequest& request, Transfer::Kind kind) {
  Transfer t;
  t.kind = kind;
  t.download = request;
  return enqueue(std::move(t));
}

quint64 TransferQueue::enqueueArchive(const ArchiveTask& task) {
  Transfer t;
  t.kind = task.direction == ArchiveTask::Direction::Unpack ? Transfer::Kind::ArchiveUpload : Transfer::Kind::ArchiveDownload;
  t.archive = task;
  return enqueue(std::move(t));
}

quint64 TransferQueue::addFailedUpload(const UploadRequest& request, const QString& error) {
  Transfer t;
  t.kind = Transfer::Kind::Upload;
  t.upload = request;
  t.id = nextId_++;
  t.storeKey = key_;
  t.storeLocation = store_ ? store_->location() : QString();
  t.state = Transfer::State::Failed;
  t.error = error;
  const quint64 id = t.id;
  model_.append(std::move(t));
  emit transferFinished(id, false);
  return id;
}

quint64 TransferQueue::enqueue(Transfer transfer) {
  transfer.id = nextId_++;
  transfer.storeKey = key_;
  transfer.storeLocation = store_ ? store_->location() : QString();
  const quint64 id = transfer.id;
  model_.append(std::move(transfer));
  // Start on the next turn of the event loop so callers can connect first.
  QMetaObject::invokeMethod(this, &TransferQueue::schedule, Qt::QueuedConnection);
  return id;
}

const Transfer* TransferQueue::find(quint64 id) const {
  const int row = model_.rowOf(id);
  return row < 0 ? nullptr : &model_.at(row);
}

int TransferQueue::activeCount() const {
  int n = 0;
  for (int row = 0; row < model_.rowCount(); ++row) n += model_.at(row).isActive() ? 1 : 0;
  return n;
}

int TransferQueue::pendingCount() const {
  int n = 0;
  for (int row = 0; row < model_.rowCount(); ++row) n += model_.at(row).isOver() ? 0 : 1;
  return n;
}

void TransferQueue::schedule() {
  if (scheduling_) return;
  scheduling_ = true;
  int active = activeCount();
  for (int row = 0; row < model_.rowCount() && active < limit_; ++row) {
    if (model_.at(row).state == Transfer::State::Queued) {
      start(row);
      ++active;
    }
  }
  scheduling_ = false;
  if (active > 0) {
    if (!speedTimer_.isActive()) speedTimer_.start();
  } else {
    speedTimer_.stop();
    if (pendingCount() == 0) emit idle();
  }
}

void TransferQueue::start(int row) {
  Transfer& t = model_.at(row);
  if (!store_ || t.storeKey != key_) {
    t.state = Transfer::State::Failed;
    t.error = !store_ ? tr("not connected to a store") : tr("not started: queued for %1, now connected to %2").arg(t.storeLocation, store_->location());
    model_.changed(row);
    emit transferFinished(t.id, false);
    return;
  }
  t.error.clear();
  t.done = 0;
  t.bytesPerSecond = 0;
  t.sampleBytes = 0;
  t.sampleTime = 0;
  t.clock.start();
  t.entriesDone = 0;
  t.refusedEntries.clear();
  t.summary.clear();
  StoreJob* job = nullptr;
  if (t.isArchive()) {
    if (!coreConnection_) {
      t.state = Transfer::State::Failed;
      t.error = tr("archives cannot be transferred here");
      model_.changed(row);
      emit transferFinished(t.id, false);
      return;
    }
    // Reading the listing (and, unpacking, checking every entry) comes first.
    t.state = Transfer::State::Preparing;
    auto* archiveJob = new ArchiveJob(t.archive, coreConnection_(), this);
    const quint64 archiveId = t.id;
    connect(archiveJob, &ArchiveJob::entriesProgress, this, [this, archiveId](qint64 done, qint64 total) {
      const int r = model_.rowOf(archiveId);
      if (r < 0) return;
      model_.at(r).entriesDone = done;
      model_.at(r).entriesTotal = total;
    });
    job = archiveJob;
  } else if (t.kind == Transfer::Kind::Upload) {
    t.state = store_->isRemote() ? Transfer::State::Preparing : Transfer::State::Running;
    job = store_->upload(t.upload);
  } else {
    t.state = Transfer::State::Running;
    job = store_->download(t.download);
  }
  t.job = job;
  const quint64 id = t.id;
  model_.changed(row);
  connect(job, &StoreJob::progress, this, [this, id](qint64 done, qint64 total) { onProgress(id, done, total); });
  connect(job, &StoreJob::stageChanged, this, [this, id](StoreJob::Stage stage) {
    const int r = model_.rowOf(id);
    if (r < 0 || stage != StoreJob::Stage::Transferring) return;
    Transfer& tr = model_.at(r);
    if (tr.state == Transfer::State::Preparing) {
      tr.state = Transfer::State::Running;
      tr.done = 0;
      tr.sampleBytes = 0;
      tr.sampleTime = tr.clock.elapsed();
      model_.changed(r);
    }
  });
  connect(job, &StoreJob::finished, this, [this, id, job] { onFinished(id, job); });
}

void TransferQueue::onProgress(quint64 id, qint64 done, qint64 total) {
  const int row = model_.rowOf(id);
  if (row < 0) return;
  Transfer& t = model_.at(row);
  t.done = done;
  if (total > 0) t.total = total;
  if (t.sampleTime == 0 && t.sampleBytes == 0) t.sampleTime = t.clock.elapsed();
  // Repainting is throttled by the speed timer; progress itself is cheap.
}

void TransferQueue::updateSpeeds() {
  for (int row = 0; row < model_.rowCount(); ++row) {
    Transfer& t = model_.at(row);
    if (!t.isActive()) continue;
    const qint64 now = t.clock.elapsed();
    const qint64 dt = now - t.sampleTime;
    if (dt > 0) {
      const double instant = double(t.done - t.sampleBytes) * 1000.0 / double(dt);
      t.bytesPerSecond = t.bytesPerSecond <= 0 ? instant : 0.6 * instant + 0.4 * t.bytesPerSecond;
      t.sampleBytes = t.done;
      t.sampleTime = now;
    }
    model_.changed(row);
  }
}

void TransferQueue::onFinished(quint64 id, StoreJob* job) {
  const int row = model_.rowOf(id);
  if (row < 0) return;
  Transfer& t = model_.at(row);
  t.job = nullptr;
  if (auto* archiveJob = qobject_cast<ArchiveJob*>(job)) {
    t.summary = archiveJob->summary();
    t.refusedEntries = archiveJob->refusedEntries();
  }
  if (job->succeeded()) {
    t.state = Transfer::State::Finished;
    t.result = job->file();
    if (t.result.size >= 0) t.total = t.result.size;
    t.done = t.total;
    if (t.isArchive() && t.entriesTotal >= 0) t.entriesDone = t.entriesTotal;
  } else if (job->wasCancelled()) {
    t.state = Transfer::State::Cancelled;
  } else {
    t.state = Transfer::State::Failed;
    t.error = job->errorString();
  }
  model_.changed(row);
  const bool ok = t.state == Transfer::State::Finished;
  emit transferFinished(id, ok);
  schedule();
}

void TransferQueue::cancel(quint64 id) {
  const int row = model_.rowOf(id);
  if (row < 0) return;
  Transfer& t = model_.at(row);
  if (t.state == Transfer::State::Queued) {
    t.state = Transfer::State::Cancelled;
    model_.changed(row);
    emit transferFinished(id, false);
    schedule();
  } else if (t.job) {
    t.job->cancel();  // onFinished follows
  }
}

void TransferQueue::cancelAll() {
  for (int row = 0; row < model_.rowCount(); ++row) {
    if (!model_.at(row).isOver()) cancel(model_.at(row).id);
  }
}

QString TransferQueue::retry(quint64 id) {
  const int row = model_.rowOf(id);
  if (row < 0) return tr("no such transfer");
  Transfer& t = model_.at(row);
  if (t.state != Transfer::State::Failed && t.state != Transfer::State::Cancelled) return tr("it has not failed");
  if (t.storeKey != key_) {
    // Sending it to whatever is connected now would upload into (or
    // download from) a store the user never chose for it.
    const QString now = store_ ? store_->location() : tr("nothing");
    t.state = Transfer::State::Failed;
    t.error = tr("not retried: started on %1, now connected to %2 (connect to %1 again to retry)").arg(t.storeLocation, now);
    model_.changed(row);
    return t.error;
  }
  t.state = Transfer::State::Queued;
  t.error.clear();
  t.done = 0;
  model_.changed(row);
  schedule();
  return {};
}

void TransferQueue::clearFinished() { model_.removeFinished(); }

}  // namespace ft::ui
