#include "fault_injection_env.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <system_error>

namespace fs = std::filesystem;

namespace test {

namespace {

std::string fd_path(int fd) {
  char proc[40];
  std::snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
  char target[4096];
  const ssize_t n = ::readlink(proc, target, sizeof target - 1);
  if (n < 0) return "fd " + std::to_string(fd);
  return std::string(target, static_cast<std::size_t>(n));
}

std::string at_path(int dirfd, const char* name) {
  if (name[0] == '/' || dirfd == AT_FDCWD) return name;
  return fd_path(dirfd) + "/" + name;
}

[[noreturn]] void fail(const std::string& what) {
  throw std::runtime_error("FaultInjectionEnv: " + what + ": " + std::strerror(errno));
}

// The names in the directory `dirfd` (read through a descriptor of its own,
// so the caller's directory offset is untouched).
std::vector<std::string> names_in(int dirfd) {
  const int fd = ::openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) fail("cannot open a directory to read it");
  DIR* dir = ::fdopendir(fd);
  if (!dir) {
    ::close(fd);
    fail("cannot read a directory");
  }
  std::vector<std::string> names;
  while (dirent* e = ::readdir(dir)) {
    const std::string_view n = e->d_name;
    if (n != "." && n != "..") names.emplace_back(n);
  }
  ::closedir(dir);
  return names;
}

std::string read_all(int fd) {
  std::string out;
  char buffer[1 << 16];
  for (off_t off = 0;;) {
    const ssize_t n = ::pread(fd, buffer, sizeof buffer, off);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail("cannot read a file to snapshot it");
    if (n == 0) return out;
    out.append(buffer, static_cast<std::size_t>(n));
    off += n;
  }
}

std::string join(const std::string& dir, const std::string& name) { return dir.empty() ? name : dir + "/" + name; }

}  // namespace

FaultInjectionEnv::FaultInjectionEnv(fs::path root, std::function<bool(std::string_view)> unmanaged)
    : root_(fs::canonical(root)),
      attic_(root_.parent_path() / ("." + root_.filename().string() + ".attic")),
      unmanaged_(std::move(unmanaged)) {
  std::lock_guard lock(mutex_);
  snapshot_tree();
}

FaultInjectionEnv::~FaultInjectionEnv() {
  files_.clear();
  std::error_code ec;
  fs::remove_all(attic_, ec);
}

void FaultInjectionEnv::crash_at(std::size_t step) {
  std::lock_guard lock(mutex_);
  crash_at_ = step;
}

std::size_t FaultInjectionEnv::steps() const {
  std::lock_guard lock(mutex_);
  return steps_;
}

bool FaultInjectionEnv::powered() const {
  std::lock_guard lock(mutex_);
  return powered_;
}

bool FaultInjectionEnv::step(std::string_view what) {
  std::lock_guard lock(mutex_);
  return begin(std::string(what));
}

std::vector<std::string> FaultInjectionEnv::journal() const {
  std::lock_guard lock(mutex_);
  return journal_;
}

void FaultInjectionEnv::set_refuse_unnamed_links(bool refuse) {
  std::lock_guard lock(mutex_);
  refuse_unnamed_links_ = refuse;
}

bool FaultInjectionEnv::unmanaged(std::string_view name) const { return unmanaged_ && unmanaged_(name); }

bool FaultInjectionEnv::begin(std::string what) {
  const std::size_t n = steps_++;
  if (!powered_) return false;
  journal_.push_back(std::move(what));
  if (crash_at_ && n == *crash_at_) {
    powered_ = false;
    journal_.back() += "  <- power lost here";
  }
  return powered_;
}

std::optional<std::string> FaultInjectionEnv::relative_of_fd(int fd) const {
  const fs::path p = fd_path(fd);
  const fs::path rel = p.lexically_relative(root_);
  if (rel.empty()) return std::nullopt;
  const std::string s = rel.string();
  if (s == ".") return std::string();
  if (s == ".." || s.rfind("../", 0) == 0) return std::nullopt;
  return s;
}

// ---- the calls ----

int FaultInjectionEnv::open_at(int dirfd, const char* name, int flags, mode_t mode) {
  std::lock_guard lock(mutex_);
  if (!begin("open " + at_path(dirfd, name))) return -EIO;
  const int fd = ::openat(dirfd, name, flags | O_CLOEXEC, mode);
  return fd >= 0 ? fd : -errno;
}

ssize_t FaultInjectionEnv::write(int fd, const void* data, std::size_t size) {
  std::lock_guard lock(mutex_);
  if (!begin("write " + std::to_string(size) + " bytes to " + fd_path(fd))) return -EIO;
  const ssize_t n = ::write(fd, data, size);
  return n >= 0 ? n : -errno;
}

