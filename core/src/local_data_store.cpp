#include "filetracker/local_data_store.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <ctime>
#include <system_error>
#include <vector>

#include "filetracker/atomic_file.hpp"
#include "filetracker/checksum.hpp"
#include "filetracker/error.hpp"
#include "fd_istream.hpp"

namespace ft {

namespace {

constexpr std::size_t kCopyBuffer = 1 << 20;
constexpr mode_t kCachedFileMode = 0644;
constexpr mode_t kRecordFileMode = 0600;

// Errors meaning "this file system cannot hard-link these two files": the
// caller falls back to copying.
bool link_unsupported(int err) {
  return err == EXDEV || err == EPERM || err == EMLINK || err == ENOTSUP || err == EOPNOTSUPP ||
         err == ENOSYS || err == EACCES;
}

// "/a/b" -> "a/b": the name's path below files/ (and below meta/).
std::string relative_of(std::string_view unversioned) {
  const std::size_t start = unversioned.find_first_not_of('/');
  return start == std::string_view::npos ? std::string() : std::string(unversioned.substr(start));
}

// "/a/", "/a/." and "/" name a directory, never a cached file.
bool names_directory(std::string_view relative) {
  if (relative.empty() || relative.back() == '/') return true;
  auto [parent, base] = split_relative(relative);
  return base.empty() || base == ".";
}

// The cache keeps versions as mtimes, set through AtomicFile, which takes
// only non-negative times.
void check_storable(const SplitName& split, const std::string& relative) {
  if (split.version && *split.version < 0) {
    throw Error(ErrorCode::InvalidArgument,
                split.name + "@" + std::to_string(*split.version) + ": a negative version cannot be cached");
  }
  if (names_directory(relative))
    throw Error(ErrorCode::InvalidArgument, split.name + ": names a directory, not a file, in the local cache");
}

[[noreturn]] void throw_not_cached(std::string_view name) {
  throw Error(ErrorCode::NotFound, std::string(name) + ": not in the local cache");
}

[[noreturn]] void throw_version_not_cached(std::string_view name, Version stored) {
  throw Error(ErrorCode::NotFound,
              std::string(name) + ": this version is not in the local cache (it has version " +
                  std::to_string(stored) + ")");
}

[[noreturn]] void throw_damaged(std::string_view name, const std::string& why) {
  throw Error(ErrorCode::ChecksumMismatch,
              std::string(name) + ": the cached copy was changed after it was cached (" + why +
                  "); not served (`filetracker cache verify --repair` removes it)");
}

// A failed open of a cached file (err > 0): not cached, a symbolic link in
// the way, or an I/O error.
[[noreturn]] void throw_open_error(std::string_view name, const std::string& path, int err) {
  if (err == ENOENT || err == ENOTDIR || err == EISDIR) throw_not_cached(name);
  if (is_symlink_error(err)) throw Error(ErrorCode::Io, symlink_message(path));
  throw_errno(path + ": cannot open", err);
}

bool same_timespec(const timespec& a, const timespec& b) { return a.tv_sec == b.tv_sec && a.tv_nsec == b.tv_nsec; }

bool same_content_state(const struct stat& a, const struct stat& b) {
  return a.st_ino == b.st_ino && a.st_dev == b.st_dev && a.st_size == b.st_size && same_timespec(a.st_mtim, b.st_mtim);
}

// A readable descriptor of the file behind the O_PATH descriptor `fd`
// (never a path walk that could end elsewhere: /proc/self/fd, else a
// confined reopen checked to be the same inode).
UniqueFd reopen_readable(int fd, const ConfinedDir& dir, const std::string& relative, const struct stat& st) {
  char proc[40];
  std::snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
  int readable = ::open(proc, O_RDONLY | O_CLOEXEC);
  if (readable < 0) readable = dir.open_file(relative, O_RDONLY | O_NONBLOCK);
  if (readable < 0) throw_errno(dir.describe(relative) + ": cannot open", -readable);
  UniqueFd out(readable);
  struct stat now {};
  if (::fstat(out.get(), &now) != 0 || now.st_ino != st.st_ino || now.st_dev != st.st_dev)
    throw Error(ErrorCode::Io, dir.describe(relative) + ": replaced while being opened");
  return out;
}

// Copies an open file into `destination` atomically, with mtime `version`.
void copy_fd_atomically(int fd, const std::filesystem::path& destination, Version version, const std::string& what) {
  AtomicFile out(destination);
  std::vector<char> buffer(kCopyBuffer);
  for (off_t offset = 0;;) {
    ssize_t n = ::pread(fd, buffer.data(), buffer.size(), offset);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_errno(what + ": read failed");
    }
    if (n == 0) break;
    out.write(buffer.data(), static_cast<std::size_t>(n));
    offset += n;
  }
  out.commit(version);
}

// Links the open file `fd` as `base` in `dirfd`, replacing what is there
// atomically (a link under a temp name, then rename). Returns 0 or -errno.
int link_replacing(int fd, int dirfd, const std::string& base, Env* env = Env::Default()) {
  int rc = env->link_fd(fd, dirfd, base.c_str());
  if (rc != -EEXIST) return rc;
  for (int attempt = 0; attempt < 16; ++attempt) {
    const std::string temp = temp_name_for(base);
    rc = env->link_fd(fd, dirfd, temp.c_str());
    if (rc == -EEXIST) continue;
    if (rc != 0) return rc;
    if (const int err = env->rename_at(dirfd, temp.c_str(), dirfd, base.c_str()); err != 0) {
      env->unlink_at(dirfd, temp.c_str(), 0);
      return err;
    }
    return 0;
  }
  return -EEXIST;
}

UniqueFd open_destination_directory(const std::filesystem::path& destination, bool create) {
  auto dir = destination.parent_path();
  if (dir.empty()) dir = ".";
  if (create) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) throw Error(ErrorCode::Io, dir.string() + ": cannot create directory: " + ec.message());
  }
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) throw_errno(dir.string() + ": cannot open directory");
  return UniqueFd(fd);
}

