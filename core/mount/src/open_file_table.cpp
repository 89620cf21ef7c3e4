#include "filetracker/mount/open_file_table.hpp"

#include <algorithm>

namespace ft::mount {

std::uint64_t OpenFileTable::add(std::shared_ptr<OpenFile> file, const std::string& name) {
  std::lock_guard lock(mutex_);
  const std::uint64_t handle = next_handle_++;
  const bool writer = file->writer();
  files_[handle] = Entry{std::move(file), Target{name, false}};
  if (writer) writers_.emplace(name, handle);
  return handle;
}

std::shared_ptr<OpenFile> OpenFileTable::get(std::uint64_t handle) const {
  std::lock_guard lock(mutex_);
  auto it = files_.find(handle);
  return it == files_.end() ? nullptr : it->second.file;
}

std::shared_ptr<OpenFile> OpenFileTable::remove(std::uint64_t handle) {
  std::lock_guard lock(mutex_);
  auto it = files_.find(handle);
  if (it == files_.end()) return nullptr;
  auto [first, last] = writers_.equal_range(it->second.target.name);
  for (auto w = first; w != last; ++w) {
    if (w->second == handle) {
      writers_.erase(w);
      break;
    }
  }
  std::shared_ptr<OpenFile> file = std::move(it->second.file);
  files_.erase(it);
  return file;
}

std::optional<OpenFileTable::Target> OpenFileTable::target(std::uint64_t handle) const {
  std::lock_guard lock(mutex_);
  auto it = files_.find(handle);
  if (it == files_.end()) return std::nullopt;
  return it->second.target;
}

std::vector<std::shared_ptr<OpenFile>> OpenFileTable::writers_of(const std::string& name) const {
  std::lock_guard lock(mutex_);
  std::vector<std::pair<std::uint64_t, std::shared_ptr<OpenFile>>> found;
  auto [first, last] = writers_.equal_range(name);
  for (auto it = first; it != last; ++it) found.emplace_back(it->second, files_.at(it->second).file);
  std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<std::shared_ptr<OpenFile>> out;
  for (auto& [handle, file] : found) out.push_back(std::move(file));
  return out;
}

std::vector<std::string> OpenFileTable::writer_names_below(const std::string& directory) const {
  std::lock_guard lock(mutex_);
  std::string first = directory == "/" ? "/" : directory + "/";
  std::string last = directory == "/" ? "0" : directory + "0";
  std::vector<std::string> out;
  for (auto it = writers_.lower_bound(first); it != writers_.end() && it->first < last; ++it) {
    if (out.empty() || out.back() != it->first) out.push_back(it->first);
  }
  return out;
}

int OpenFileTable::unlink_writers(const std::string& name) {
  std::lock_guard lock(mutex_);
  auto [first, last] = writers_.equal_range(name);
  int count = 0;
  for (auto it = first; it != last; ++it) {
    files_.at(it->second).target.unlinked = true;
    ++count;
  }
  writers_.erase(first, last);
  return count;
}

void OpenFileTable::retarget_writers(const std::string& from, const std::string& to) {
  std::lock_guard lock(mutex_);
  auto [first, last] = writers_.equal_range(from);
  std::vector<std::uint64_t> handles;
  for (auto it = first; it != last; ++it) handles.push_back(it->second);
  writers_.erase(first, last);
  for (std::uint64_t handle : handles) {
    files_.at(handle).target.name = to;
    writers_.emplace(to, handle);
  }
}

std::vector<std::pair<OpenFileTable::Target, std::shared_ptr<OpenFile>>> OpenFileTable::take_all() {
  std::lock_guard lock(mutex_);
  std::vector<std::pair<Target, std::shared_ptr<OpenFile>>> out;
  for (auto& [handle, entry] : files_) out.emplace_back(entry.target, std::move(entry.file));
  files_.clear();
  writers_.clear();
  return out;
}

std::size_t OpenFileTable::size() const {
  std::lock_guard lock(mutex_);
  return files_.size();
}

}  // namespace ft::mount