int FaultInjectionEnv::sync(int fd) {
  std::lock_guard lock(mutex_);
  if (!begin("sync " + fd_path(fd))) return -EIO;
  struct stat st {};
  if (::fstat(fd, &st) != 0) return -errno;
  if (S_ISDIR(st.st_mode)) {
    if (auto rel = relative_of_fd(fd)) snapshot_directory(*rel, fd);
  } else if (S_ISREG(st.st_mode)) {
    snapshot_file(fd, true);
  }
  return 0;  // no real fsync: the model decides what survives, and tests stay fast
}

int FaultInjectionEnv::sync_data(int fd) {
  std::lock_guard lock(mutex_);
  if (!begin("sync_data " + fd_path(fd))) return -EIO;
  struct stat st {};
  if (::fstat(fd, &st) != 0) return -errno;
  if (S_ISREG(st.st_mode)) snapshot_file(fd, false);
  return 0;
}

int FaultInjectionEnv::set_times(int fd, const struct timespec times[2]) {
  std::lock_guard lock(mutex_);
  if (!begin("set_times " + fd_path(fd))) return -EIO;
  return ::futimens(fd, times) == 0 ? 0 : -errno;
}

int FaultInjectionEnv::set_mode(int fd, mode_t mode) {
  std::lock_guard lock(mutex_);
  if (!begin("set_mode " + fd_path(fd))) return -EIO;
  return ::fchmod(fd, mode) == 0 ? 0 : -errno;
}

int FaultInjectionEnv::link_fd(int fd, int dirfd, const char* name) {
  std::lock_guard lock(mutex_);
  if (!begin("link " + fd_path(fd) + " as " + at_path(dirfd, name))) return -EIO;
  if (refuse_unnamed_links_) {
    struct stat st {};
    if (::fstat(fd, &st) == 0 && st.st_nlink == 0) return -EOPNOTSUPP;
  }
  return ft::link_open_file(fd, dirfd, name);
}

int FaultInjectionEnv::rename_at(int from_dir, const char* from, int to_dir, const char* to) {
  std::lock_guard lock(mutex_);
  if (!begin("rename " + at_path(from_dir, from) + " to " + at_path(to_dir, to))) return -EIO;
  return ::renameat(from_dir, from, to_dir, to) == 0 ? 0 : -errno;
}

int FaultInjectionEnv::unlink_at(int dirfd, const char* name, int flags) {
  std::lock_guard lock(mutex_);
  if (!begin("unlink " + at_path(dirfd, name))) return -EIO;
  return ::unlinkat(dirfd, name, flags) == 0 ? 0 : -errno;
}

int FaultInjectionEnv::make_directory_at(int dirfd, const char* name, mode_t mode) {
  std::lock_guard lock(mutex_);
  if (!begin("mkdir " + at_path(dirfd, name))) return -EIO;
  return ::mkdirat(dirfd, name, mode) == 0 ? 0 : -errno;
}

// ---- what is durable ----

void FaultInjectionEnv::keep_in_attic(int dirfd, const std::string& name, ino_t inode) {
  const fs::path kept = attic_ / std::to_string(inode);
  if (::access(kept.c_str(), F_OK) == 0) return;
  if (::linkat(dirfd, name.c_str(), AT_FDCWD, kept.c_str(), 0) != 0) fail("cannot keep " + name + " restorable");
}

