// What `find` looks for below a directory: a name pattern (name_pattern.hpp)
// and optional size and version bounds. The server evaluates it on its
// index (the `find` extension of the JSON listing, docs/protocol.md); a
// client facing a plain-v2 server evaluates the same FindFilter itself.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "filetracker/name.hpp"
#include "filetracker/name_pattern.hpp"

namespace ft {

struct FindQuery {
  std::string pattern = "*";           // NamePattern syntax; "*" under a directory: every file below it
  std::optional<std::uint64_t> min_size;  // size >= min_size (bytes, logical)
  std::optional<std::uint64_t> max_size;  // size <= max_size
  std::optional<Version> newer;           // version >= newer (at or after)
  std::optional<Version> older;           // version < older (before)
  // Are size or version bounds set (a plain-v2 client then needs each
  // candidate's HEAD before it can decide)?
  bool has_bounds() const { return min_size || max_size || newer || older; }
};

// A FindQuery compiled for one directory.
class FindFilter {
 public:
  // Throws Error(InvalidArgument) for a bad pattern.
  FindFilter(const FindQuery& query, std::string_view directory);
  const NamePattern& pattern() const { return pattern_; }
  bool name_matches(std::string_view absolute_name) const { return pattern_.matches(absolute_name); }
  bool bounds_match(Version version, std::uint64_t size) const;
  bool matches(std::string_view absolute_name, Version version, std::uint64_t size) const {
    return bounds_match(version, size) && name_matches(absolute_name);
  }

 private:
  FindQuery query_;
  NamePattern pattern_;
};

}  // namespace ft
