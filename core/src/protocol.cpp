#include "filetracker/protocol.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <nlohmann/json.hpp>

#include "filetracker/error.hpp"

namespace ft::protocol {

namespace {

constexpr std::array<std::string_view, 7> kWeekdays = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};
constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

// Howard Hinnant's days_from_civil: days since 1970-01-01 of a proleptic
// Gregorian date; valid for any year we can see.
long long days_from_civil(long long y, unsigned m, unsigned d) {
  y -= m <= 2;
  const long long era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<long long>(doe) - 719468;
}

void civil_from_days(long long z, long long& y, unsigned& m, unsigned& d) {
  z += 719468;
  const long long era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<long long>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y += (m <= 2);
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

template <typename T>
bool to_int(std::string_view s, T& out) {
  if (!all_digits(s)) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}

std::vector<std::string_view> split_tokens(std::string_view text) {
  std::vector<std::string_view> tokens;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == ',')) ++i;
    std::size_t start = i;
    while (i < text.size() && text[i] != ' ' && text[i] != '\t' && text[i] != ',') ++i;
    if (i > start) tokens.push_back(text.substr(start, i - start));
  }
  return tokens;
}

// Offset in seconds east of UTC for a zone token, nullopt if unknown.
std::optional<long long> zone_offset(std::string_view zone) {
  if (zone.size() == 5 && (zone[0] == '+' || zone[0] == '-') && all_digits(zone.substr(1))) {
    int hh = (zone[1] - '0') * 10 + (zone[2] - '0');
    int mm = (zone[3] - '0') * 10 + (zone[4] - '0');
    if (mm > 59) return std::nullopt;
    long long off = hh * 3600LL + mm * 60LL;
    return zone[0] == '-' ? -off : off;
  }
  struct Named {
    std::string_view name;
    int hours;
  };
  // RFC 2822 section 4.3 obsolete zones, as Python's email.utils knows them.
  static constexpr Named kNamed[] = {{"GMT", 0},  {"UT", 0},   {"UTC", 0},  {"Z", 0},    {"EST", -5},
                                     {"EDT", -4}, {"CST", -6}, {"CDT", -5}, {"MST", -7}, {"MDT", -6},
                                     {"PST", -8}, {"PDT", -7}};
  for (const auto& n : kNamed)
    if (iequals(zone, n.name)) return n.hours * 3600LL;
  return std::nullopt;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      int hi = hex_value(text[i + 1]);
      int lo = hex_value(text[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

bool is_unreserved(unsigned char c) {
  return std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~';
}

void append_escape(std::string& out, unsigned char c) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  out += '%';
  out += kHex[c >> 4];
  out += kHex[c & 15];
}

}  // namespace

std::string format_http_date(Version unix_seconds) {
  // REQUIRES: version_in_range(unix_seconds); clamped so that no input can
  // overflow the arithmetic below or print a year of more than four digits.
  unix_seconds = std::clamp(unix_seconds, kMinVersion, kMaxVersion);
  long long days = unix_seconds >= 0 ? unix_seconds / 86400 : -((-unix_seconds + 86399) / 86400);
  long long secs = unix_seconds - days * 86400;
  long long y;
  unsigned m, d;
  civil_from_days(days, y, m, d);
  long long wd = ((days % 7) + 7) % 7;  // 1970-01-01 was a Thursday
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %02u %s %04lld %02lld:%02lld:%02lld GMT", kWeekdays[wd].data(), d,
                kMonths[m - 1].data(), y, secs / 3600, (secs / 60) % 60, secs % 60);
  return buf;
}