void FaultInjectionEnv::snapshot_directory(const std::string& relative, int dirfd) {
  Entries entries;
  for (const auto& name : names_in(dirfd)) {
    if (unmanaged(name)) continue;
    struct stat st {};
    if (::fstatat(dirfd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
    if (S_ISDIR(st.st_mode)) {
      entries[name] = Entry{st.st_ino, true, static_cast<mode_t>(st.st_mode & 07777)};
    } else if (S_ISREG(st.st_mode)) {
      entries[name] = Entry{st.st_ino, false, static_cast<mode_t>(st.st_mode & 07777)};
      keep_in_attic(dirfd, name, st.st_ino);
    }
  }
  directories_[relative] = std::move(entries);
}

void FaultInjectionEnv::snapshot_file(int fd, bool with_times) {
  char proc[40];
  std::snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
  ft::UniqueFd readable(::open(proc, O_RDONLY | O_CLOEXEC));
  if (!readable) fail("cannot reopen " + fd_path(fd) + " to snapshot it");
  struct stat st {};
  if (::fstat(readable.get(), &st) != 0) fail("cannot stat a file to snapshot it");
  FileState& state = files_[st.st_ino];
  state.content = read_all(readable.get());
  if (with_times) {
    state.mtime = st.st_mtim;
    state.mode = st.st_mode & 07777;
  }
  if (!state.pin) state.pin = std::move(readable);
}

void FaultInjectionEnv::snapshot_tree() {
  directories_.clear();
  files_.clear();
  std::error_code ec;
  fs::remove_all(attic_, ec);
  if (!fs::create_directory(attic_, ec) || ec) throw std::runtime_error("FaultInjectionEnv: cannot make " + attic_.string());
  std::function<void(const std::string&, int)> visit = [&](const std::string& relative, int dirfd) {
    snapshot_directory(relative, dirfd);
    for (const auto& [name, entry] : Entries(directories_[relative])) {
      if (entry.directory) {
        ft::UniqueFd child(::openat(dirfd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
        if (!child) fail("cannot open " + join(relative, name));
        visit(join(relative, name), child.get());
      } else {
        ft::UniqueFd file(::openat(dirfd, name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
        if (!file) fail("cannot open " + join(relative, name));
        snapshot_file(file.get(), true);
      }
    }
  };
  ft::UniqueFd root(::open(root_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!root) fail("cannot open " + root_.string());
  visit("", root.get());
}

// ---- the reboot ----

void FaultInjectionEnv::restore_directory(const std::string& relative, const Entries* durable) {
  const fs::path dir_path = relative.empty() ? root_ : root_ / relative;
  ft::UniqueFd dir(::open(dir_path.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!dir) fail("cannot open " + dir_path.string());
  for (const auto& name : names_in(dir.get())) {
    if (unmanaged(name)) continue;
    struct stat st {};
    if (::fstatat(dir.get(), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
    const Entry* was = nullptr;
    if (durable) {
      auto it = durable->find(name);
      if (it != durable->end()) was = &it->second;
    }
    const bool is_dir = S_ISDIR(st.st_mode);
    const bool keep = was && was->directory == is_dir && (is_dir || was->inode == st.st_ino);
    if (keep) continue;
    std::error_code ec;
    fs::remove_all(dir_path / name, ec);
    if (ec) throw std::runtime_error("FaultInjectionEnv: cannot roll back " + (dir_path / name).string());
  }
  if (!durable) return;
  for (const auto& [name, entry] : *durable) {
    struct stat st {};
    if (::fstatat(dir.get(), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0) continue;
    if (entry.directory) {
      if (::mkdirat(dir.get(), name.c_str(), entry.mode) != 0) fail("cannot restore " + (dir_path / name).string());
    } else {
      const fs::path kept = attic_ / std::to_string(entry.inode);
      if (::linkat(AT_FDCWD, kept.c_str(), dir.get(), name.c_str(), 0) != 0)
        fail("cannot restore " + (dir_path / name).string());
    }
  }
  for (const auto& [name, entry] : *durable) {
    if (!entry.directory) continue;
    const std::string child = join(relative, name);
    auto it = directories_.find(child);
    restore_directory(child, it == directories_.end() ? nullptr : &it->second);
  }
}

void FaultInjectionEnv::restore_contents() {
  std::function<void(const fs::path&)> visit = [&](const fs::path& dir) {
    for (const auto& entry : fs::directory_iterator(dir)) {
      const std::string name = entry.path().filename().string();
      if (unmanaged(name) || entry.is_symlink()) continue;
      if (entry.is_directory()) {
        visit(entry.path());
        continue;
      }
      if (!entry.is_regular_file()) continue;
      struct stat st {};
      if (::stat(entry.path().c_str(), &st) != 0) fail("cannot stat " + entry.path().string());
      auto it = files_.find(st.st_ino);
      if (it == files_.end()) {
        // Never synced: its blocks were never written (delayed allocation).
        if (::truncate(entry.path().c_str(), 0) != 0) fail("cannot roll back " + entry.path().string());
        continue;
      }
      const FileState& state = it->second;
      ft::UniqueFd fd(::open(entry.path().c_str(), O_RDWR | O_CLOEXEC));
      if (!fd) fail("cannot open " + entry.path().string());
      if (read_all(fd.get()) != state.content) {
        if (::ftruncate(fd.get(), 0) != 0) fail("cannot roll back " + entry.path().string());
        std::string_view rest = state.content;
        for (off_t off = 0; !rest.empty();) {
          const ssize_t n = ::pwrite(fd.get(), rest.data(), rest.size(), off);
          if (n <= 0) fail("cannot roll back " + entry.path().string());
          rest.remove_prefix(static_cast<std::size_t>(n));
          off += n;
        }
      }
      if (state.mtime) {
        struct timespec times[2];
        times[0].tv_sec = 0;
        times[0].tv_nsec = UTIME_OMIT;
        times[1] = *state.mtime;
        if (::fchmod(fd.get(), state.mode) != 0 || ::futimens(fd.get(), times) != 0)
          fail("cannot roll back the times of " + entry.path().string());
      }
    }
  };
  visit(root_);
}

void FaultInjectionEnv::lose_power() {
  std::lock_guard lock(mutex_);
  auto it = directories_.find("");
  restore_directory("", it == directories_.end() ? nullptr : &it->second);
  restore_contents();
  steps_ = 0;
  crash_at_.reset();
  powered_ = true;
  journal_.clear();
  snapshot_tree();
}

}  // namespace test
