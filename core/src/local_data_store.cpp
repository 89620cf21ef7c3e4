#include "filetracker/local_data_store.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <ctime>
#include <random>
#include <system_error>
#include <vector>

#include "filetracker/atomic_file.hpp"
#include "fd_io.hpp"
#include "fd_istream.hpp"
#include "filetracker/error.hpp"

namespace ft {

namespace {

constexpr std::size_t kCopyBuffer = 1 << 20;

std::string temp_link_name(const std::filesystem::path& destination) {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::string suffix(10, ' ');
  for (auto& c : suffix) c = kAlphabet[rng() % 36];
  // Same pattern as AtomicFile, so is_temp_name() recognises leftovers.
  return "." + destination.filename().string() + ".tmp." + suffix;
}

// Errors meaning "this file system cannot hard-link these two files": the
// caller falls back to copying.
bool link_unsupported(int err) {
  return err == EXDEV || err == EPERM || err == EMLINK || err == ENOTSUP || err == EOPNOTSUPP ||
         err == ENOSYS || err == EACCES;
}

void make_directories(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw Error(ErrorCode::Io, dir.string() + ": cannot create directory: " + ec.message());
}

// Copies an open file into `destination` atomically, with mtime `version`.
void copy_fd_atomically(int fd, const std::filesystem::path& destination, Version version,
                        const std::string& what) {
  AtomicFile out(destination);
  std::vector<char> buffer(kCopyBuffer);
  while (std::size_t n = read_some(fd, buffer.data(), buffer.size(), what, "read failed")) out.write(buffer.data(), n);
  out.commit(version);
}

void copy_file_atomically(const std::filesystem::path& source, const std::filesystem::path& destination,
                          Version version) {
  int fd = ::open(source.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw_errno(source.string() + ": cannot open");
  try {
    copy_fd_atomically(fd, destination, version, source.string());
  } catch (...) {
    ::close(fd);
    throw;
  }
  ::close(fd);
}

// Removes empty directories from `dir` upwards, keeping `root`.
void remove_empty_dirs(std::filesystem::path dir, const std::filesystem::path& root) {
  while (dir != root && dir.native().size() > root.native().size()) {
    if (::rmdir(dir.c_str()) != 0) return;
    dir = dir.parent_path();
  }
}

bool stat_regular(const std::filesystem::path& path, struct stat& st) {
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

// The cache keeps versions as mtimes, set through AtomicFile, which takes
// only non-negative times.
void check_storable_version(const SplitName& split) {
  if (split.version && *split.version < 0) {
    throw Error(ErrorCode::InvalidArgument,
                split.name + "@" + std::to_string(*split.version) + ": a negative version cannot be cached");
  }
}

[[noreturn]] void throw_not_cached(std::string_view name) {
  throw Error(ErrorCode::NotFound, std::string(name) + ": not in the local cache");
}

[[noreturn]] void throw_version_not_cached(std::string_view name, Version stored) {
  throw Error(ErrorCode::NotFound,
              std::string(name) + ": this version is not in the local cache (it has version " +
                  std::to_string(stored) + ")");
}

}  // namespace

bool replace_with_link(const std::filesystem::path& source, const std::filesystem::path& destination) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (::link(source.c_str(), destination.c_str()) == 0) return true;
    const int err = errno;
    if (err == ENOENT && attempt == 0) {
      // Either the source is gone or the destination's directory is missing.
      if (::access(source.c_str(), F_OK) != 0) throw_errno(source.string() + ": cannot link");
      make_directories(destination.parent_path().empty() ? "." : destination.parent_path());
      continue;
    }
    if (err == EEXIST) break;
    if (link_unsupported(err)) return false;
    throw_errno(destination.string() + ": cannot link to " + source.string(), err);
  }
  // The destination exists: link under a temp name and rename over it, so the
  // destination is at every moment either the old file or the new one.
  struct stat src {}, dst {};
  if (::stat(source.c_str(), &src) == 0 && ::stat(destination.c_str(), &dst) == 0 &&
      src.st_dev == dst.st_dev && src.st_ino == dst.st_ino) {
    return true;  // already the same file
  }
  auto dir = destination.parent_path();
  for (int attempt = 0; attempt < 16; ++attempt) {
    const auto temp = (dir.empty() ? std::filesystem::path(".") : dir) / temp_link_name(destination);
    if (::link(source.c_str(), temp.c_str()) != 0) {
      const int err = errno;
      if (err == EEXIST) continue;
      if (link_unsupported(err)) return false;
      throw_errno(destination.string() + ": cannot link to " + source.string(), err);
    }
    if (::rename(temp.c_str(), destination.c_str()) != 0) {
      const int err = errno;
      ::unlink(temp.c_str());
      throw_errno(destination.string() + ": cannot replace", err);
    }
    return true;
  }
  throw Error(ErrorCode::Io, destination.string() + ": cannot create a unique temporary link");
}

LocalDataStore::LocalDataStore(std::filesystem::path cache_dir)
    : cache_dir_(std::move(cache_dir)), files_dir_(cache_dir_ / "files") {
  make_directories(files_dir_);
}

std::filesystem::path LocalDataStore::path_of(std::string_view name) const {
  const SplitName split = parse_name(name);
  // files_dir + name, as the seed does: "/a/b" lives at <dir>/files/a/b.
  return std::filesystem::path(files_dir_.native() + split.name);
}

std::string LocalDataStore::add_stream(std::string_view name, std::istream& in) {
  const SplitName split = parse_name(name);
  check_storable_version(split);
  const std::filesystem::path path = files_dir_.native() + split.name;
  struct stat st {};
  if (split.version && stat_regular(path, st) && st.st_mtime >= *split.version) {
    return versioned_name(split.name, st.st_mtime);  // not newer: keep what is stored
  }
  const Version version = split.version ? *split.version : static_cast<Version>(::time(nullptr));
  AtomicFile out(path);
  std::vector<char> buffer(256 * 1024);
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    if (in.gcount() > 0) out.write(buffer.data(), static_cast<std::size_t>(in.gcount()));
  }
  if (in.bad()) throw Error(ErrorCode::Io, split.name + ": read error while adding to the local cache");
  out.commit(version);
  return versioned_name(split.name, version);
}

