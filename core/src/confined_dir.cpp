#include "filetracker/confined_dir.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <random>
#include <vector>

#include "filetracker/env.hpp"
#include "filetracker/error.hpp"

namespace ft {

namespace {

// The components of a relative path, without empty and "." ones.
std::vector<std::string_view> components(std::string_view relative) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (start <= relative.size()) {
    std::size_t end = relative.find('/', start);
    if (end == std::string_view::npos) end = relative.size();
    std::string_view c = relative.substr(start, end - start);
    if (!c.empty() && c != ".") out.push_back(c);
    start = end + 1;
  }
  return out;
}

bool has_dot_dot(const std::vector<std::string_view>& parts) {
  for (auto p : parts)
    if (p == "..") return true;
  return false;
}

// 1: openat2 works; -1: it does not (ENOSYS, or a seccomp filter); 0: not probed yet.
std::atomic<int> g_openat2{0};

std::atomic<bool> g_openat2_enabled{true};

bool openat2_available() {
  if (!g_openat2_enabled.load(std::memory_order_relaxed)) return false;
  int state = g_openat2.load(std::memory_order_relaxed);
  if (state != 0) return state > 0;
  open_how how{};
  how.flags = O_PATH | O_CLOEXEC;
  how.resolve = RESOLVE_NO_MAGICLINKS;
  long fd = ::syscall(SYS_openat2, AT_FDCWD, "/", &how, sizeof how);
  if (fd >= 0) ::close(static_cast<int>(fd));
  state = fd >= 0 ? 1 : -1;
  g_openat2.store(state, std::memory_order_relaxed);
  return state > 0;
}

// After a failed O_NOFOLLOW open of `name` in `dirfd`: ELOOP when it is a
// symbolic link, else `err`.
int classify_component(int dirfd, const std::string& name, int err) {
  struct stat st {};
  if (::fstatat(dirfd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode)) return ELOOP;
  return err;
}

// Opens (making it when `create`) the directory component `name` of `dirfd`.
// A directory made through `env` is made durable: `dirfd` is fsynced.
int open_component_directory(int dirfd, const std::string& name, bool create, int flags, Env* env = nullptr) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    int fd = ::openat(dirfd, name.c_str(), flags | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd >= 0) return fd;
    int err = errno;
    if (err == ENOENT && create && attempt == 0) {
      if (env) {
        int rc = env->make_directory_at(dirfd, name.c_str(), kPrivateDirectoryMode);
        if (rc == 0) rc = env->sync(dirfd);  // the new entry survives a power loss
        if (rc != 0 && rc != -EEXIST) return rc;
      } else if (::mkdirat(dirfd, name.c_str(), kPrivateDirectoryMode) != 0 && errno != EEXIST) {
        return -errno;
      }
      continue;
    }
    if (err == ENOTDIR || err == ELOOP) err = classify_component(dirfd, name, err);
    return -err;
  }
  return -ENOENT;
}

// The one-component-at-a-time walk, for kernels without openat2.
int walk_open(int root, const std::vector<std::string_view>& parts, int flags, mode_t mode) {
  UniqueFd holder;
  int cur = root;
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    int fd = open_component_directory(cur, std::string(parts[i]), false, O_PATH);
    if (fd < 0) return fd;
    holder.reset(fd);
    cur = fd;
  }
  const std::string last(parts.back());
  int fd = ::openat(cur, last.c_str(), flags | O_NOFOLLOW | O_CLOEXEC, mode);
  if (fd < 0) {
    int err = errno;
    if (err == ENOTDIR || err == ELOOP) err = classify_component(cur, last, err);
    return -err;
  }
  if (flags & O_PATH) {
    // O_PATH | O_NOFOLLOW opens a symbolic link itself instead of failing.
    struct stat st {};
    if (::fstat(fd, &st) == 0 && S_ISLNK(st.st_mode)) {
      ::close(fd);
      return -ELOOP;
    }
  }
  return fd;
}

std::string random_suffix() {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::string out(10, ' ');
  for (auto& c : out) c = kAlphabet[rng() % 36];
  return out;
}

std::string join(const std::string& a, std::string_view b) { return a.empty() ? std::string(b) : a + "/" + std::string(b); }

}  // namespace

void UniqueFd::reset(int fd) {
  if (fd_ >= 0) ::close(fd_);
  fd_ = fd;
}

