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
  // Bounded: start over when full (cheap, and hot names come back at once).
  if (records_.size() >= max_entries_) records_.clear();
  records_.insert_or_assign(record.name, record);
}

void RecordCache::apply_committed(const std::vector<std::pair<std::string, std::optional<FileRecord>>>& changes) {
  std::lock_guard lock(mutex_);
  ++generation_;
  for (const auto& [name, record] : changes) {
    auto it = records_.find(name);
    if (it == records_.end()) continue;  // not cached: nothing to fix
    if (record)
      it->second = *record;
    else
      records_.erase(it);
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
    blobs_.clear();
    total_ = 0;
  }
  auto [it, inserted] = blobs_.emplace(sha256, std::move(bytes));
  if (inserted) total_ += it->second->size();
}

}  // namespace ft::server
