#include "filetracker/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>
#include <vector>

#include "filetracker/error.hpp"

namespace ft {

namespace {

UniqueFd open_parent(const std::filesystem::path& destination, Env* env) {
  auto dir = destination.parent_path();
  if (dir.empty()) dir = ".";
  make_directories_durable(dir, env);
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) throw_errno(dir.string() + ": cannot open directory");
  return UniqueFd(fd);
}

// Writes all of `data` through `env`.
void write_all_through(Env* env, int fd, std::string_view data, const std::filesystem::path& subject) {
  while (!data.empty()) {
    const ssize_t n = env->write(fd, data.data(), data.size());
    if (n < 0) throw_errno(subject.string() + ": write failed", static_cast<int>(-n));
    data.remove_prefix(static_cast<std::size_t>(n));
  }
}

}  // namespace

AtomicFile::AtomicFile(std::filesystem::path destination, unsigned mode, Env* env)
    : env_(env), destination_(std::move(destination)) {
  dir_ = open_parent(destination_, env_);
  base_ = destination_.filename().string();
  create_temp(mode);
}

AtomicFile::AtomicFile(int dirfd, std::string base, std::string display, unsigned mode, Env* env)
    : env_(env), destination_(std::move(display)), base_(std::move(base)) {
  int fd = ::fcntl(dirfd, F_DUPFD_CLOEXEC, 0);
  if (fd < 0) throw_errno(destination_.string() + ": cannot use its directory");
  dir_.reset(fd);
  create_temp(mode);
}

void AtomicFile::create_temp(unsigned mode) {
  int fd = open_unnamed_file(dir_.get(), static_cast<mode_t>(mode), env_);
  if (fd >= 0) {
    fd_.reset(fd);
    return;
  }
  for (int attempt = 0; attempt < 16; ++attempt) {
    std::string name = temp_name_for(base_);
    fd = env_->open_at(dir_.get(), name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, mode);
    if (fd >= 0) {
      fd_.reset(fd);
      temp_name_ = std::move(name);
      temp_path_ = destination_.parent_path() / temp_name_;
      return;
    }
    if (fd != -EEXIST) throw_errno(destination_.string() + ": cannot create a temporary file", -fd);
  }
  throw Error(ErrorCode::Io, destination_.string() + ": cannot create a unique temporary file");
}

AtomicFile::~AtomicFile() {
  if (!committed_) abort();
}

void AtomicFile::write(const void* data, std::size_t size) {
  if (!fd_) throw Error(ErrorCode::Io, destination_.string() + ": write after commit or abort");
  write_all_through(env_, fd_.get(), std::string_view(static_cast<const char*>(data), size), destination_);
}

