// Cache pruning: the deployed cache cleaner's rule as a library function.
//
// Rule (the seed's cachecleaner.py): list the files of one or more caches as
// one index and sort it newest first (by mtime, the version), ties broken by
// size, smaller first. If the whole index holds at least `limit` bytes,
// walk it adding up sizes; the first file at which the running total reaches
// limit * percent / 100, and every file after it, is deleted. Otherwise
// nothing is deleted.
//
// Each file is deleted under its exclusive lock, with its versioned name (so a
// newer version written since the scan stays). A file whose lock is held by
// someone else is skipped, not waited for: somebody is reading or writing it
// right now, so it is hot and evicting it would be pointless; the next run
// looks at it again. A plan can be made without deleting anything (a dry run),
// shown to a person, and executed afterwards.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "filetracker/data_store.hpp"

namespace ft {

struct CacheLocation {
  std::filesystem::path cache_dir;  // the directory holding files/ (FILETRACKER_DIR)
  std::filesystem::path locks_dir;  // empty: <cache_dir>/locks
};

// <cache_dir>/locks unless the location names another locks directory.
std::filesystem::path locks_dir_of(const CacheLocation& location);

struct CachedFile {
  FileInfo file;          // versioned name, version (= mtime), size
  std::size_t cache = 0;  // index into the CacheLocation list
  bool operator==(const CachedFile&) const = default;
};

struct CacheSummary {
  std::uint64_t file_count = 0;
  std::uint64_t total_bytes = 0;
};

// Lists the files of every cache (a missing cache directory counts as empty).
// Throws Error(Io) when a cache cannot be read.
std::vector<CachedFile> scan_caches(const std::vector<CacheLocation>& caches);
CacheSummary summarize(const std::vector<CachedFile>& files);
CacheSummary summarize_cache(const std::filesystem::path& cache_dir);

struct PrunePlan {
  std::uint64_t limit = 0;         // bytes
  double percent = 0;              // of limit to keep
  std::uint64_t total_bytes = 0;   // in the whole index
  std::uint64_t file_count = 0;
  bool cleaning_needed = false;    // total_bytes >= limit
  std::vector<CachedFile> to_delete;  // oldest last, in the order of deletion
  std::uint64_t bytes_to_delete = 0;
};

// The rule on a given index (pure). Throws Error(InvalidArgument) when
// `percent` is not within [0, 100].
PrunePlan plan_prune(std::vector<CachedFile> files, std::uint64_t limit, double percent);
// Dry run: scan_caches + plan_prune; deletes nothing.
PrunePlan plan_cache_prune(const std::vector<CacheLocation>& caches, std::uint64_t limit, double percent);

struct PruneResult {
  std::vector<CachedFile> deleted;
  std::vector<CachedFile> skipped_busy;     // lock held by someone else
  std::vector<CachedFile> skipped_changed;  // gone or replaced by a newer version since the scan
  std::vector<std::string> errors;          // one line each, naming the file
  std::uint64_t deleted_bytes = 0;
  bool cancelled = false;
};

// Called before each file; return false to stop (the result says cancelled).
using PruneProgress = std::function<bool(std::size_t done, std::size_t total)>;

// Deletes the files of `plan` (made from the same `caches`). Failures are
// collected in the result, never thrown: one bad file does not stop the rest.
PruneResult execute_prune(const std::vector<CacheLocation>& caches, const PrunePlan& plan,
                          const PruneProgress& progress = {});
// plan_cache_prune + execute_prune.
PruneResult prune_caches(const std::vector<CacheLocation>& caches, std::uint64_t limit, double percent,
                         const PruneProgress& progress = {});

// Named temp files of interrupted writes (a writer killed mid-write on a file
// system without O_TMPFILE leaves its temp file, see AtomicFile) are
// invisible to the cache but take disk space. Removes those under
// <cache_dir>/files and meta/ not modified for at least `min_age` and whose
// name's lock is free (see cache_check.hpp, which also finds other debris).
struct TempCleanup {
  std::vector<std::filesystem::path> removed;
  std::uint64_t bytes = 0;
};
TempCleanup remove_stale_temp_files(const std::filesystem::path& cache_dir,
                                    std::chrono::seconds min_age = std::chrono::hours(1));

}  // namespace ft
