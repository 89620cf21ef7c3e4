#include "filetracker/memory_data_store.hpp"

#include <algorithm>
#include <ctime>
#include <iterator>
#include <sstream>

#include "filetracker/error.hpp"

namespace ft {

const MemoryDataStore::Entry& MemoryDataStore::find(const SplitName& name, std::string_view full) const {
  auto it = files_.find(name.name);
  if (it == files_.end()) throw Error(ErrorCode::NotFound, std::string(full) + ": file not found");
  if (name.version && it->second.version != *name.version) {
    throw Error(ErrorCode::NotFound, std::string(full) + ": version not found (the store has version " +
                                         std::to_string(it->second.version) + ")");
  }
  return it->second;
}

std::string MemoryDataStore::add_stream(std::string_view name, std::istream& in) {
  const SplitName split = parse_name(name);
  // Read outside the lock: the stream may be slow.
  std::string data{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  if (in.bad()) throw Error(ErrorCode::Io, split.name + ": read error while adding to the memory store");
  std::lock_guard lock(mutex_);
  ++counts_.add;
  auto it = files_.find(split.name);
  if (split.version && it != files_.end() && it->second.version > *split.version) {
    return versioned_name(split.name, it->second.version);
  }
  Version version;
  if (split.version) {
    version = *split.version;
  } else {
    version = static_cast<Version>(::time(nullptr));
    if (it != files_.end()) version = std::max(version, it->second.version + 1);
  }
  files_[split.name] = Entry{std::move(data), version};
  return versioned_name(split.name, version);
}

bool MemoryDataStore::exists(std::string_view name) {
  const SplitName split = parse_name(name);
  std::lock_guard lock(mutex_);
  ++counts_.query;
  auto it = files_.find(split.name);
  return it != files_.end() && (!split.version || it->second.version == *split.version);
}

Version MemoryDataStore::file_version(std::string_view name) {
  const SplitName split = parse_name(name);
  std::lock_guard lock(mutex_);
  ++counts_.query;
  return find(SplitName{split.name, std::nullopt}, name).version;
}

std::uint64_t MemoryDataStore::file_size(std::string_view name) {
  const SplitName split = parse_name(name);
  std::lock_guard lock(mutex_);
  ++counts_.query;
  return find(split, name).data.size();
}

DataStore::Stream MemoryDataStore::get_stream(std::string_view name) {
  const SplitName split = parse_name(name);
  std::lock_guard lock(mutex_);
  ++counts_.get;
  const Entry& entry = find(split, name);
  return Stream{std::make_unique<std::istringstream>(entry.data), versioned_name(split.name, entry.version)};
}

void MemoryDataStore::delete_file(std::string_view name) {
  const SplitName split = parse_name(name);
  std::lock_guard lock(mutex_);
  ++counts_.remove;
  auto it = files_.find(split.name);
  if (it == files_.end()) throw Error(ErrorCode::NotFound, std::string(name) + ": file not found");
  if (split.version && it->second.version > *split.version) return;  // a newer version stays
  files_.erase(it);
}

std::vector<FileInfo> MemoryDataStore::list_files() {
  std::lock_guard lock(mutex_);
  ++counts_.list;
  std::vector<FileInfo> result;
  result.reserve(files_.size());
  for (const auto& [name, entry] : files_) {
    result.push_back(FileInfo{versioned_name(name, entry.version), entry.version, entry.data.size()});
  }
  return result;
}

MemoryDataStore::CallCounts MemoryDataStore::call_counts() const {
  std::lock_guard lock(mutex_);
  return counts_;
}

std::string MemoryDataStore::content(std::string_view name) const {
  const SplitName split = parse_name(name);
  std::lock_guard lock(mutex_);
  return find(SplitName{split.name, std::nullopt}, name).data;
}

}  // namespace ft