void AtomicFile::link_into_place() {
  if (!temp_name_.empty()) {
    if (int rc = env_->rename_at(dir_.get(), temp_name_.c_str(), dir_.get(), base_.c_str()); rc != 0)
      throw_errno(destination_.string() + ": rename failed", -rc);
    temp_name_.clear();
    return;
  }
  int rc = env_->link_fd(fd_.get(), dir_.get(), base_.c_str());
  if (rc == 0) return;
  if (rc == -EEXIST) {
    // Replacing: the unnamed file gets a temp name for the moment of the
    // rename, which replaces the destination atomically.
    for (int attempt = 0; attempt < 16; ++attempt) {
      std::string name = temp_name_for(base_);
      rc = env_->link_fd(fd_.get(), dir_.get(), name.c_str());
      if (rc == -EEXIST) continue;
      if (rc != 0) break;
      if (int err = env_->rename_at(dir_.get(), name.c_str(), dir_.get(), base_.c_str()); err != 0) {
        env_->unlink_at(dir_.get(), name.c_str(), 0);
        throw_errno(destination_.string() + ": rename failed", -err);
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
      int fd = env_->open_at(dir_.get(), name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0600);
      if (fd >= 0) named.reset(fd);
      else if (fd != -EEXIST) throw_errno(destination_.string() + ": cannot create a temporary file", -fd);
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
      write_all_through(env_, named.get(), std::string_view(buffer.data(), static_cast<std::size_t>(n)), destination_);
      off += n;
    }
    struct timespec times[2] = {st.st_atim, st.st_mtim};
    int rc2 = env_->set_mode(named.get(), st.st_mode & 07777);
    if (rc2 == 0) rc2 = env_->set_times(named.get(), times);
    if (rc2 == 0) rc2 = env_->sync(named.get());
    if (rc2 != 0) throw_errno(destination_.string() + ": cannot finish the temporary file", -rc2);
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
  // The times first: the fsync below is what makes them durable too (the
  // local cache's version is the mtime; set after the fsync, a power loss
  // could leave the content under the real name with the time of the write).
  if (options.mtime >= 0) {
    struct timespec times[2];
    times[0].tv_sec = times[1].tv_sec = static_cast<time_t>(options.mtime);
    times[0].tv_nsec = times[1].tv_nsec = options.mtime_nsec;
    if (int rc = env_->set_times(fd_.get(), times); rc != 0)
      throw_errno(destination_.string() + ": cannot set the version (mtime)", -rc);
    // A file system clamps times it cannot hold (ext4: years 1901 to 2446)
    // without an error: a version read back from the mtime would be wrong.
    struct stat set {};
    if (::fstat(fd_.get(), &set) != 0) throw_errno(destination_.string() + ": cannot stat");
    if (set.st_mtim.tv_sec != times[0].tv_sec)
      throw Error(ErrorCode::InvalidArgument, destination_.string() + ": this file system cannot keep the version " +
                                                  std::to_string(options.mtime) + " as a file time (it stored " +
                                                  std::to_string(static_cast<long long>(set.st_mtim.tv_sec)) + ")");
  }
  if (options.durable) {
    if (int rc = env_->sync(fd_.get()); rc != 0) throw_errno(destination_.string() + ": fsync failed", -rc);
  }
  link_into_place();
  committed_ = true;
  if (options.committed && ::fstat(fd_.get(), options.committed) != 0)
    throw_errno(destination_.string() + ": cannot stat");
  int fd = fd_.release();
  if (::close(fd) != 0 && errno != EINTR) throw_errno(destination_.string() + ": close failed");
  if (options.durable) {
    if (int rc = env_->sync(dir_.get()); rc != 0)
      throw_errno(destination_.string() + ": fsync of its directory failed", -rc);
  }
}

void AtomicFile::abort() noexcept {
  fd_.reset();
  if (!committed_ && !temp_name_.empty()) {
    env_->unlink_at(dir_.get(), temp_name_.c_str(), 0);
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

void fsync_directory(const std::filesystem::path& dir, Env* env) {
  UniqueFd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd) throw_errno(dir.string() + ": cannot open directory");
  if (int rc = env->sync(fd.get()); rc != 0) throw_errno(dir.string() + ": fsync failed", -rc);
}

void make_directories_durable(const std::filesystem::path& dir, Env* env) {
  // The missing ones, innermost first.
  std::vector<std::filesystem::path> missing;
  std::error_code ec;
  for (std::filesystem::path p = dir; !p.empty(); p = p.parent_path()) {
    if (std::filesystem::is_directory(p, ec)) break;
    missing.push_back(p);
    if (p == p.parent_path()) break;
  }
  for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
    const int rc = env->make_directory_at(AT_FDCWD, it->c_str(), 0777);
    if (rc == -EEXIST) continue;  // made meanwhile by someone else, who makes it durable
    if (rc != 0) throw_errno(it->string() + ": cannot create directory", -rc);
    std::filesystem::path parent = it->parent_path();
    fsync_directory(parent.empty() ? std::filesystem::path(".") : parent, env);
  }
}

}  // namespace ft
