// In-memory caches in front of the index and the blob store for the hot
// read path (GET/HEAD of small files, which should cost about what nginx
// pays for a static file).
//
// Both are bounded by the bytes they hold (names can be 16 KiB long, so a
// count of entries would bound nothing); when full they start over.
//
// RecordCache: name -> FileRecord. Only the storage's single writer changes
// the index; after each commit it calls apply_committed(), which bumps a
// generation number. A reader that missed looks the name up in the index
// and inserts the result only if no commit happened meanwhile, so a stale
// record can never be cached.
//
// BlobCache: sha256 -> small blob bytes. Blobs are content-addressed, so a
// cached blob can never be stale.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "filetracker/server/file_record.hpp"

namespace ft::server {

class RecordCache {
 public:
  explicit RecordCache(std::size_t max_bytes) : max_bytes_(max_bytes) {}
  // What an entry counts against max_bytes (the name twice, as key and in
  // the record, the checksum, and the hash table's own overhead).
  static std::size_t cost(const FileRecord& record) { return 2 * record.name.size() + record.sha256.size() + 160; }
  std::size_t bytes() const;

  // A cached record, or nullopt plus the generation to pass to insert().
  std::optional<FileRecord> find(std::string_view name, std::uint64_t* generation);
  // Caches a record read from the index at `generation` (ignored when a
  // commit happened since).
  void insert(const FileRecord& record, std::uint64_t generation);
  // After a commit: each name's new record (nullopt: deleted).
  void apply_committed(const std::vector<std::pair<std::string, std::optional<FileRecord>>>& changes);

 private:
  mutable std::mutex mutex_;
  std::uint64_t generation_ = 0;
  std::size_t max_bytes_;
  std::size_t bytes_ = 0;
  std::unordered_map<std::string, FileRecord> records_;
};

class BlobCache {
 public:
  BlobCache(std::size_t max_blob_size, std::size_t max_total) : max_blob_(max_blob_size), max_total_(max_total) {}
  std::size_t max_blob_size() const { return max_blob_; }
  std::size_t bytes() const;
  std::shared_ptr<const std::string> find(const std::string& sha256);
  void insert(const std::string& sha256, std::shared_ptr<const std::string> bytes);

 private:
  mutable std::mutex mutex_;
  std::size_t max_blob_;
  std::size_t max_total_;
  std::size_t total_ = 0;
  std::unordered_map<std::string, std::shared_ptr<const std::string>> blobs_;
};

}  // namespace ft::server
