// What a client reads from the headers of an answer to GET/HEAD /files
// (decode_file_headers, body_expectation) and the one-line error it makes
// of an X-Exception. Input: header lines "Name: value".
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "body_verifier.hpp"
#include "filetracker/error.hpp"
#include "filetracker/protocol.hpp"

namespace p = ft::protocol;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::multimap<std::string, std::string> headers;
  std::size_t start = 0;
  while (start < input.size()) {
    auto end = input.find('\n', start);
    if (end == std::string_view::npos) end = input.size();
    std::string_view line = input.substr(start, end - start);
    auto colon = line.find(':');
    if (colon != std::string_view::npos)
      headers.emplace(p::to_lower(line.substr(0, colon)), std::string(line.substr(colon + 1)));
    start = end + 1;
  }
  p::HeaderLookup lookup = [&](std::string_view name) -> std::optional<std::string> {
    auto it = headers.find(p::to_lower(name));
    if (it == headers.end()) return std::nullopt;
    return it->second;
  };
  p::FileHeaders decoded = p::decode_file_headers(lookup);
  if (decoded.version && !ft::version_in_range(*decoded.version)) __builtin_trap();
  if (!decoded.sha256.empty() && !p::is_sha256_hex(decoded.sha256)) __builtin_trap();
  try {
    (void)ft::body_expectation(decoded);
  } catch (const ft::Error&) {
  }
  if (auto reason = lookup(p::kXException)) {
    std::string message = p::describe_http_error("/n", 400, *reason);
    for (unsigned char c : message)
      if (c < 0x20 || c >= 0x7f) __builtin_trap();
  }
  return 0;
}
