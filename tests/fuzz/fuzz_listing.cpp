// The answers a client parses: a JSON listing (extension), a plain listing,
// and GET /version. A JSON listing that parses comes out of make_json_list
// the same way it went in.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "filetracker/error.hpp"
#include "filetracker/protocol.hpp"

namespace p = ft::protocol;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);
  try {
    p::Listing listing = p::parse_json_list(body);
    for (const auto& entry : listing.files)
      if (!ft::version_in_range(entry.version)) __builtin_trap();
    // Names that are valid UTF-8 survive a round trip exactly.
    bool utf8 = ft::is_valid_utf8(listing.directory);
    for (const auto& entry : listing.files) utf8 = utf8 && ft::is_valid_utf8(entry.name) && ft::is_valid_utf8(entry.sha256);
    for (const auto& dir : listing.directories) utf8 = utf8 && ft::is_valid_utf8(dir);
    p::Listing back = p::parse_json_list(p::make_json_list(listing));
    if (utf8 && !(back.files == listing.files && back.directories == listing.directories &&
                  back.directory == listing.directory))
      __builtin_trap();
  } catch (const ft::Error&) {
  }
  for (const auto& line : p::parse_plain_list(body))
    if (line.empty() || line.find('\n') != std::string::npos) __builtin_trap();
  try {
    (void)p::parse_version_response(200, body);
  } catch (const ft::Error&) {
  }
  return 0;
}
