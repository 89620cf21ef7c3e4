// Where the mount's directories come from: a one-level listing of a
// directory of the store (its files with version and logical size, and its
// subdirectories).
//
// - RemoteDirectorySource: the server. Our server's JSON one-level listing
//   (the json-list extension) is one request per directory; against a plain
//   protocol-v2 server the listing is derived from /list (every name below
//   the directory) plus one HEAD per immediate file (RemoteDataStore::list).
// - LocalDirectorySource: the cache directory itself (a mount without -r),
//   read one directory at a time from disk.
// - StoreDirectorySource: any DataStore, folded from list_files() (stores
//   without a cheaper way, e.g. MemoryDataStore in tests).
#pragma once

#include <cstdint>
#include <ctime>
#include <map>
#include <set>
#include <string>

#include "filetracker/data_store.hpp"
#include "filetracker/local_data_store.hpp"
#include "filetracker/mount/client_pool.hpp"
#include "filetracker/name.hpp"

namespace ft::mount {

struct FileAttributes {
  Version version = 0;     // the mtime shown
  std::uint64_t size = 0;  // logical (uncompressed) size
  bool operator==(const FileAttributes&) const = default;
};

struct DirectoryListing {
  std::map<std::string, FileAttributes> files;  // base name -> attributes
  std::set<std::string> directories;            // base names
  // Wall-clock second at which the listing was asked for: a file stored
  // with a version <= this should be in it (see Overlay).
  std::time_t listed_at = 0;
  bool operator==(const DirectoryListing&) const = default;
};

class DirectorySource {
 public:
  virtual ~DirectorySource() = default;
  // One level of `directory` (absolute, unversioned, "/" for the root).
  // Throws Error(NotFound) when there is no such directory (the root always
  // exists, empty or not), other ft::Errors for failures.
  virtual DirectoryListing list(const std::string& directory) = 0;
};

class RemoteDirectorySource : public DirectorySource {
 public:
  // Lists through the pool's clients, which must have an HTTP store.
  explicit RemoteDirectorySource(ClientPool& pool) : pool_(pool) {}
  DirectoryListing list(const std::string& directory) override;

 private:
  ClientPool& pool_;
};

class LocalDirectorySource : public DirectorySource {
 public:
  explicit LocalDirectorySource(const LocalDataStore& cache) : cache_(cache) {}
  // Regular files with a valid unversioned name (no temp files of
  // interrupted writes, no symlinks: the cache may be shared with hostile
  // users); version = mtime, as the cache keeps it.
  DirectoryListing list(const std::string& directory) override;

 private:
  const LocalDataStore& cache_;
};

class StoreDirectorySource : public DirectorySource {
 public:
  explicit StoreDirectorySource(DataStore& store) : store_(store) {}
  DirectoryListing list(const std::string& directory) override;

 private:
  DataStore& store_;
};

}  // namespace ft::mount
