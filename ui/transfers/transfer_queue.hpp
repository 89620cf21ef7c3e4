// Runs uploads and downloads through the current store, at most
// `concurrencyLimit()` at a time (default 2), with cancel, retry, pause and
// resume (of a transfer, or of the whole queue), an ETA and an optional
// bandwidth limit. The rows live in a TransferModel for the dock.
//
// Each transfer belongs to the store it was queued on (its key: location and
// cache). While another store is connected its pending rows wait (they run
// when their store is connected again: never on another one), and retrying
// a failed one is refused with the reason.
//
// A queue that lasts (issue 15): with a journal directory set, the rows of
// each store are saved (TransferJournal, atomically, a moment after they
// change) and read back when that store is next connected, also after a
// restart. What was running or queued then starts again on its own store; a
// paused row stays paused; an upload whose local file changed or vanished
// meanwhile is failed with the reason. Downloads go into a temporary file
// renamed into place when complete (AtomicFile), so a paused or interrupted
// download never leaves a partial target file; the protocol has no ranges,
// so a resumed transfer starts from its first byte.
#pragma once

#include <QObject>
#include <QPointer>
#include <QSet>
#include <QTimer>

#include <functional>

#include "store/store_backend.hpp"
#include "transfers/transfer_journal.hpp"
#include "transfers/transfer_model.hpp"

namespace ft::ui {

class TransferQueue : public QObject {
  Q_OBJECT
 public:
  explicit TransferQueue(QObject* parent = nullptr);
  // Saves what changed since the last save.
  ~TransferQueue() override;

  TransferModel* model() { return &model_; }
  // Transfers queued from now on go to `store`; running ones are stopped and
  // wait for their own store again (Queued). `key` names the store and the
  // cache it fills (two stores with the same key are the same place: a
  // reconnect); empty: store->location(). The key's saved rows are read back
  // the first time it is connected.
  void setStore(StoreBackend* store, const QString& key = {});
  const QString& storeKey() const { return key_; }
  StoreBackend* store() const { return store_; }

  int concurrencyLimit() const { return limit_; }
  void setConcurrencyLimit(int limit);

  quint64 enqueueUpload(const UploadRequest& request);
  quint64 enqueueDownload(const DownloadRequest& request, Transfer::Kind kind = Transfer::Kind::Download);
  // An archive unpacked into the store or packed from it (ArchiveJob, off
  // the GUI thread), a row like the others: progress, cancel, retry.
  quint64 enqueueArchive(const ArchiveTask& task);
  // How archive transfers reach the store the queue is on: asked when each
  // one starts (so a retry after a sign-in signs in). Unset: they fail.
  void setCoreConnectionProvider(std::function<CoreConnection()> provider) { coreConnection_ = std::move(provider); }

  // Where the rows are saved (one file per store); empty (the default): nowhere.
  void setJournalDirectory(const QString& directory);
  const TransferJournal& journal() const { return journal_; }
  // Writes the changed stores' rows now (else a moment after a change).
  void saveNow();

  // Bytes per second for the queue's uploads and downloads together; 0: no limit.
  void setBandwidthLimit(qint64 bytesPerSecond);
  qint64 bandwidthLimit() const { return bandwidthLimit_; }

  // Pause stops a running transfer's request (what it had done is dropped)
  // or holds a queued one; Resume queues it again. False when it is not in
  // a state for that.
  bool pause(quint64 id);
  bool resume(quint64 id);
  // The whole queue: nothing starts while it is paused (new rows wait too);
  // what runs stops and is queued again, to start when the queue resumes.
  // Rows paused on their own stay paused until their own Resume.
  void setQueuePaused(bool paused);
  bool isQueuePaused() const { return queuePaused_; }

  // The connected store's rows still to do: their summed smoothed speed and
  // the seconds left at it (-1: unknown), counting the sizes known so far.
  double queueBytesPerSecond() const { return queueRate_; }
  qint64 queueEtaSeconds() const;

  void cancel(quint64 id);
  void cancelAll();
  // Queues a failed or cancelled transfer again, on its own store. Returns
  // the reason when it is refused (another store is connected now; the row
  // then says so), empty when queued.
  QString retry(quint64 id);
  // A transfer that failed before it could be queued (say the store could
  // not be asked which names exist): a Failed row with the reason, which
  // Retry can start later.
  quint64 addFailedUpload(const UploadRequest& request, const QString& error);
  void clearFinished();

  int activeCount() const;
  int pendingCount() const;  // queued + active + paused
  int pausedCount() const;
  const Transfer* find(quint64 id) const;

 signals:
  void transferFinished(quint64 id, bool succeeded);
  // Nothing queued or running any more.
  void idle();
  // Paused or resumed, of a row or of the whole queue.
  void pausedChanged();
  // The queue could not be saved or read back (the reason, one line).
  void journalFailed(const QString& error);

 private:
  quint64 enqueue(Transfer transfer);
  void schedule();
  void start(int row);
  void onProgress(quint64 id, qint64 done, qint64 total);
  void onFinished(quint64 id, StoreJob* job);
  void updateSpeeds();
  // Stops the running job of `row` for `why` (Pause, Detach): the row takes
  // its new state at once and the job's end is not waited for.
  void stopJob(int row, Transfer::Stop why);
  // The row's state changed: repaint it and save its store's rows soon.
  void touch(int row);
  void markDirty(const QString& key);
  void restore(const QString& key);

  TransferModel model_;
  QPointer<StoreBackend> store_;
  QString key_;
  int limit_ = 2;
  quint64 nextId_ = 1;
  QTimer speedTimer_;
  bool scheduling_ = false;
  std::function<CoreConnection()> coreConnection_;
  TransferJournal journal_;
  QSet<QString> restoredKeys_;  // read back already (once per queue)
  QSet<QString> dirtyKeys_;     // to be saved
  QTimer saveTimer_;
  qint64 bandwidthLimit_ = 0;
  bool queuePaused_ = false;
  double queueRate_ = 0;
};

}  // namespace ft::ui
