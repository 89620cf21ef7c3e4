// The local cache: a DataStore on the local file system, with the on-disk
// layout of the deployed Python client so an existing cache keeps working:
//
//   <cache_dir>/files/<name>   the content of <name> (e.g. files/a/b.txt)
//   version                    the file's mtime in whole seconds
//
// (Lock files live beside it, in <cache_dir>/locks, see FlockLockManager.)
//
// Every write is atomic: content is written to a temp file in the target's
// directory (see AtomicFile, whose temp names list_files() skips) or hard-linked
// to a temp name, then renamed over the real name. A crash never leaves a torn
// file under a real name.
//
// Hard links replace copies, as in the seed: add_file() links the source into
// the cache and get_file() links the cached file to the destination when they
// are on the same file system. The linked files share their content: do not
// modify such a file in place.
//
// Version rules (the seed's): adding a version that is not newer than the
// stored one changes nothing; a delete with a version removes the file only
// when the stored version is not newer.
//
// The store does no locking of its own: Client takes the per-name locks.
#pragma once

#include <filesystem>

#include "filetracker/data_store.hpp"

namespace ft {

class LocalDataStore : public DataStore {
 public:
  // Creates <cache_dir>/files when missing. Throws Error(Io).
  explicit LocalDataStore(std::filesystem::path cache_dir);

  const std::filesystem::path& cache_dir() const { return cache_dir_; }
  const std::filesystem::path& files_dir() const { return files_dir_; }
  // Where the content of `name` lives; a version in `name` is ignored.
  // Throws Error(InvalidArgument) for an invalid name.
  std::filesystem::path path_of(std::string_view name) const;

  // Without a version in `name`, the version is the current time.
  std::string add_stream(std::string_view name, std::istream& in) override;
  // Hard-links `file` into the cache when its mtime is the version to store
  // (always so without a version in `name`: then the version is the file's
  // mtime); otherwise, or when linking fails, copies it atomically.
  std::string add_file(std::string_view name, const std::filesystem::path& file,
                       bool compress_hint = true) override;

  bool exists(std::string_view name) override;
  Version file_version(std::string_view name) override;
  std::uint64_t file_size(std::string_view name) override;
  Stream get_stream(std::string_view name) override;
  // Hard-links the cached file to `destination` (replacing what is there
  // atomically); copies atomically when linking is impossible. The
  // destination's mtime is the version. Throws Error(NotFound) when the cache
  // lacks the file or the requested version.
  std::string get_file(std::string_view name, const std::filesystem::path& destination) override;
  // Also removes directories under files/ that become empty.
  void delete_file(std::string_view name) override;
  // Every file under files/ with a valid name; temp files of interrupted
  // writes are skipped. FileInfo::mtime is the version.
  std::vector<FileInfo> list_files() override;

 private:
  std::filesystem::path cache_dir_;
  std::filesystem::path files_dir_;
};

// Replaces `destination` by a hard link to `source`, atomically (a link to a
// temp name in the destination's directory, then rename). Creates parent
// directories. Returns false, changing nothing, when the file system cannot
// link them (different file systems, no link support, link limit); throws
// Error(Io) on other failures.
bool replace_with_link(const std::filesystem::path& source, const std::filesystem::path& destination);

}  // namespace ft
