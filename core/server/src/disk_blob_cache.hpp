// A bounded local disk cache of hot blobs read from a remote store (S3):
// files "<dir>/<sha256>", least recently used evicted first when the bytes
// exceed the bound. Files appear atomically (fetched into a temporary, then
// renamed); concurrent reads of one missing blob fetch it once (judges read
// the same files at once). Blobs are content-addressed, so a cached file is
// never stale. A bound of 0 turns the cache off: each open fetches into an
// unlinked temporary file.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "filetracker/server/blob_store.hpp"

namespace ft::server {

class DiskBlobCache {
 public:
  // Keeps what a previous run left in `dir` (up to the bound).
  DiskBlobCache(std::filesystem::path dir, std::uint64_t max_bytes);

  // Writes the blob to fd; false: there is no such blob. Throws on failure.
  using Fetch = std::function<bool(int fd)>;
  // An fd of the cached blob (fetched when missing); nullopt: no such blob.
  std::optional<OpenBlob> open(const std::string& sha256, const Fetch& fetch);
  // Takes a finished local file as the blob (renamed into the cache).
  void insert_file(const std::string& sha256, const std::filesystem::path& file);
  std::uint64_t bytes() const;

 private:
  struct Entry {
    std::uint64_t size;
    std::list<std::string>::iterator lru;
  };
  struct Pending;
  void insert_locked(const std::string& sha256, std::uint64_t size);
  void evict_locked();
  std::optional<OpenBlob> open_cached_locked(const std::string& sha256);

  std::filesystem::path dir_;
  std::uint64_t max_bytes_;
  mutable std::mutex mutex_;
  std::uint64_t bytes_ = 0;
  std::list<std::string> lru_;  // front: most recently used
  std::unordered_map<std::string, Entry> entries_;
  std::map<std::string, std::shared_ptr<Pending>> pending_;
};

}  // namespace ft::server
