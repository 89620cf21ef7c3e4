// RFC 2822 dates -> versions: never overflows (UBSan), only versions every
// peer can hold come out, and a parsed date formats back to itself.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "filetracker/protocol.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto version = ft::protocol::parse_http_date(text);
  if (version) {
    if (!ft::version_in_range(*version)) __builtin_trap();
    if (ft::protocol::parse_http_date(ft::protocol::format_http_date(*version)) != version) __builtin_trap();
  }
  // Any 64-bit number formats to a date that parses (clamped to the range).
  if (size >= 8) {
    ft::Version any;
    std::memcpy(&any, data, sizeof any);
    auto back = ft::protocol::parse_http_date(ft::protocol::format_http_date(any));
    if (!back || !ft::version_in_range(*back)) __builtin_trap();
    if (ft::version_in_range(any) && *back != any) __builtin_trap();
  }
  return 0;
}
