// Caching Clients for the mount's worker threads.
//
// libfuse answers requests on several threads at once, and a Client's HTTP
// store wants one thread at a time (one libcurl handle, one kept-alive
// connection). The pool hands each request a Client of its own for as long
// as it needs one, and keeps the idle ones (and their connections) for the
// next requests. Every Client of a pool normally shares one cache and one
// LockManager (see make_shared_cache_factory), so a file read through the
// mount is cached exactly as `filetracker get` caches it, and concurrent
// fetches of one file by several threads or processes download it once.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "filetracker/client.hpp"
#include "filetracker/remote_data_store.hpp"

namespace ft::mount {

class ClientPool {
 public:
  using Factory = std::function<std::unique_ptr<Client>()>;
  explicit ClientPool(Factory factory);
  ClientPool(const ClientPool&) = delete;
  ClientPool& operator=(const ClientPool&) = delete;

  // A Client for the calling thread until the lease is destroyed.
  class Lease {
   public:
    Lease(ClientPool& pool, std::unique_ptr<Client> client) : pool_(&pool), client_(std::move(client)) {}
    ~Lease();
    Lease(Lease&& other) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Client& operator*() const { return *client_; }
    Client* operator->() const { return client_.get(); }
    // The client's store as the HTTP store, or null (no server, or another store).
    RemoteDataStore* remote() const;

   private:
    ClientPool* pool_;
    std::unique_ptr<Client> client_;
  };

  // Reuses an idle Client or makes one. Throws what the factory throws.
  Lease acquire();
  std::size_t idle_count() const;

 private:
  void give_back(std::unique_ptr<Client> client);

  Factory factory_;
  mutable std::mutex mutex_;
  std::vector<std::unique_ptr<Client>> idle_;  // GUARDED_BY(mutex_)
};

struct ClientSetup {
  std::filesystem::path cache_dir;               // the cache (always used by the mount)
  std::optional<std::filesystem::path> locks_dir;  // unset: $FILETRACKER_LOCKS_DIR, else <cache_dir>/locks
  std::string remote_url;                         // empty: the cache alone is the store
  RemoteTimeouts timeouts;
  Client::WarningSink warnings;                   // empty: stderr
};

// A factory of Clients that share one LocalDataStore and one
// FlockLockManager (the ones a `filetracker` command would use for the same
// -c and environment) and each own an HTTP store for `remote_url`.
// Throws Error(Io) when the cache or locks directory cannot be created.
ClientPool::Factory make_shared_cache_factory(const ClientSetup& setup);

}  // namespace ft::mount
