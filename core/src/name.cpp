#include "filetracker/name.hpp"

#include <charconv>

#include "filetracker/error.hpp"

namespace ft {

namespace {

std::string quoted(std::string_view name) { return "\"" + std::string(name) + "\""; }

bool parse_version(std::string_view text, Version& out) {
  if (text.empty()) return false;
  const char* first = text.data();
  const char* last = text.data() + text.size();
  // The seed accepts Python int(): an optional sign and digits. Versions are
  // Unix times, so we accept an optional '-' too (int() would), but no spaces.
  auto [ptr, ec] = std::from_chars(first, last, out);
  return ec == std::errc() && ptr == last;
}

}  // namespace

SplitName split_name(std::string_view name) {
  auto at = name.rfind('@');
  if (at == std::string_view::npos) return {std::string(name), std::nullopt};
  std::string_view version_text = name.substr(at + 1);
  Version version = 0;
  if (!parse_version(version_text, version)) {
    throw Error(ErrorCode::InvalidArgument,
                "invalid filetracker name " + quoted(name) + ": the version after \"@\" must be an integer, not " +
                    quoted(version_text));
  }
  return {std::string(name.substr(0, at)), version};
}

std::string versioned_name(std::string_view unversioned, Version version) {
  std::string out(unversioned);
  out += '@';
  out += std::to_string(version);
  return out;
}

std::optional<std::string> name_error(std::string_view name, bool allow_version) {
  auto fail = [&](std::string_view rule) {
    return std::optional<std::string>("invalid filetracker name " + quoted(name) + ": " + std::string(rule));
  };
  if (name.empty()) return fail("the name is empty");
  if (name.front() != '/') return fail("it must start with \"/\"");
  if (name.find('\0') != std::string_view::npos) return fail("it contains a NUL character");

  auto last_slash = name.rfind('/');
  std::string_view directories = name.substr(0, last_slash);
  std::string_view last = name.substr(last_slash + 1);

  // Components: check ".." anywhere.
  std::size_t start = 1;
  while (start <= name.size()) {
    auto end = name.find('/', start);
    if (end == std::string_view::npos) end = name.size();
    std::string_view component = name.substr(start, end - start);
    if (component == "..") return fail("\"..\" is not allowed as a path component");
    start = end + 1;
  }
  if (directories.find('@') != std::string_view::npos) return fail("\"@\" is not allowed in a directory name");
  auto at = last.find('@');
  if (at != std::string_view::npos) {
    if (last.find('@', at + 1) != std::string_view::npos) return fail("more than one \"@\" (multiple versions)");
    if (!allow_version) return fail("a version is not allowed here");
    Version v = 0;
    if (!parse_version(last.substr(at + 1), v)) return fail("the version after \"@\" must be an integer");
  }
  return std::nullopt;
}

void check_name(std::string_view name, bool allow_version) {
  if (auto error = name_error(name, allow_version)) throw Error(ErrorCode::InvalidArgument, *error);
}

SplitName parse_name(std::string_view name, bool allow_version) {
  check_name(name, allow_version);
  return split_name(name);
}

std::string parent_directory(std::string_view name) {
  auto slash = name.rfind('/');
  if (slash == std::string_view::npos || slash == 0) return "/";
  return std::string(name.substr(0, slash));
}

std::string base_name(std::string_view name) {
  auto slash = name.rfind('/');
  if (slash == std::string_view::npos) return std::string(name);
  return std::string(name.substr(slash + 1));
}

}  // namespace ft
