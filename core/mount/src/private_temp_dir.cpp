#include "filetracker/mount/private_temp_dir.hpp"

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <system_error>

#include "filetracker/error.hpp"

namespace ft::mount {

namespace fs = std::filesystem;

PrivateTempDir::PrivateTempDir(const fs::path& cache_dir) {
  std::error_code ec;
  fs::create_directories(cache_dir, ec);
  if (ec) throw Error(ErrorCode::Io, cache_dir.string() + ": cannot create the cache directory: " + ec.message());
  std::string pattern = (cache_dir / ("mount." + std::to_string(::getpid()) + ".XXXXXX")).string();
  if (!::mkdtemp(pattern.data())) throw_errno(pattern + ": cannot create the mount's temporary directory");
  path_ = pattern;
}

PrivateTempDir::~PrivateTempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

fs::path PrivateTempDir::unique_path(const std::string& prefix) {
  return path_ / (prefix + "." + std::to_string(counter_.fetch_add(1) + 1));
}

int PrivateTempDir::remove_leftovers(const fs::path& cache_dir) {
  int removed = 0;
  std::error_code ec;
  for (fs::directory_iterator it(cache_dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string base = it->path().filename().string();
    if (base.rfind("mount.", 0) != 0) continue;
    auto dot = base.find('.', 6);
    if (dot == std::string::npos) continue;
    long pid = 0;
    auto [ptr, err] = std::from_chars(base.data() + 6, base.data() + dot, pid);
    if (err != std::errc() || ptr != base.data() + dot || pid <= 0) continue;
    if (pid == ::getpid() || ::kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH) continue;
    // Only a real directory of ours: never follow a planted symlink.
    struct stat st {};
    if (::lstat(it->path().c_str(), &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != ::geteuid()) continue;
    std::error_code rec;
    fs::remove_all(it->path(), rec);
    if (!rec) ++removed;
  }
  return removed;
}

}  // namespace ft::mount
