// Checks of a whole local cache: what does not belong in it ("debris"), and
// the content of every cached file against its record.
//
// Debris, found under files/, meta/ and the locks directory without following
// anything:
// - symbolic links, anywhere (damage: a cache never makes one; the cache
//   refuses to read or write through them, and cleaning removes them);
// - other non-regular entries under files/ (FIFOs, sockets, devices);
// - named temporary files of interrupted writes (".<base>.tmp.<random>"; only
//   where the file system has no O_TMPFILE, see AtomicFile). One is stale, and
//   may be removed, when it was not written for `min_age` and the lock of
//   its name is free (every writer holds that lock while it writes);
// - records in meta/ whose file is gone.
//
// Nothing here follows a symbolic link or deletes a regular cached file;
// pruning (cache_pruner.hpp) and LocalDataStore::remove_entry do that.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "filetracker/cache_pruner.hpp"

namespace ft {

inline constexpr std::chrono::seconds kStaleTemporaryAge = std::chrono::hours(1);

struct CacheDebris {
  enum class Kind { Symlink, Special, Temporary, OrphanRecord };
  struct Entry {
    Kind kind;
    std::filesystem::path root;  // the cache directory, or the locks directory
    std::string relative;        // below root: "files/a/.b.tmp.x1", "meta/a/b", "x/y" (a lock)
    std::uint64_t bytes = 0;
    bool stale = false;          // Temporary: old enough and its name unlocked (removable)
    std::filesystem::path path() const { return root / relative; }
  };
  std::vector<Entry> entries;

  std::size_t count(Kind kind) const;
  std::uint64_t bytes(Kind kind) const;
  // Symbolic links and special files: what makes a cache damaged.
  std::size_t damage() const { return count(Kind::Symlink) + count(Kind::Special); }
};

// Scans one cache (read-only; a missing cache is empty). Throws Error(Io)
// when the cache cannot be read.
CacheDebris find_cache_debris(const CacheLocation& cache, std::chrono::seconds min_age = kStaleTemporaryAge);

struct DebrisRemoval {
  std::vector<CacheDebris::Entry> removed;
  std::vector<std::string> errors;  // one line each
};
// Removes the symbolic links, special files, orphan records and stale
// temporary files of one cache (never a temporary file whose name is locked
// or that was written within `min_age`).
DebrisRemoval remove_cache_debris(const CacheLocation& cache, std::chrono::seconds min_age = kStaleTemporaryAge);

// One line for an entry: "symbolic link files/a/b", "temporary file ... (12 B)".
std::string describe(const CacheDebris::Entry& entry);

// ---- Verification (`filetracker cache verify`) ----------------------------
struct CacheVerifyReport {
  std::uint64_t files = 0;         // checked
  std::uint64_t bytes = 0;         // read
  std::uint64_t recorded = 0;      // had no record (older cache, Python client): recorded now
  std::vector<CachedFile> damaged;  // changed after caching
  std::vector<std::string> problems;  // one line each: damaged files, then debris that is damage
  CacheDebris debris;
  bool cancelled = false;
};
// Called before each file; return false to stop.
using VerifyProgress = std::function<bool(std::size_t done, std::size_t total)>;
// Reads every cached file of `cache` (each under its name's shared lock) and
// compares it with its record; also scans for debris.
CacheVerifyReport verify_cache(const CacheLocation& cache, const VerifyProgress& progress = {});

}  // namespace ft
