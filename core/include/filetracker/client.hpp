// The caching filetracker client (the seed's filetracker.Client).
//
// A Client has a local store (the cache, normally a LocalDataStore), a remote
// store (the server, normally the HTTP store), or both, plus a LockManager
// that serialises processes sharing the cache, one lock per name.
//
// Semantics, as the seed documents them:
// - A versioned name ("/a@12") is served from the cache when it is there; an
//   unversioned one asks the remote store when one is configured, since the
//   cache cannot know whether its copy is the newest.
// - force_refresh skips the cache when a remote store is configured.
// - A file fetched from the remote store is added to the cache (add_to_cache).
// - Without a remote store the client is a stand-alone local store, safe to
//   share between processes on one machine.
//
// Deliberate differences from the seed (each fixes a seed bug):
// - get_file keeps force_refresh when it retries under the exclusive lock.
// - A fetched file gets its version as mtime before it is cached, so it can
//   be hard-linked into the cache with the right version.
// - put_file to both stores uploads first and caches the version the server
//   stored, and only when the server stored this content: when the server
//   kept a newer version (another uploader's clock ran ahead) nothing is
//   cached and put() says so; when it stored the content as the next version
//   (one content per version, see the server's version rule) that version is
//   cached.
// - A cached file found changed after caching (see LocalDataStore) is
//   fetched again when a remote store is configured (with one warning), and
//   refused otherwise.
// - get_stream(serve_from_cache) fills the cache under the exclusive lock.
// - delete_file reports Error(NotFound) when no configured store had the file
//   (the seed silently ignores it).
//
// Threads: the cache and the locks may be used from several threads at once
// (each call opens its own lock file, and flock excludes other open files);
// the remote store decides the rest (the HTTP store wants one thread at a
// time, so give each thread its own Client).
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "filetracker/data_store.hpp"
#include "filetracker/lock_manager.hpp"

namespace ft {

struct ClientOptions {
  // The cache directory. Unset: $FILETRACKER_DIR, else ~/.filetracker-store.
  std::optional<std::filesystem::path> cache_dir;
  // The server's base URL. Unset: $FILETRACKER_URL. Empty (or both unset):
  // no remote store, a stand-alone local client.
  std::optional<std::string> remote_url;
  // Lock files. Unset: $FILETRACKER_LOCKS_DIR, else <cache_dir>/locks.
  std::optional<std::filesystem::path> locks_dir;
  // false: no local cache at all (a remote-only client; the seed's
  // cache_dir='').
  bool use_cache = true;
  // false: ignore the FILETRACKER_* variables (tests).
  bool read_environment = true;
};

struct GetOptions {
  bool add_to_cache = true;
  bool force_refresh = false;
};

struct PutOptions {
  bool to_local = true;
  bool to_remote = true;
  bool compress_hint = true;  // false: let the server compress
};

// What a put did.
struct PutResult {
  enum class Outcome {
    Stored,        // stored as the version asked for (or it was there already)
    StoredAsNext,  // the server had other content under that version: stored as a later one
    NewerKept,     // the server holds a newer version and kept it: the file was NOT stored
  };
  std::string versioned;  // what the server (or, without one, the cache) now holds
  Outcome outcome = Outcome::Stored;
  bool cached = false;    // the cache holds `versioned` with this file's content
  std::string asked;      // the versioned name that was asked for
};

class Client {
 public:
  // Receives one-line warnings about failures the client recovers from (a
  // broken cache entry, a cache write that failed). Default: stderr.
  using WarningSink = std::function<void(const std::string&)>;

  // Configured from `options` and the environment (see ClientOptions).
  // Throws Error(InvalidArgument) when neither store is configured,
  // Error(Io) when the cache or locks directory cannot be created.
  explicit Client(const ClientOptions& options = {});
  // Explicit stores; either may be null, not both. A null `locks` means no
  // locking (NoOpLockManager).
  Client(std::shared_ptr<DataStore> local, std::shared_ptr<DataStore> remote,
         std::shared_ptr<LockManager> locks = nullptr);

  // ~/.filetracker-store
  static std::filesystem::path default_cache_dir();

  // Saves the file to `save_to` and returns its versioned name. A file
  // served from the cache is hard-linked when possible: do not modify it in
  // place. Throws Error(NotFound) when no store has it.
  std::string get_file(std::string_view name, const std::filesystem::path& save_to, GetOptions options = {});
  // Like get_file, as a stream. With `serve_from_cache` and both stores, the
  // file is first brought into the cache and served from there.
  DataStore::Stream get_stream(std::string_view name, bool force_refresh = false, bool serve_from_cache = false);
  // The newest version: the remote store's when there is one, else the
  // cache's. A version in `name` is ignored.
  Version file_version(std::string_view name);
  // Informational, unlocked.
  std::uint64_t file_size(std::string_view name, bool force_refresh = false);
  // Stores `file` under `name` (with its version, if given) and returns the
  // versioned name stored. With a single store configured, the to_* flags
  // are ignored. The cache may hard-link `file`: do not modify it in place.
  std::string put_file(std::string_view name, const std::filesystem::path& file, PutOptions options = {});
  // put_file, telling what happened (see PutResult). Without a version in
  // `name` the version asked for is the current time.
  PutResult put(std::string_view name, const std::filesystem::path& file, PutOptions options = {});
  // Adds content fetched from the remote store (read from `in`) to the cache
  // as `versioned` (which must carry the version the server answered), under
  // the name's exclusive lock. Returns the versioned name cached.
  std::string cache_stream(std::string_view versioned, std::istream& in);
  // Deletes from both stores (a version in `name`: only if not newer).
  void delete_file(std::string_view name);
  std::vector<FileInfo> list_local_files();

  DataStore* local_store() const { return local_.get(); }
  DataStore* remote_store() const { return remote_.get(); }
  LockManager& lock_manager() const { return *locks_; }
  void set_warning_sink(WarningSink sink) { warn_ = std::move(sink); }

 private:
  std::string get_file_locked(std::string_view name, const std::filesystem::path& save_to, GetOptions options,
                              bool exclusive, bool skip_cache);
  void add_to_cache(const std::string& versioned, const std::filesystem::path& file);
  void warn(const std::string& message) const;
  std::function<void(const std::string&)> warner() const;
  // Whether the cache may answer a read of `split` (the seed's rule).
  bool asks_cache(const SplitName& split, bool force_refresh) const;

  std::shared_ptr<DataStore> local_;
  std::shared_ptr<DataStore> remote_;
  std::shared_ptr<LockManager> locks_;
  WarningSink warn_;
};

}  // namespace ft
