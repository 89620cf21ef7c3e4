// Paths inside the mount -> filetracker names.
//
// The mount shows the store's names as a directory tree: "/tests/a/1.in" is
// the file 1.in in the directory tests/a. A last component "1.in@1420070410"
// names that version of the file (it is never listed by readdir, but can be
// opened, stat'ed, copied). A path that is not a valid filetracker name
// cannot name anything in the store (see name_error).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "filetracker/name.hpp"

namespace ft::mount {

struct MountPath {
  std::string name;                // unversioned: "/tests/a/1.in"; "/" for the root
  std::optional<Version> version;  // from "name@VERSION"
  bool is_root() const { return name == "/"; }
  // "/tests/a/1.in@1420070410" or "/tests/a/1.in".
  std::string store_name() const;
  bool operator==(const MountPath&) const = default;
};

// nullopt when `path` (as the kernel gives it: absolute, no trailing '/')
// names nothing a store can hold: not a valid filetracker name, or a version
// on the root. A trailing '/' is tolerated.
std::optional<MountPath> parse_mount_path(std::string_view path);

// Every directory above `name`, nearest first, "/" last: "/a/b/c" -> "/a/b",
// "/a", "/". Empty for "/".
std::vector<std::string> ancestors_of(std::string_view name);

// "/a" + "b" -> "/a/b"; "/" + "b" -> "/b".
std::string child_name(std::string_view directory, std::string_view base);

}  // namespace ft::mount
