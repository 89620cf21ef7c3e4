#include "filetracker/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>
#include <vector>

#include "fd_io.hpp"
#include "filetracker/error.hpp"

namespace ft {

namespace {

void make_parent_directories(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw Error(ErrorCode::Io, dir.string() + ": cannot create directory: " + ec.message());
}

UniqueFd open_parent(const std::filesystem::path& destination) {
  auto dir = destination.parent_path();
  if (dir.empty()) dir = ".";
  make_parent_directories(dir);
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) throw_errno(dir.string() + ": cannot open directory");
  return UniqueFd(fd);
}

}  // namespace

AtomicFile::AtomicFile(std::filesystem::path destination, unsigned mode) : destination_(std::move(destination)) {
  dir_ = open_parent(destination_);
  base_ = destination_.filename().string();
  create_temp(mode);
}

AtomicFile::AtomicFile(int dirfd, std::string base, std::string display, unsigned mode)
    : destination_(std::move(display)), base_(std::move(base)) {
  int fd = ::fcntl(dirfd, F_DUPFD_CLOEXEC, 0);
  if (fd < 0) throw_errno(destination_.string() + ": cannot use its directory");
  dir_.reset(fd);
  create_temp(mode);
}

void AtomicFile::create_temp(unsigned mode) {
  int fd = open_unnamed_file(dir_.get(), static_cast<mode_t>(mode));
  if (fd >= 0) {
    fd_.reset(fd);
    return;
  }
  for (int attempt = 0; attempt < 16; ++attempt) {
    std::string name = temp_name_for(base_);
    fd = ::openat(dir_.get(), name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
    if (fd >= 0) {
      fd_.reset(fd);
      temp_name_ = std::move(name);
      temp_path_ = destination_.parent_path() / temp_name_;
      return;
    }
    if (errno != EEXIST) throw_errno(destination_.string() + ": cannot create a temporary file");
  }
  throw Error(ErrorCode::Io, destination_.string() + ": cannot create a unique temporary file");
}

AtomicFile::~AtomicFile() {
  if (!committed_) abort();
}

void AtomicFile::write(const void* data, std::size_t size) {
  if (!fd_) throw Error(ErrorCode::Io, destination_.string() + ": write after commit or abort");
  write_all(fd_.get(), std::string_view(static_cast<const char*>(data), size), destination_.string(), "write failed");
}

void AtomicFile::link_into_place() {
  if (!temp_name_.empty()) {
    if (::renameat(dir_.get(), temp_name_.c_str(), dir_.get(), base_.c_str()) != 0)
      throw_errno(destination_.string() + ": rename failed");
    temp_name_.clear();
    return;
  }
  int rc = link_open_file(fd_.get(), dir_.get(), base_.c_str());
  if (rc == 0) return;
  if (rc == -EEXIST) {
    // Replacing: the unnamed file gets a temp name for the moment of the
    // rename, which replaces the destination atomically.
    for (int attempt = 0; attempt < 16; ++attempt) {
      std::string name = temp_name_for(base_);
      rc = link_open_file(fd_.get(), dir_.get(), name.c_str());
      if (rc == -EEXIST) continue;
      if (rc != 0) break;
      if (::renameat(dir_.get(), name.c_str(), dir_.get(), base_.c_str()) != 0) {
        int err = errno;
        ::unlinkat(dir_.get(), name.c_str(), 0);
        throw_errno(destination_.string() + ": rename failed", err);
      }
      return;
    }
  }
  if (rc == -ENOSYS || rc == -EPERM || rc == -EOPNOTSUPP) {
    // The unnamed file cannot be linked here after all: copy it to a named
    // temp file and rename that (rare: kept for odd kernels and sandboxes).
    std::string name;
    UniqueFd named;
    for (int attempt = 0; attempt < 16 && !named; ++attempt) {
      name = temp_name_for(base_);
      int fd = ::openat(dir_.get(), name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
      if (fd >= 0) named.reset(fd);
      else if (errno != EEXIST) throw_errno(destination_.string() + ": cannot create a temporary file");
    }
    if (!named) throw Error(ErrorCode::Io, destination_.string() + ": cannot create a unique temporary file");
    temp_name_ = name;
    struct stat st {};
    if (::fstat(fd_.get(), &st) != 0) throw_errno(destination_.string() + ": cannot stat the temporary file");
    std::vector<char> buffer(1 << 16);
    for (off_t off = 0;;) {
      ssize_t n = ::pread(fd_.get(), buffer.data(), buffer.size(), off);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) throw_errno(destination_.string() + ": cannot read the temporary file");
      if (n == 0) break;
      write_all(named.get(), std::string_view(buffer.data(), static_cast<std::size_t>(n)), destination_.string(), "write failed");
      off += n;
    }
    struct timespec times[2] = {st.st_atim, st.st_mtim};
    if (::fchmod(named.get(), st.st_mode & 07777) != 0 || ::futimens(named.get(), times) != 0 ||
        ::fsync(named.get()) != 0)
      throw_errno(destination_.string() + ": cannot finish the temporary file");
    fd_ = std::move(named);
    link_into_place();
    return;
  }
  throw_errno(destination_.string() + ": cannot link the new file in", -rc);
}

void AtomicFile::commit(long long mtime) {
  CommitOptions options;
  options.mtime = mtime;
  commit(options);
}

void AtomicFile::commit(const CommitOptions& options) {
  if (!fd_) throw Error(ErrorCode::Io, destination_.string() + ": commit after commit or abort");
  if (options.durable && ::fsync(fd_.get()) != 0) throw_errno(destination_.string() + ": fsync failed");
  if (options.mtime >= 0) {
    struct timespec times[2];
    times[0].tv_sec = times[1].tv_sec = static_cast<time_t>(options.mtime);
    times[0].tv_nsec = times[1].tv_nsec = options.mtime_nsec;
    if (::futimens(fd_.get(), times) != 0) throw_errno(destination_.string() + ": cannot set the version (mtime)");
    // A file system clamps times it cannot hold (ext4: years 1901 to 2446)
    // without an error: a version read back from the mtime would be wrong.
    struct stat set {};
    if (::fstat(fd_.get(), &set) != 0) throw_errno(destination_.string() + ": cannot stat");
    if (set.st_mtim.tv_sec != times[0].tv_sec)
      throw Error(ErrorCode::InvalidArgument, destination_.string() + ": this file system cannot keep the version " +
                                                  std::to_string(options.mtime) + " as a file time (it stored " +
                                                  std::to_string(static_cast<long long>(set.st_mtim.tv_sec)) + ")");
  }
  link_into_place();
  committed_ = true;
  if (options.committed && ::fstat(fd_.get(), options.committed) != 0)
    throw_errno(destination_.string() + ": cannot stat");
  int fd = fd_.release();
  if (::close(fd) != 0 && errno != EINTR) throw_errno(destination_.string() + ": close failed");
  if (options.durable && ::fsync(dir_.get()) != 0)
    throw_errno(destination_.string() + ": fsync of its directory failed");
}

void AtomicFile::abort() noexcept {
  fd_.reset();
  if (!committed_ && !temp_name_.empty()) {
    ::unlinkat(dir_.get(), temp_name_.c_str(), 0);
    temp_name_.clear();
  }
}

bool is_temp_name(std::string_view file_name) {
  return file_name.size() > 1 && file_name.front() == '.' && file_name.find(".tmp.") != std::string_view::npos;
}

UniqueFd open_scratch_file() {
  std::error_code ec;
  std::filesystem::path dir = std::filesystem::temp_directory_path(ec);
  if (ec) dir = "/tmp";
  int fd = ::open(dir.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd >= 0) return UniqueFd(fd);
  std::string pattern = (dir / "filetracker-XXXXXX").string();
  fd = ::mkostemp(pattern.data(), O_CLOEXEC);
  if (fd < 0) throw_errno(pattern + ": cannot create a temporary file");
  ::unlink(pattern.c_str());
  return UniqueFd(fd);
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
