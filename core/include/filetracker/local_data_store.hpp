// The local cache: a DataStore on the local file system, with the on-disk
// layout of the deployed Python client so an existing cache keeps working:
//
//   <cache_dir>/files/<name>   the content of <name> (e.g. files/a/b.txt)
//   version                    the file's mtime in whole seconds
//   <cache_dir>/meta/<name>    our record of it: SHA-256, inode, ctime (see
//                              cache_record.hpp); the Python client ignores it
//
// (Lock files live beside it, in <cache_dir>/locks, see FlockLockManager.)
//
// Confinement: every path below the cache directory is opened from the
// directory's descriptor without following symbolic links (ConfinedDir). A
// symbolic link in the cache is damage: reads and writes through it are
// refused with a one-line message naming it (`cache clean` removes it), and
// a get never makes its output a link to anything but a regular cached file.
// Directories are made 0700, record files 0600, cached files 0644 (the umask
// applies on top, so never world-writable); a caller's file is hard-linked in
// only when it is not group/world-writable and is the caller's own.
//
// Every write is atomic: content is written to an unnamed temp file in the
// target's directory (AtomicFile; a named ".<base>.tmp.<random>" one where
// the file system has no O_TMPFILE, skipped by list_files) or the source
// file is hard-linked, then put in place under the real name. A crash never
// leaves a torn file under a real name, and a killed writer leaves no temp.
// Durable: a write that returned survives a power loss (content and version
// fsynced before the name, the name's directory and every directory made
// for it fsynced after). Records and seals are not: they are rebuilt from
// the content when lost. Deletes are not either: a lost delete leaves an
// intact older copy, which the version rules handle.
//
// Hard links replace copies, as in the seed: add_file() links the source into
// the cache and get_file() links the cached file to the destination when they
// are on the same file system. The linked files share their content: do not
// modify such a file in place. A cached file changed anyway (through such a
// link, or by hand with its mtime set back) is noticed before it is served,
// without reading it on the fast path (the seal in the mtime's nanoseconds,
// see cache_record.hpp): get_file and get_stream then throw
// Error(ChecksumMismatch), and adding the same version again replaces it.
//
// Version rules (the seed's): adding a version that is not newer than the
// stored one changes nothing (unless the stored one is damaged); a delete
// with a version removes the file only when the stored version is not newer.
//
// The store does no locking of its own: Client takes the per-name locks.
#pragma once

#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>

#include "filetracker/cache_record.hpp"
#include "filetracker/confined_dir.hpp"
#include "filetracker/data_store.hpp"
#include "filetracker/env.hpp"

namespace ft {

class AtomicFile;
class Sha256;

class LocalDataStore : public DataStore {
 public:
  // Creates <cache_dir>/files when missing (mode 0700). Every change to the
  // cache goes through `env` (tests pass a fault-injecting one). Throws
  // Error(Io).
  explicit LocalDataStore(std::filesystem::path cache_dir, Env* env = Env::Default());

  const std::filesystem::path& cache_dir() const { return cache_dir_; }
  const std::filesystem::path& files_dir() const { return files_dir_; }
  // Where the content of `name` lives; a version in `name` is ignored.
  // Throws Error(InvalidArgument) for an invalid name.
  std::filesystem::path path_of(std::string_view name) const;

  // Without a version in `name`, the version is the current time.
  std::string add_stream(std::string_view name, std::istream& in) override;
  // Hard-links `file` into the cache when its mtime is the version to store
  // (always so without a version in `name`: then the version is the file's
  // mtime) and it is safe to share (see above); otherwise, or when linking
  // fails, copies it atomically.
  std::string add_file(std::string_view name, const std::filesystem::path& file,
                       bool compress_hint = true) override;

