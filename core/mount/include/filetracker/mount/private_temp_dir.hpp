// The mount's private working directory, inside the cache directory:
// <cache_dir>/mount.<pid>.XXXXXX, mode 0700.
//
// Files being written through the mount live here until they are uploaded,
// and fetched files are linked here on their way to an open descriptor. It
// sits on the cache's file system, so both directions are hard links, not
// copies. mkdtemp() makes it fresh (a planted name or symlink makes it fail,
// never redirects it). The destructor removes it; a mount killed with
// SIGKILL leaves it behind, and the next mount on that cache removes the
// leftovers of processes that no longer run.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <string>

namespace ft::mount {

class PrivateTempDir {
 public:
  // Throws Error(Io).
  explicit PrivateTempDir(const std::filesystem::path& cache_dir);
  ~PrivateTempDir();
  PrivateTempDir(const PrivateTempDir&) = delete;
  PrivateTempDir& operator=(const PrivateTempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  // A name in the directory no other call returns: "<prefix>.<n>".
  std::filesystem::path unique_path(const std::string& prefix);

  // Removes <cache_dir>/mount.<pid>.* of processes that are gone. Returns
  // how many were removed.
  static int remove_leftovers(const std::filesystem::path& cache_dir);

 private:
  std::filesystem::path path_;
  std::atomic<std::uint64_t> counter_{0};
};

}  // namespace ft::mount