std::string LocalDataStore::add_file(std::string_view name, const std::filesystem::path& file, bool) {
  const SplitName split = parse_name(name);
  check_storable_version(split);
  const std::filesystem::path path = files_dir_.native() + split.name;
  struct stat source {};
  if (::stat(file.c_str(), &source) != 0) throw_errno(file.string() + ": cannot read");
  if (!S_ISREG(source.st_mode)) throw Error(ErrorCode::InvalidArgument, file.string() + ": not a regular file");
  struct stat stored {};
  if (split.version && stat_regular(path, stored) && stored.st_mtime >= *split.version) {
    return versioned_name(split.name, stored.st_mtime);  // not newer: keep what is stored
  }
  const Version version = split.version ? *split.version : static_cast<Version>(source.st_mtime);
  // Linking shares the inode, hence the mtime: only link when the source's
  // mtime already is the version, so the caller's file is never touched.
  if (source.st_mtime == version && replace_with_link(file, path)) {
    return versioned_name(split.name, version);
  }
  copy_file_atomically(file, path, version);
  return versioned_name(split.name, version);
}

bool LocalDataStore::exists(std::string_view name) {
  const SplitName split = parse_name(name);
  struct stat st {};
  if (!stat_regular(files_dir_.native() + split.name, st)) return false;
  return !split.version || st.st_mtime == *split.version;
}

Version LocalDataStore::file_version(std::string_view name) {
  const SplitName split = parse_name(name);
  struct stat st {};
  if (!stat_regular(files_dir_.native() + split.name, st)) throw_not_cached(name);
  return st.st_mtime;
}

std::uint64_t LocalDataStore::file_size(std::string_view name) {
  const SplitName split = parse_name(name);
  struct stat st {};
  if (!stat_regular(files_dir_.native() + split.name, st)) throw_not_cached(name);
  if (split.version && st.st_mtime != *split.version) throw_version_not_cached(name, st.st_mtime);
  return static_cast<std::uint64_t>(st.st_size);
}

