// An in-memory DataStore for tests (the seed's DummyDataStore).
//
// Version rules are the server's: adding an older version than the stored one
// changes nothing, an equal one overwrites; without a version, the new
// version is max(now, stored + 1). A delete with a version removes the file
// only when the stored version is not newer. Thread-safe.
#pragma once

#include <map>
#include <mutex>

#include "filetracker/data_store.hpp"

namespace ft {

class MemoryDataStore : public DataStore {
 public:
  // How often each kind of call reached the store (tests use it to check
  // that a cache hit never asks the remote store).
  struct CallCounts {
    int add = 0;     // add_stream / add_file
    int get = 0;     // get_stream / get_file
    int query = 0;   // exists / file_version / file_size
    int remove = 0;  // delete_file
    int list = 0;    // list_files
  };

  std::string add_stream(std::string_view name, std::istream& in) override;
  bool exists(std::string_view name) override;
  Version file_version(std::string_view name) override;
  std::uint64_t file_size(std::string_view name) override;
  Stream get_stream(std::string_view name) override;
  void delete_file(std::string_view name) override;
  std::vector<FileInfo> list_files() override;

  CallCounts call_counts() const;
  // The stored content of `name` (version ignored). Throws Error(NotFound).
  std::string content(std::string_view name) const;

 private:
  struct Entry {
    std::string data;
    Version version = 0;
  };
  const Entry& find(const SplitName& name, std::string_view full) const;

  mutable std::mutex mutex_;
  std::map<std::string, Entry> files_;
  CallCounts counts_;
};

}  // namespace ft
