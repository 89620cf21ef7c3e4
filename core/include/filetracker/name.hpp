// Filetracker names and versions (the rules of the deployed Python client).
//
// A name is an absolute path, components split by '/': "/tests/a/1.in".
// No ".." component, no '@' in a directory component, at most one '@' in the
// last one, no NUL or other control byte, and the whole name well-formed
// UTF-8 (one rule for every peer: server, CLI, GUI, local cache). A versioned name is "name@VERSION", VERSION a decimal integer
// (Unix time in seconds).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ft {

using Version = std::int64_t;

// The versions every peer can hold. On the wire a version is an RFC 2822
// date, whose year has four digits and is 1900 or later (the deployed
// Python peers read an earlier four-digit year wrongly: email.utils takes
// "0001" for 2001), so a version is a Unix time from 1900-01-01T00:00:00Z
// to 9999-12-31T23:59:59Z; the index (64-bit) holds all of them. Anything
// else is refused where it enters (a date, a name's "@VERSION", a
// listing), never wrapped or clamped. (A local cache keeps a version as a
// file's mtime and refuses one its file system cannot store.)
inline constexpr Version kMinVersion = -2208988800;
inline constexpr Version kMaxVersion = 253402300799;
constexpr bool version_in_range(Version v) { return v >= kMinVersion && v <= kMaxVersion; }

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

// Is `text` well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates,
// nothing above U+10FFFF)? Every name must be.
bool is_valid_utf8(std::string_view text);
// The length of the UTF-8 sequence `text` starts with; 0 when it does not
// start with a well-formed one (or is empty).
std::size_t utf8_sequence_length(std::string_view text);

// A name (or any text) for a message: in double quotes, with every byte
// that could cut the message short or garble it (NUL, other control bytes,
// bytes that are not UTF-8) written as \xNN, so the message stays one whole
// line whatever the name holds.
std::string quoted_name(std::string_view name);

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
