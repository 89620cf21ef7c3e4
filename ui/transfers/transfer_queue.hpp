// Runs uploads and downloads through the current store, at most
// `concurrencyLimit()` at a time (default 2), with cancel and retry.
// The rows live in a TransferModel for the dock. Each transfer belongs to
// the store it was queued on (its key: location and cache); once another
// store is connected, retrying it is refused with the reason.
#pragma once

#include <QObject>
#include <QPointer>
#include <QTimer>

#include <functional>

#include "store/store_backend.hpp"
#include "transfers/transfer_model.hpp"

namespace ft::ui {

class TransferQueue : public QObject {
  Q_OBJECT
 public:
  explicit TransferQueue(QObject* parent = nullptr);

  TransferModel* model() { return &model_; }
  // Transfers queued from now on go to `store`; running ones are cancelled.
  // `key` names the store and the cache it fills (two stores with the same
  // key are the same place: a reconnect); empty: store->location().
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
  int pendingCount() const;  // queued + active
  const Transfer* find(quint64 id) const;

 signals:
  void transferFinished(quint64 id, bool succeeded);
  // Nothing queued or running any more.
  void idle();

 private:
  quint64 enqueue(Transfer transfer);
  void schedule();
  void start(int row);
  void onProgress(quint64 id, qint64 done, qint64 total);
  void onFinished(quint64 id, StoreJob* job);
  void updateSpeeds();

  TransferModel model_;
  QPointer<StoreBackend> store_;
  QString key_;
  int limit_ = 2;
  quint64 nextId_ = 1;
  QTimer speedTimer_;
  bool scheduling_ = false;
  std::function<CoreConnection()> coreConnection_;
};

}  // namespace ft::ui
