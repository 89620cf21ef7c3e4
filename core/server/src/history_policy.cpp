#include "filetracker/server/history_policy.hpp"

#include <cstdint>
#include <limits>

namespace ft::server {

std::optional<std::chrono::seconds> parse_history_duration(std::string_view text) {
  std::int64_t unit = 1;  // a bare number is seconds
  if (!text.empty()) {
    switch (text.back()) {
      case 's': unit = 1; break;
      case 'm': unit = 60; break;
      case 'h': unit = 3600; break;
      case 'd': unit = 86400; break;
      case 'w': unit = 7 * 86400; break;
      default: unit = 0; break;
    }
    if (unit) text.remove_suffix(1);
    else unit = 1;
  }
  if (text.empty() || text.size() > 12) return std::nullopt;
  std::int64_t n = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + (c - '0');
  }
  if (n == 0 || n > std::numeric_limits<std::int64_t>::max() / unit) return std::nullopt;
  return std::chrono::seconds(n * unit);
}

}  // namespace ft::server
