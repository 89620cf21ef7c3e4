#include "filetracker/name.hpp"

#include <charconv>

#include "filetracker/error.hpp"

namespace ft {

std::size_t utf8_sequence_length(std::string_view text) {
  if (text.empty()) return 0;
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char c = byte(0);
  if (c < 0x80) return 1;
  std::size_t n;
  unsigned char lo = 0x80, hi = 0xbf;  // the allowed range of the second byte (RFC 3629)
  if (c >= 0xc2 && c <= 0xdf) {
    n = 2;
  } else if (c >= 0xe0 && c <= 0xef) {
    n = 3;
    if (c == 0xe0) lo = 0xa0;  // overlong
    if (c == 0xed) hi = 0x9f;  // UTF-16 surrogates
  } else if (c >= 0xf0 && c <= 0xf4) {
    n = 4;
    if (c == 0xf0) lo = 0x90;  // overlong
    if (c == 0xf4) hi = 0x8f;  // above U+10FFFF
  } else {
    return 0;  // a continuation byte, an overlong lead (c0, c1) or f5..ff
  }
  if (text.size() < n || byte(1) < lo || byte(1) > hi) return 0;
  for (std::size_t i = 2; i < n; ++i)
    if (byte(i) < 0x80 || byte(i) > 0xbf) return 0;
  return n;
}

bool is_valid_utf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t n = utf8_sequence_length(text.substr(i));
    if (n == 0) return false;
    i += n;
  }
  return true;
}

std::string quoted_name(std::string_view name) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  std::size_t i = 0;
  while (i < name.size()) {
    const unsigned char c = static_cast<unsigned char>(name[i]);
    std::size_t n = c < 0x80 ? 1 : utf8_sequence_length(name.substr(i));
    if (c < 0x20 || c == 0x7f || n == 0) {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
      ++i;
      continue;
    }
    out.append(name.substr(i, n));
    i += n;
  }
  return out + "\"";
}

namespace {

std::string quoted(std::string_view name) { return quoted_name(name); }

bool parse_version(std::string_view text, Version& out) {
  if (text.empty()) return false;
  const char* first = text.data();
  const char* last = text.data() + text.size();
  // The seed accepts Python int(): an optional sign and digits. Versions are
  // Unix times, so we accept an optional '-' too (int() would), but no spaces.
  auto [ptr, ec] = std::from_chars(first, last, out);
  return ec == std::errc() && ptr == last && version_in_range(out);
}

}  // namespace

SplitName split_name(std::string_view name) {
  auto at = name.rfind('@');
  if (at == std::string_view::npos) return {std::string(name), std::nullopt};
  std::string_view version_text = name.substr(at + 1);
  Version version = 0;
  if (!parse_version(version_text, version)) {
    throw Error(ErrorCode::InvalidArgument,
                "invalid filetracker name " + quoted(name) + ": the version after \"@\" must be an integer from " + std::to_string(kMinVersion) +
                    " to " + std::to_string(kMaxVersion) + ", not " +
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
  // One rule for every peer: a name is UTF-8. A name that is not could be
  // stored but never listed as itself (JSON, the GUI and most terminals
  // would show a replacement character, a name that does not resolve).
  if (!is_valid_utf8(name)) return fail("it is not valid UTF-8");
  // Nor control bytes: a name is printed in listings, logs and messages,
  // where a newline or an escape sequence would forge or garble them.
  for (unsigned char c : name)
    if (c < 0x20 || c == 0x7f) return fail("it contains a control character");

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
    if (!parse_version(last.substr(at + 1), v)) return fail("the version after \"@\" must be an integer from " + std::to_string(kMinVersion) + " to " +
                  std::to_string(kMaxVersion) + " (years 1900 to 9999)");
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
