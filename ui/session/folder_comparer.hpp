// Compares a local folder with a remote folder of the session's store, by
// content (core's sync planner, sync_plan.hpp), without blocking the event
// loop: the folder is scanned and the local files are hashed on a worker
// thread, the store is asked asynchronously (one listing; on a plain server
// one stat per file it did not describe, and the content of each file whose
// size matches, fetched into a temporary folder and hashed, since such a
// server sends no checksum). progress() reports the phase and the bytes
// hashed; cancel() stops it all (finished() with wasCancelled()).
#pragma once

#include <QFutureWatcher>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QTemporaryDir>
#include <QTimer>

#include <atomic>
#include <map>
#include <memory>
#include <vector>

#include "filetracker/sync_plan.hpp"
#include "store/store_backend.hpp"

namespace ft::ui {

class FolderComparer : public QObject {
  Q_OBJECT
 public:
  enum class Phase { Scanning, Asking, Fetching, Hashing, Done };
  Q_ENUM(Phase)

  // REQUIRES: `store` outlives the comparer or is deleted with it (QPointer).
  FolderComparer(StoreBackend* store, QString localFolder, QString remoteDirectory, QObject* parent = nullptr);
  // Cancels and waits for the worker (which stops within one chunk).
  ~FolderComparer() override;

  void start();
  void cancel();

  const QString& localFolder() const { return localFolder_; }
  const QString& remoteDirectory() const { return remoteDirectory_; }
  bool isRunning() const { return running_; }
  bool wasCancelled() const { return cancelled_; }
  QString errorString() const { return error_; }
  // The comparison, in name order (all settled after a successful finish).
  const std::vector<SyncItem>& items() const { return items_; }

 signals:
  // `done` of `total` bytes hashed (Hashing), or requests answered (Asking,
  // Fetching); total < 0: not known yet.
  void progress(ft::ui::FolderComparer::Phase phase, qint64 done, qint64 total);
  void finished();

 private:
  void listingArrived(StoreJob* job);
  void maybePair();
  void pumpStats();
  void pumpFetches();
  void startHashing();
  void fail(const QString& reason);
  void end();

  QPointer<StoreBackend> store_;
  QString localFolder_;
  QString remoteDirectory_;
  bool running_ = false;
  bool cancelled_ = false;
  QString error_;

  // Scanning and hashing run here; the flag and counter are shared with it.
  std::shared_ptr<std::atomic<bool>> cancelFlag_ = std::make_shared<std::atomic<bool>>(false);
  std::shared_ptr<std::atomic<qint64>> hashed_ = std::make_shared<std::atomic<qint64>>(0);
  qint64 hashTotal_ = 0;
  QTimer hashTimer_;
  QFutureWatcher<void> worker_;

  bool scanned_ = false;
  bool listed_ = false;
  std::map<std::string, SyncLocalFile> local_;
  QString scanError_;
  std::vector<RemoteEntry> remote_;
  std::vector<std::size_t> toStat_;   // indexes into remote_ without metadata
  std::vector<std::size_t> toFetch_;  // indexes into items_ whose remote content must be hashed
  std::map<std::size_t, QString> fetched_;  // item index -> temporary copy of the remote content
  std::unique_ptr<QTemporaryDir> fetchDir_;
  int inFlight_ = 0;
  qint64 asked_ = 0;
  qint64 askTotal_ = 0;
  QSet<StoreJob*> jobs_;
  std::vector<SyncItem> items_;
};

}  // namespace ft::ui
