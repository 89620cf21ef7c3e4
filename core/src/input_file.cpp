#include "input_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "fd_io.hpp"
#include "filetracker/error.hpp"

namespace ft {

InputFile::InputFile(const std::filesystem::path& path) : path_(path) {
  fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) throw_errno(path.string());
  struct stat st {};
  // The destructor does not run for a constructor that throws: close here.
  if (::fstat(fd_, &st) != 0) {
    int err = errno;
    ::close(fd_);
    throw_errno(path.string(), err);
  }
  if (S_ISDIR(st.st_mode)) {
    ::close(fd_);
    throw Error(ErrorCode::Io, path.string() + ": is a directory");
  }
}

InputFile::InputFile(int fd, std::filesystem::path label) : path_(std::move(label)), fd_(fd) {}

InputFile::~InputFile() {
  if (fd_ >= 0) ::close(fd_);
}

std::size_t InputFile::read(char* buffer, std::size_t size) {
  return read_some(fd_, buffer, size, path_.native(), "read failed");
}

void InputFile::rewind() {
  if (::lseek(fd_, 0, SEEK_SET) != 0) throw_errno(path_.string() + ": cannot seek");
}

}  // namespace ft
