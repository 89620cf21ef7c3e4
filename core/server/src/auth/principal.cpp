#include "filetracker/server/principal.hpp"

namespace ft::server {

std::optional<AccessLevel> parse_access_level(std::string_view text) {
  if (text == "none") return AccessLevel::None;
  if (text == "read") return AccessLevel::Read;
  if (text == "write") return AccessLevel::Write;
  if (text == "admin") return AccessLevel::Admin;
  return std::nullopt;
}

std::string_view access_level_name(AccessLevel level) {
  switch (level) {
    case AccessLevel::None: return "none";
    case AccessLevel::Read: return "read";
    case AccessLevel::Write: return "write";
    case AccessLevel::Admin: return "admin";
  }
  return "none";
}

std::optional<std::string> normalize_prefix(std::string_view prefix) {
  if (prefix.empty() || prefix.front() != '/') return std::nullopt;
  std::string result(prefix);
  if (result.back() != '/') result += '/';
  // Every component between slashes must be a real name.
  std::size_t start = 1;
  while (start < result.size()) {
    std::size_t end = result.find('/', start);
    std::string_view part(result.data() + start, end - start);
    if (part.empty() || part == "." || part == "..") return std::nullopt;
    start = end + 1;
  }
  return result;
}

bool Principal::covers(std::string_view name) const {
  if (prefixes.empty()) return true;
  for (const auto& p : prefixes)
    if (name.starts_with(p)) return true;
  return false;
}

bool Principal::may_list(std::string_view dir) const {
  if (level < AccessLevel::Read) return false;
  if (prefixes.empty()) return true;
  std::string as_prefix(dir);
  if (as_prefix.empty() || as_prefix.back() != '/') as_prefix += '/';
  for (const auto& p : prefixes)
    if (as_prefix.starts_with(p) || std::string_view(p).starts_with(as_prefix)) return true;
  return false;
}

std::string Principal::describe() const {
  std::string text;
  switch (level) {
    case AccessLevel::None: text = "no access"; break;
    case AccessLevel::Read: text = "read only"; break;
    case AccessLevel::Write: text = "read and write"; break;
    case AccessLevel::Admin: text = "admin"; break;
  }
  if (!prefixes.empty()) {
    text += ", within";
    for (const auto& p : prefixes) text += " " + p;
  }
  return text;
}

}  // namespace ft::server
