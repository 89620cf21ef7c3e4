// One stored file as the index knows it.
#pragma once

#include <cstdint>
#include <string>

#include "filetracker/name.hpp"

namespace ft::server {

struct FileRecord {
  std::string name;         // unversioned, absolute: "/a/b.txt"
  Version version = 0;      // Unix seconds
  std::string sha256;       // lowercase hex of the uncompressed content: the blob's key
  std::uint64_t size = 0;   // logical (uncompressed) size in bytes
  bool operator==(const FileRecord&) const = default;
};

}  // namespace ft::server
