#include "filetracker/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <random>
#include <system_error>

#include "fd_io.hpp"
#include "filetracker/error.hpp"

namespace ft {

namespace {

std::string random_suffix() {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::string out(10, ' ');
  for (auto& c : out) c = kAlphabet[rng() % 36];
  return out;
}

void make_parent_directories(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw Error(ErrorCode::Io, dir.string() + ": cannot create directory: " + ec.message());
}

}  // namespace

AtomicFile::AtomicFile(std::filesystem::path destination, unsigned mode) : destination_(std::move(destination)) {
  auto dir = destination_.parent_path();
  if (dir.empty()) dir = ".";
  make_parent_directories(dir);
  for (int attempt = 0; attempt < 16; ++attempt) {
    temp_ = dir / ("." + destination_.filename().string() + ".tmp." + random_suffix());
    fd_ = ::open(temp_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd_ >= 0) return;
    if (errno != EEXIST) throw_errno(temp_.string() + ": cannot create temporary file");
  }
  throw Error(ErrorCode::Io, temp_.string() + ": cannot create a unique temporary file");
}

AtomicFile::~AtomicFile() {
  if (!committed_) abort();
}

void AtomicFile::write(const void* data, std::size_t size) {
  if (fd_ < 0) throw Error(ErrorCode::Io, destination_.string() + ": write after commit or abort");
  write_all(fd_, std::string_view(static_cast<const char*>(data), size), temp_.native(), "write failed");
}

void AtomicFile::commit(long long mtime) {
  if (fd_ < 0) throw Error(ErrorCode::Io, destination_.string() + ": commit after commit or abort");
  if (::fsync(fd_) != 0) throw_errno(temp_.string() + ": fsync failed");
  if (mtime >= 0) {
    struct timespec times[2];
    times[0].tv_sec = times[1].tv_sec = static_cast<time_t>(mtime);
    times[0].tv_nsec = times[1].tv_nsec = 0;
    if (::futimens(fd_, times) != 0) throw_errno(temp_.string() + ": cannot set the version (mtime)");
  }
  if (::close(fd_) != 0) {
    fd_ = -1;
    throw_errno(temp_.string() + ": close failed");
  }
  fd_ = -1;
  if (::rename(temp_.c_str(), destination_.c_str()) != 0) throw_errno(destination_.string() + ": rename failed");
  committed_ = true;
  auto dir = destination_.parent_path();
  fsync_directory(dir.empty() ? std::filesystem::path(".") : dir);
}

void AtomicFile::abort() noexcept {
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
  }
  if (!committed_ && !temp_.empty()) {
    ::unlink(temp_.c_str());
    temp_.clear();
  }
}

bool is_temp_name(std::string_view file_name) {
  return file_name.size() > 1 && file_name.front() == '.' && file_name.find(".tmp.") != std::string_view::npos;
}

void set_mtime(const std::filesystem::path& path, long long unix_seconds) {
  struct timespec times[2];
  times[0].tv_sec = times[1].tv_sec = static_cast<time_t>(unix_seconds);
  times[0].tv_nsec = times[1].tv_nsec = 0;
  if (::utimensat(AT_FDCWD, path.c_str(), times, 0) != 0) throw_errno(path.string() + ": cannot set mtime");
}

void fsync_directory(const std::filesystem::path& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) throw_errno(dir.string() + ": cannot open directory");
  int rc = ::fsync(fd);
  int err = errno;
  ::close(fd);
  if (rc != 0) throw_errno(dir.string() + ": fsync failed", err);
}

}  // namespace ft
