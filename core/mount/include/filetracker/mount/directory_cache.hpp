// Listings of directories, kept for --attr-timeout.
//
// `ls -la`, `find` and every path lookup ask for the listing of a
// directory; the cache answers from a listing younger than the timeout and
// otherwise asks the DirectorySource again. Concurrent misses of one
// directory wait for a single request (the first one's). A missing
// directory is remembered as missing for the same time; a failed listing is
// not remembered (the next call tries again).
//
// Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "filetracker/mount/directory_source.hpp"

namespace ft::mount {

class DirectoryCache {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;
  // `ttl` 0: every call asks the source (no caching).
  DirectoryCache(DirectorySource& source, std::chrono::milliseconds ttl, Clock clock = {});

  // The listing of `directory`, or nullptr when it does not exist.
  // Throws what the source throws (other than NotFound).
  std::shared_ptr<const DirectoryListing> get(const std::string& directory);
  // The next get() of `directory` asks the source.
  void invalidate(const std::string& directory);
  void invalidate_all();
  // How many times the source was asked (for tests and -v statistics).
  std::uint64_t source_calls() const;
  // Callers waiting for a request about `directory` to come back (tests).
  int waiting(const std::string& directory) const;

 private:
  struct Entry {
    std::shared_ptr<const DirectoryListing> listing;  // nullptr: missing
    std::chrono::steady_clock::time_point fetched{};
    std::exception_ptr error;  // of the last load
    bool valid = false;
    bool loading = false;
    int waiters = 0;               // callers waiting for the running load
    std::uint64_t loads = 0;       // completed loads, for the waiters
    std::uint64_t generation = 0;  // bumped by invalidate, so a stale load is not kept
  };

  DirectorySource& source_;
  std::chrono::milliseconds ttl_;
  Clock clock_;
  mutable std::mutex mutex_;
  std::condition_variable loaded_;
  std::map<std::string, Entry> entries_;  // GUARDED_BY(mutex_)
  std::uint64_t source_calls_ = 0;        // GUARDED_BY(mutex_)
  std::size_t swept_size_ = 0;            // GUARDED_BY(mutex_)
};

}  // namespace ft::mount