  bool exists(std::string_view name) override;
  Version file_version(std::string_view name) override;
  std::uint64_t file_size(std::string_view name) override;
  // Throws Error(ChecksumMismatch) when the cached file was changed after it
  // was cached.
  Stream get_stream(std::string_view name) override;
  // Hard-links the cached file to `destination` (replacing what is there
  // atomically); copies atomically when linking is impossible. The
  // destination's mtime is the version. Throws Error(NotFound) when the cache
  // lacks the file or the requested version, Error(ChecksumMismatch) when the
  // cached file was changed after it was cached.
  std::string get_file(std::string_view name, const std::filesystem::path& destination) override;
  // Also removes directories under files/ that become empty.
  void delete_file(std::string_view name) override;
  // Every file under files/ with a valid name; temp files of interrupted
  // writes, symbolic links and other non-regular entries are skipped.
  // FileInfo::mtime is the version.
  std::vector<FileInfo> list_files() override;

  // ---- Maintenance (`filetracker cache verify`) ----
  struct FileCheck {
    enum class State {
      Intact,     // its content matches its record
      Recorded,   // it had no record (an older cache, the Python client): recorded now
      Damaged,    // changed after it was cached
      Symlink,    // a symbolic link (damage)
      Missing,    // not there (any more)
    };
    State state = State::Missing;
    std::string message;  // one line, for the states that are problems
  };
  // Reads the whole file of `name` (a version is ignored) and compares it
  // with its record; records a file that has none.
  FileCheck verify_file(std::string_view name);
  // Removes whatever is at `name` in files/ (a damaged file, a symbolic
  // link; never a directory) and its record. Returns whether something was
  // removed. Throws Error(Io).
  bool remove_entry(std::string_view name);
  // The confined files/ directory (for scans of everything in it).
  const ConfinedDir& files_root() const { return files_; }

 private:
  std::optional<CacheRecord> read_record(const std::string& relative);
  void write_record(const std::string& relative, const CacheRecord& record);
  void remove_record(const std::string& relative);
  const ConfinedDir* meta(bool create);
  // REQUIRES: `st` is the state of `fd` (an O_PATH descriptor of the cached
  // file at `relative`) and it carries no seal. Throws Error(ChecksumMismatch)
  // when it was changed after it was cached; otherwise hashes, records and
  // seals it as needed (st is updated to the sealed state).
  void check_unsealed(std::string_view name, const std::string& relative, int fd, struct stat& st,
                      const std::optional<CacheRecord>& record);
  // The checks of a read of the file `fd` in state `st` (updated when it is
  // sealed now), cheapest first: the seal, then the version wanted, then the
  // record and the content. Throws Error(NotFound) for another version,
  // Error(ChecksumMismatch) for damage.
  void check_read(std::string_view name, const std::string& relative, int fd, struct stat& st,
                  std::optional<Version> wanted);
  // Seals the open file `fd` (its mtime's nanoseconds) and records it.
  void seal_and_record(int fd, const std::string& relative, const std::string& sha256, struct stat* sealed);
  std::optional<Version> keep_stored(int dirfd, const std::string& base, const std::string& relative,
                                     Version version);
  UniqueFd open_parent_for_write(const std::string& relative) const;
  // Writes `in` (or the open file `source`) into the cache as `relative`,
  // sealed and recorded.
  void write_entry(int dirfd, const std::string& base, const std::string& relative, Version version,
                   const std::function<void(AtomicFile&, Sha256&)>& fill);

  Env* env_;
  std::filesystem::path cache_dir_;
  std::filesystem::path files_dir_;
  ConfinedDir root_;
  ConfinedDir files_;
  std::mutex meta_mutex_;
  ConfinedDir meta_;  // GUARDED_BY(meta_mutex_) until valid; created with the first record
};

// Replaces `destination` by a hard link to `source`, atomically (a link to a
// temp name in the destination's directory, then rename). Creates parent
// directories. Returns false, changing nothing, when the file system cannot
// link them (different file systems, no link support, link limit); throws
// Error(Io) on other failures.
bool replace_with_link(const std::filesystem::path& source, const std::filesystem::path& destination);

}  // namespace ft
