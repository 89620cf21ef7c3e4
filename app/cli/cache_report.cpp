#include "cache_report.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "filetracker/name.hpp"

namespace ft::cli {
namespace {

using json = nlohmann::ordered_json;

// Held by another process right now (a client reading or writing the file):
// its lock file exists and an exclusive lock cannot be had at once.
bool lock_is_held(const std::filesystem::path& lock_file) {
  int fd = ::open(lock_file.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) return false;
  bool held = ::flock(fd, LOCK_EX | LOCK_NB) != 0 && errno == EWOULDBLOCK;
  ::close(fd);  // (releases the lock when we got it)
  return held;
}

}  // namespace

std::string cache_report_json(const ft::CacheLocation& location) {
  auto files = ft::scan_caches({location});
  std::sort(files.begin(), files.end(),
            [](const ft::CachedFile& a, const ft::CachedFile& b) { return a.file.name < b.file.name; });
  const std::filesystem::path locks = ft::locks_dir_of(location);
  const std::filesystem::path content = location.cache_dir / "files";
  json list = json::array();
  std::uint64_t bytes = 0, in_use = 0;
  for (const auto& f : files) {
    const ft::SplitName split = ft::split_name(f.file.name);
    const std::string relative = split.name.substr(1);  // names are absolute
    json entry;
    entry["name"] = split.name;
    entry["version"] = f.file.mtime;
    entry["versioned_name"] = f.file.name;
    entry["date"] = format_version_date(f.file.mtime);
    entry["size"] = f.file.size;
    struct stat st;
    if (::lstat((content / relative).c_str(), &st) == 0)
      entry["accessed"] = static_cast<std::int64_t>(st.st_atime);
    else
      entry["accessed"] = nullptr;
    const bool held = lock_is_held(locks / relative);
    entry["in_use"] = held;
    bytes += f.file.size;
    in_use += held;
    list.push_back(std::move(entry));
  }
  json report;
  report["format"] = "filetracker-cache-report";
  report["format_version"] = 1;
  report["cache_dir"] = location.cache_dir.string();
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) == 0) report["host"] = host;  // which judge machine
  report["generated"] =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  report["files"] = std::move(list);
  report["totals"] = json{{"files", files.size()}, {"bytes", bytes}, {"in_use", in_use}};
  // Names are valid UTF-8 (the cache refuses others); replace, never throw, for a damaged one.
  return report.dump(1, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace ft::cli
