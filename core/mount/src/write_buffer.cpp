#include "filetracker/mount/write_buffer.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "filetracker/error.hpp"

namespace ft::mount {

namespace {

int open_rw(const std::filesystem::path& path, int extra) {
  int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC | O_NOFOLLOW | extra, 0600);
  if (fd < 0) throw_errno(path.string() + ": cannot open the temporary file");
  return fd;
}

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

}  // namespace

void copy_file_content(const std::filesystem::path& from, const std::filesystem::path& to) {
  Fd in(::open(from.c_str(), O_RDONLY | O_CLOEXEC));
  if (in.get() < 0) throw_errno(from.string() + ": cannot open");
  Fd out(::open(to.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600));
  if (out.get() < 0) throw_errno(to.string() + ": cannot create");
  bool plain_copy = false;
  for (;;) {
    ssize_t n = 0;
    if (!plain_copy) {
      n = ::copy_file_range(in.get(), nullptr, out.get(), nullptr, 1u << 30, 0);
      if (n < 0 && (errno == EXDEV || errno == ENOSYS || errno == EINVAL || errno == EOPNOTSUPP)) {
        plain_copy = true;
        continue;
      }
    } else {
      char buffer[1 << 16];
      n = ::read(in.get(), buffer, sizeof buffer);
      for (ssize_t done = 0; n > 0 && done < n;) {
        ssize_t w = ::write(out.get(), buffer + done, static_cast<std::size_t>(n - done));
        if (w < 0 && errno == EINTR) continue;
        if (w < 0) throw_errno(to.string() + ": cannot write");
        done += w;
      }
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw_errno(from.string() + ": cannot copy to " + to.string());
    if (n == 0) break;
  }
}

WriteBuffer::WriteBuffer(PrivateTempDir& temp) : temp_(temp), path_(temp.unique_path("write")) {
  fd_ = open_rw(path_, O_CREAT | O_EXCL);
}

WriteBuffer::WriteBuffer(PrivateTempDir& temp, std::filesystem::path file) : temp_(temp), path_(std::move(file)) {
  fd_ = open_rw(path_, 0);
}

WriteBuffer::~WriteBuffer() {
  if (fd_ >= 0) ::close(fd_);
  ::unlink(path_.c_str());
}

std::uint64_t WriteBuffer::size() const {
  struct stat st {};
  if (::fstat(fd_, &st) != 0) throw_errno(path_.string() + ": cannot stat the temporary file");
  return static_cast<std::uint64_t>(st.st_size);
}

std::size_t WriteBuffer::read(char* buffer, std::size_t size, std::uint64_t offset) const {
  std::size_t done = 0;
  while (done < size) {
    ssize_t n = ::pread(fd_, buffer + done, size - done, static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw_errno(path_.string() + ": cannot read the temporary file");
    if (n == 0) break;
    done += static_cast<std::size_t>(n);
  }
  return done;
}

void WriteBuffer::unshare() {
  if (!shared_) return;
  std::filesystem::path copy = temp_.unique_path("write");
  copy_file_content(path_, copy);
  int fd = -1;
  try {
    fd = open_rw(copy, 0);
  } catch (...) {
    ::unlink(copy.c_str());
    throw;
  }
  ::close(fd_);
  ::unlink(path_.c_str());  // the cache keeps its link, if it took one
  fd_ = fd;
  path_ = std::move(copy);
  shared_ = false;
}

std::size_t WriteBuffer::write(const char* data, std::size_t size, std::uint64_t offset, bool append) {
  unshare();
  if (append) offset = this->size();
  std::size_t done = 0;
  while (done < size) {
    ssize_t n = ::pwrite(fd_, data + done, size - done, static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw_errno(path_.string() + ": cannot write the temporary file");
    done += static_cast<std::size_t>(n);
  }
  dirty_ = true;
  return done;
}

void WriteBuffer::truncate(std::uint64_t size) {
  unshare();
  if (::ftruncate(fd_, static_cast<off_t>(size)) != 0) throw_errno(path_.string() + ": cannot truncate the temporary file");
  dirty_ = true;
}

void WriteBuffer::sync() {
  if (::fsync(fd_) != 0) throw_errno(path_.string() + ": cannot fsync the temporary file");
}

}  // namespace ft::mount
