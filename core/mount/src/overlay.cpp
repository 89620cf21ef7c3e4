#include "filetracker/mount/overlay.hpp"

#include <vector>

#include "filetracker/mount/mount_path.hpp"

namespace ft::mount {

namespace {

// Everything strictly below `directory` in an ordered container of names:
// [directory + "/", directory + "0"), since '0' follows '/' in ASCII.
template <typename Container>
auto below(Container& names, const std::string& directory) {
  std::string first = directory == "/" ? "/" : directory + "/";
  std::string last = directory == "/" ? "0" : directory + "0";
  return std::make_pair(names.lower_bound(first), names.lower_bound(last));
}

// The first component of `name` below `directory`, and whether more follow.
std::pair<std::string, bool> child_of(const std::string& directory, const std::string& name) {
  std::size_t prefix = directory == "/" ? 1 : directory.size() + 1;
  std::string rest = name.substr(prefix);
  auto slash = rest.find('/');
  if (slash == std::string::npos) return {rest, false};
  return {rest.substr(0, slash), true};
}

}  // namespace

bool Overlay::add_directory(const std::string& name) {
  std::lock_guard lock(mutex_);
  return made_directories_.insert(name).second;
}

bool Overlay::remove_directory(const std::string& name) {
  std::lock_guard lock(mutex_);
  return made_directories_.erase(name) > 0;
}

bool Overlay::move_directories(const std::string& from, const std::string& to) {
  std::lock_guard lock(mutex_);
  std::vector<std::string> moved;
  if (made_directories_.count(from)) moved.push_back(from);
  auto [first, last] = below(made_directories_, from);
  for (auto it = first; it != last; ++it) moved.push_back(*it);
  for (const auto& name : moved) {
    made_directories_.erase(name);
    made_directories_.insert(to + name.substr(from.size()));
  }
  return !moved.empty();
}

void Overlay::file_stored(const std::string& name, const FileAttributes& attributes) {
  std::lock_guard lock(mutex_);
  for (const auto& dir : ancestors_of(name)) made_directories_.erase(dir);
  stored_files_[name] = attributes;
}

void Overlay::file_removed(const std::string& name) {
  std::lock_guard lock(mutex_);
  stored_files_.erase(name);
}

bool Overlay::has_directory(const std::string& name) const {
  std::lock_guard lock(mutex_);
  if (made_directories_.count(name)) return true;
  auto [dfirst, dlast] = below(made_directories_, name);
  if (dfirst != dlast) return true;
  auto [first, last] = below(stored_files_, name);
  return first != last;
}

bool Overlay::has_children(const std::string& name) const {
  std::lock_guard lock(mutex_);
  auto [dfirst, dlast] = below(made_directories_, name);
  if (dfirst != dlast) return true;
  auto [ffirst, flast] = below(stored_files_, name);
  return ffirst != flast;
}

std::optional<FileAttributes> Overlay::stored_file(const std::string& name, const DirectoryListing* parent_listing) {
  std::lock_guard lock(mutex_);
  auto it = stored_files_.find(name);
  if (it == stored_files_.end()) return std::nullopt;
  if (parent_listing && covered(it->second, parent_listing->listed_at)) {
    stored_files_.erase(it);
    return std::nullopt;
  }
  return it->second;
}

void Overlay::merge_into(const std::string& directory, DirectoryListing& listing, std::time_t store_listed_at) {
  std::lock_guard lock(mutex_);
  {
    auto [first, last] = below(made_directories_, directory);
    for (auto it = first; it != last; ++it) listing.directories.insert(child_of(directory, *it).first);
  }
  auto [first, last] = below(stored_files_, directory);
  for (auto it = first; it != last;) {
    auto [child, deeper] = child_of(directory, it->first);
    if (deeper) {
      listing.directories.insert(child);
      ++it;
    } else if (store_listed_at > 0 && covered(it->second, store_listed_at)) {
      it = stored_files_.erase(it);
    } else {
      listing.files[child] = it->second;
      ++it;
    }
  }
}

}  // namespace ft::mount
