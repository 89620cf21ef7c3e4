// Who a request comes from and what it may do: a principal of the access
// file (filetracker-server --auth FILE) or the anonymous principal
// (--anonymous LEVEL). Levels are cumulative: read (GET, HEAD, list) <
// write (+ PUT) < admin (+ DELETE). Path prefixes, when given, limit every
// level to the names below them ("/tests/" covers "/tests/a.in").
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ft::server {

enum class AccessLevel { None = 0, Read = 1, Write = 2, Admin = 3 };

// "none", "read", "write", "admin"; nullopt for anything else.
std::optional<AccessLevel> parse_access_level(std::string_view text);
std::string_view access_level_name(AccessLevel level);

// A prefix as the access file keeps it: absolute, ending with '/'
// ("/tests" becomes "/tests/"). nullopt when it is not absolute or
// contains an empty, "." or ".." component.
std::optional<std::string> normalize_prefix(std::string_view prefix);

struct Principal {
  std::string name;        // empty: the anonymous principal
  AccessLevel level = AccessLevel::None;
  std::vector<std::string> prefixes;  // normalized; empty: every name

  bool anonymous() const { return name.empty(); }
  bool unrestricted() const { return prefixes.empty(); }
  // Is the file `name` ("/a/b") below one of the prefixes?
  bool covers(std::string_view name) const;
  // May it list directory `dir` ("/", "/a")? Yes when the directory is
  // below a prefix or a prefix is below the directory (the listing then
  // shows only what is covered).
  bool may_list(std::string_view dir) const;
  bool may(AccessLevel needed, std::string_view name) const { return level >= needed && covers(name); }
  // "read only", "read and write", "admin", plus ", within /tests/ /problems/".
  std::string describe() const;
};

}  // namespace ft::server
