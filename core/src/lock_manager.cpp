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

#include "filetracker/confined_dir.hpp"
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

// The deployed client's mode for lock files (the umask applies on top).
constexpr mode_t kLockFileMode = 0600;

void flock_retrying(int fd, int op, const std::string& what) {
  while (::flock(fd, op) != 0) {
    if (errno != EINTR) throw_errno(what);
  }
}

}  // namespace

// State shared by the manager and its locks, so a lock stays valid even if it
// outlives its manager.
struct detail::TreeLock {
  ConfinedDir root;  // the locks directory: every lock file is opened below it, confined
  int fd = -1;
  // flock() excludes other open files, not other threads using the same
  // descriptor: threads of this process are serialised by the mutex.
  std::mutex mutex;
  ~TreeLock() {
    if (fd >= 0) ::close(fd);
  }
};

namespace {

[[noreturn]] void throw_lock_open_error(const std::string& name, const std::string& path, int err) {
  if (is_symlink_error(err)) throw Error(ErrorCode::Io, name + ": cannot lock: " + symlink_message(path));
  throw_errno(name + ": cannot open lock file " + path, err);
}

}  // namespace

class FlockLockManager::FlockLock : public Lock {
 public:
  FlockLock(std::shared_ptr<detail::TreeLock> tree, std::string relative, std::string name)
      : tree_(std::move(tree)), relative_(std::move(relative)), name_(std::move(name)) {
    path_ = tree_->root.describe(relative_);
    fd_ = open_lock_file();
  }
  ~FlockLock() override { close_quietly(); }

  void lock_shared() override { acquire(LOCK_SH); }
  void lock_exclusive() override { acquire(LOCK_EX); }
  bool try_lock_exclusive() override { return acquire(LOCK_EX | LOCK_NB); }
  void unlock() override {
    if (fd_ >= 0) flock_retrying(fd_, LOCK_UN, name_ + ": cannot unlock " + path_);
  }

  void close(bool delete_lock_file) override {
    if (fd_ < 0) return;
    if (delete_lock_file) {
      // Under the tree lock, so nobody creates a lock file in a directory we
      // are about to remove. Failures are harmless: the file stays.
      std::lock_guard threads(tree_->mutex);
      if (::flock(tree_->fd, LOCK_EX) == 0) {
        auto [parent, base] = split_relative(relative_);
        UniqueFd dir(tree_->root.open_directory(std::string(parent), false));
        if (dir && ::unlinkat(dir.get(), std::string(base).c_str(), 0) == 0) tree_->root.remove_empty_directories(parent);
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
    // Fast path: the lock file exists (the common case for a hot name). Opening
    // without O_CREAT lets the kernel skip the exclusive lock of the directory
    // that O_CREAT takes. No tree lock is needed: a concurrent deleter may
    // unlink the file right after we open it; acquire() notices that
    // (st_nlink == 0) and re-opens. Confined: a symbolic link planted in the
    // locks directory is refused, never followed (as root, following one
    // would create or truncate a file anywhere).
    int fd = tree_->root.open_file(relative_, O_RDONLY);
    if (fd >= 0) return fd;
    if (fd != -ENOENT) throw_lock_open_error(name_, path_, -fd);
    // Then: the directory exists, the file does not.
    fd = tree_->root.open_file(relative_, O_RDONLY | O_CREAT, kLockFileMode);
    if (fd >= 0) return fd;
    if (fd != -ENOENT) throw_lock_open_error(name_, path_, -fd);

    // The directory is missing: create it under the tree lock, because a
    // deleter removes empty directories under that same lock.
    std::lock_guard threads(tree_->mutex);
    flock_retrying(tree_->fd, LOCK_EX, "cannot lock " + tree_->root.describe("tree.lock"));
    UniqueFd dir(tree_->root.open_directory(std::string(split_relative(relative_).first), true));
    fd = dir ? tree_->root.open_file(relative_, O_RDONLY | O_CREAT, kLockFileMode) : dir.release();
    ::flock(tree_->fd, LOCK_UN);
    if (fd < 0) throw_lock_open_error(name_, path_, -fd);
    return fd;
  }

  bool acquire(int op) {
    if (fd_ < 0) throw Error(ErrorCode::InvalidArgument, name_ + ": lock used after close()");
    for (int attempt = 0; attempt < kMaxReopen; ++attempt) {
      while (::flock(fd_, op) != 0) {
        if (errno == EWOULDBLOCK && (op & LOCK_NB)) return false;
        if (errno != EINTR) throw_errno(name_ + ": cannot lock " + path_);
      }
      struct stat st {};
      if (::fstat(fd_, &st) != 0) throw_errno(name_ + ": cannot stat lock file " + path_);
      if (st.st_nlink > 0) {
        if (st.st_mtime + kTouchInterval < ::time(nullptr)) ::futimens(fd_, nullptr);
        return true;
      }
      // Someone deleted the lock file while we waited for it: the lock we hold
      // is on an orphaned inode and excludes nobody. Start over on the new file.
      close_quietly();
      fd_ = open_lock_file();
    }
    throw Error(ErrorCode::Io, name_ + ": lock file " + path_ + " keeps disappearing");
  }

  std::shared_ptr<detail::TreeLock> tree_;
  std::string relative_;  // below the locks directory
  std::string path_;      // for messages
  std::string name_;
  int fd_ = -1;
};

FlockLockManager::FlockLockManager(std::filesystem::path locks_dir) : dir_(std::move(locks_dir)) {
  shared_ = std::make_shared<detail::TreeLock>();
  try {
    shared_->root = ConfinedDir::open(dir_, true);
  } catch (const Error& e) {
    throw Error(ErrorCode::Io, std::string("cannot create locks directory: ") + e.what());
  }
  shared_->fd = shared_->root.open_file("tree.lock", O_WRONLY | O_CREAT, kLockFileMode);
  if (shared_->fd < 0) {
    const int err = -shared_->fd;
    shared_->fd = -1;
    if (is_symlink_error(err)) throw Error(ErrorCode::Io, symlink_message(shared_->root.describe("tree.lock")));
    throw_errno("cannot open " + shared_->root.describe("tree.lock"), err);
  }
  tree_lock_fd_ = shared_->fd;
}

FlockLockManager::~FlockLockManager() = default;  // shared_ closes the tree lock

std::unique_ptr<Lock> FlockLockManager::lock_for(std::string_view name) {
  SplitName split = parse_name(name);
  // dir + name, as the seed does: "/a/b" lives at <dir>/a/b.
  const std::size_t start = split.name.find_first_not_of('/');
  std::string relative = start == std::string::npos ? std::string() : split.name.substr(start);
  if (relative.empty() || relative.back() == '/')
    throw Error(ErrorCode::InvalidArgument, split.name + ": names a directory, which has no lock");
  return std::make_unique<FlockLock>(shared_, std::move(relative), std::move(split.name));
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
