#include "fd_istream.hpp"

#include <unistd.h>

#include <cerrno>

namespace ft {

namespace {
constexpr std::size_t kBufferSize = 64 * 1024;
}

FdStreamBuf::FdStreamBuf(int fd) : fd_(fd), buffer_(new char[kBufferSize]) {
  setg(buffer_.get(), buffer_.get(), buffer_.get());
}

FdStreamBuf::~FdStreamBuf() {
  if (fd_ >= 0) ::close(fd_);
}

FdStreamBuf::int_type FdStreamBuf::underflow() {
  if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
  ssize_t n;
  do {
    n = ::read(fd_, buffer_.get(), kBufferSize);
  } while (n < 0 && errno == EINTR);
  // A read error ends the stream like EOF would; istream turns an exception
  // here into badbit, so throw to let readers tell the two apart.
  if (n < 0) throw std::ios_base::failure("read error");
  if (n == 0) return traits_type::eof();
  setg(buffer_.get(), buffer_.get(), buffer_.get() + n);
  return traits_type::to_int_type(*gptr());
}

}  // namespace ft
