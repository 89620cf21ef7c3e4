#include "filetracker/server/read_cache.hpp"

namespace ft::server {

std::optional<FileRecord> RecordCache::find(std::string_view name, std::uint64_t* generation) {
  std::lock_guard lock(mutex_);
  auto it = records_.find(std::string(name));
  if (it != records_.end()) return it->second;
  *generation = generation_;
  return std::nullopt;
}

void RecordCache::insert(const FileRecord& record, std::uint64_t generation) {
  std::lock_guard lock(mutex_);
  if (generation != generation_) return;
  const std::size_t cost = RecordCache::cost(record);
  if (cost > max_bytes_) return;
  // Bounded: start over when full (cheap, and hot names come back at once).
  if (bytes_ + cost > max_bytes_) {
    records_ = {};  // also frees the bucket array
    bytes_ = 0;
  }
  auto [it, inserted] = records_.try_emplace(record.name, record);
  if (!inserted) {
    bytes_ -= RecordCache::cost(it->second);
    it->second = record;
  }
  bytes_ += cost;
}

std::size_t RecordCache::bytes() const {
  std::lock_guard lock(mutex_);
  return bytes_;
}

void RecordCache::apply_committed(const std::vector<std::pair<std::string, std::optional<FileRecord>>>& changes) {
  std::lock_guard lock(mutex_);
  ++generation_;
  for (const auto& [name, record] : changes) {
    auto it = records_.find(name);
    if (it == records_.end()) continue;  // not cached: nothing to fix
    bytes_ -= RecordCache::cost(it->second);
    if (record) {
      it->second = *record;
      bytes_ += RecordCache::cost(it->second);
    } else {
      records_.erase(it);
    }
  }
}

std::shared_ptr<const std::string> BlobCache::find(const std::string& sha256) {
  std::lock_guard lock(mutex_);
  auto it = blobs_.find(sha256);
  return it == blobs_.end() ? nullptr : it->second;
}

void BlobCache::insert(const std::string& sha256, std::shared_ptr<const std::string> bytes) {
  if (!bytes || bytes->size() > max_blob_) return;
  std::lock_guard lock(mutex_);
  if (total_ + bytes->size() > max_total_) {
    blobs_ = {};
    total_ = 0;
  }
  auto [it, inserted] = blobs_.emplace(sha256, std::move(bytes));
  if (inserted) total_ += it->second->size();
}

}  // namespace ft::server

namespace ft::server {
std::size_t BlobCache::bytes() const {
  std::lock_guard lock(mutex_);
  return total_;
}
}  // namespace ft::server
