#include "filetracker/cache_check.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <ctime>
#include <optional>

#include "filetracker/atomic_file.hpp"
#include "filetracker/confined_dir.hpp"
#include "filetracker/error.hpp"
#include "filetracker/local_data_store.hpp"
#include "filetracker/lock_manager.hpp"
#include "filetracker/name.hpp"
#include "filetracker/size_string.hpp"

namespace ft {

namespace {

using Kind = CacheDebris::Kind;

// The directory `name` of `root`, or nullopt when it is missing; a symbolic
// link there is reported (the whole area is then skipped).
std::optional<ConfinedDir> open_area(const ConfinedDir& root, const std::string& name, CacheDebris& debris) {
  int fd = root.open_directory(name, false);
  if (fd >= 0) {
    ::close(fd);
    return root.subdirectory(name, false);
  }
  if (is_symlink_error(-fd)) debris.entries.push_back({Kind::Symlink, root.path(), name, 0, false});
  else if (fd != -ENOENT) throw_errno(root.describe(name) + ": cannot open", -fd);
  return std::nullopt;
}

// "dir/.base.tmp.x1y2" -> "/dir/base": the name whose write left it.
std::optional<std::string> name_of_temporary(const std::string& relative) {
  auto [parent, base] = split_relative(relative);
  const auto tmp = base.rfind(".tmp.");
  if (base.size() < 2 || base[0] != '.' || tmp == std::string::npos || tmp < 1) return std::nullopt;
  std::string name = "/" + (parent.empty() ? std::string() : parent + "/") + base.substr(1, tmp - 1);
  if (name_error(name, false)) return std::nullopt;
  return name;
}

// Whether somebody holds the lock of `name` (a writer at work). Opens an
// existing lock file only: a missing one is held by nobody, and a scan
// creates nothing.
bool name_locked(const std::optional<ConfinedDir>& locks, const std::string& name) {
  if (!locks) return false;
  UniqueFd fd(locks->open_file(name.substr(1), O_RDONLY | O_NONBLOCK));
  if (!fd) return false;
  if (::flock(fd.get(), LOCK_EX | LOCK_NB) == 0) return false;  // free (closing releases it)
  return errno == EWOULDBLOCK;
}

void scan_area(const ConfinedDir& area, const std::filesystem::path& root, const std::string& prefix,
               const std::optional<ConfinedDir>& files, const std::optional<ConfinedDir>& locks,
               std::chrono::seconds min_age, CacheDebris& debris) {
  const time_t cutoff = ::time(nullptr) - static_cast<time_t>(min_age.count());
  const bool is_meta = prefix == "meta/";
  area.walk([&](const std::string& relative, const struct stat& st) {
    const std::string where = prefix + relative;
    if (S_ISDIR(st.st_mode)) return true;
    if (S_ISLNK(st.st_mode)) {
      debris.entries.push_back({Kind::Symlink, root, where, 0, false});
      return false;
    }
    if (!S_ISREG(st.st_mode)) {
      debris.entries.push_back({Kind::Special, root, where, 0, false});
      return false;
    }
    if (is_temp_name(split_relative(relative).second)) {
      const auto name = name_of_temporary(relative);
      const bool stale = st.st_mtime <= cutoff && !(name && name_locked(locks, *name));
      debris.entries.push_back({Kind::Temporary, root, where, static_cast<std::uint64_t>(st.st_size), stale});
      return false;
    }
    if (is_meta && files) {
      UniqueFd fd(files->open_file(relative, O_PATH));
      struct stat file {};
      if (!fd || ::fstat(fd.get(), &file) != 0 || !S_ISREG(file.st_mode))
        debris.entries.push_back({Kind::OrphanRecord, root, where, static_cast<std::uint64_t>(st.st_size), true});
    }
    return false;
  });
}

bool remove_entry_at(const CacheDebris::Entry& entry, std::string& error) {
  try {
    ConfinedDir root = ConfinedDir::open(entry.root, false);
    auto [parent, base] = split_relative(entry.relative);
    UniqueFd dir(root.open_directory(parent, false));
    if (!dir) {
      if (-dir.get() == ENOENT) return false;
      error = root.describe(parent) + ": cannot open: " + std::generic_category().message(-dir.get());
      return false;
    }
    // unlinkat never follows: a symbolic link itself is what goes.
    if (::unlinkat(dir.get(), base.c_str(), 0) != 0) {
      if (errno == ENOENT) return false;
      error = entry.path().string() + ": cannot remove: " + std::generic_category().message(errno);
      return false;
    }
    // Directories left empty below files/ and meta/ go too (as a delete does).
    const auto slash = entry.relative.find('/');
    if (slash != std::string::npos && (entry.relative.rfind("files/", 0) == 0 || entry.relative.rfind("meta/", 0) == 0)) {
      ConfinedDir area = root.subdirectory(entry.relative.substr(0, slash), false);
      area.remove_empty_directories(split_relative(entry.relative.substr(slash + 1)).first);
    }
    return true;
  } catch (const std::exception& e) {
    error = e.what();
    return false;
  }
}

}  // namespace

std::size_t CacheDebris::count(Kind kind) const {
  std::size_t n = 0;
  for (const auto& e : entries) n += e.kind == kind;
  return n;
}

std::uint64_t CacheDebris::bytes(Kind kind) const {
  std::uint64_t n = 0;
  for (const auto& e : entries)
    if (e.kind == kind) n += e.bytes;
  return n;
}

CacheDebris find_cache_debris(const CacheLocation& cache, std::chrono::seconds min_age) {
  CacheDebris debris;
  std::error_code ec;
  if (!std::filesystem::is_directory(cache.cache_dir, ec)) return debris;
  const ConfinedDir root = ConfinedDir::open(cache.cache_dir, false);
  const std::optional<ConfinedDir> files = open_area(root, "files", debris);
  const std::optional<ConfinedDir> meta = open_area(root, "meta", debris);
  std::optional<ConfinedDir> locks;
  const std::filesystem::path locks_dir = locks_dir_of(cache);
  if (std::filesystem::is_directory(locks_dir, ec)) locks = ConfinedDir::open(locks_dir, false);
  if (files) scan_area(*files, cache.cache_dir, "files/", files, locks, min_age, debris);
  if (meta) scan_area(*meta, cache.cache_dir, "meta/", files, locks, min_age, debris);
  if (locks) {
    // Lock files are empty regular files: only symbolic links are damage.
    locks->walk([&](const std::string& relative, const struct stat& st) {
      if (S_ISLNK(st.st_mode)) debris.entries.push_back({Kind::Symlink, locks_dir, relative, 0, false});
      return S_ISDIR(st.st_mode);
    });
  }
  return debris;
}

DebrisRemoval remove_cache_debris(const CacheLocation& cache, std::chrono::seconds min_age) {
  DebrisRemoval result;
  for (const auto& entry : find_cache_debris(cache, min_age).entries) {
    if (entry.kind == Kind::Temporary && !entry.stale) continue;
    std::string error;
    if (remove_entry_at(entry, error))
      result.removed.push_back(entry);
    else if (!error.empty())
      result.errors.push_back(error);
  }
  return result;
}

std::string describe(const CacheDebris::Entry& entry) {
  const std::string path = entry.path().string();
  switch (entry.kind) {
    case Kind::Symlink:
      return path + ": a symbolic link in the cache (damage)";
    case Kind::Special:
      return path + ": not a regular file (damage)";
    case Kind::Temporary:
      return path + ": temporary file of an interrupted write (" + format_size(entry.bytes) +
             (entry.stale ? ")" : ", in use or recent: kept)");
    case Kind::OrphanRecord:
      return path + ": checksum record of a file that is gone";
  }
  return path;
}

CacheVerifyReport verify_cache(const CacheLocation& cache, const VerifyProgress& progress) {
  CacheVerifyReport report;
  const std::vector<CachedFile> files = scan_caches({cache});
  std::optional<LocalDataStore> store;
  std::optional<FlockLockManager> locks;
  if (!files.empty()) {
    store.emplace(cache.cache_dir);
    locks.emplace(locks_dir_of(cache));
  }
  for (std::size_t i = 0; i < files.size(); ++i) {
    if (progress && !progress(i, files.size())) {
      report.cancelled = true;
      break;
    }
    const CachedFile& f = files[i];
    try {
      auto lock = locks->lock_for(f.file.name);
      lock->lock_shared();  // no writer replaces it while it is read
      const LocalDataStore::FileCheck check = store->verify_file(f.file.name);
      switch (check.state) {
        case LocalDataStore::FileCheck::State::Intact:
          break;
        case LocalDataStore::FileCheck::State::Recorded:
          ++report.recorded;
          break;
        case LocalDataStore::FileCheck::State::Damaged:
          report.damaged.push_back(f);
          report.problems.push_back(check.message);
          break;
        case LocalDataStore::FileCheck::State::Symlink:
          report.problems.push_back(check.message);
          break;
        case LocalDataStore::FileCheck::State::Missing:
          continue;  // deleted meanwhile
      }
      ++report.files;
      report.bytes += f.file.size;
    } catch (const std::exception& e) {
      report.problems.push_back(f.file.name + ": cannot verify: " + e.what());
    }
  }
  if (progress && !report.cancelled) progress(files.size(), files.size());
  report.debris = find_cache_debris(cache);
  for (const auto& entry : report.debris.entries)
    if (entry.kind == Kind::Symlink || entry.kind == Kind::Special) report.problems.push_back(describe(entry));
  return report;
}

TempCleanup remove_stale_temp_files(const std::filesystem::path& cache_dir, std::chrono::seconds min_age) {
  TempCleanup result;
  const CacheLocation cache{cache_dir, {}};
  for (const auto& entry : find_cache_debris(cache, min_age).entries) {
    if (entry.kind != Kind::Temporary || !entry.stale) continue;
    std::string error;
    if (remove_entry_at(entry, error)) {
      result.removed.push_back(entry.path());
      result.bytes += entry.bytes;
    }
  }
  return result;
}

}  // namespace ft
