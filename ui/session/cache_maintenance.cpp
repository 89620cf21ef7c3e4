#include "session/cache_maintenance.hpp"

#include "filetracker/cache_pruner.hpp"
#include "filetracker/local_data_store.hpp"

namespace ft::ui {

namespace {

std::vector<CacheLocation> locationsOf(const QString& directory) {
  return {CacheLocation{directory.toStdString(), {}}};
}

QStringList linesOf(const std::vector<std::string>& errors) {
  QStringList lines;
  for (const std::string& e : errors) lines << QString::fromStdString(e);
  return lines;
}

}  // namespace

CacheMaintenance::CacheMaintenance(QObject* parent) : QObject(parent) {}

void CacheMaintenance::setCache(const QString& directory, qint64 limit) {
  directory_ = directory;
  limit_ = limit;
}

CacheJob* CacheMaintenance::scan() {
  return new CacheJob(
      [dir = directory_](QPromise<CacheJob::Result>&, const std::atomic<bool>&) {
        CacheJob::Result result;
        result.entries = CacheTableModel::scan(dir);
        return result;
      },
      this);
}

CacheJob* CacheMaintenance::remove(const QStringList& versionedNames) {
  return new CacheJob(
      [dir = directory_, versionedNames](QPromise<CacheJob::Result>&, const std::atomic<bool>&) {
        CacheJob::Result result;
        LocalDataStore store(dir.toStdString());
        for (const QString& name : versionedNames) {
          try {
            store.delete_file(name.toStdString());
          } catch (const std::exception& e) {
            result.errors << QString::fromStdString(e.what());
          }
        }
        return result;
      },
      this);
}

CacheJob* CacheMaintenance::planCleanUp() {
  const auto limit = std::uint64_t(qMax<qint64>(0, limit_));
  return new CacheJob(
      [dir = directory_, limit](QPromise<CacheJob::Result>&, const std::atomic<bool>&) {
        auto prune = std::make_shared<const PrunePlan>(plan_cache_prune(locationsOf(dir), limit, 100.0));
        CacheJob::Result result;
        for (const CachedFile& f : prune->to_delete) result.plan.names << QString::fromStdString(f.file.name);
        result.plan.bytes = qint64(prune->bytes_to_delete);
        result.plan.totalBytes = qint64(prune->total_bytes);
        result.plan.limit = qint64(prune->limit);
        result.plan.prune = std::move(prune);
        return result;
      },
      this);
}

CacheJob* CacheMaintenance::cleanUp(const CleanUpPlan& plan) {
  return new CacheJob(
      [dir = directory_, prune = plan.prune](QPromise<CacheJob::Result>& promise, const std::atomic<bool>& cancelled) {
        CacheJob::Result result;
        if (!prune) return result;
        promise.setProgressRange(0, int(prune->to_delete.size()));
        const PruneResult done = execute_prune(locationsOf(dir), *prune, [&](std::size_t n, std::size_t) {
          promise.setProgressValue(int(n));
          return !cancelled.load();
        });
        result.errors = linesOf(done.errors);
        return result;
      },
      this);
}

}  // namespace ft::ui
