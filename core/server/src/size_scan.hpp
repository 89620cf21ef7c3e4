// A capability of an index with ordered keys, for the disk usage extension
// (folder_usage.hpp).
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>

namespace ft::server {

// What an index with ordered keys offers the disk usage (like
// BlobReferences, a capability the SQLite and PostgreSQL indexes add to
// Index): the name and logical size of every file below `dir` at any depth
// (any version), in name (byte) order, reading just those two columns of
// the key range.
class SizeScan {
 public:
  virtual void for_each_size_below(std::string_view dir,
                                   const std::function<void(std::string_view name, std::uint64_t size)>& visit) = 0;

 protected:
  ~SizeScan() = default;
};

}  // namespace ft::server