std::optional<Version> parse_http_date(std::string_view text) {
  auto tokens = split_tokens(text);
  std::size_t i = 0;
  if (i < tokens.size() && !tokens[i].empty() && std::isalpha(static_cast<unsigned char>(tokens[i][0]))) {
    bool weekday = false;
    for (auto w : kWeekdays) weekday = weekday || iequals(tokens[i], w);
    if (!weekday) return std::nullopt;
    ++i;
  }
  if (tokens.size() - i != 5) return std::nullopt;
  unsigned day = 0;
  long long year = 0;
  if (!to_int(tokens[i], day) || day < 1 || day > 31) return std::nullopt;
  unsigned month = 0;
  for (unsigned k = 0; k < 12; ++k)
    if (iequals(tokens[i + 1], kMonths[k])) month = k + 1;
  if (month == 0) return std::nullopt;
  // At most four digits: years 1900 to 9999 (kMinVersion..kMaxVersion), so
  // no year can overflow the arithmetic below.
  if (tokens[i + 2].size() > 4 || !to_int(tokens[i + 2], year)) return std::nullopt;
  if (tokens[i + 2].size() == 2) year += year < 50 ? 2000 : 1900;  // RFC 2822 obsolete 2-digit years
  if (year < 1900) return std::nullopt;
  // Time: HH:MM or HH:MM:SS
  std::string_view t = tokens[i + 3];
  int hh = 0, mm = 0, ss = 0;
  auto c1 = t.find(':');
  if (c1 == std::string_view::npos) return std::nullopt;
  auto c2 = t.find(':', c1 + 1);
  if (!to_int(t.substr(0, c1), hh)) return std::nullopt;
  if (c2 == std::string_view::npos) {
    if (!to_int(t.substr(c1 + 1), mm)) return std::nullopt;
  } else {
    if (!to_int(t.substr(c1 + 1, c2 - c1 - 1), mm) || !to_int(t.substr(c2 + 1), ss)) return std::nullopt;
  }
  if (hh > 23 || mm > 59 || ss > 60) return std::nullopt;
  // Reject days past the end of the month (e.g. 31 Feb).
  static constexpr unsigned kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  if (day > kDays[month - 1] || (month == 2 && day == 29 && !leap)) return std::nullopt;
  auto offset = zone_offset(tokens[i + 4]);
  if (!offset) return std::nullopt;
  long long days = days_from_civil(year, month, day);
  Version version = days * 86400 + hh * 3600LL + mm * 60LL + ss - *offset;
  // A zone offset can still push the first or last day of the range out.
  if (!version_in_range(version)) return std::nullopt;
  return version;
}

std::string encode_path(std::string_view name) {
  std::string out;
  out.reserve(name.size() + 8);
  for (unsigned char c : name) {
    if (c == '/' || is_unreserved(c))
      out += static_cast<char>(c);
    else
      append_escape(out, c);
  }
  return out;
}

std::optional<std::string> decode_path(std::string_view path) { return percent_decode(path, false); }

std::string form_encode(std::string_view value) {
  std::string out;
  out.reserve(value.size() + 8);
  for (unsigned char c : value) {
    if (c == ' ')
      out += '+';
    else if (is_unreserved(c))
      out += static_cast<char>(c);
    else
      append_escape(out, c);
  }
  return out;
}

std::optional<std::string> form_decode(std::string_view value) { return percent_decode(value, true); }

std::map<std::string, std::string> parse_query(std::string_view query) {
  std::map<std::string, std::string> out;
  std::size_t start = 0;
  while (start <= query.size()) {
    auto end = query.find('&', start);
    if (end == std::string_view::npos) end = query.size();
    std::string_view pair = query.substr(start, end - start);
    if (!pair.empty()) {
      auto eq = pair.find('=');
      auto key = form_decode(pair.substr(0, eq));
      auto value = eq == std::string_view::npos ? std::optional<std::string>("") : form_decode(pair.substr(eq + 1));
      if (key && value) out.emplace(std::move(*key), std::move(*value));
    }
    start = end + 1;
  }
  return out;
}

std::string files_target(std::string_view name, std::optional<Version> version) {
  std::string target = "/files" + encode_path(name);
  if (version) target += "?last_modified=" + form_encode(format_http_date(*version));
  return target;
}

std::string list_target(std::string_view directory, std::optional<Version> version, bool recursive) {
  std::string target = "/list" + encode_path(directory);
  if (target == "/list") target += "/";
  char sep = '?';
  if (version) {
    target += sep;
    target += "last_modified=" + form_encode(format_http_date(*version));
    sep = '&';
  }
  if (!recursive) {
    target += sep;
    target += "recursive=0";
  }
  return target;
}

