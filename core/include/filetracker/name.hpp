// Filetracker names and versions (the rules of the deployed Python client).
//
// A name is an absolute path, components split by '/': "/tests/a/1.in".
// No ".." component, no '@' in a directory component, at most one '@' in the
// last one. A versioned name is "name@VERSION", VERSION a decimal integer
// (Unix time in seconds).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ft {

using Version = std::int64_t;

struct SplitName {
  std::string name;                // the name without its version
  std::optional<Version> version;  // empty: "the newest"
  bool operator==(const SplitName&) const = default;
};

// Splits "/a/b@12" into {"/a/b", 12} and "/a/b" into {"/a/b", nullopt}.
// Throws Error(InvalidArgument) when the text after the last '@' is not a
// decimal integer. Does not validate the rest of the name (see check_name).
SplitName split_name(std::string_view name);

// "/a/b", 12 -> "/a/b@12".
std::string versioned_name(std::string_view unversioned, Version version);

// Returns why `name` is not a valid filetracker name, or nullopt when it is.
// The message names the offending name and the rule, e.g.
//   invalid filetracker name "a/b": it must start with "/"
std::optional<std::string> name_error(std::string_view name, bool allow_version = true);

// Throws Error(InvalidArgument, *name_error(...)) for an invalid name.
void check_name(std::string_view name, bool allow_version = true);

// check_name + split_name in one go.
SplitName parse_name(std::string_view name, bool allow_version = true);

// "/a/b/c.txt" -> "/a/b"; "/c.txt" -> "/".
std::string parent_directory(std::string_view name);
// "/a/b/c.txt" -> "c.txt".
std::string base_name(std::string_view name);

}  // namespace ft
