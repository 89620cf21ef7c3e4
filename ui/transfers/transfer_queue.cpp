#include "transfers/transfer_queue.hpp"

#include <QFileInfo>

#include "transfers/archive_job.hpp"

namespace ft::ui {

TransferQueue::TransferQueue(QObject* parent) : QObject(parent) {
  speedTimer_.setInterval(500);
  connect(&speedTimer_, &QTimer::timeout, this, &TransferQueue::updateSpeeds);
  // A burst of changes (50 uploads queued at once) is one write.
  saveTimer_.setSingleShot(true);
  saveTimer_.setInterval(300);
  connect(&saveTimer_, &QTimer::timeout, this, &TransferQueue::saveNow);
}

TransferQueue::~TransferQueue() { saveNow(); }

void TransferQueue::setJournalDirectory(const QString& directory) {
  saveNow();
  journal_ = TransferJournal(directory);
  restoredKeys_.clear();
  if (!key_.isEmpty()) restore(key_);
}

void TransferQueue::markDirty(const QString& key) {
  if (!journal_.enabled() || key.isEmpty()) return;
  dirtyKeys_.insert(key);
  if (!saveTimer_.isActive()) saveTimer_.start();
}

void TransferQueue::touch(int row) {
  model_.changed(row);
  markDirty(model_.at(row).storeKey);
}

void TransferQueue::saveNow() {
  saveTimer_.stop();
  const QSet<QString> keys = std::exchange(dirtyKeys_, {});
  for (const QString& key : keys) {
    TransferJournal::Content content;
    content.paused = queuePaused_;
    for (int row = 0; row < model_.rowCount(); ++row) {
      if (model_.at(row).storeKey == key) content.rows << model_.at(row);
    }
    if (const QString error = journal_.save(key, content); !error.isEmpty()) emit journalFailed(error);
  }
}

// Reads back what was saved for `key` (once): the rows come after those in
// the list already, pending ones checked against their local files.
void TransferQueue::restore(const QString& key) {
  if (!journal_.enabled() || key.isEmpty() || restoredKeys_.contains(key)) return;
  restoredKeys_.insert(key);
  QString error;
  TransferJournal::Content content = journal_.load(key, &error);
  if (!error.isEmpty()) emit journalFailed(error);
  for (Transfer& t : content.rows) {
    t.id = nextId_++;
    const bool pending = t.state == Transfer::State::Queued || t.state == Transfer::State::Paused;
    if (pending && t.kind == Transfer::Kind::Open) {
      // Nobody waits to open it any more: it is fetched into the cache.
      t.kind = Transfer::Kind::Download;
    }
    if (pending && t.kind == Transfer::Kind::Upload) {
      const QFileInfo file(t.upload.localPath);
      if (!file.exists()) {
        t.state = Transfer::State::Failed;
        t.error = tr("%1: the local file is gone (it was queued before the restart)").arg(t.upload.localPath);
      } else if ((t.localSize >= 0 && file.size() != t.localSize) ||
                 (t.localMtime >= 0 && file.lastModified().toMSecsSinceEpoch() != t.localMtime)) {
        t.state = Transfer::State::Failed;
        t.error = tr("%1: the local file changed since it was queued (Retry sends it as it is now)").arg(t.upload.localPath);
      }
    }
    model_.append(std::move(t));
  }
  if (content.paused && !queuePaused_) {
    queuePaused_ = true;
    emit pausedChanged();
  }
  // Written back as read (failed rows with their reasons): the checks count once.
  if (!content.rows.isEmpty()) markDirty(key);
}

void TransferQueue::setStore(StoreBackend* store, const QString& key) {
  if (store_ == store) return;
  // What runs on the old store waits for it (Queued), instead of failing.
  // An Open is the user's wish of the moment: it is cancelled, not kept
  // (it would open the file out of the blue once its store is back).
  for (int row = 0; row < model_.rowCount(); ++row) {
    Transfer& t = model_.at(row);
    if (t.kind == Transfer::Kind::Open && !t.isOver() && t.storeKey == key_) {
      if (t.isActive()) {
        t.stopping = Transfer::Stop::Cancel;
        stopJob(row, Transfer::Stop::Detach);
      } else {
        t.state = Transfer::State::Cancelled;
        touch(row);
        emit transferFinished(t.id, false);
      }
    } else if (t.isActive()) {
      stopJob(row, Transfer::Stop::Detach);
    }
  }
  saveNow();
  store_ = store;
  key_ = !store ? QString() : key.isEmpty() ? store->location() : key;
  if (store_) {
    store_->setRateLimit(bandwidthLimit_);
    restore(key_);
  }
  for (int row = 0; row < model_.rowCount(); ++row) {
    Transfer& t = model_.at(row);
    const bool waits = !t.isOver() && t.storeKey != key_;
    if (t.waitsForItsStore == waits) continue;
    t.waitsForItsStore = waits;
    model_.changed(row);
  }
  if (store_) QMetaObject::invokeMethod(this, &TransferQueue::schedule, Qt::QueuedConnection);
}

void TransferQueue::setBandwidthLimit(qint64 bytesPerSecond) {
  bandwidthLimit_ = qMax(qint64(0), bytesPerSecond);
  if (store_) store_->setRateLimit(bandwidthLimit_);
}

void TransferQueue::stopJob(int row, Transfer::Stop why) {
  Transfer& t = model_.at(row);
  // A cancel asked for already stays a cancel (Cancel transfers and quit).
  const bool cancelled = t.stopping == Transfer::Stop::Cancel;
  t.state = cancelled ? Transfer::State::Cancelled
            : why == Transfer::Stop::Pause ? Transfer::State::Paused
                                           : Transfer::State::Queued;
  t.stopping = Transfer::Stop::None;
  t.done = 0;
  t.bytesPerSecond = 0;
  if (StoreJob* job = t.job.data()) {
    t.job = nullptr;
    // The row no longer hears from it; the store still cleans up after it
    // (aborts the request, drops the temporary files).
    disconnect(job, nullptr, this, nullptr);
    job->cancel();
  }
  touch(row);
  if (cancelled) emit transferFinished(t.id, false);
}

bool TransferQueue::pause(quint64 id) {
  const int row = model_.rowOf(id);
  if (row < 0) return false;
  Transfer& t = model_.at(row);
  if (t.state == Transfer::State::Queued) {
    t.state = Transfer::State::Paused;
    touch(row);
  } else if (t.isActive()) {
    stopJob(row, Transfer::Stop::Pause);
    QMetaObject::invokeMethod(this, &TransferQueue::schedule, Qt::QueuedConnection);
  } else {
    return false;
  }
  emit pausedChanged();
  return true;
}

bool TransferQueue::resume(quint64 id) {
  const int row = model_.rowOf(id);
  if (row < 0 || model_.at(row).state != Transfer::State::Paused) return false;
  model_.at(row).state = Transfer::State::Queued;
  model_.at(row).error.clear();
  touch(row);
  emit pausedChanged();
  schedule();
  return true;
}

void TransferQueue::setQueuePaused(bool paused) {
  if (paused) {
    // Running ones stop now and go back to Queued: they start again with
    // the queue. A row paused on its own stays paused through both.
    for (int row = 0; row < model_.rowCount(); ++row) {
      if (model_.at(row).isActive()) stopJob(row, Transfer::Stop::Detach);
    }
  }
  if (queuePaused_ == paused) return;
  queuePaused_ = paused;
  // The paused flag is saved with every store's rows.
  for (int row = 0; row < model_.rowCount(); ++row) markDirty(model_.at(row).storeKey);
  markDirty(key_);
  emit pausedChanged();
  schedule();
}

int TransferQueue::pausedCount() const {
  int n = 0;
  for (int row = 0; row < model_.rowCount(); ++row) n += model_.at(row).state == Transfer::State::Paused ? 1 : 0;
  return n;
}

qint64 TransferQueue::queueEtaSeconds() const {
  if (queueRate_ <= 1) return -1;
  qint64 left = 0;
  for (int row = 0; row < model_.rowCount(); ++row) {
    const Transfer& t = model_.at(row);
    if (t.storeKey != key_ || t.isOver() || t.state == Transfer::State::Paused) continue;
    if (t.total > 0) {
      left += qMax(qint64(0), t.total - t.done);
    } else if (t.kind == Transfer::Kind::Upload && t.localSize > 0) {
      left += t.localSize;  // not started yet: about its size
    }
  }
  return qint64(double(left) / queueRate_ + 0.999);
}

void TransferQueue::setConcurrencyLimit(int limit) {
  limit_ = qMax(1, limit);
  schedule();
}

quint64 TransferQueue::enqueueUpload(const UploadRequest& request) {
  Transfer t;
  t.kind = Transfer::Kind::Upload;
  t.upload = request;
  const QFileInfo file(request.localPath);
  if (file.exists()) {
    t.localSize = file.size();
    t.localMtime = file.lastModified().toMSecsSinceEpoch();
  }
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
  t.storeLocation = store_ ? TransferJournal::withoutUserInfo(store_->location()) : QString();
  t.state = Transfer::State::Failed;
  t.error = error;
  const quint64 id = t.id;
  touch(model_.append(std::move(t)));
  emit transferFinished(id, false);
  return id;
}

quint64 TransferQueue::enqueue(Transfer transfer) {
  transfer.id = nextId_++;
  transfer.storeKey = key_;
  transfer.storeLocation = store_ ? TransferJournal::withoutUserInfo(store_->location()) : QString();
  const quint64 id = transfer.id;
  touch(model_.append(std::move(transfer)));
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
  for (int row = 0; row < model_.rowCount() && active < limit_ && !queuePaused_ && store_; ++row) {
    // Another store's rows wait for it.
    if (model_.at(row).state == Transfer::State::Queued && model_.at(row).storeKey == key_) {
      start(row);
      ++active;
    }
  }
  scheduling_ = false;
  if (active > 0) {
    if (!speedTimer_.isActive()) speedTimer_.start();
  } else {
    speedTimer_.stop();
    queueRate_ = 0;
    if (pendingCount() == 0) emit idle();
  }
}

void TransferQueue::start(int row) {
  Transfer& t = model_.at(row);
  if (!store_ || t.storeKey != key_) {
    t.state = Transfer::State::Failed;
    t.error = !store_ ? tr("not connected to a store") : tr("not started: queued for %1, now connected to %2").arg(t.storeLocation, store_->location());
    touch(row);
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
      touch(row);
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
  t.stopping = Transfer::Stop::None;
  const quint64 id = t.id;
  touch(row);
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
  double sum = 0;
  for (int row = 0; row < model_.rowCount(); ++row) {
    Transfer& t = model_.at(row);
    if (!t.isActive()) continue;
    const qint64 now = t.clock.elapsed();
    const qint64 dt = now - t.sampleTime;
    if (dt > 0) {
      const double instant = double(t.done - t.sampleBytes) * 1000.0 / double(dt);
      // Smoothed over the last few seconds: an ETA that does not jump about.
      t.bytesPerSecond = t.bytesPerSecond <= 0 ? instant : 0.3 * instant + 0.7 * t.bytesPerSecond;
      t.sampleBytes = t.done;
      t.sampleTime = now;
    }
    if (t.state == Transfer::State::Running) sum += t.bytesPerSecond;
    model_.changed(row);
  }
  queueRate_ = sum;
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
  touch(row);
  const bool ok = t.state == Transfer::State::Finished;
  emit transferFinished(id, ok);
  schedule();
}

void TransferQueue::cancel(quint64 id) {
  const int row = model_.rowOf(id);
  if (row < 0) return;
  Transfer& t = model_.at(row);
  if (t.state == Transfer::State::Queued || t.state == Transfer::State::Paused) {
    t.state = Transfer::State::Cancelled;
    touch(row);
    emit transferFinished(id, false);
    schedule();
  } else if (t.job) {
    t.stopping = Transfer::Stop::Cancel;
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
    touch(row);
    return t.error;
  }
  t.state = Transfer::State::Queued;
  t.error.clear();
  t.done = 0;
  if (t.kind == Transfer::Kind::Upload) {
    // Retry sends the file as it is now.
    const QFileInfo file(t.upload.localPath);
    t.localSize = file.exists() ? file.size() : -1;
    t.localMtime = file.exists() ? file.lastModified().toMSecsSinceEpoch() : -1;
  }
  touch(row);
  schedule();
  return {};
}

void TransferQueue::clearFinished() {
  for (int row = 0; row < model_.rowCount(); ++row) {
    if (model_.at(row).isOver()) markDirty(model_.at(row).storeKey);
  }
  model_.removeFinished();
}

}  // namespace ft::ui
