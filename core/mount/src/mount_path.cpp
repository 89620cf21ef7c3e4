#include "filetracker/mount/mount_path.hpp"

#include <vector>

namespace ft::mount {

std::string MountPath::store_name() const { return version ? versioned_name(name, *version) : name; }

std::optional<MountPath> parse_mount_path(std::string_view path) {
  while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  if (path == "/") return MountPath{"/", std::nullopt};
  if (name_error(path, true)) return std::nullopt;
  SplitName split = split_name(path);  // cannot throw: name_error checked the version
  if (split.name.empty() || split.name.back() == '/') return std::nullopt;  // "/a/@12"
  return MountPath{std::move(split.name), split.version};
}

std::vector<std::string> ancestors_of(std::string_view name) {
  std::vector<std::string> out;
  if (name == "/" || name.empty()) return out;
  std::string current(name);
  do {
    current = parent_directory(current);
    out.push_back(current);
  } while (current != "/");
  return out;
}

std::string child_name(std::string_view directory, std::string_view base) {
  std::string out(directory);
  if (out.empty() || out.back() != '/') out += '/';
  out += base;
  return out;
}

}  // namespace ft::mount
