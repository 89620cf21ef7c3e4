// The server's reading of a request target (path, %-escapes, query) and of
// the headers it parses by hand (Accept, Accept-Encoding, last_modified),
// as the router and the handlers call them. Input: "target\nheader".
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "filetracker/protocol.hpp"
#include "http/request_rules.hpp"

using namespace ft::server;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto newline = input.find('\n');
  std::string_view target = input.substr(0, newline);
  std::string_view header = newline == std::string_view::npos ? std::string_view() : input.substr(newline + 1);
  try {
    Target parsed = parse_target(target);
    // What parse_target promises: an absolute path without "..".
    if (parsed.path.empty() || parsed.path.front() != '/') __builtin_trap();
    try {
      check_file_name(parsed.path);
      // A valid file name is valid UTF-8 with no control byte.
      if (!ft::is_valid_utf8(parsed.path)) __builtin_trap();
      for (unsigned char c : parsed.path)
        if (c < 0x20 || c == 0x7f) __builtin_trap();
    } catch (const RequestError& e) {
      if (std::string_view(e.what()).find('\0') != std::string_view::npos) __builtin_trap();
    }
    try {
      check_directory_name(parsed.path);
    } catch (const RequestError&) {
    }
    try {
      if (auto version = query_version(parsed, false))
        if (!ft::version_in_range(*version)) __builtin_trap();
    } catch (const RequestError&) {
    }
  } catch (const RequestError&) {
  }
  (void)accepts_gzip(header);
  (void)accepts_json(header);
  (void)ft::protocol::parse_query(header);
  return 0;
}
