// A power cut for tests, in the manner of LevelDB's FaultInjectionTestEnv
// and SQLite's crash-test VFS: an ft::Env that does every call for real but
// records what has been made durable, and at a chosen call "loses power".
//
// The model (strict POSIX, what a journaling file system promises and no
// more):
//   - a file's content is durable as of its last sync() or sync_data()
//     through this Env; its times and mode as of its last sync();
//   - a directory's entries (names -> inodes, created, renamed, linked,
//     unlinked, made, removed) are durable as of its last sync() through
//     this Env; a directory made but never synced has no durable entries,
//     and one whose own entry in its parent was never synced is lost whole;
//   - everything under `root` when the Env is made counts as durable.
//
// crash_at(n): the call numbered n (0-based, counting every call through the
// Env and every step() of the test) does nothing and fails with EIO, and so
// does every later one: the program under test sees its disk gone and runs
// its error paths, which can change nothing. lose_power() then rolls the
// tree back to its durable state (as a reboot after the power cut would find
// it) and starts afresh: all that is there counts as durable, power is on.
//
// Files that something else makes durable on its own (SQLite, with
// synchronous=FULL) are left alone: the constructor's `unmanaged`.
//
// Safe from any thread (the server's writer and its fsync pool call it).
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "filetracker/confined_dir.hpp"
#include "filetracker/env.hpp"

namespace test {

class FaultInjectionEnv final : public ft::Env {
 public:
  // `root` must exist; everything below it counts as durable now. The
  // hard links that keep durable files restorable live in `root`'s parent
  // (same file system), in a directory removed with the Env.
  // `unmanaged`: names (of files in any directory) whose entries and
  // content are never rolled back: their owner makes them durable itself.
  explicit FaultInjectionEnv(std::filesystem::path root,
                             std::function<bool(std::string_view name)> unmanaged = nullptr);
  ~FaultInjectionEnv() override;
  FaultInjectionEnv(const FaultInjectionEnv&) = delete;
  FaultInjectionEnv& operator=(const FaultInjectionEnv&) = delete;

  // The call numbered `step` loses power (see above); none by default.
  void crash_at(std::size_t step);
  // Calls (and step()s) so far.
  std::size_t steps() const;
  bool powered() const;
  // A step of the test's own (an index commit, an answer): counted like a
  // call; false when the power is off (now or before).
  bool step(std::string_view what);
  // What every step so far was ("sync_data /…/tmp/upload.x"), for messages.
  std::vector<std::string> journal() const;
  // Reboot: the tree under root as it was last made durable; then power on,
  // no crash planned, steps from 0, everything there durable.
  void lose_power();

  // Makes link_fd of an unnamed (O_TMPFILE) file fail with EOPNOTSUPP, as
  // where it cannot be linked in, so the copy fallback runs.
  void set_refuse_unnamed_links(bool refuse);

  int open_at(int dirfd, const char* name, int flags, mode_t mode) override;
  ssize_t write(int fd, const void* data, std::size_t size) override;
  int sync(int fd) override;
  int sync_data(int fd) override;
  int set_times(int fd, const struct timespec times[2]) override;
  int set_mode(int fd, mode_t mode) override;
  int link_fd(int fd, int dirfd, const char* name) override;
  int rename_at(int from_dir, const char* from, int to_dir, const char* to) override;
  int unlink_at(int dirfd, const char* name, int flags) override;
  int make_directory_at(int dirfd, const char* name, mode_t mode) override;

 private:
  struct Entry {
    ino_t inode = 0;
    bool directory = false;
    mode_t mode = 0;
  };
  using Entries = std::map<std::string, Entry>;
  struct FileState {
    ft::UniqueFd pin;  // keeps the inode (and its number) alive until the reboot
    std::string content;
    std::optional<struct timespec> mtime;  // unset: never synced with its times
    mode_t mode = 0;
  };

  // REQUIRES: mutex_ held. Counts a step; false (power now off) at the crash.
  bool begin(std::string what);
  std::optional<std::string> relative_of_fd(int fd) const;
  void snapshot_tree();
  void snapshot_directory(const std::string& relative, int dirfd);
  void snapshot_file(int fd, bool with_times);
  void keep_in_attic(int dirfd, const std::string& name, ino_t inode);
  void restore_directory(const std::string& relative, const Entries* durable);
  void restore_contents();
  bool unmanaged(std::string_view name) const;

  const std::filesystem::path root_;
  const std::filesystem::path attic_;
  mutable std::mutex mutex_;
  std::size_t steps_ = 0;
  std::optional<std::size_t> crash_at_;
  bool powered_ = true;
  bool refuse_unnamed_links_ = false;
  std::vector<std::string> journal_;
  std::function<bool(std::string_view)> unmanaged_;
  std::map<std::string, Entries> directories_;  // durable entries, by path below root ("" is root)
  std::map<ino_t, FileState> files_;           // durable content, by inode
};

}  // namespace test