// Makes `destination` a hard link to the open file `fd` (state `st`).
// Returns false when the file systems cannot link them (nothing changed).
bool link_to_destination(int fd, const struct stat& st, const std::filesystem::path& destination) {
  // Fast path: a fresh destination in an existing directory.
  int rc = link_open_file(fd, AT_FDCWD, destination.c_str());
  if (rc == 0) return true;
  if (rc == -EEXIST) {
    struct stat there {};
    if (::lstat(destination.c_str(), &there) == 0 && S_ISREG(there.st_mode) && there.st_ino == st.st_ino &&
        there.st_dev == st.st_dev)
      return true;  // already this very file
  }
  if (rc != -EEXIST && rc != -ENOENT) {
    if (link_unsupported(-rc)) return false;
    throw_errno(destination.string() + ": cannot link to the cached file", -rc);
  }
  UniqueFd dir = open_destination_directory(destination, rc == -ENOENT);
  rc = link_replacing(fd, dir.get(), destination.filename().string());
  if (rc == 0) return true;
  if (link_unsupported(-rc)) return false;
  throw_errno(destination.string() + ": cannot link to the cached file", -rc);
}

}  // namespace

bool replace_with_link(const std::filesystem::path& source, const std::filesystem::path& destination) {
  UniqueFd fd(::open(source.c_str(), O_PATH | O_CLOEXEC));
  if (!fd) throw_errno(source.string() + ": cannot link");
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) throw_errno(source.string() + ": cannot stat");
  return link_to_destination(fd.get(), st, destination);
}

LocalDataStore::LocalDataStore(std::filesystem::path cache_dir, Env* env)
    : env_(env), cache_dir_(std::move(cache_dir)), files_dir_(cache_dir_ / "files") {
  root_ = ConfinedDir::open(cache_dir_, true, env_);
  files_ = root_.subdirectory("files", true);
}

std::filesystem::path LocalDataStore::path_of(std::string_view name) const {
  const SplitName split = parse_name(name);
  // files_dir + name, as the seed does: "/a/b" lives at <dir>/files/a/b.
  return std::filesystem::path(files_dir_.native() + split.name);
}