std::string find_target(std::string_view directory, const FindQuery& query, std::string_view after,
                        std::size_t limit) {
  std::string target = list_target(directory);
  target += "?pattern=" + form_encode(query.pattern);
  if (query.min_size) target += "&min_size=" + std::to_string(*query.min_size);
  if (query.max_size) target += "&max_size=" + std::to_string(*query.max_size);
  if (query.newer) target += "&newer=" + std::to_string(*query.newer);
  if (query.older) target += "&older=" + std::to_string(*query.older);
  if (!after.empty()) target += "&after=" + form_encode(after);
  if (limit) target += "&limit=" + std::to_string(limit);
  return target;
}

bool ServerInfo::has(std::string_view extension) const {
  return std::find(extensions.begin(), extensions.end(), extension) != extensions.end();
}

ServerInfo parse_version_response(int status, std::string_view body) {
  ServerInfo info;
  if (status == 404) {
    info.protocol_version = 1;
    return info;
  }
  if (status != 200)
    throw Error(ErrorCode::Protocol, "/version: unexpected HTTP status " + std::to_string(status));
  auto json = nlohmann::json::parse(body, nullptr, false);
  if (json.is_discarded() || !json.is_object() || !json.contains("protocol_versions") ||
      !json["protocol_versions"].is_array())
    throw Error(ErrorCode::Protocol, "/version: the answer is not the expected JSON");
  int best = 0;
  for (const auto& v : json["protocol_versions"])
    if (v.is_number_integer() && v.get<int>() <= 2) best = std::max(best, v.get<int>());
  if (best == 0) throw Error(ErrorCode::Protocol, "/version: the server speaks no protocol version we know (1 or 2)");
  info.protocol_version = best;
  if (json.contains("extensions") && json["extensions"].is_array())
    for (const auto& e : json["extensions"])
      if (e.is_string()) info.extensions.push_back(e.get<std::string>());
  if (json.contains("server") && json["server"].is_string()) info.server = json["server"].get<std::string>();
  // An "access" member we cannot read is ignored, like an unknown member.
  if (json.contains("access") && json["access"].is_object()) {
    const auto& a = json["access"];
    if (a.contains("name") && a["name"].is_string() && a.contains("level") && a["level"].is_string()) {
      AccessInfo access{a["name"].get<std::string>(), a["level"].get<std::string>(), {}};
      if (a.contains("prefixes") && a["prefixes"].is_array())
        for (const auto& p : a["prefixes"])
          if (p.is_string()) access.prefixes.push_back(p.get<std::string>());
      info.access = std::move(access);
    }
  }
  return info;
}

std::string make_version_response(const std::vector<std::string>& extensions, std::string_view server) {
  nlohmann::json json;
  json["protocol_versions"] = {2};
  if (!extensions.empty()) json["extensions"] = extensions;
  if (!extensions.empty() && !server.empty()) json["server"] = std::string(server);
  return json.dump();
}

std::string add_version_access(std::string_view body, const AccessInfo& access) {
  auto json = nlohmann::json::parse(body);
  json["access"] = {{"name", access.name}, {"level", access.level}, {"prefixes", access.prefixes}};
  return json.dump();
}

std::vector<std::string> parse_plain_list(std::string_view body) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < body.size()) {
    auto end = body.find('\n', start);
    if (end == std::string_view::npos) end = body.size();
    std::string_view line = body.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!line.empty()) out.emplace_back(line);
    start = end + 1;
  }
  return out;
}

Listing parse_json_list(std::string_view body) {
  auto json = nlohmann::json::parse(body, nullptr, false);
  auto bad = [](const std::string& why) { return Error(ErrorCode::Protocol, "JSON listing: " + why); };
  if (json.is_discarded() || !json.is_object()) throw bad("the answer is not a JSON object");
  Listing listing;
  if (json.contains("directory") && json["directory"].is_string()) listing.directory = json["directory"];
  if (!json.contains("files") || !json["files"].is_array()) throw bad("no \"files\" array");
  listing.files.reserve(json["files"].size());
  for (const auto& f : json["files"]) {
    if (!f.is_object() || !f.contains("name") || !f["name"].is_string() || !f.contains("version") ||
        !f["version"].is_number_integer() || !f.contains("size") || !f["size"].is_number_unsigned())
      throw bad("an entry lacks name, version or size");
    ListEntry entry;
    entry.name = f["name"].get<std::string>();
    const auto& version = f["version"];
    // (A number above INT64_MAX is unsigned in nlohmann: compare it as such.)
    if (version.is_number_unsigned() ? version.get<std::uint64_t>() > static_cast<std::uint64_t>(kMaxVersion)
                                     : !version_in_range(version.get<Version>()))
      throw bad("a version is out of range (years 1900 to 9999)");
    entry.version = version.get<Version>();
    entry.size = f["size"].get<std::uint64_t>();
    if (f.contains("sha256") && f["sha256"].is_string()) entry.sha256 = f["sha256"].get<std::string>();
    listing.files.push_back(std::move(entry));
  }
  if (json.contains("directories") && json["directories"].is_array())
    for (const auto& d : json["directories"])
      if (d.is_string()) listing.directories.push_back(d.get<std::string>());
  if (json.contains("next")) {
    if (!json["next"].is_string() || json["next"].get<std::string>().empty()) throw bad("\"next\" is not a name");
    listing.next = json["next"].get<std::string>();
  }
  return listing;
}

