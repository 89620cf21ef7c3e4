// The file-system calls of the durable write paths (AtomicFile, the local
// cache's writes, the server's blob store), behind one small interface in the
// manner of LevelDB's Env: the real POSIX calls in production, and in tests a
// fault-injecting Env (tests/support/fault_injection_env.hpp) that records
// what has been made durable and "loses power" at a chosen call, so a test
// can prove that every fsync is needed and sufficient.
//
// Only calls that change the file system or make a change durable go through
// an Env; reads (open for reading, fstat, pread, readdir) do not: they
// cannot be lost in a crash. Every call returns >= 0 on success (open_at: the
// new descriptor) and -errno on failure, never throws: each caller words its
// own one-line message. EINTR is retried inside.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <ctime>

namespace ft {

class Env {
 public:
  virtual ~Env() = default;

  // The real file system. Never deleted; safe from any thread.
  static Env* Default();

  // openat(dirfd, name, flags | O_CLOEXEC, mode). Also O_TMPFILE (`name` is
  // then the directory, usually ".").
  virtual int open_at(int dirfd, const char* name, int flags, mode_t mode) = 0;
  // One write(2): the number of bytes written (may be short), or -errno.
  virtual ssize_t write(int fd, const void* data, std::size_t size) = 0;
  // fsync(2): the file's data and metadata; for a directory, its entries.
  virtual int sync(int fd) = 0;
  // fdatasync(2): the file's data and what is needed to read it back (its
  // size), not its times.
  virtual int sync_data(int fd) = 0;
  // futimens(2).
  virtual int set_times(int fd, const struct timespec times[2]) = 0;
  // fchmod(2).
  virtual int set_mode(int fd, mode_t mode) = 0;
  // link_open_file (confined_dir.hpp): links the open file `fd` (also an
  // unnamed O_TMPFILE one) as `name` in `dirfd`.
  virtual int link_fd(int fd, int dirfd, const char* name) = 0;
  // renameat(2).
  virtual int rename_at(int from_dir, const char* from, int to_dir, const char* to) = 0;
  // unlinkat(2) (flags: 0 or AT_REMOVEDIR).
  virtual int unlink_at(int dirfd, const char* name, int flags) = 0;
  // mkdirat(2).
  virtual int make_directory_at(int dirfd, const char* name, mode_t mode) = 0;
};

}  // namespace ft
