// Runs uploads and downloads through the current store, at most
// `concurrencyLimit()` at a time (default 2), with cancel and retry.
// The rows live in a TransferModel for the dock.
#pragma once

#include <QObject>
#include <QPointer>
#include <QTimer>

#include "store/store_backend.hpp"
#include "transfers/transfer_model.hpp"

namespace ft::ui {

class TransferQueue : public QObject {
  Q_OBJECT
 public:
  explicit TransferQueue(QObject* parent = nullptr);

  TransferModel* model() { return &model_; }
  // Transfers started from now on go to `store`; running ones are cancelled.
  void setStore(StoreBackend* store);
  StoreBackend* store() const { return store_; }

  int concurrencyLimit() const { return limit_; }
  void setConcurrencyLimit(int limit);

  quint64 enqueueUpload(const UploadRequest& request);
  quint64 enqueueDownload(const DownloadRequest& request, Transfer::Kind kind = Transfer::Kind::Download);

  void cancel(quint64 id);
  void cancelAll();
  void retry(quint64 id);
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
  int limit_ = 2;
  quint64 nextId_ = 1;
  QTimer speedTimer_;
  bool scheduling_ = false;
};

}  // namespace ft::ui
