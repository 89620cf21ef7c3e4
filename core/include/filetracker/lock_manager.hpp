// Per-name reader/writer locks between processes (the seed's LockManager).
//
// There is one lock per unversioned name: every version of "/a/b.txt" shares
// the lock of "/a/b.txt". FlockLockManager keeps one lock file per name at
// <locks_dir>/<name>, the same layout the deployed Python client uses, so both
// implementations can share a cache directory; NoOpLockManager is for setups
// without a local cache, where no concurrency control is needed.
#pragma once

#include <filesystem>
#include <memory>
#include <string_view>

namespace ft {

namespace detail {
struct TreeLock;
}

class Lock {
 public:
  virtual ~Lock() = default;  // implies close(false)

  // Takes the lock in shared mode; downgrades an exclusive lock. Blocks.
  virtual void lock_shared() = 0;
  // Takes the lock in exclusive mode; upgrades a shared lock. Blocks.
  // Like flock(2), an upgrade is not atomic: another process may take the
  // lock between the release of the shared mode and the exclusive grant.
  virtual void lock_exclusive() = 0;
  // Like lock_exclusive but never blocks: returns false when another holder
  // prevents it (the lock is then left unlocked).
  virtual bool try_lock_exclusive() = 0;
  // Releases the lock (a no-op when not locked).
  virtual void unlock() = 0;
  // Releases the lock and its resources; with `delete_lock_file`, also removes
  // the lock file and the directories that become empty. May be called more
  // than once; the lock is unusable afterwards.
  virtual void close(bool delete_lock_file = false) = 0;
};

class LockManager {
 public:
  virtual ~LockManager() = default;
  // The lock of `name`; a version in `name` is ignored.
  // Throws Error(InvalidArgument) for an invalid name.
  virtual std::unique_ptr<Lock> lock_for(std::string_view name) = 0;
};

// flock(2) on <locks_dir>/<name>. Creating and removing lock files and their
// directories is serialised through <locks_dir>/tree.lock, as in the seed.
class FlockLockManager : public LockManager {
 public:
  // Creates `locks_dir` when needed. Throws Error(Io).
  explicit FlockLockManager(std::filesystem::path locks_dir);
  ~FlockLockManager() override;
  FlockLockManager(const FlockLockManager&) = delete;
  FlockLockManager& operator=(const FlockLockManager&) = delete;

  std::unique_ptr<Lock> lock_for(std::string_view name) override;
  const std::filesystem::path& directory() const { return dir_; }

 private:
  class FlockLock;
  std::filesystem::path dir_;
  int tree_lock_fd_ = -1;                  // owned by shared_
  std::shared_ptr<detail::TreeLock> shared_;  // shared with the locks handed out
};

class NoOpLockManager : public LockManager {
 public:
  std::unique_ptr<Lock> lock_for(std::string_view name) override;
};

}  // namespace ft
