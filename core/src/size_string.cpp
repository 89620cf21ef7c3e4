#include "filetracker/size_string.hpp"

#include <array>
#include <cctype>
#include <cstdio>
#include <limits>

#include "filetracker/error.hpp"

namespace ft {

namespace {

struct Unit {
  char symbol;  // canonical (the one printed)
  char other;   // the other case, also accepted
  std::uint64_t factor;
};

constexpr std::array<Unit, 5> kSizeUnits{{{'T', 't', 1ULL << 40},
                                          {'G', 'g', 1ULL << 30},
                                          {'M', 'm', 1ULL << 20},
                                          {'K', 'k', 1ULL << 10},
                                          {'B', 'b', 1}}};
constexpr std::array<Unit, 4> kTimeUnits{{{'d', 'D', 86400}, {'h', 'H', 3600}, {'m', 'M', 60}, {'s', 'S', 1}}};

template <std::size_t N>
std::uint64_t parse_units(std::string_view text, const std::array<Unit, N>& units, const char* what,
                          const char* help) {
  auto fail = [&](const std::string& why) -> std::uint64_t {
    throw Error(ErrorCode::InvalidArgument,
                std::string("invalid ") + what + " \"" + std::string(text) + "\": " + why + " (" + help + ")");
  };
  std::string_view s = text;
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  if (s.empty()) return fail("it is empty");
  constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();
  std::uint64_t total = 0;
  std::uint64_t value = 0;
  bool have_digits = false;
  for (char c : s) {
    if (c >= '0' && c <= '9') {
      const auto digit = static_cast<std::uint64_t>(c - '0');
      if (value > (kMax - digit) / 10) return fail("the number is too large");
      value = value * 10 + digit;
      have_digits = true;
      continue;
    }
    const Unit* unit = nullptr;
    for (const Unit& u : units) {
      if (c == u.symbol || c == u.other) unit = &u;
    }
    if (unit == nullptr) {
      if (std::isprint(static_cast<unsigned char>(c))) return fail(std::string("unknown unit \"") + c + "\"");
      return fail("unexpected character");
    }
    if (!have_digits) return fail(std::string("unit \"") + c + "\" has no number before it");
    if (value > kMax / unit->factor || value * unit->factor > kMax - total) return fail("it is too large");
    total += value * unit->factor;
    value = 0;
    have_digits = false;
  }
  if (have_digits) return fail("the number " + std::to_string(value) + " at the end has no unit");
  return total;
}

template <std::size_t N>
std::string format_exact(std::uint64_t amount, const std::array<Unit, N>& units) {
  std::string out;
  for (const Unit& u : units) {
    if (amount >= u.factor) {
      out += std::to_string(amount / u.factor) + u.symbol;
      amount %= u.factor;
    }
  }
  if (out.empty()) out = std::string("0") + units.back().symbol;
  return out;
}

}  // namespace

std::uint64_t parse_size(std::string_view text) {
  return parse_units(text, kSizeUnits, "size", "use B, K, M, G or T, e.g. 1G512M");
}

std::string format_size(std::uint64_t bytes) {
  const Unit* unit = &kSizeUnits.back();
  for (const Unit& u : kSizeUnits) {
    if (bytes >= u.factor) {
      unit = &u;
      break;
    }
  }
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.3f%c", static_cast<double>(bytes) / static_cast<double>(unit->factor),
                unit->symbol);
  return buffer;
}

std::string format_size_exact(std::uint64_t bytes) { return format_exact(bytes, kSizeUnits); }

std::chrono::seconds parse_duration(std::string_view text) {
  const std::uint64_t seconds = parse_units(text, kTimeUnits, "duration", "use s, m, h or d, e.g. 1h30m");
  if (seconds > static_cast<std::uint64_t>(std::numeric_limits<std::chrono::seconds::rep>::max())) {
    throw Error(ErrorCode::InvalidArgument, "invalid duration \"" + std::string(text) + "\": it is too large");
  }
  return std::chrono::seconds(static_cast<std::chrono::seconds::rep>(seconds));
}

std::string format_duration(std::chrono::seconds duration) {
  if (duration.count() < 0) return "-" + format_exact(static_cast<std::uint64_t>(-duration.count()), kTimeUnits);
  return format_exact(static_cast<std::uint64_t>(duration.count()), kTimeUnits);
}

}  // namespace ft
