// The scan of an import's source tree: every entry below a directory that
// is not a directory, with its filetracker name ("/" + the path below the
// root) and its lstat. Never follows a symbolic link (a link to a directory
// is an entry, not a subtree). Entries whose path is not a valid
// filetracker name are reported in `skipped` and not visited.
#pragma once

#include <sys/stat.h>

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "filetracker/name.hpp"

namespace ft::server {

struct ScannedEntry {
  std::string name;            // "/a/b"
  std::filesystem::path path;  // root / "a/b"
  bool is_symlink = false;
  bool is_regular = false;
  Version version = 0;         // the entry's own mtime (lstat), in seconds
  struct stat st {};
};

// Throws Error(Io) when `root` cannot be read; an unreadable subdirectory
// is reported in `skipped`.
void scan_tree(const std::filesystem::path& root, const std::function<void(const ScannedEntry&)>& visit,
               std::vector<std::string>& skipped);

}  // namespace ft::server