DataStore::Stream LocalDataStore::get_stream(std::string_view name) {
  const SplitName split = parse_name(name);
  const std::filesystem::path path = files_dir_.native() + split.name;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT || errno == ENOTDIR || errno == EISDIR) throw_not_cached(name);
    throw_errno(path.string() + ": cannot open");
  }
  // fstat the descriptor: the version reported is that of the content served,
  // even if the file is replaced right now.
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    throw_not_cached(name);
  }
  if (split.version && st.st_mtime != *split.version) {
    ::close(fd);
    throw_version_not_cached(name, st.st_mtime);
  }
  return Stream{std::make_unique<FdIstream>(fd), versioned_name(split.name, st.st_mtime)};
}

std::string LocalDataStore::get_file(std::string_view name, const std::filesystem::path& destination) {
  const SplitName split = parse_name(name);
  const std::filesystem::path path = files_dir_.native() + split.name;

  // Fast path (a hot cached file fetched to a fresh destination): link, then
  // check the version of what was linked. One link + one stat, and the
  // version is that of exactly the inode now at the destination.
  if (::link(path.c_str(), destination.c_str()) == 0) {
    struct stat st {};
    if (::stat(destination.c_str(), &st) != 0) throw_errno(destination.string() + ": cannot stat");
    if (split.version && st.st_mtime != *split.version) {
      ::unlink(destination.c_str());  // we just created it
      throw_version_not_cached(name, st.st_mtime);
    }
    return versioned_name(split.name, st.st_mtime);
  }

  // Slow path: the destination exists, its directory is missing, or the file
  // systems differ. Open the cached file so version and content agree.
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT || errno == ENOTDIR || errno == EISDIR) throw_not_cached(name);
    throw_errno(path.string() + ": cannot open");
  }
  try {
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) throw_not_cached(name);
    if (split.version && st.st_mtime != *split.version) throw_version_not_cached(name, st.st_mtime);
    if (!replace_with_link(path, destination)) {
      copy_fd_atomically(fd, destination, st.st_mtime, path.string());
    } else {
      // The cached file may have been replaced between our open and the link:
      // make sure the destination carries the version we report.
      struct stat linked {};
      if (::stat(destination.c_str(), &linked) != 0) throw_errno(destination.string() + ": cannot stat");
      if (linked.st_ino != st.st_ino || linked.st_dev != st.st_dev) {
        copy_fd_atomically(fd, destination, st.st_mtime, path.string());
      }
    }
    ::close(fd);
    return versioned_name(split.name, st.st_mtime);
  } catch (...) {
    ::close(fd);
    throw;
  }
}

void LocalDataStore::delete_file(std::string_view name) {
  const SplitName split = parse_name(name);
  const std::filesystem::path path = files_dir_.native() + split.name;
  struct stat st {};
  if (!stat_regular(path, st)) throw_not_cached(name);
  if (split.version && st.st_mtime > *split.version) return;  // a newer version stays
  if (::unlink(path.c_str()) != 0) {
    if (errno == ENOENT) throw_not_cached(name);
    throw_errno(path.string() + ": cannot delete");
  }
  remove_empty_dirs(path.parent_path(), files_dir_);
}

std::vector<FileInfo> LocalDataStore::list_files() {
  std::vector<FileInfo> result;
  std::error_code ec;
  namespace fs = std::filesystem;
  fs::recursive_directory_iterator it(files_dir_, fs::directory_options::skip_permission_denied, ec);
  if (ec) throw Error(ErrorCode::Io, files_dir_.string() + ": cannot list: " + ec.message());
  for (const fs::recursive_directory_iterator end; it != end; it.increment(ec)) {
    if (ec) throw Error(ErrorCode::Io, files_dir_.string() + ": cannot list: " + ec.message());
    const fs::path& p = it->path();
    if (!it->is_regular_file(ec) || it->is_symlink(ec)) continue;
    if (is_temp_name(p.filename().native())) continue;
    std::string name = "/" + p.lexically_relative(files_dir_).generic_string();
    if (name_error(name)) continue;  // cannot be addressed by any name
    SplitName split;
    try {
      split = split_name(name);
    } catch (const Error&) {
      continue;
    }
    if (split.version) continue;  // "x@12" on disk is not a name of ours
    struct stat st {};
    if (::lstat(p.c_str(), &st) != 0) continue;  // deleted meanwhile
    result.push_back(FileInfo{versioned_name(name, st.st_mtime), st.st_mtime, static_cast<std::uint64_t>(st.st_size)});
  }
  return result;
}

}  // namespace ft
