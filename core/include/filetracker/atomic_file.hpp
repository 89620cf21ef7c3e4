// Atomic replacement of a file: write an unnamed temporary file in the
// destination's directory (O_TMPFILE), set its times, fsync it, link it in
// under the real name, fsync the directory. A crash or a kill at any moment leaves either
// the old file or the new one under the real name, never a torn one, and an
// unnamed file leaves nothing at all behind: it vanishes with the process.
//
// Where the file system has no O_TMPFILE (or the file could not be linked
// in), a named temp file ".<base>.tmp.<random>" is written instead and
// renamed over the destination; cleaners recognise leftovers of those by
// is_temp_name. Replacing an existing destination links the unnamed file
// under such a temp name for the moment of the rename.
//
// Every call that changes the file system goes through an Env (env.hpp), so
// the power-loss tests (tests/core/test_power_loss_cache.cpp) see each one.
#pragma once

#include <sys/stat.h>

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

#include "filetracker/confined_dir.hpp"
#include "filetracker/env.hpp"

namespace ft {

class AtomicFile {
 public:
  // Creates the parent directories (as usual, umask applies; made durable,
  // see make_directories_durable) and the temp file. Throws Error(Io).
  explicit AtomicFile(std::filesystem::path destination, unsigned mode = 0644, Env* env = Env::Default());
  // The destination `base` in the open directory `dirfd` (duplicated; the
  // caller keeps its own): no path is resolved again, so nothing can be
  // redirected through a symbolic link. `display` names the file in messages.
  AtomicFile(int dirfd, std::string base, std::string display, unsigned mode = 0644, Env* env = Env::Default());
  // Discards the temp file unless commit() succeeded.
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  void write(const void* data, std::size_t size);
  void write(std::string_view data) { write(data.data(), data.size()); }
  int fd() const { return fd_.get(); }
  // Empty when the temp file is unnamed (the usual case).
  const std::filesystem::path& temp_path() const { return temp_path_; }
  bool unnamed() const { return temp_name_.empty(); }
  const std::filesystem::path& destination() const { return destination_; }

  // times + fsync + link/rename + fsync(dir). `mtime`, when >= 0, is set on
  // the file first (the local cache keeps versions as mtimes), before the
  // fsync, which is what makes it durable.
  void commit(long long mtime = -1);
  struct CommitOptions {
    long long mtime = -1;            // seconds; < 0: leave the mtime alone
    long mtime_nsec = 0;             // with mtime (the local cache's seal)
    struct stat* committed = nullptr;  // set: the file's stat once it has its real name
    bool durable = true;             // false: no fsyncs (data that can be rebuilt)
  };
  void commit(const CommitOptions& options);
  // Removes the temp file (also done by the destructor).
  void abort() noexcept;

 private:
  void create_temp(unsigned mode);
  void link_into_place();

  Env* env_;
  std::filesystem::path destination_;  // for messages (and temp_path)
  UniqueFd dir_;
  std::string base_;
  std::string temp_name_;               // empty: unnamed
  std::filesystem::path temp_path_;
  UniqueFd fd_;
  bool committed_ = false;
};

bool is_temp_name(std::string_view file_name);

// A scratch file: read-write, in $TMPDIR (else /tmp), unnamed (O_TMPFILE, or
// a mkstemp file unlinked at once), so it vanishes with its descriptor even
// when the process is killed. Throws Error(Io).
UniqueFd open_scratch_file();

// Sets a file's mtime (and atime) to `unix_seconds`. Throws Error(Io).
void set_mtime(const std::filesystem::path& path, long long unix_seconds);
// fsync of a directory. Throws Error(Io).
void fsync_directory(const std::filesystem::path& dir, Env* env = Env::Default());
// std::filesystem::create_directories, durable: each directory made has its
// parent fsynced, so what is committed in it later survives a power loss
// (a new entry is durable only once its directory is). umask applies.
// Throws Error(Io).
void make_directories_durable(const std::filesystem::path& dir, Env* env = Env::Default());

}  // namespace ft
