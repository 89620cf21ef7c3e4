// File-system access confined beneath one directory, never through a
// symbolic link: the local cache's (and its lock files') whole contact with
// path names.
//
// A cache directory is written by other programs too: a judge's sandbox holds
// hard links to cached files, scripts clean it, and on a shared machine
// somebody may plant a symbolic link in it (files/DIR -> /etc). Run as root,
// one followed link means a file replaced or created anywhere. So every path
// below a ConfinedDir is resolved from the directory's descriptor without
// following any symbolic link: openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS)
// where the kernel has it (probed once at run time: ENOSYS, or EPERM under a
// seccomp filter, means no), else a walk of one component at a time with
// O_NOFOLLOW. A symbolic link met on the way is ELOOP, which callers report
// as damage (see is_symlink_error); nothing is ever opened through one.
//
// The directory itself is opened by its path as usual: where the cache lives
// is the user's choice (a symbolic link ~/.filetracker-store -> /var/cache/ft
// is fine); only what is below it is confined.
//
// Directories made here get mode 0700 (the deployed client's mode; the
// umask applies on top), files get the mode their creator passes.
//
// Errors come back as -errno, not exceptions: a cache hit must not pay for
// them, and each caller words its own one-line message. The descriptor-level
// helpers below (link_open_file, open_unnamed_file, temp names) are the rest
// of the surface. The calls that change the file system go through an Env
// (env.hpp) when one is given, so power-loss tests can see them.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

struct stat;

namespace ft {

// An owned file descriptor (closed by the destructor).
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  ~UniqueFd() { reset(); }
  UniqueFd(UniqueFd&& other) noexcept : fd_(other.release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept {
    if (this != &other) reset(other.release());
    return *this;
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  explicit operator bool() const { return fd_ >= 0; }
  int release() {
    int fd = fd_;
    fd_ = -1;
    return fd;
  }
  void reset(int fd = -1);

 private:
  int fd_ = -1;
};

// Mode of every directory made below a ConfinedDir (and of the cache's own).
inline constexpr mode_t kPrivateDirectoryMode = 0700;

class Env;

class ConfinedDir {
 public:
  ConfinedDir() = default;

  // Opens `path` (resolved as usual), creating it and missing parents with
  // mode 0700 when `create`. Throws Error(Io) naming the path.
  // With `durable_env`, every directory made (here and below, by
  // subdirectory and open_directory) is made through it and made durable
  // (its parent is fsynced), so a file committed in it later survives a
  // power loss; without (lock files: nothing to keep) they are plain mkdirs.
  static ConfinedDir open(const std::filesystem::path& path, bool create, Env* durable_env = nullptr);

  // The directory `relative` below this one, as a ConfinedDir (created, with
  // missing parents, when `create`). Throws Error(Io); a symbolic link on the
  // way is reported as one (see symlink_message).
  ConfinedDir subdirectory(const std::string& relative, bool create) const;

  bool valid() const { return fd_ != nullptr; }
  int fd() const;
  const std::filesystem::path& path() const { return path_; }
  // path() / relative, for messages.
  std::string describe(std::string_view relative) const;

  // openat(fd(), relative, flags | O_CLOEXEC | O_NOFOLLOW, mode), confined:
  // no symbolic link anywhere on the way (ELOOP), nothing outside (EXDEV).
  // `relative` uses '/' separators; empty and "." components are skipped.
  // Returns the new descriptor, or -errno.
  int open_file(const std::string& relative, int flags, mode_t mode = 0) const;
  // The directory `relative` (an O_PATH descriptor; "" is this directory),
  // making missing components with mode 0700 when `create`. Returns the
  // descriptor, or -errno.
  int open_directory(const std::string& relative, bool create) const;

  // Calls `visit` for every entry below this directory, depth first, parents
  // before children, without following symbolic links (a link is reported,
  // never entered). `relative` is the entry's path from here; `st` its
  // lstat. A directory that cannot be read is reported to `unreadable` and
  // skipped. Returning false from `visit` for a directory skips its contents.
  using Visitor = std::function<bool(const std::string& relative, const struct stat& st)>;
  void walk(const Visitor& visit, const std::function<void(const std::string& relative, int err)>& unreadable = {}) const;

  // Removes the empty directories `relative`, its parent, and so on up to
  // (not including) this directory; stops quietly at the first that is not
  // empty or cannot be removed.
  void remove_empty_directories(std::string_view relative) const;

 private:
  ConfinedDir(std::shared_ptr<const UniqueFd> fd, std::filesystem::path path, Env* env)
      : fd_(std::move(fd)), path_(std::move(path)), env_(env) {}
  std::shared_ptr<const UniqueFd> fd_;
  std::filesystem::path path_;
  Env* env_ = nullptr;  // set: directories made are durable, made through it
};

// Whether an error from ConfinedDir means "a symbolic link was in the way".
bool is_symlink_error(int err);
// "<path>: a symbolic link in the cache (not followed; `filetracker cache
// clean` removes it)", one line naming what was opened.
std::string symlink_message(const std::string& path);

// "a/b/c" -> {"a/b", "c"}; "c" -> {"", "c"}.
std::pair<std::string, std::string> split_relative(std::string_view relative);

// Links the inode of the open descriptor `fd` (any file, also an O_PATH or an
// unnamed O_TMPFILE one) as `name` in `dirfd` (AT_FDCWD: relative to the
// working directory). Never follows a path to find the file, so it is
// exactly the inode the caller checked. Uses linkat(AT_EMPTY_PATH), else the
// /proc/self/fd link (for callers without CAP_DAC_READ_SEARCH). Returns 0 or
// -errno (EEXIST when `name` exists; ENOSYS when neither way is available).
int link_open_file(int fd, int dirfd, const char* name);

// An unnamed file (O_TMPFILE) in the directory `dirfd`, opened O_RDWR: it
// disappears with its descriptor unless linked in with link_open_file, so a
// writer killed at any moment leaves nothing behind. Returns the descriptor,
// or -errno when the file system (or the kernel) has no O_TMPFILE, or when
// such a file could never be linked in.
// The file is created through `env` (null: the real file system).
int open_unnamed_file(int dirfd, mode_t mode, Env* env = nullptr);
// For tests: false makes ConfinedDir walk one O_NOFOLLOW component at a time,
// as on a kernel without openat2.
void set_openat2_enabled(bool enabled);
// For tests: false makes open_unnamed_file fail (EOPNOTSUPP), as on a file
// system without O_TMPFILE, so the named-temp-file paths can be exercised.
void set_unnamed_files_enabled(bool enabled);

// ".<base>.tmp.<10 random characters>", the pattern of every named temporary
// file we make (see is_temp_name in atomic_file.hpp).
std::string temp_name_for(std::string_view base);

}  // namespace ft
