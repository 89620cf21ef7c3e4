// The POSIX Env: each call is the system call itself (one virtual call on
// top, nothing else: writes happen in chunks of 64 KiB and more).
#include "filetracker/env.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "filetracker/confined_dir.hpp"

namespace ft {

namespace {

template <typename Call>
auto retry(Call call) {
  for (;;) {
    auto rc = call();
    if (rc >= 0) return rc;
    if (errno != EINTR) return static_cast<decltype(rc)>(-errno);
  }
}

class PosixEnv final : public Env {
 public:
  int open_at(int dirfd, const char* name, int flags, mode_t mode) override {
    return retry([&] { return ::openat(dirfd, name, flags | O_CLOEXEC, mode); });
  }
  ssize_t write(int fd, const void* data, std::size_t size) override {
    return retry([&] { return ::write(fd, data, size); });
  }
  int sync(int fd) override { return retry([&] { return ::fsync(fd); }); }
  int sync_data(int fd) override { return retry([&] { return ::fdatasync(fd); }); }
  int set_times(int fd, const struct timespec times[2]) override {
    return retry([&] { return ::futimens(fd, times); });
  }
  int set_mode(int fd, mode_t mode) override { return retry([&] { return ::fchmod(fd, mode); }); }
  int link_fd(int fd, int dirfd, const char* name) override { return link_open_file(fd, dirfd, name); }
  int rename_at(int from_dir, const char* from, int to_dir, const char* to) override {
    return retry([&] { return ::renameat(from_dir, from, to_dir, to); });
  }
  int unlink_at(int dirfd, const char* name, int flags) override {
    return retry([&] { return ::unlinkat(dirfd, name, flags); });
  }
  int make_directory_at(int dirfd, const char* name, mode_t mode) override {
    return retry([&] { return ::mkdirat(dirfd, name, mode); });
  }
};

}  // namespace

Env* Env::Default() {
  static PosixEnv* env = new PosixEnv;  // never deleted: usable during static destruction
  return env;
}

}  // namespace ft
