#include "fd_io.hpp"

#include <unistd.h>

#include <cerrno>
#include <string>

#include "filetracker/error.hpp"

namespace ft {

namespace {

[[noreturn]] void fail(std::string_view subject, std::string_view failure) {
  throw_errno(std::string(subject) + ": " + std::string(failure));
}

}  // namespace

std::size_t read_some(int fd, char* buffer, std::size_t size, std::string_view subject, std::string_view failure) {
  for (;;) {
    ssize_t n = ::read(fd, buffer, size);
    if (n >= 0) return static_cast<std::size_t>(n);
    if (errno != EINTR) fail(subject, failure);
  }
}

void write_all(int fd, std::string_view data, std::string_view subject, std::string_view failure) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      fail(subject, failure);
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
}

}  // namespace ft
