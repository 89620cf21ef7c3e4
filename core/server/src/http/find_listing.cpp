// The `find` extension of GET /list/D (JSON only): the files below D whose
// names match a glob (filetracker/name_pattern.hpp) and whose size and
// version lie within optional bounds, evaluated on the index — a range scan
// of the glob's literal directory in name order, never a directory walk —
// and answered in pages, so a million matches never become one answer in
// memory: at most `limit` files (kFindPageFiles) or kFindPageScan index
// rows per answer, with "next" naming where the following page starts.
#include <charconv>
#include <limits>

#include "filetracker/error.hpp"
#include "filetracker/find_query.hpp"
#include "filetracker/protocol.hpp"
#include "http/find_listing.hpp"

namespace ft::server {

namespace {

const char* const kFindParameters[] = {"pattern", "min_size", "max_size", "newer", "older", "after", "limit"};

std::optional<std::int64_t> integer_parameter(const Target& target, const char* key, std::int64_t lo,
                                              std::int64_t hi) {
  auto it = target.query.find(key);
  if (it == target.query.end()) return std::nullopt;
  const std::string& text = it->second;
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value < lo || value > hi)
    throw RequestError(400, std::string(key) + " is not an integer from " + std::to_string(lo) + " to " +
                                std::to_string(hi) + ": " + quoted_name(text));
  return value;
}

bool below(std::string_view name, std::string_view dir) {
  if (dir == "/") return true;
  return name.size() > dir.size() && name.substr(0, dir.size()) == dir && name[dir.size()] == '/';
}

}  // namespace

bool is_find_request(const Target& target) {
  for (const char* key : kFindParameters)
    if (target.query.count(key)) return true;
  return false;
}

protocol::Listing find_listing(Index& index, const Target& target, Version cutoff,
                               const std::function<bool(std::string_view name)>& visible) {
  const std::string& dir = target.path;
  FindQuery query;
  if (auto it = target.query.find("pattern"); it != target.query.end()) query.pattern = it->second;
  constexpr std::int64_t kMaxSize = std::numeric_limits<std::int64_t>::max();
  if (auto v = integer_parameter(target, "min_size", 0, kMaxSize)) query.min_size = static_cast<std::uint64_t>(*v);
  if (auto v = integer_parameter(target, "max_size", 0, kMaxSize)) query.max_size = static_cast<std::uint64_t>(*v);
  query.newer = integer_parameter(target, "newer", kMinVersion, kMaxVersion);
  query.older = integer_parameter(target, "older", kMinVersion, kMaxVersion);
  const auto limit = static_cast<std::size_t>(
      integer_parameter(target, "limit", 1, protocol::kFindPageFiles).value_or(protocol::kFindPageFiles));
  std::string after;
  if (auto it = target.query.find("after"); it != target.query.end()) {
    after = it->second;
    if (after.empty() || after[0] != '/') throw RequestError(400, "after is not an absolute name: " + quoted_name(after));
  }
  std::optional<FindFilter> filter;
  try {
    filter.emplace(query, dir);
  } catch (const Error& e) {
    throw RequestError(400, e.what());
  }

  // Scan the deeper of D and the glob's literal directory; when neither
  // holds the other, nothing below D can match.
  const std::string& literal = filter->pattern().literal_directory();
  protocol::Listing listing;
  listing.directory = dir;
  std::string scan;
  if (below(literal, dir) || literal == dir)
    scan = literal;
  else if (below(dir, literal))
    scan = dir;
  else
    return listing;

  const std::size_t prefix = dir == "/" ? 1 : dir.size() + 1;
  std::size_t scanned = 0;
  index.list_ordered(scan, after, cutoff, [&](const FileRecord& r) {
    ++scanned;
    if (filter->matches(r.name, r.version, r.size) && visible(r.name))
      listing.files.push_back(protocol::ListEntry{r.name.substr(prefix), r.version, r.size, r.sha256});
    if (listing.files.size() >= limit || scanned >= protocol::kFindPageScan) {
      listing.next = r.name;
      return false;
    }
    return true;
  });
  return listing;
}

}  // namespace ft::server
