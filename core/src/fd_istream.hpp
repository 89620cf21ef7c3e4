// A std::istream reading from an owned POSIX file descriptor.
//
// The local cache opens a file, fstat()s the descriptor to learn the version
// of exactly the content it is about to serve, then hands the descriptor to
// the caller as a stream; std::ifstream cannot be built from a descriptor.
#pragma once

#include <istream>
#include <memory>
#include <streambuf>

namespace ft {

class FdStreamBuf : public std::streambuf {
 public:
  // Takes ownership of `fd` (closed by the destructor).
  explicit FdStreamBuf(int fd);
  ~FdStreamBuf() override;
  FdStreamBuf(const FdStreamBuf&) = delete;
  FdStreamBuf& operator=(const FdStreamBuf&) = delete;

 protected:
  int_type underflow() override;

 private:
  int fd_;
  std::unique_ptr<char[]> buffer_;
};

class FdIstream : public std::istream {
 public:
  explicit FdIstream(int fd) : std::istream(nullptr), buf_(fd) { rdbuf(&buf_); }

 private:
  FdStreamBuf buf_;
};

}  // namespace ft
