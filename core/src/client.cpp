#include "filetracker/client.hpp"

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <ctime>
#include <functional>
#include <optional>
#include <type_traits>
#include <iostream>

#include "filetracker/atomic_file.hpp"
#include "filetracker/checksum.hpp"
#include "filetracker/error.hpp"
#include "filetracker/local_data_store.hpp"
#include "filetracker/remote_data_store.hpp"

namespace ft {

namespace {

std::optional<std::string> environment(const char* variable) {
  const char* value = std::getenv(variable);
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string(value);
}

// The seed's rule for reads that the cache may answer: the cache is asked
// when there is no remote store, or for a versioned name unless a refresh is
// forced. A cache miss falls through (nullopt); any other cache error falls
// through with a warning when a remote store can answer instead, and is
// thrown otherwise.
template <typename Read>
auto read_from_cache(bool ask_cache, bool has_remote, const std::function<void(const std::string&)>& warn,
                     const std::string& what, Read&& read, bool* failed = nullptr)
    -> std::optional<std::invoke_result_t<Read>> {
  if (!ask_cache) return std::nullopt;
  try {
    return read();
  } catch (const Error& e) {
    if (e.code() != ErrorCode::NotFound) {
      if (!has_remote) throw;
      warn("cannot get " + what + " from the cache: " + e.what());
      if (failed) *failed = true;
    }
  }
  return std::nullopt;
}

[[noreturn]] void throw_not_available(std::string_view name) {
  throw Error(ErrorCode::NotFound, std::string(name) + ": file not available (not in the local store)");
}

// Closes a lock when leaving a scope, however we leave it.
class LockGuard {
 public:
  explicit LockGuard(std::unique_ptr<Lock> lock) : lock_(std::move(lock)) {}
  ~LockGuard() {
    if (lock_) {
      try {
        lock_->close(false);
      } catch (...) {
        // Closing a descriptor cannot meaningfully fail; never throw from here.
      }
    }
  }
  LockGuard(const LockGuard&) = delete;
  LockGuard& operator=(const LockGuard&) = delete;
  Lock* operator->() const { return lock_.get(); }
  explicit operator bool() const { return lock_ != nullptr; }