const ConfinedDir* LocalDataStore::meta(bool create) {
  std::lock_guard lock(meta_mutex_);
  if (meta_.valid()) return &meta_;
  try {
    int fd = root_.open_directory("meta", create);
    if (fd < 0) {
      if (fd == -ENOENT) return nullptr;
      if (is_symlink_error(-fd)) throw Error(ErrorCode::Io, symlink_message(root_.describe("meta")));
      throw_errno(root_.describe("meta") + ": cannot open", -fd);
    }
    ::close(fd);
    meta_ = root_.subdirectory("meta", create);
  } catch (const Error&) {
    if (create) throw;
    return nullptr;
  }
  return &meta_;
}

std::optional<CacheRecord> LocalDataStore::read_record(const std::string& relative) {
  const ConfinedDir* dir = meta(false);
  if (!dir) return std::nullopt;
  UniqueFd fd(dir->open_file(relative, O_RDONLY | O_NONBLOCK));
  if (!fd) return std::nullopt;
  char buffer[CacheRecord::kFormattedSize + 1];
  ssize_t n = ::pread(fd.get(), buffer, sizeof buffer, 0);
  if (n <= 0) return std::nullopt;
  return CacheRecord::parse(std::string_view(buffer, static_cast<std::size_t>(n)));
}

void LocalDataStore::write_record(const std::string& relative, const CacheRecord& record) {
  // Best effort: a record that cannot be written costs a hash on a later
  // read, never a wrong answer.
  try {
    const ConfinedDir* dir = meta(true);
    auto [parent, base] = split_relative(relative);
    UniqueFd parent_fd(dir->open_directory(parent, true));
    if (!parent_fd) return;
    AtomicFile out(parent_fd.get(), base, dir->describe(relative), kRecordFileMode, env_);
    out.write(record.format());
    AtomicFile::CommitOptions options;
    options.durable = false;  // rebuilt from the content if lost
    out.commit(options);
  } catch (const std::exception&) {
  }
}

void LocalDataStore::remove_record(const std::string& relative) {
  const ConfinedDir* dir = meta(false);
  if (!dir) return;
  auto [parent, base] = split_relative(relative);
  UniqueFd parent_fd(dir->open_directory(parent, false));
  if (!parent_fd) return;
  if (env_->unlink_at(parent_fd.get(), base.c_str(), 0) == 0) dir->remove_empty_directories(parent);
}

void LocalDataStore::seal_and_record(int fd, const std::string& relative, const std::string& sha256,
                                     struct stat* sealed) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) throw_errno(files_.describe(relative) + ": cannot stat");
  if (!has_cache_seal(st)) {
    struct timespec times[2];
    times[0].tv_sec = 0;
    times[0].tv_nsec = UTIME_OMIT;
    times[1].tv_sec = st.st_mtim.tv_sec;
    times[1].tv_nsec = cache_seal(static_cast<std::uint64_t>(st.st_ino), static_cast<std::uint64_t>(st.st_size),
                                  st.st_mtim.tv_sec);
    // Best effort (a file of another owner cannot be sealed): unsealed, it
    // is hashed on each read instead.
    if (env_->set_times(fd, times) == 0) ::fstat(fd, &st);
  }
  write_record(relative, CacheRecord::of(st, sha256));
  if (sealed) *sealed = st;
}

void LocalDataStore::check_unsealed(std::string_view name, const std::string& relative, int fd, struct stat& st,
                                    const std::optional<CacheRecord>& record) {
  const CacheVerdict verdict = judge_cached_file(record, st);
  if (verdict == CacheVerdict::Intact) return;
  if (verdict == CacheVerdict::Damaged) throw_damaged(name, "it was written to: its size or modification time changed");
  // Unrecorded (trust on first use) or Suspect (seal gone): read it.
  UniqueFd readable = reopen_readable(fd, files_, relative, st);
  const std::string sha = sha256_fd(readable.get(), files_.describe(relative));
  if (verdict == CacheVerdict::Suspect && sha != record->sha256) throw_damaged(name, "its SHA-256 no longer matches");
  struct stat now {};
  if (::fstat(fd, &now) != 0) throw_errno(files_.describe(relative) + ": cannot stat");
  if (!same_content_state(now, st)) throw_damaged(name, "it changed while being checked");
  seal_and_record(readable.get(), relative, sha, &st);
}

