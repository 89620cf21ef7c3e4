// The scan of an import's source tree: every entry below a directory that
// is not a directory, with its filetracker name ("/" + the path below the
// root) and its lstat. Never follows a symbolic link (a link to a directory
// is an entry, not a subtree). Entries whose path is not a valid
// filetracker name are reported in `skipped` and not visited.
#pragma once

#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "filetracker/name.hpp"
#include "filetracker/server/import.hpp"

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

// The progress of one import: counts entries and tells `fn` at most every
// 250 ms (and always when `final`); also the import's clock.
class ImportTicker {
 public:
  ImportTicker(ImportProgressFn fn, std::size_t total, std::size_t done = 0) : fn_(std::move(fn)) {
    p_.total = total;
    p_.done = done;
  }
  void next_entry() { ++p_.done; }
  void tell(bool final, std::uint64_t bytes) {
    if (!fn_) return;
    auto now = std::chrono::steady_clock::now();
    if (!final && now - last_ < std::chrono::milliseconds(250)) return;
    last_ = now;
    p_.seconds = seconds();
    p_.bytes = bytes;
    fn_(p_);
  }
  double seconds() const { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count(); }

 private:
  ImportProgressFn fn_;
  ImportProgress p_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_ = start_;
};

}  // namespace ft::server
