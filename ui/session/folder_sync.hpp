// Carries out a sync plan (core's sync_plan.hpp) that the user confirmed:
// the copies go through the transfer queue (rows in the Transfers dock,
// with their progress, cancel and retry), then the deletions — remote ones
// each at the version compared (a newer upload since is kept), local ones
// on a worker thread, with the folders they leave empty. progress() counts
// actions ended; cancel() cancels the queued copies and sends no more
// deletions; finished() once everything started has ended.
#pragma once

#include <QObject>
#include <QPointer>
#include <QSet>
#include <QStringList>

#include "filetracker/sync_plan.hpp"
#include "transfers/transfer_queue.hpp"

namespace ft::ui {

class DeletePlanner;

class FolderSync : public QObject {
  Q_OBJECT
 public:
  FolderSync(TransferQueue* queue, QString localFolder, QString remoteDirectory, QObject* parent = nullptr);

  void start(const SyncPlan& plan, SyncDirection direction);
  void cancel();
  bool isRunning() const { return running_; }

  int done() const { return done_; }
  int failed() const { return failed_; }
  bool wasCancelled() const { return cancelled_; }
  const QStringList& errors() const { return errors_; }

 signals:
  void progress(int ended, int total);
  void finished();

 private:
  void copyEnded(quint64 id, bool ok);
  void startDeletions();
  void deleteRemote();
  void deleteLocal();
  void ended(bool ok, const QString& error = {});
  void finish();

  QPointer<TransferQueue> queue_;
  QString localFolder_;
  QString remoteDirectory_;
  SyncPlan plan_;
  SyncDirection direction_ = SyncDirection::Upload;
  QSet<quint64> copies_;  // transfer ids still running
  QPointer<DeletePlanner> deleter_;
  bool running_ = false;
  bool cancelled_ = false;
  bool deleting_ = false;
  int total_ = 0;
  int done_ = 0;
  int failed_ = 0;
  QStringList errors_;
};

}  // namespace ft::ui