 private:
  std::unique_ptr<Lock> lock_;
};

}  // namespace

std::filesystem::path Client::default_cache_dir() {
  std::string home;
  if (auto value = environment("HOME")) {
    home = *value;
  } else if (const passwd* pw = ::getpwuid(::getuid()); pw != nullptr && pw->pw_dir != nullptr) {
    home = pw->pw_dir;
  } else {
    home = "/";
  }
  return std::filesystem::path(home) / ".filetracker-store";
}

Client::Client(const ClientOptions& options) {
  const bool env = options.read_environment;
  std::filesystem::path cache_dir;
  if (options.cache_dir) {
    cache_dir = *options.cache_dir;
  } else if (auto value = env ? environment("FILETRACKER_DIR") : std::nullopt) {
    cache_dir = *value;
  } else {
    cache_dir = default_cache_dir();
  }
  std::string url;
  if (options.remote_url) {
    url = *options.remote_url;
  } else if (auto value = env ? environment("FILETRACKER_URL") : std::nullopt) {
    url = *value;
  }
  std::filesystem::path locks_dir;
  if (options.locks_dir) {
    locks_dir = *options.locks_dir;
  } else if (auto value = env ? environment("FILETRACKER_LOCKS_DIR") : std::nullopt) {
    locks_dir = *value;
  } else {
    locks_dir = cache_dir / "locks";
  }

  if (!options.use_cache && url.empty()) {
    throw Error(ErrorCode::InvalidArgument, "neither a local nor a remote filetracker store is configured");
  }
  if (options.use_cache) {
    local_ = std::make_shared<LocalDataStore>(cache_dir);
    locks_ = std::make_shared<FlockLockManager>(locks_dir);
  } else {
    locks_ = std::make_shared<NoOpLockManager>();
  }
  if (!url.empty()) remote_ = make_remote_data_store(url);
}

Client::Client(std::shared_ptr<DataStore> local, std::shared_ptr<DataStore> remote,
               std::shared_ptr<LockManager> locks)
    : local_(std::move(local)), remote_(std::move(remote)), locks_(std::move(locks)) {
  if (!local_ && !remote_) {
    throw Error(ErrorCode::InvalidArgument, "neither a local nor a remote filetracker store is configured");
  }
  if (!locks_) locks_ = std::make_shared<NoOpLockManager>();
}

void Client::warn(const std::string& message) const {
  if (warn_) {
    warn_(message);
  } else {
    std::cerr << "filetracker: warning: " << message << '\n';
  }
}

std::function<void(const std::string&)> Client::warner() const {
  return [this](const std::string& message) { warn(message); };
}

bool Client::asks_cache(const SplitName& split, bool force_refresh) const {
  return local_ && (!remote_ || (split.version && !force_refresh));
}

void Client::add_to_cache(const std::string& versioned, const std::filesystem::path& file) {
  if (!local_) return;
  try {
    // The file was just written for us; giving it the version as mtime lets
    // the cache hard-link it instead of copying (and matches what a cache hit
    // produces: a file whose mtime is the version).
    if (auto version = split_name(versioned).version) {
      struct stat st {};
      if (::stat(file.c_str(), &st) == 0 && st.st_mtime != *version) set_mtime(file, *version);
    }
    local_->add_file(versioned, file);
  } catch (const std::exception& e) {
    warn("cannot add " + versioned + " to the cache (from " + file.string() + "): " + e.what());
  }
}

std::string Client::get_file(std::string_view name, const std::filesystem::path& save_to, GetOptions options) {
  return get_file_locked(name, save_to, options, false, false);
}

std::string Client::get_file_locked(std::string_view name, const std::filesystem::path& save_to,
                                    GetOptions options, bool exclusive, bool skip_cache) {
  const SplitName split = parse_name(name);
  std::unique_ptr<Lock> lock_ptr;
  if (local_) {
    lock_ptr = locks_->lock_for(split.name);
    if (exclusive) {
      lock_ptr->lock_exclusive();
    } else {
      lock_ptr->lock_shared();
    }
  } else {
    options.add_to_cache = false;
  }
  LockGuard lock(std::move(lock_ptr));

  bool cache_failed = false;
  if (!skip_cache) {
    if (auto cached = read_from_cache(asks_cache(split, options.force_refresh), remote_ != nullptr, warner(),
                                      std::string(name), [&] { return local_->get_file(name, save_to); },
                                      &cache_failed)) {
      return *cached;
    }
  }
  if (remote_) {
    if (!exclusive && options.add_to_cache) {
      // Fetch under the exclusive lock, so only one process downloads a file
      // into the cache; the retry looks at the cache again first, as another
      // process may have fetched it while we waited (unless the cache just
      // failed, say with a changed file: then it fetches, warned once).
      lock->unlock();
      return get_file_locked(name, save_to, options, true, cache_failed);
    }
    std::string versioned = remote_->get_file(name, save_to);
    if (options.add_to_cache) add_to_cache(versioned, save_to);
    return versioned;
  }
  throw_not_available(name);
}

DataStore::Stream Client::get_stream(std::string_view name, bool force_refresh, bool serve_from_cache) {
  const SplitName split = parse_name(name);
  std::unique_ptr<Lock> lock_ptr;
  if (local_) {
    lock_ptr = locks_->lock_for(split.name);
    lock_ptr->lock_shared();
  }
  LockGuard lock(std::move(lock_ptr));

  if (auto cached = read_from_cache(asks_cache(split, force_refresh), remote_ != nullptr, warner(),
                                    std::string(name), [&] { return local_->get_stream(name); })) {
    return std::move(*cached);
  }
  if (remote_) {
    if (local_ && serve_from_cache) {
      std::string wanted(name);
      if (!split.version) wanted = versioned_name(split.name, remote_->file_version(name));
      lock->lock_exclusive();  // we are about to write the cache
      if (force_refresh || !local_->exists(wanted)) {
        DataStore::Stream remote = remote_->get_stream(wanted);
        // A remote stream reports a cut-off or corrupt body by failing a read
        // with ft::Error; let that one-line cause through instead of the
        // cache's generic "read error" (the cache still keeps nothing).
        remote.stream->exceptions(std::ios::badbit);
        wanted = local_->add_stream(remote.versioned_name, *remote.stream);
      }
      return local_->get_stream(wanted);
    }
    return remote_->get_stream(name);
  }
  throw_not_available(name);
}

Version Client::file_version(std::string_view name) {
  return remote_ ? remote_->file_version(name) : local_->file_version(name);
}

std::uint64_t Client::file_size(std::string_view name, bool force_refresh) {
  const SplitName split = parse_name(name);
  if (auto cached = read_from_cache(asks_cache(split, force_refresh), remote_ != nullptr, warner(),
                                    "the size of " + std::string(name), [&] { return local_->file_size(name); })) {
    return *cached;
  }
  if (remote_) return remote_->file_size(name);
  throw_not_available(name);
}

std::string Client::put_file(std::string_view name, const std::filesystem::path& file, PutOptions options) {
  return put(name, file, options).versioned;
}

PutResult Client::put(std::string_view name, const std::filesystem::path& file, PutOptions options) {
  if (!options.to_local && !options.to_remote) {
    throw Error(ErrorCode::InvalidArgument, std::string(name) + ": put_file needs to_local or to_remote");
  }
  const SplitName split = parse_name(name);
  std::unique_ptr<Lock> lock_ptr;
  if (local_) {
    lock_ptr = locks_->lock_for(split.name);
    lock_ptr->lock_exclusive();
  }
  LockGuard lock(std::move(lock_ptr));

  const bool use_local = local_ && (options.to_local || !remote_);
  const bool use_remote = remote_ && (options.to_remote || !local_);
  PutResult result;
  if (!use_remote) {
    result.asked = std::string(name);
    result.versioned = local_->add_file(name, file);
    result.cached = true;
    return result;
  }
  // The version asked for is fixed here (as the remote store would fix it),
  // so the answer can be compared with it.
  const Version asked = split.version ? *split.version : static_cast<Version>(::time(nullptr));
  result.asked = versioned_name(split.name, asked);
  result.versioned = remote_->add_file(result.asked, file, options.compress_hint);
  if (split_name(result.versioned).version != asked) {
    // The server holds another version than the one asked for: ours, stored
    // as the next version (same second, other content: one content per
    // version), or a newer one it kept instead. Only its checksum tells.
    result.outcome = PutResult::Outcome::NewerKept;
    if (auto* http = dynamic_cast<RemoteDataStore*>(remote_.get())) {
      RemoteDataStore::Head head = http->head(split.name);
      if (!head.sha256.empty() && head.sha256 == sha256_file(file)) {
        result.outcome = PutResult::Outcome::StoredAsNext;
        result.versioned = versioned_name(split.name, head.version);
      }
    }
  }
  // Cache exactly what the server stored under the version it answered (a
  // copy when the file's mtime differs, so the caller's file is left
  // untouched), and nothing when the server kept other content.
  if (use_local && result.outcome != PutResult::Outcome::NewerKept) {
    local_->add_file(result.versioned, file);
    result.cached = true;
  }
  return result;
}

std::string Client::cache_stream(std::string_view versioned, std::istream& in) {
  if (!local_) throw Error(ErrorCode::InvalidArgument, std::string(versioned) + ": there is no local cache");
  const SplitName split = parse_name(versioned);
  if (!split.version)
    throw Error(ErrorCode::InvalidArgument, std::string(versioned) + ": caching needs the version the server answered");
  LockGuard lock(locks_->lock_for(split.name));
  lock->lock_exclusive();
  return local_->add_stream(versioned, in);
}

void Client::delete_file(std::string_view name) {
  const SplitName split = parse_name(name);
  bool found = false;
  if (local_) {
    auto lock = locks_->lock_for(split.name);
    lock->lock_exclusive();
    bool deleted = false;
    try {
      local_->delete_file(name);
      deleted = true;
      found = true;
    } catch (const Error& e) {
      lock->close(false);
      if (e.code() != ErrorCode::NotFound) throw;
    }
    lock->close(deleted);
  }
  if (remote_) {
    try {
      remote_->delete_file(name);
    } catch (const Error& e) {
      if (e.code() != ErrorCode::NotFound || !found) throw;
    }
    return;
  }
  if (!found) throw Error(ErrorCode::NotFound, std::string(name) + ": file not found in the local store");
}

std::vector<FileInfo> Client::list_local_files() {
  if (!local_) return {};
  return local_->list_files();
}

}  // namespace ft
