#include "extract_scratch_dir.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "filetracker/error.hpp"

namespace ft {

namespace {

constexpr const char* kPrefix = "filetracker-extract-";

std::filesystem::path base_of(const std::filesystem::path& where) {
  if (!where.empty()) return where;
  std::error_code ec;
  std::filesystem::path base = std::filesystem::temp_directory_path(ec);
  return ec || base.empty() ? std::filesystem::path("/tmp") : base;
}

void remove_quietly(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
}

}  // namespace

int ExtractScratchDir::sweep(const std::filesystem::path& base) {
  UniqueFd basefd(::open(base.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!basefd) return 0;
  DIR* d = ::fdopendir(::dup(basefd.get()));
  if (!d) return 0;
  int removed = 0;
  while (dirent* e = ::readdir(d)) {
    if (std::strncmp(e->d_name, kPrefix, std::strlen(kPrefix)) != 0) continue;
    // Only our own real directories (no symbolic link to follow, nobody else's files).
    UniqueFd fd(::openat(basefd.get(), e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!fd) continue;
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0 || st.st_uid != ::geteuid()) continue;
    if (::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) continue;  // in use
    remove_quietly(base / e->d_name);
    ++removed;
  }  // each lock goes with its descriptor, after the removal
  ::closedir(d);
  return removed;
}

ExtractScratchDir::ExtractScratchDir(const std::filesystem::path& where) {
  const std::filesystem::path base = base_of(where);
  sweep(base);
  for (int attempt = 0;; ++attempt) {
    std::string pattern = (base / (std::string(kPrefix) + "XXXXXX")).string();
    if (!::mkdtemp(pattern.data())) throw_errno(pattern + ": cannot create a scratch directory");
    UniqueFd fd(::open(pattern.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (fd && ::flock(fd.get(), LOCK_EX) == 0) {
      // Still ours, not swept between mkdtemp and flock?
      struct stat held {}, named {};
      if (::fstat(fd.get(), &held) == 0 && ::lstat(pattern.c_str(), &named) == 0 && held.st_ino == named.st_ino &&
          held.st_dev == named.st_dev) {
        path_ = pattern;
        lock_ = std::move(fd);
        return;
      }
    }
    if (fd) ::rmdir(pattern.c_str());  // not ours after all (or unlockable): never leave it behind
    if (attempt == 3) throw Error(ErrorCode::Io, pattern + ": cannot lock the scratch directory");
  }
}

ExtractScratchDir::~ExtractScratchDir() { remove_quietly(path_); }

}  // namespace ft
