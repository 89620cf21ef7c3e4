// Names and versions: the one rule every peer applies (name_error), the
// split into name and version, and the quoting of names in messages.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "filetracker/error.hpp"
#include "filetracker/name.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view name(reinterpret_cast<const char*>(data), size);
  for (bool allow_version : {true, false}) {
    auto error = ft::name_error(name, allow_version);
    if (error) {
      // A message is one printable line, whatever the name holds.
      for (unsigned char c : *error)
        if (c < 0x20 || c == 0x7f) __builtin_trap();
      if (!ft::is_valid_utf8(*error)) __builtin_trap();
      continue;
    }
    if (!ft::is_valid_utf8(name)) __builtin_trap();
    ft::SplitName split = ft::parse_name(name, allow_version);
    if (split.version) {
      if (!ft::version_in_range(*split.version)) __builtin_trap();
      // The canonical form names the same thing.
      ft::SplitName again = ft::parse_name(ft::versioned_name(split.name, *split.version));
      if (!(again == split)) __builtin_trap();
    }
    (void)ft::parent_directory(split.name);
    (void)ft::base_name(split.name);
  }
  try {
    (void)ft::split_name(name);
  } catch (const ft::Error&) {
  }
  // is_valid_utf8 agrees with walking utf8_sequence_length.
  std::size_t i = 0;
  bool walked = true;
  while (i < name.size()) {
    std::size_t n = ft::utf8_sequence_length(name.substr(i));
    if (n == 0) {
      walked = false;
      break;
    }
    i += n;
  }
  if (walked != ft::is_valid_utf8(name)) __builtin_trap();
  std::string quoted = ft::quoted_name(name);
  if (!ft::is_valid_utf8(quoted)) __builtin_trap();
  return 0;
}
