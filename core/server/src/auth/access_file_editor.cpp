#include "filetracker/server/access_file_editor.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <mutex>

namespace ft::server {
namespace {

// One editor at a time within this process (flock() alone would do across
// open file descriptions too, but the mutex keeps threads from queueing in
// the kernel with a file descriptor each).
std::mutex& edit_mutex() {
  static std::mutex mutex;
  return mutex;
}

class FileLock {
 public:
  explicit FileLock(const std::filesystem::path& path) {
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd_ < 0) throw_errno("cannot open the lock file " + path.string());
    while (::flock(fd_, LOCK_EX) != 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd_);
      throw_errno("cannot lock " + path.string(), err);
    }
  }
  ~FileLock() { ::close(fd_); }  // closing releases the lock
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

 private:
  int fd_ = -1;
};

std::vector<AccessEntry>::iterator find_entry(std::vector<AccessEntry>& entries, const std::string& name) {
  return std::find_if(entries.begin(), entries.end(), [&](const AccessEntry& e) { return e.principal.name == name; });
}

}  // namespace

std::vector<AccessEntry> edit_access_file(const std::filesystem::path& file,
                                          const std::function<void(std::vector<AccessEntry>&)>& change, bool create) {
  std::lock_guard guard(edit_mutex());
  FileLock lock(std::filesystem::path(file.string() + ".lock"));
  std::vector<AccessEntry> entries;
  std::error_code ec;
  if (!create || std::filesystem::exists(file, ec)) {
    try {
      entries = load_access_file(file);
    } catch (const Error& e) {
      // A malformed file is not the caller's mistake: say what it is, change nothing.
      if (e.code() != ErrorCode::InvalidArgument) throw;
      throw Error(ErrorCode::Io, std::string("the access file is malformed, not changed: ") + e.what());
    }
  }
  change(entries);
  save_access_file(file, entries);
  return entries;
}

std::vector<std::string> normalize_prefixes(const std::vector<std::string>& prefixes) {
  std::vector<std::string> out;
  for (const auto& p : prefixes) {
    auto normalized = normalize_prefix(p);
    if (!normalized)
      throw Error(ErrorCode::InvalidArgument, "prefix \"" + p + "\" is not an absolute directory such as /tests/");
    if (std::find(out.begin(), out.end(), *normalized) == out.end()) out.push_back(*normalized);
  }
  return out;
}

bool has_unrestricted_admin(const std::vector<AccessEntry>& entries) {
  return std::any_of(entries.begin(), entries.end(), [](const AccessEntry& e) {
    return e.principal.level == AccessLevel::Admin && e.principal.unrestricted();
  });
}

PrincipalChangeResult upsert_principal(std::vector<AccessEntry>& entries, const PrincipalChange& change) {
  if (!is_principal_name(change.name))
    throw Error(ErrorCode::InvalidArgument,
                "\"" + change.name + "\" is not a valid name (letters, digits, _ - @ +; at most 64)");
  if (change.level && (*change.level == AccessLevel::None))
    throw Error(ErrorCode::InvalidArgument, "the access level must be read, write or admin");
  PrincipalChangeResult result;
  auto it = find_entry(entries, change.name);
  if (it == entries.end()) {
    if (!change.level) throw Error(ErrorCode::InvalidArgument, "a new principal needs an access level (read, write or admin)");
    if (!change.hash) throw Error(ErrorCode::InvalidArgument, "a new principal needs a secret");
    AccessEntry entry;
    entry.principal.name = change.name;
    entries.push_back(std::move(entry));
    it = std::prev(entries.end());
    result.created = true;
  }
  Principal& p = it->principal;
  if (change.level) p.level = *change.level;
  if (change.prefixes) p.prefixes = *change.prefixes;
  if (change.hash) {
    it->hash = *change.hash;
    result.secret_changed = true;
  }
  result.principal = p;
  if (change.keep_an_admin && !has_unrestricted_admin(entries))
    throw AccessChangeRefused("refused: " + change.name +
                              " is the last admin without prefixes; the server would have no admin left");
  return result;
}

void remove_principal(std::vector<AccessEntry>& entries, const std::string& name, bool keep_an_admin) {
  auto it = find_entry(entries, name);
  if (it == entries.end()) throw Error(ErrorCode::NotFound, "no principal \"" + name + "\"");
  entries.erase(it);
  if (keep_an_admin && !has_unrestricted_admin(entries))
    throw AccessChangeRefused("refused: " + name +
                              " is the last admin without prefixes; the server would have no admin left");
}

}  // namespace ft::server
