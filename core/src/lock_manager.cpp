#include "filetracker/lock_manager.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <ctime>
#include <string>
#include <mutex>
#include <system_error>

#include "filetracker/error.hpp"
#include "filetracker/name.hpp"

namespace ft {

namespace {

// A lock file's mtime is refreshed when it is older than this, so that a
// clean-up script can remove lock files nobody used for a long time (the
// seed touches it on every use; once a minute is enough and saves a metadata
// write on the hot path).
constexpr time_t kTouchInterval = 60;

// How often a lock is re-opened when its file keeps being deleted under us
// before we give up (only reachable under a pathological delete storm).
constexpr int kMaxReopen = 1000;

void flock_retrying(int fd, int op, const std::string& what) {
  while (::flock(fd, op) != 0) {
    if (errno != EINTR) throw_errno(what);
  }
}

// Removes empty directories from `dir` upwards, stopping at `root` (which is
// kept). Errors end the walk quietly: a directory still in use is not ours to
// remove.
void remove_empty_dirs(std::filesystem::path dir, const std::filesystem::path& root) {
  while (dir != root && dir.native().size() > root.native().size()) {
    if (::rmdir(dir.c_str()) != 0) return;
    dir = dir.parent_path();
  }
}

}  // namespace

// State shared by the manager and its locks, so a lock stays valid even if it
// outlives its manager.
struct detail::TreeLock {
  std::filesystem::path dir;
  int fd = -1;
  // flock() excludes other open files, not other threads using the same
  // descriptor: threads of this process are serialised by the mutex.
  std::mutex mutex;
  ~TreeLock() {
    if (fd >= 0) ::close(fd);
  }
};

class FlockLockManager::FlockLock : public Lock {
 public:
  FlockLock(std::shared_ptr<detail::TreeLock> tree, std::filesystem::path path, std::string name)
      : tree_(std::move(tree)), path_(std::move(path)), name_(std::move(name)) {
    fd_ = open_lock_file();
  }
  ~FlockLock() override { close_quietly(); }

  void lock_shared() override { acquire(LOCK_SH); }
  void lock_exclusive() override { acquire(LOCK_EX); }
  bool try_lock_exclusive() override { return acquire(LOCK_EX | LOCK_NB); }
  void unlock() override {
    if (fd_ >= 0) flock_retrying(fd_, LOCK_UN, name_ + ": cannot unlock " + path_.string());
  }

  void close(bool delete_lock_file) override {
    if (fd_ < 0) return;
    if (delete_lock_file) {
      // Under the tree lock, so nobody creates a lock file in a directory we
      // are about to remove. Failures are harmless: the file stays.
      std::lock_guard threads(tree_->mutex);
      if (::flock(tree_->fd, LOCK_EX) == 0) {
        if (::unlink(path_.c_str()) == 0) remove_empty_dirs(path_.parent_path(), tree_->dir);
        ::flock(tree_->fd, LOCK_UN);
      }
    }
    ::close(fd_);
    fd_ = -1;
  }

 private:
  void close_quietly() noexcept {
    if (fd_ >= 0) {
      ::close(fd_);
      fd_ = -1;
    }
  }

  int open_lock_file() {
    const int flags = O_WRONLY | O_CREAT | O_CLOEXEC;
    // Fast path: the lock file exists (the common case for a hot name). Opening
    // without O_CREAT lets the kernel skip the exclusive lock of the directory
    // that O_CREAT takes. No tree lock is needed: a concurrent deleter may
    // unlink the file right after we open it; acquire() notices that
    // (st_nlink == 0) and re-opens.
    int fd = ::open(path_.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd >= 0) return fd;
    if (errno != ENOENT) throw_errno(name_ + ": cannot open lock file " + path_.string());
    // Then: the directory exists, the file does not.
    fd = ::open(path_.c_str(), flags, 0600);
    if (fd >= 0) return fd;
    if (errno != ENOENT) throw_errno(name_ + ": cannot open lock file " + path_.string());

    // The directory is missing: create it under the tree lock, because a
    // deleter removes empty directories under that same lock.
    std::lock_guard threads(tree_->mutex);
    flock_retrying(tree_->fd, LOCK_EX, "cannot lock " + (tree_->dir / "tree.lock").string());
    std::error_code ec;
    std::filesystem::create_directories(path_.parent_path(), ec);
    fd = ::open(path_.c_str(), flags, 0600);
    const int saved = errno;
    ::flock(tree_->fd, LOCK_UN);
    if (fd < 0) throw_errno(name_ + ": cannot open lock file " + path_.string(), saved);
    return fd;
  }

  bool acquire(int op) {
    if (fd_ < 0) throw Error(ErrorCode::InvalidArgument, name_ + ": lock used after close()");
    for (int attempt = 0; attempt < kMaxReopen; ++attempt) {
      while (::flock(fd_, op) != 0) {
        if (errno == EWOULDBLOCK && (op & LOCK_NB)) return false;
        if (errno != EINTR) throw_errno(name_ + ": cannot lock " + path_.string());
      }
      struct stat st {};
      if (::fstat(fd_, &st) != 0) throw_errno(name_ + ": cannot stat lock file " + path_.string());
      if (st.st_nlink > 0) {
        if (st.st_mtime + kTouchInterval < ::time(nullptr)) ::futimens(fd_, nullptr);
        return true;
      }
      // Someone deleted the lock file while we waited for it: the lock we hold
      // is on an orphaned inode and excludes nobody. Start over on the new file.
      close_quietly();
      fd_ = open_lock_file();
    }
    throw Error(ErrorCode::Io, name_ + ": lock file " + path_.string() + " keeps disappearing");
  }

  std::shared_ptr<detail::TreeLock> tree_;
  std::filesystem::path path_;
  std::string name_;
  int fd_ = -1;
};

FlockLockManager::FlockLockManager(std::filesystem::path locks_dir) : dir_(std::move(locks_dir)) {
  std::error_code ec;
  std::filesystem::create_directories(dir_, ec);
  if (ec) {
    throw Error(ErrorCode::Io, "cannot create locks directory " + dir_.string() + ": " + ec.message());
  }
  shared_ = std::make_shared<detail::TreeLock>();
  shared_->dir = dir_;
  const auto tree = dir_ / "tree.lock";
  shared_->fd = ::open(tree.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
  if (shared_->fd < 0) throw_errno("cannot open " + tree.string());
  tree_lock_fd_ = shared_->fd;
}

FlockLockManager::~FlockLockManager() = default;  // shared_ closes the tree lock

std::unique_ptr<Lock> FlockLockManager::lock_for(std::string_view name) {
  SplitName split = parse_name(name);
  // dir + name, as the seed does: "/a/b" lives at <dir>/a/b.
  std::filesystem::path path = dir_.native() + split.name;
  return std::make_unique<FlockLock>(shared_, std::move(path), std::move(split.name));
}

namespace {
class NoOpLock : public Lock {
 public:
  void lock_shared() override {}
  void lock_exclusive() override {}
  bool try_lock_exclusive() override { return true; }
  void unlock() override {}
  void close(bool) override {}
};
}  // namespace

std::unique_ptr<Lock> NoOpLockManager::lock_for(std::string_view name) {
  check_name(name);
  return std::make_unique<NoOpLock>();
}

}  // namespace ft
