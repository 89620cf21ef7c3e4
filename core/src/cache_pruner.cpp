#include "filetracker/cache_pruner.hpp"

#include <algorithm>
#include <cmath>
#include <memory>

#include <sys/stat.h>
#include <unistd.h>

#include <ctime>

#include "filetracker/atomic_file.hpp"
#include "filetracker/error.hpp"
#include "filetracker/local_data_store.hpp"
#include "filetracker/lock_manager.hpp"

namespace ft {

std::filesystem::path locks_dir_of(const CacheLocation& location) {
  return location.locks_dir.empty() ? location.cache_dir / "locks" : location.locks_dir;
}

std::vector<CachedFile> scan_caches(const std::vector<CacheLocation>& caches) {
  std::vector<CachedFile> result;
  for (std::size_t i = 0; i < caches.size(); ++i) {
    std::error_code ec;
    if (!std::filesystem::is_directory(caches[i].cache_dir / "files", ec)) continue;
    LocalDataStore store(caches[i].cache_dir);
    for (FileInfo& info : store.list_files()) result.push_back(CachedFile{std::move(info), i});
  }
  return result;
}

CacheSummary summarize(const std::vector<CachedFile>& files) {
  CacheSummary summary;
  for (const CachedFile& f : files) {
    ++summary.file_count;
    summary.total_bytes += f.file.size;
  }
  return summary;
}

CacheSummary summarize_cache(const std::filesystem::path& cache_dir) {
  return summarize(scan_caches({CacheLocation{cache_dir, {}}}));
}

PrunePlan plan_prune(std::vector<CachedFile> files, std::uint64_t limit, double percent) {
  if (!std::isfinite(percent) || percent < 0 || percent > 100) {
    throw Error(ErrorCode::InvalidArgument,
                "invalid cleaning level " + std::to_string(percent) + ": it must be a percentage from 0 to 100");
  }
  PrunePlan plan;
  plan.limit = limit;
  plan.percent = percent;
  // Newest first; same mtime: smaller first (so larger files go first).
  // Then by name, only to make the order deterministic.
  std::sort(files.begin(), files.end(), [](const CachedFile& a, const CachedFile& b) {
    if (a.file.mtime != b.file.mtime) return a.file.mtime > b.file.mtime;
    if (a.file.size != b.file.size) return a.file.size < b.file.size;
    if (a.file.name != b.file.name) return a.file.name < b.file.name;
    return a.cache < b.cache;
  });
  const long double level = static_cast<long double>(limit) * static_cast<long double>(percent) / 100.0L;
  std::uint64_t running = 0;
  std::size_t delete_from = files.size();
  for (std::size_t i = 0; i < files.size(); ++i) {
    running += files[i].file.size;
    if (delete_from == files.size() && static_cast<long double>(running) >= level) delete_from = i;
  }
  plan.total_bytes = running;
  plan.file_count = files.size();
  plan.cleaning_needed = !files.empty() && running >= limit;
  if (plan.cleaning_needed) {
    for (std::size_t i = delete_from; i < files.size(); ++i) {
      plan.bytes_to_delete += files[i].file.size;
      plan.to_delete.push_back(std::move(files[i]));
    }
  }
  return plan;
}

PrunePlan plan_cache_prune(const std::vector<CacheLocation>& caches, std::uint64_t limit, double percent) {
  return plan_prune(scan_caches(caches), limit, percent);
}

PruneResult execute_prune(const std::vector<CacheLocation>& caches, const PrunePlan& plan,
                          const PruneProgress& progress) {
  PruneResult result;
  std::vector<std::unique_ptr<LocalDataStore>> stores(caches.size());
  std::vector<std::unique_ptr<FlockLockManager>> locks(caches.size());
  const std::size_t total = plan.to_delete.size();
  for (std::size_t done = 0; done < total; ++done) {
    if (progress && !progress(done, total)) {
      result.cancelled = true;
      break;
    }
    const CachedFile& entry = plan.to_delete[done];
    const std::string& name = entry.file.name;
    try {
      if (entry.cache >= caches.size()) {
        throw Error(ErrorCode::InvalidArgument, name + ": the plan names a cache that was not given");
      }
      if (!stores[entry.cache]) {
        stores[entry.cache] = std::make_unique<LocalDataStore>(caches[entry.cache].cache_dir);
        locks[entry.cache] = std::make_unique<FlockLockManager>(locks_dir_of(caches[entry.cache]));
      }
      auto lock = locks[entry.cache]->lock_for(name);
      if (!lock->try_lock_exclusive()) {
        result.skipped_busy.push_back(entry);
        continue;
      }
      // Under the lock the file cannot change: delete it only if it still is
      // the version we planned to delete.
      if (!stores[entry.cache]->exists(name)) {
        lock->close(false);
        result.skipped_changed.push_back(entry);
        continue;
      }
      stores[entry.cache]->delete_file(name);
      lock->close(true);
      result.deleted.push_back(entry);
      result.deleted_bytes += entry.file.size;
    } catch (const std::exception& e) {
      result.errors.push_back(name + ": cannot delete from the cache: " + e.what());
    }
  }
  if (progress && !result.cancelled) progress(total, total);
  return result;
}

PruneResult prune_caches(const std::vector<CacheLocation>& caches, std::uint64_t limit, double percent,
                         const PruneProgress& progress) {
  return execute_prune(caches, plan_cache_prune(caches, limit, percent), progress);
}

}  // namespace ft
