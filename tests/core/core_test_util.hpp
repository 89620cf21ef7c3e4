// Small helpers shared by the core tests: scratch directories, files, mtimes,
// and forked child processes talking over pipes.
#pragma once

#include <QTemporaryDir>
#include <QtTest>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <sstream>
#include <string>

#include "filetracker/error.hpp"

namespace test {

namespace fs = std::filesystem;

// A fresh scratch directory, under $FILETRACKER_TEST_TMP when set (so tests
// stay on the build's file system), removed at the end.
inline std::unique_ptr<QTemporaryDir> scratch_dir() {
  QString base = qEnvironmentVariable("FILETRACKER_TEST_TMP");
  if (!base.isEmpty()) {
    std::error_code ec;
    fs::create_directories(base.toStdString(), ec);
    return std::make_unique<QTemporaryDir>(base + "/core-XXXXXX");
  }
  return std::make_unique<QTemporaryDir>();
}

inline fs::path path_of(const QTemporaryDir& dir) { return fs::path(dir.path().toStdString()); }

inline void write_file(const fs::path& path, const std::string& content) {
  fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
}

inline std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline long long mtime_of(const fs::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return -1;
  return st.st_mtime;
}

inline ino_t inode_of(const fs::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return 0;
  return st.st_ino;
}

inline void touch(const fs::path& path, long long mtime) {
  struct timespec t[2];
  t[0].tv_sec = t[1].tv_sec = static_cast<time_t>(mtime);
  t[0].tv_nsec = t[1].tv_nsec = 0;
  ::utimensat(AT_FDCWD, path.c_str(), t, 0);
}

// Runs fn and returns the ft::Error it throws (nullopt when it throws none).
template <typename Fn>
std::optional<ft::Error> error_of(Fn&& fn) {
  try {
    fn();
  } catch (const ft::Error& e) {
    return e;
  }
  return std::nullopt;
}

// A forked child process with a pipe each way. The child runs `body(in, out)`
// and exits with _exit (never returning into the test framework); exit status
// 0 on success, 1 when body threw.
class Child {
 public:
  explicit Child(const std::function<void(int in, int out)>& body) {
    int down[2], up[2];
    if (::pipe(down) != 0 || ::pipe(up) != 0) qFatal("pipe failed");
    pid_ = ::fork();
    if (pid_ < 0) qFatal("fork failed");
    if (pid_ == 0) {
      ::close(down[1]);
      ::close(up[0]);
      int status = 0;
      try {
        body(down[0], up[1]);
      } catch (...) {
        status = 1;
      }
      ::_exit(status);
    }
    ::close(down[0]);
    ::close(up[1]);
    to_child_ = down[1];
    from_child_ = up[0];
  }
  ~Child() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      wait();
    }
    if (to_child_ >= 0) ::close(to_child_);
    if (from_child_ >= 0) ::close(from_child_);
  }
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  void send(char c) const {
    if (::write(to_child_, &c, 1) != 1) qWarning("cannot write to the child");
  }
  // The next byte from the child, or nullopt after `timeout_ms`.
  std::optional<char> receive(int timeout_ms) const {
    pollfd p{from_child_, POLLIN, 0};
    if (::poll(&p, 1, timeout_ms) <= 0) return std::nullopt;
    char c;
    if (::read(from_child_, &c, 1) != 1) return std::nullopt;
    return c;
  }
  void kill9() const { ::kill(pid_, SIGKILL); }
  pid_t pid() const { return pid_; }
  // Waits for the child; returns its exit status (-1 when killed by a signal).
  int wait() {
    if (pid_ <= 0) return exit_status_;
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    pid_ = -1;
    exit_status_ = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return exit_status_;
  }

  // Child-side helpers.
  static void put(int fd, char c) {
    if (::write(fd, &c, 1) != 1) ::_exit(3);
  }
  static char get(int fd) {
    char c = 0;
    if (::read(fd, &c, 1) != 1) ::_exit(4);
    return c;
  }

 private:
  pid_t pid_ = -1;
  int to_child_ = -1;
  int from_child_ = -1;
  int exit_status_ = -1;
};

}  // namespace test
