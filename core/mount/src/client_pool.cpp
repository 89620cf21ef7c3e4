#include "filetracker/mount/client_pool.hpp"

#include "filetracker/local_data_store.hpp"
#include "filetracker/lock_manager.hpp"

namespace ft::mount {

ClientPool::ClientPool(Factory factory) : factory_(std::move(factory)) {}

ClientPool::Lease::~Lease() {
  if (client_) pool_->give_back(std::move(client_));
}

RemoteDataStore* ClientPool::Lease::remote() const {
  return dynamic_cast<RemoteDataStore*>(client_->remote_store());
}

ClientPool::Lease ClientPool::acquire() {
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      std::unique_ptr<Client> client = std::move(idle_.back());
      idle_.pop_back();
      return Lease(*this, std::move(client));
    }
  }
  return Lease(*this, factory_());
}

std::size_t ClientPool::idle_count() const {
  std::lock_guard lock(mutex_);
  return idle_.size();
}

void ClientPool::give_back(std::unique_ptr<Client> client) {
  // A transfer cancelled or failed half-way leaves the handle usable: libcurl
  // resets it for the next request, so every client goes back.
  std::lock_guard lock(mutex_);
  idle_.push_back(std::move(client));
}

ClientPool::Factory make_shared_cache_factory(const ClientSetup& setup) {
  // One cache-only Client resolves the cache and locks directories exactly
  // as a `filetracker` command does (ClientOptions, environment included);
  // the pool's clients borrow its stores through aliasing shared_ptrs that
  // keep it alive.
  ClientOptions options;
  options.cache_dir = setup.cache_dir;
  options.locks_dir = setup.locks_dir;
  options.remote_url = std::string();  // the cache alone
  auto base = std::make_shared<Client>(options);
  std::shared_ptr<DataStore> local(base, base->local_store());
  std::shared_ptr<LockManager> locks(base, &base->lock_manager());
  return [local, locks, setup]() {
    std::shared_ptr<DataStore> remote;
    if (!setup.remote_url.empty()) remote = std::make_shared<RemoteDataStore>(setup.remote_url, setup.timeouts);
    auto client = std::make_unique<Client>(local, remote, locks);
    if (setup.warnings) client->set_warning_sink(setup.warnings);
    return client;
  };
}

}  // namespace ft::mount
