// One piece of upkeep of the local cache (see CacheMaintenance), run on a
// worker thread: reading what the cache holds, removing files, planning a
// clean-up to the limit (the core pruner's dry run) or carrying one out.
// Reports on the GUI thread with progress() and one finished(), then deletes
// itself; like StoreJob, the results are read in the slot of finished().
#pragma once

#include <QFutureWatcher>
#include <QObject>
#include <QStringList>

#include <atomic>
#include <functional>
#include <memory>
#include <vector>

#include "models/cache_table_model.hpp"

namespace ft {
struct PrunePlan;
}

namespace ft::ui {

// What a clean-up would delete, in the order it deletes (oldest first).
struct CleanUpPlan {
  QStringList names;       // versioned names
  qint64 bytes = 0;        // their total size
  qint64 totalBytes = 0;   // what the cache holds now
  qint64 limit = 0;
  std::shared_ptr<const ft::PrunePlan> prune;  // the core plan, for CacheMaintenance::cleanUp
  bool isEmpty() const { return names.isEmpty(); }
};

class CacheJob : public QObject {
  Q_OBJECT
 public:
  struct Result {
    std::vector<CacheEntry> entries;  // scan
    CleanUpPlan plan;                 // planCleanUp
    QStringList errors;               // one line each; empty when all went well
  };
  // The work, on a worker thread: reports progress through the promise and
  // looks at `cancelled` between items.
  using Work = std::function<Result(QPromise<Result>& promise, const std::atomic<bool>& cancelled)>;

  // Starts `work` at once. REQUIRES: the GUI thread.
  CacheJob(Work work, QObject* parent = nullptr);
  // Asks the work to stop (it does between items); finished() follows.
  ~CacheJob() override;

  const std::vector<CacheEntry>& entries() const { return result_.entries; }
  const CleanUpPlan& plan() const { return result_.plan; }
  const QStringList& errors() const { return result_.errors; }
  bool succeeded() const { return result_.errors.isEmpty(); }

 public slots:
  void cancel() { cancelled_->store(true); }

 signals:
  void progress(int done, int total);
  void finished();

 private:
  QFutureWatcher<Result> watcher_;
  std::shared_ptr<std::atomic<bool>> cancelled_ = std::make_shared<std::atomic<bool>>(false);
  Result result_;
};

}  // namespace ft::ui