void LocalDataStore::check_read(std::string_view name, const std::string& relative, int fd, struct stat& st,
                                std::optional<Version> wanted) {
  if (has_cache_seal(st)) {  // the fast path: nothing but the fstat already done
    if (wanted && st.st_mtime != *wanted) throw_version_not_cached(name, st.st_mtime);
    return;
  }
  const std::optional<CacheRecord> record = read_record(relative);
  if (judge_cached_file(record, st) == CacheVerdict::Damaged)
    throw_damaged(name, "it was written to: its size or modification time changed");
  if (wanted && st.st_mtime != *wanted) throw_version_not_cached(name, st.st_mtime);
  check_unsealed(name, relative, fd, st, record);
}

UniqueFd LocalDataStore::open_parent_for_write(const std::string& relative) const {
  auto [parent, base] = split_relative(relative);
  int fd = files_.open_directory(parent, true);
  if (fd < 0) {
    if (is_symlink_error(-fd)) throw Error(ErrorCode::Io, symlink_message(files_.describe(parent)));
    throw_errno(files_.describe(parent) + ": cannot create directory", -fd);
  }
  return UniqueFd(fd);
}

std::optional<Version> LocalDataStore::keep_stored(int dirfd, const std::string& base, const std::string& relative,
                                                   Version version) {
  struct stat st {};
  if (::fstatat(dirfd, base.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
  const bool sealed = has_cache_seal(st);
  if (sealed && st.st_mtime != version) return st.st_mtime > version ? std::optional<Version>(st.st_mtime) : std::nullopt;
  std::optional<CacheRecord> record;
  if (!sealed) {
    record = read_record(relative);
    // A file written to after it was cached has the mtime of that write:
    // it is damage, never a newer version to keep.
    const CacheVerdict verdict = judge_cached_file(record, st);
    if (verdict == CacheVerdict::Damaged) return std::nullopt;
    if (st.st_mtime != version) return st.st_mtime > version ? std::optional<Version>(st.st_mtime) : std::nullopt;
    if (verdict == CacheVerdict::Unrecorded) return version;
  } else {
    return version;
  }
  // The same version with its seal gone: keep it if its content is intact.
  UniqueFd fd(::openat(dirfd, base.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
  if (!fd) return std::nullopt;
  try {
    const std::string sha = sha256_fd(fd.get(), files_.describe(relative));
    if (sha != record->sha256) return std::nullopt;
    seal_and_record(fd.get(), relative, sha, nullptr);
    return version;
  } catch (const Error&) {
  }
  return std::nullopt;
}

void LocalDataStore::write_entry(int dirfd, const std::string& base, const std::string& relative, Version version,
                                 const std::function<void(AtomicFile&, Sha256&)>& fill) {
  AtomicFile out(dirfd, base, files_.describe(relative), kCachedFileMode, env_);
  Sha256 hasher;
  fill(out, hasher);
  struct stat written {};
  if (::fstat(out.fd(), &written) != 0) throw_errno(files_.describe(relative) + ": cannot stat");
  AtomicFile::CommitOptions options;
  options.mtime = version;
  options.mtime_nsec = cache_seal(static_cast<std::uint64_t>(written.st_ino),
                                  static_cast<std::uint64_t>(written.st_size), version);
  struct stat committed {};
  options.committed = &committed;
  out.commit(options);
  write_record(relative, CacheRecord::of(committed, hasher.hex_digest()));
}

std::string LocalDataStore::add_stream(std::string_view name, std::istream& in) {
  const SplitName split = parse_name(name);
  const std::string relative = relative_of(split.name);
  check_storable(split, relative);
  UniqueFd dir = open_parent_for_write(relative);
  const std::string base(split_relative(relative).second);
  if (split.version) {
    if (auto kept = keep_stored(dir.get(), base, relative, *split.version)) return versioned_name(split.name, *kept);
  }
  const Version version = split.version ? *split.version : static_cast<Version>(::time(nullptr));
  write_entry(dir.get(), base, relative, version, [&](AtomicFile& out, Sha256& hasher) {
    std::vector<char> buffer(256 * 1024);
    while (in) {
      in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
      if (in.gcount() > 0) {
        hasher.update(buffer.data(), static_cast<std::size_t>(in.gcount()));
        out.write(buffer.data(), static_cast<std::size_t>(in.gcount()));
      }
    }
    if (in.bad()) throw Error(ErrorCode::Io, split.name + ": read error while adding to the local cache");
  });
  return versioned_name(split.name, version);
}

std::string LocalDataStore::add_file(std::string_view name, const std::filesystem::path& file, bool) {
  const SplitName split = parse_name(name);
  const std::string relative = relative_of(split.name);
  check_storable(split, relative);
  // The caller's file is opened as usual (its path is the caller's choice);
  // O_NONBLOCK so that a FIFO is refused instead of waited on.
  UniqueFd source(::open(file.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC));
  if (!source) throw_errno(file.string() + ": cannot read");
  struct stat st {};
  if (::fstat(source.get(), &st) != 0) throw_errno(file.string() + ": cannot read");
  if (!S_ISREG(st.st_mode)) throw Error(ErrorCode::InvalidArgument, file.string() + ": not a regular file");
  UniqueFd dir = open_parent_for_write(relative);
  const std::string base(split_relative(relative).second);
  if (split.version) {
    if (auto kept = keep_stored(dir.get(), base, relative, *split.version)) return versioned_name(split.name, *kept);
  }
  const Version version = split.version ? *split.version : static_cast<Version>(st.st_mtime);
  // Linking shares the inode, hence the mtime: only link when the source's
  // mtime already is the version, so the caller's file is never touched; and
  // only a file nobody else may write, or the cache would be theirs to change.
  const bool shareable = (st.st_mode & (S_IWGRP | S_IWOTH)) == 0 && st.st_uid == ::geteuid();
  if (st.st_mtime == version && shareable) {
    // The seal goes into the shared inode (the sub-second part of its mtime;
    // the version stays), so it is set before the file is in the cache.
    const std::string sha = sha256_fd(source.get(), file.string());
    struct timespec times[2];
    times[0].tv_sec = 0;
    times[0].tv_nsec = UTIME_OMIT;
    times[1].tv_sec = version;
    times[1].tv_nsec = cache_seal(static_cast<std::uint64_t>(st.st_ino), static_cast<std::uint64_t>(st.st_size), version);
    if (has_cache_seal(st) || env_->set_times(source.get(), times) == 0) {
      // Durable like a copy: the caller's content and the seal before the
      // name, the name (its directory) before the answer.
      if (const int rc = env_->sync(source.get()); rc != 0)
        throw_errno(file.string() + ": cannot fsync before linking it into the cache", -rc);
      const int rc = link_replacing(source.get(), dir.get(), base, env_);
      if (rc == 0) {
        if (const int err = env_->sync(dir.get()); err != 0)
          throw_errno(files_.describe(relative) + ": fsync of its directory failed", -err);
        struct stat linked {};
        if (::fstat(source.get(), &linked) == 0) write_record(relative, CacheRecord::of(linked, sha));
        return versioned_name(split.name, version);
      }
      if (!link_unsupported(-rc)) throw_errno(files_.describe(relative) + ": cannot link " + file.string(), -rc);
    }
  }
  write_entry(dir.get(), base, relative, version, [&](AtomicFile& out, Sha256& hasher) {
    std::vector<char> buffer(kCopyBuffer);
    for (off_t offset = 0;;) {
      ssize_t n = ::pread(source.get(), buffer.data(), buffer.size(), offset);
      if (n < 0) {
        if (errno == EINTR) continue;
        throw_errno(file.string() + ": read failed");
      }
      if (n == 0) break;
      hasher.update(buffer.data(), static_cast<std::size_t>(n));
      out.write(buffer.data(), static_cast<std::size_t>(n));
      offset += n;
    }
  });
  return versioned_name(split.name, version);
}

namespace {

// The O_PATH descriptor and state of the regular file cached for `name`.
// Throws Error(NotFound) when there is none, Error(Io) for a symbolic link.
struct CachedEntry {
  UniqueFd fd;
  struct stat st {};
};

CachedEntry open_cached(const ConfinedDir& files, std::string_view name, const std::string& relative) {
  if (names_directory(relative)) throw_not_cached(name);
  CachedEntry entry;
  int fd = files.open_file(relative, O_PATH);
  if (fd < 0) throw_open_error(name, files.describe(relative), -fd);
  entry.fd.reset(fd);
  if (::fstat(fd, &entry.st) != 0) throw_errno(files.describe(relative) + ": cannot stat");
  if (!S_ISREG(entry.st.st_mode)) throw_not_cached(name);
  return entry;
}

}  // namespace

bool LocalDataStore::exists(std::string_view name) {
  const SplitName split = parse_name(name);
  const std::string relative = relative_of(split.name);
  if (names_directory(relative)) return false;
  UniqueFd fd(files_.open_file(relative, O_PATH));
  struct stat st {};
  if (!fd || ::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)) return false;
  return !split.version || st.st_mtime == *split.version;
}

Version LocalDataStore::file_version(std::string_view name) {
  const SplitName split = parse_name(name);
  return open_cached(files_, name, relative_of(split.name)).st.st_mtime;
}

std::uint64_t LocalDataStore::file_size(std::string_view name) {
  const SplitName split = parse_name(name);
  const CachedEntry entry = open_cached(files_, name, relative_of(split.name));
  if (split.version && entry.st.st_mtime != *split.version) throw_version_not_cached(name, entry.st.st_mtime);
  return static_cast<std::uint64_t>(entry.st.st_size);
}

DataStore::Stream LocalDataStore::get_stream(std::string_view name) {
  const SplitName split = parse_name(name);
  const std::string relative = relative_of(split.name);
  CachedEntry entry = open_cached(files_, name, relative);
  // The version reported is that of the inode opened, even if the file is
  // replaced right now.
  check_read(name, relative, entry.fd.get(), entry.st, split.version);
  UniqueFd readable = reopen_readable(entry.fd.get(), files_, relative, entry.st);
  return Stream{std::make_unique<FdIstream>(readable.release()), versioned_name(split.name, entry.st.st_mtime)};
}

std::string LocalDataStore::get_file(std::string_view name, const std::filesystem::path& destination) {
  const SplitName split = parse_name(name);
  const std::string relative = relative_of(split.name);
  // One confined open of the cached inode (O_PATH: no open side effects for
  // whatever is there) and one fstat, which shows the seal; then the link is
  // made from the descriptor, so the destination is exactly the inode checked.
  CachedEntry entry = open_cached(files_, name, relative);
  check_read(name, relative, entry.fd.get(), entry.st, split.version);
  if (!link_to_destination(entry.fd.get(), entry.st, destination)) {
    UniqueFd readable = reopen_readable(entry.fd.get(), files_, relative, entry.st);
    copy_fd_atomically(readable.get(), destination, entry.st.st_mtime, files_.describe(relative));
  }
  return versioned_name(split.name, entry.st.st_mtime);
}

void LocalDataStore::delete_file(std::string_view name) {
  const SplitName split = parse_name(name);
  const std::string relative = relative_of(split.name);
  if (names_directory(relative)) throw_not_cached(name);
  auto [parent, base_view] = split_relative(relative);
  const std::string base(base_view);
  UniqueFd dir(files_.open_directory(parent, false));
  if (!dir) throw_open_error(name, files_.describe(parent), -dir.get());
  struct stat st {};
  if (::fstatat(dir.get(), base.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode)) throw_not_cached(name);
  if (split.version && st.st_mtime > *split.version) return;  // a newer version stays
  if (const int rc = env_->unlink_at(dir.get(), base.c_str(), 0); rc != 0) {
    if (rc == -ENOENT) throw_not_cached(name);
    throw_errno(files_.describe(relative) + ": cannot delete", -rc);
  }
  remove_record(relative);
  files_.remove_empty_directories(parent);
}

std::vector<FileInfo> LocalDataStore::list_files() {
  std::vector<FileInfo> result;
  std::string first_error;
  files_.walk(
      [&](const std::string& relative, const struct stat& st) {
        if (S_ISDIR(st.st_mode)) return true;
        if (!S_ISREG(st.st_mode)) return false;  // symbolic links and the like are not files of ours
        if (is_temp_name(split_relative(relative).second)) return false;
        std::string name = "/" + relative;
        if (name_error(name)) return false;  // cannot be addressed by any name
        try {
          if (split_name(name).version) return false;  // "x@12" on disk is not a name of ours
        } catch (const Error&) {
          return false;
        }
        result.push_back(FileInfo{versioned_name(name, st.st_mtime), st.st_mtime, static_cast<std::uint64_t>(st.st_size)});
        return false;
      },
      [&](const std::string& relative, int err) {
        if (relative.empty() && first_error.empty())
          first_error = files_dir_.string() + ": cannot list: " + std::generic_category().message(err);
      });
  if (!first_error.empty()) throw Error(ErrorCode::Io, first_error);
  return result;
}

LocalDataStore::FileCheck LocalDataStore::verify_file(std::string_view name) {
  const SplitName split = parse_name(name);
  const std::string relative = relative_of(split.name);
  const std::string path = files_.describe(relative);
  FileCheck check;
  if (names_directory(relative)) return check;
  int fd = files_.open_file(relative, O_PATH);
  if (fd < 0) {
    if (is_symlink_error(-fd)) return FileCheck{FileCheck::State::Symlink, symlink_message(path)};
    if (-fd == ENOENT || -fd == ENOTDIR) return check;
    throw_errno(path + ": cannot open", -fd);
  }
  UniqueFd entry(fd);
  struct stat st {};
  if (::fstat(fd, &st) != 0) throw_errno(path + ": cannot stat");
  if (!S_ISREG(st.st_mode)) return check;
  const std::optional<CacheRecord> record = read_record(relative);
  UniqueFd readable = reopen_readable(fd, files_, relative, st);
  const std::string sha = sha256_fd(readable.get(), path);
  struct stat now {};
  if (::fstat(fd, &now) != 0) throw_errno(path + ": cannot stat");
  if (!same_content_state(now, st)) return FileCheck{FileCheck::State::Damaged, std::string(split.name) + ": changed while being checked"};
  const bool applies = record && record->inode == static_cast<std::uint64_t>(st.st_ino) &&
                       !(st.st_mtim.tv_nsec == 0 && record->mtime_sec != st.st_mtim.tv_sec);
  if (!applies) {
    // No record of this inode (an older cache, the deployed client's file,
    // a file given a new version in place): record what is there.
    seal_and_record(readable.get(), relative, sha, nullptr);
    return FileCheck{FileCheck::State::Recorded, {}};
  }
  if (record->size != static_cast<std::uint64_t>(st.st_size) || record->mtime_sec != st.st_mtim.tv_sec)
    return FileCheck{FileCheck::State::Damaged,
                     std::string(split.name) + ": changed after it was cached (it was written to: its size or "
                                               "modification time changed)"};
  if (sha != record->sha256)
    return FileCheck{FileCheck::State::Damaged,
                     std::string(split.name) + ": changed after it was cached (its SHA-256 no longer matches)"};
  if (!has_cache_seal(st)) seal_and_record(readable.get(), relative, sha, nullptr);
  return FileCheck{FileCheck::State::Intact, {}};
}

bool LocalDataStore::remove_entry(std::string_view name) {
  const SplitName split = parse_name(name);
  const std::string relative = relative_of(split.name);
  if (names_directory(relative)) return false;
  auto [parent, base_view] = split_relative(relative);
  const std::string base(base_view);
  int fd = files_.open_directory(parent, false);
  if (fd < 0) {
    if (-fd == ENOENT || -fd == ENOTDIR) return false;
    if (is_symlink_error(-fd)) throw Error(ErrorCode::Io, symlink_message(files_.describe(parent)));
    throw_errno(files_.describe(parent) + ": cannot open", -fd);
  }
  UniqueFd dir(fd);
  struct stat st {};
  if (::fstatat(dir.get(), base.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0 || S_ISDIR(st.st_mode)) return false;
  if (const int rc = env_->unlink_at(dir.get(), base.c_str(), 0); rc != 0) {
    if (rc == -ENOENT) return false;
    throw_errno(files_.describe(relative) + ": cannot remove", -rc);
  }
  remove_record(relative);
  files_.remove_empty_directories(parent);
  return true;
}

}  // namespace ft