ConfinedDir ConfinedDir::open(const std::filesystem::path& path, bool create, Env* durable_env) {
  int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0 && errno == ENOENT && create) {
    // Parents first (resolved as usual: above the cache is the user's).
    std::filesystem::path current;
    for (const auto& part : path) {
      const std::filesystem::path parent = current.empty() ? std::filesystem::path(".") : current;
      current /= part;
      if (!durable_env) {
        if (::mkdir(current.c_str(), kPrivateDirectoryMode) != 0 && errno != EEXIST)
          throw_errno(current.string() + ": cannot create directory");
        continue;
      }
      int rc = durable_env->make_directory_at(AT_FDCWD, current.c_str(), kPrivateDirectoryMode);
      if (rc == -EEXIST) continue;
      if (rc == 0) {
        // The new entry survives a power loss only once its parent is fsynced.
        UniqueFd parent_fd(::open(parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
        rc = parent_fd ? durable_env->sync(parent_fd.get()) : -errno;
      }
      if (rc != 0) throw_errno(current.string() + ": cannot create directory", -rc);
    }
    fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  }
  if (fd < 0) throw_errno(path.string() + ": cannot open directory");
  return ConfinedDir(std::make_shared<const UniqueFd>(fd), path, durable_env);
}

ConfinedDir ConfinedDir::subdirectory(const std::string& relative, bool create) const {
  int fd = open_directory(relative, create);
  if (fd < 0) {
    if (is_symlink_error(-fd)) throw Error(ErrorCode::Io, symlink_message(describe(relative)));
    throw_errno(describe(relative) + ": cannot open directory", -fd);
  }
  return ConfinedDir(std::make_shared<const UniqueFd>(fd), path_ / relative, env_);
}

int ConfinedDir::fd() const { return fd_ ? fd_->get() : -1; }

std::string ConfinedDir::describe(std::string_view relative) const {
  std::string out = path_.string();
  if (!relative.empty()) {
    if (!out.empty() && out.back() != '/') out += '/';
    out += relative.front() == '/' ? relative.substr(1) : relative;
  }
  return out;
}

namespace {

// A path openat2 can take as it is: no leading, trailing or doubled '/', no
// "." or ".." component (the common case: a filetracker name's path).
bool is_plain_relative(std::string_view p) {
  if (p.empty() || p.front() == '/' || p.back() == '/') return false;
  std::size_t start = 0;
  while (start <= p.size()) {
    std::size_t end = p.find('/', start);
    if (end == std::string_view::npos) end = p.size();
    const std::string_view c = p.substr(start, end - start);
    if (c.empty() || c == "." || c == "..") return false;
    start = end + 1;
  }
  return true;
}

}  // namespace

int ConfinedDir::open_file(const std::string& relative, int flags, mode_t mode) const {
  const bool plain = is_plain_relative(relative);
  std::vector<std::string_view> parts;
  if (!plain || !openat2_available()) {
    parts = components(relative);
    if (parts.empty()) return -EISDIR;
    if (has_dot_dot(parts)) return -EXDEV;
  }
  if (openat2_available()) {
    std::string joined;
    if (!plain) {
      for (auto p : parts) {
        if (!joined.empty()) joined += '/';
        joined += p;
      }
    }
    const char* path = plain ? relative.c_str() : joined.c_str();
    open_how how{};
    // No O_NOFOLLOW here: it would open a final symbolic link itself (O_PATH)
    // or fail with ENOTDIR (O_DIRECTORY); RESOLVE_NO_SYMLINKS refuses every
    // link, the final one too, with ELOOP.
    how.flags = static_cast<unsigned long long>((flags & ~O_NOFOLLOW) | O_CLOEXEC);
    how.mode = (flags & (O_CREAT | __O_TMPFILE)) ? mode : 0;
    how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
    for (;;) {
      long fd = ::syscall(SYS_openat2, fd_->get(), path, &how, sizeof how);
      if (fd >= 0) return static_cast<int>(fd);
      if (errno != EINTR && errno != EAGAIN) return -errno;
    }
  }
  return walk_open(fd_->get(), parts, flags, mode);
}

int ConfinedDir::open_directory(const std::string& relative, bool create) const {
  const auto parts = components(relative);
  if (has_dot_dot(parts)) return -EXDEV;
  if (parts.empty()) {
    int fd = ::openat(fd_->get(), ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    return fd >= 0 ? fd : -errno;
  }
  int fd = open_file(relative, O_RDONLY | O_DIRECTORY);
  if (fd >= 0 || fd != -ENOENT || !create) return fd;
  UniqueFd holder;
  int cur = fd_->get();
  for (auto part : parts) {
    int next = open_component_directory(cur, std::string(part), true, O_RDONLY, env_);
    if (next < 0) return next;
    holder.reset(next);
    cur = next;
  }
  return holder.release();
}

void ConfinedDir::walk(const Visitor& visit, const std::function<void(const std::string&, int)>& unreadable) const {
  std::function<void(const std::string&, int)> descend = [&](const std::string& relative, int dirfd) {
    int dupfd = ::dup(dirfd);
    DIR* dir = dupfd >= 0 ? ::fdopendir(dupfd) : nullptr;
    if (!dir) {
      if (dupfd >= 0) ::close(dupfd);
      if (unreadable) unreadable(relative, errno);
      return;
    }
    std::vector<std::string> names;
    while (dirent* e = ::readdir(dir)) {
      std::string_view n = e->d_name;
      if (n == "." || n == "..") continue;
      names.emplace_back(n);
    }
    ::closedir(dir);
    for (const auto& name : names) {
      struct stat st {};
      if (::fstatat(dirfd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) continue;  // gone meanwhile
      const std::string child = join(relative, name);
      const bool enter = visit(child, st);
      if (!enter || !S_ISDIR(st.st_mode)) continue;
      int fd = ::openat(dirfd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (fd < 0) {
        if (errno != ENOENT && unreadable) unreadable(child, errno);
        continue;
      }
      descend(child, fd);
      ::close(fd);
    }
  };
  descend("", fd_->get());
}

void ConfinedDir::remove_empty_directories(std::string_view relative) const {
  std::string_view current = relative;
  while (!components(current).empty()) {
    auto [parent, base] = split_relative(current);
    UniqueFd dir(open_directory(parent, false));
    if (!dir) return;
    const int rc = env_ ? env_->unlink_at(dir.get(), base.c_str(), AT_REMOVEDIR)
                        : (::unlinkat(dir.get(), base.c_str(), AT_REMOVEDIR) == 0 ? 0 : -errno);
    if (rc != 0) return;
    current = current.substr(0, parent.size());
  }
}

bool is_symlink_error(int err) { return err == ELOOP; }

std::string symlink_message(const std::string& path) {
  return path + ": a symbolic link in the cache (not followed; `filetracker cache clean` removes it)";
}

std::pair<std::string, std::string> split_relative(std::string_view relative) {
  while (!relative.empty() && relative.back() == '/') relative.remove_suffix(1);
  auto slash = relative.rfind('/');
  if (slash == std::string_view::npos) return {std::string(), std::string(relative)};
  return {std::string(relative.substr(0, slash)), std::string(relative.substr(slash + 1))};
}

namespace {

// How link_open_file links a descriptor: 0 not known yet, 1 linkat with
// AT_EMPTY_PATH, 2 the /proc/self/fd link.
std::atomic<int> g_link_method{0};

int link_through_proc(int fd, int dirfd, const char* name) {
  char proc[40];
  std::snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
  if (::linkat(AT_FDCWD, proc, dirfd, name, AT_SYMLINK_FOLLOW) == 0) return 0;
  return -errno;
}

}  // namespace

int link_open_file(int fd, int dirfd, const char* name) {
  const int method = g_link_method.load(std::memory_order_relaxed);
  if (method == 2) return link_through_proc(fd, dirfd, name);
  if (::linkat(fd, "", dirfd, name, AT_EMPTY_PATH) == 0) {
    if (method == 0) g_link_method.store(1, std::memory_order_relaxed);
    return 0;
  }
  const int err = errno;
  // Without CAP_DAC_READ_SEARCH (before Linux 6.10) AT_EMPTY_PATH fails with
  // ENOENT, the same error as a missing directory: ask /proc, which tells.
  if (method == 1 || (err != ENOENT && err != EPERM && err != EINVAL)) return -err;
  int rc = link_through_proc(fd, dirfd, name);
  if (rc == 0) g_link_method.store(2, std::memory_order_relaxed);
  if (rc == -ENOENT && ::access("/proc/self/fd", X_OK) != 0) return -ENOSYS;
  return rc;
}

namespace {
std::atomic<bool> g_unnamed_files{true};
}  // namespace

void set_unnamed_files_enabled(bool enabled) { g_unnamed_files.store(enabled); }
void set_openat2_enabled(bool enabled) { g_openat2_enabled.store(enabled); }

int open_unnamed_file(int dirfd, mode_t mode, Env* env) {
  if (!g_unnamed_files.load(std::memory_order_relaxed)) return -EOPNOTSUPP;
  // An unnamed file is only of use if it can be linked in afterwards.
  static const bool linkable = ::geteuid() == 0 || ::access("/proc/self/fd", X_OK) == 0;
  if (!linkable) return -ENOSYS;
  if (env) return env->open_at(dirfd, ".", O_TMPFILE | O_RDWR, mode);
  int fd = ::openat(dirfd, ".", O_TMPFILE | O_RDWR | O_CLOEXEC, mode);
  return fd >= 0 ? fd : -errno;
}

std::string temp_name_for(std::string_view base) { return "." + std::string(base) + ".tmp." + random_suffix(); }

}  // namespace ft