std::string make_json_list(const Listing& listing) {
  nlohmann::json files = nlohmann::json::array();
  for (const auto& f : listing.files)
    files.push_back({{"name", f.name}, {"version", f.version}, {"size", f.size}, {"sha256", f.sha256}});
  nlohmann::json json{{"directory", listing.directory}, {"files", std::move(files)},
                      {"directories", listing.directories}};
  if (!listing.next.empty()) json["next"] = listing.next;
  // Names are arbitrary bytes; replace invalid UTF-8 instead of throwing.
  return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string sanitize_reason(std::string_view reason) {
  std::string out;
  out.reserve(std::min<std::size_t>(reason.size(), 400));
  for (unsigned char c : reason) {
    if (out.size() >= 400) break;
    if (c == '\r' || c == '\n' || c == '\t')
      out += ' ';
    else if (c >= 0x20 && c < 0x7f)
      out += static_cast<char>(c);
    else
      out += '?';
  }
  return out;
}

namespace {
std::string_view reason_phrase(int status) {
  switch (status) {
    case 400: return "bad request";
    case 401: return "unauthorized";
    case 403: return "forbidden";
    case 404: return "file not found";
    case 405: return "method not allowed";
    case 408: return "request timeout";
    case 411: return "length required";
    case 413: return "upload too large";
    case 500: return "internal server error";
    case 502: return "bad gateway";
    case 503: return "service unavailable";
    case 504: return "gateway timeout";
    default: return "error";
  }
}
}  // namespace

FileHeaders decode_file_headers(const HeaderLookup& header) {
  FileHeaders out;
  if (auto date = header(kLastModified)) out.version = parse_http_date(trim(*date));
  if (auto sha = header(kSha256Checksum); sha && is_sha256_hex(trim(*sha))) out.sha256 = to_lower(trim(*sha));
  bool coded = false;
  if (auto coding = header(kContentEncoding)) {
    out.gzip = is_gzip_coding(*coding);
    coded = !is_identity_coding(*coding);
    if (coded && !out.gzip) out.unsupported_coding = std::string(trim(*coding));
  }
  if (auto logical = header(kLogicalSize))
    out.logical_size = parse_uint(trim(*logical));
  else if (auto length = header(kContentLength); length && !coded)
    out.logical_size = parse_uint(trim(*length));
  return out;
}

std::string describe_http_error(std::string_view name, int status, std::string_view reason) {
  std::string out;
  if (!name.empty()) {
    out += name;
    out += ": ";
  }
  out += "HTTP " + std::to_string(status) + ": ";
  out += reason.empty() ? std::string(reason_phrase(status)) : sanitize_reason(reason);
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

std::string to_lower(std::string_view text) {
  std::string out(text);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trim(std::string_view s) {
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

bool is_gzip_coding(std::string_view content_coding) {
  auto c = trim(content_coding);
  return iequals(c, "gzip") || iequals(c, "x-gzip");
}

bool is_identity_coding(std::string_view content_coding) {
  auto c = trim(content_coding);
  return c.empty() || iequals(c, "identity");
}

bool is_sha256_hex(std::string_view text) {
  return text.size() == 64 && std::all_of(text.begin(), text.end(), [](char c) { return hex_value(c) >= 0; });
}

std::optional<std::uint64_t> parse_uint(std::string_view text) {
  std::uint64_t value = 0;
  if (!to_int(text, value)) return std::nullopt;
  return value;
}

}  // namespace ft::protocol
