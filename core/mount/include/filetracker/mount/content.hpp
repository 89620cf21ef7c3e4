// The content behind a file opened for reading.
//
// - CachedContent: an open descriptor of the file in the cache. Opening a
//   version brings it into the cache first through Client::get_file (the
//   same code path as `filetracker get`: versioned cache entry, under the
//   per-name lock, one download however many processes ask), as a hard link
//   in the mount's private directory that is opened and unlinked at once;
//   reads are then pread()s of the cache's own inode.
// - ContentFetcher: one CachedContent per version while any open file
//   holds it, and one fetch however many threads open the same version at
//   once (the others wait for it and share its result or its error).
// - StreamedContent: a file larger than the cache may hold, read straight
//   from the store without caching (Client::get_stream). Reads are served in
//   order from the stream; a small window of what was read last answers the
//   slightly out-of-order reads of kernel read-ahead, a read further back
//   restarts the stream, a read further on skips ahead.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "filetracker/data_store.hpp"
#include "filetracker/mount/client_pool.hpp"
#include "filetracker/mount/private_temp_dir.hpp"

namespace ft::mount {

class CachedContent {
 public:
  // Takes ownership of `fd`.
  CachedContent(int fd, std::uint64_t size) : fd_(fd), size_(size) {}
  ~CachedContent();
  CachedContent(const CachedContent&) = delete;
  CachedContent& operator=(const CachedContent&) = delete;

  int fd() const { return fd_; }
  std::uint64_t size() const { return size_; }
  // pread into `buffer`; returns the bytes read (0 at the end). Throws Error(Io).
  std::size_t read(char* buffer, std::size_t size, std::uint64_t offset) const;

 private:
  int fd_;
  std::uint64_t size_;
};

class ContentFetcher {
 public:
  ContentFetcher(ClientPool& pool, PrivateTempDir& temp) : pool_(pool), temp_(temp) {}

  // The cached content of `versioned` ("/a@12"), fetched into the cache when
  // it is not there. Throws ft::Error (NotFound when the store lacks that
  // version).
  std::shared_ptr<CachedContent> get(const std::string& versioned);
  // How many fetches went to the Client (not counting shared ones).
  std::uint64_t fetch_count() const;

 private:
  std::shared_ptr<CachedContent> fetch(const std::string& versioned);

  ClientPool& pool_;
  PrivateTempDir& temp_;
  mutable std::mutex mutex_;
  std::map<std::string, std::weak_ptr<CachedContent>> open_;  // GUARDED_BY(mutex_)
  std::map<std::string, std::shared_future<std::shared_ptr<CachedContent>>> in_flight_;  // GUARDED_BY(mutex_)
  std::uint64_t fetches_ = 0;  // GUARDED_BY(mutex_)
};

class StreamedContent {
 public:
  using Opener = std::function<DataStore::Stream()>;
  // `open` starts the stream from the beginning (called lazily, and again
  // to go back); `size` is the logical size the listing promised.
  StreamedContent(Opener open, std::uint64_t size);
  ~StreamedContent();

  // Bytes at `offset` (0 at the end). Throws ft::Error when the stream
  // fails (cut off, corrupt, server gone, timed out).
  std::size_t read(char* buffer, std::size_t size, std::uint64_t offset);
  std::uint64_t size() const { return size_; }
  // Times the stream was (re)started, for tests.
  int opens() const { return opens_; }

 private:
  std::size_t read_stream(char* buffer, std::size_t size);  // REQUIRES: mutex_ held
  void restart();                                           // REQUIRES: mutex_ held

  Opener open_;
  std::uint64_t size_;
  std::mutex mutex_;
  std::unique_ptr<std::istream> stream_;
  std::uint64_t position_ = 0;    // offset of the next stream byte
  std::vector<char> window_;      // the bytes just before position_
  int opens_ = 0;
};

}  // namespace ft::mount
