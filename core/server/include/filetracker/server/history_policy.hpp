// How much version history the server keeps (--keep-versions N,
// --keep-for DURATION). A PUT of other content, or a restore, supersedes the
// current version; with history on, the superseded version is kept (its
// blob shared with every other version and name of that content) until a
// bound removes it:
//   keep_versions > 0   only the newest N superseded versions of each name
//   keep_for > 0        only versions superseded less than this long ago
// Both set: a version goes as soon as either bound says so. Both 0 (the
// default): no history, today's behaviour; rows kept by an earlier run stay
// (and stay readable) until purged.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string_view>

namespace ft::server {

struct HistoryPolicy {
  std::size_t keep_versions = 0;
  std::chrono::seconds keep_for{0};
  bool enabled() const { return keep_versions > 0 || keep_for.count() > 0; }
};

// "90" or "90s", "15m", "12h", "7d", "2w" -> seconds. nullopt for anything
// else (no sign, no fraction, no overflow, not 0).
std::optional<std::chrono::seconds> parse_history_duration(std::string_view text);

}  // namespace ft::server
