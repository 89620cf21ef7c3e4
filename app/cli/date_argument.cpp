#include "date_argument.hpp"

#include <cctype>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <string>

#include "filetracker/error.hpp"

namespace ft::cli {

namespace {

// Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar (Howard
// Hinnant's days_from_civil): no time zone, no timegm() range limits.
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

}  // namespace

Version parse_date_argument(std::string_view text, std::string_view option) {
  auto bad = [&] {
    return Error(ErrorCode::InvalidArgument,
                 std::string(option) + ": not a date (Unix seconds, YYYY-MM-DD or \"YYYY-MM-DD HH:MM:SS\", UTC, years "
                                       "1900 to 9999): " + quoted_name(text));
  };
  if (text.empty()) throw bad();
  Version value = 0;
  if (text.find('-', 1) == std::string_view::npos) {
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || !version_in_range(value)) throw bad();
    return value;
  }
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  char sep = 0;
  int consumed = 0;
  const std::string copy(text);
  if (copy.size() == 10) {
    if (std::sscanf(copy.c_str(), "%4d-%2d-%2d%n", &y, &mo, &d, &consumed) != 3 || consumed != 10) throw bad();
  } else if (copy.size() == 19) {
    if (std::sscanf(copy.c_str(), "%4d-%2d-%2d%c%2d:%2d:%2d%n", &y, &mo, &d, &sep, &h, &mi, &s, &consumed) != 7 ||
        consumed != 19 || (sep != ' ' && sep != 'T'))
      throw bad();
  } else {
    throw bad();
  }
  for (char c : copy)
    if (!(std::isdigit(static_cast<unsigned char>(c)) || c == '-' || c == ':' || c == ' ' || c == 'T')) throw bad();
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y < 1900 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > kDays[mo - 1] + (mo == 2 && leap(y)) || h > 23 ||
      mi > 59 || s > 59 || h < 0 || mi < 0 || s < 0)
    throw bad();
  value = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400 + h * 3600 + mi * 60 + s;
  if (!version_in_range(value)) throw bad();
  return value;
}

}  // namespace ft::cli
