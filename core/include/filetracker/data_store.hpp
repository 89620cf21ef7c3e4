// The store interface (the seed's DataStore, in C++ idiom).
//
// Implementations: LocalDataStore (the on-disk cache), MemoryDataStore (tests),
// RemoteDataStore (HTTP, libcurl). Errors are thrown as ft::Error.
#pragma once

#include <cstdint>
#include <filesystem>
#include <istream>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "filetracker/name.hpp"

namespace ft {

struct FileInfo {
  std::string name;  // versioned name, "/a/b.txt@1420070410"
  Version mtime = 0;
  std::uint64_t size = 0;
  bool operator==(const FileInfo&) const = default;
};

class DataStore {
 public:
  virtual ~DataStore() = default;

  // Saves `in` under `name`. With a version in `name`, stores that version
  // (the store's version rule decides whether it replaces what is there);
  // without one, the version is "now". Returns the versioned name stored.
  virtual std::string add_stream(std::string_view name, std::istream& in) = 0;
  // Like add_stream from a file. `compress_hint`: whether a remote store
  // should compress on the client (true) or leave it to the server.
  virtual std::string add_file(std::string_view name, const std::filesystem::path& file,
                               bool compress_hint = true);

  // With a version in `name`: whether exactly that version is stored.
  virtual bool exists(std::string_view name) = 0;
  // The newest stored version; a version in `name` is ignored.
  // Throws Error(NotFound).
  virtual Version file_version(std::string_view name) = 0;
  // Logical (uncompressed) size. Throws Error(NotFound).
  virtual std::uint64_t file_size(std::string_view name) = 0;

  struct Stream {
    std::unique_ptr<std::istream> stream;
    std::string versioned_name;
  };
  virtual Stream get_stream(std::string_view name) = 0;
  // Writes the content to `destination` atomically (parent directories are
  // created). Returns the versioned name retrieved.
  virtual std::string get_file(std::string_view name, const std::filesystem::path& destination);

  // Deletes the file. With a version in `name`, only when the stored version
  // is not newer than it. Throws Error(NotFound) when there is no such file.
  virtual void delete_file(std::string_view name) = 0;

  virtual std::vector<FileInfo> list_files() = 0;
};

}  // namespace ft
