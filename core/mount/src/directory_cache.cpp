#include "filetracker/mount/directory_cache.hpp"

#include <exception>

#include "filetracker/error.hpp"

namespace ft::mount {

namespace {

// Expired listings are dropped when the map has grown this much since the
// last sweep, so a long-running mount over millions of directories keeps
// only what is fresh.
constexpr std::size_t kSweepThreshold = 1024;

}  // namespace

DirectoryCache::DirectoryCache(DirectorySource& source, std::chrono::milliseconds ttl, Clock clock)
    : source_(source), ttl_(ttl), clock_(clock ? std::move(clock) : Clock(&std::chrono::steady_clock::now)) {}

std::shared_ptr<const DirectoryListing> DirectoryCache::get(const std::string& directory) {
  std::unique_lock lock(mutex_);
  {
    Entry& entry = entries_[directory];
    if (entry.valid && clock_() - entry.fetched < ttl_) return entry.listing;
    if (entry.loading) {
      // Someone is asking the source right now: take their answer (listing
      // or error), so a dead server costs one timeout, not one per caller.
      const std::uint64_t seen = entry.loads;
      ++entry.waiters;
      loaded_.wait(lock, [&] { return entries_[directory].loads != seen; });
      Entry& done = entries_[directory];
      --done.waiters;
      if (done.error) std::rethrow_exception(done.error);
      return done.listing;
    }
  }
  if (entries_.size() > swept_size_ + kSweepThreshold) {
    const auto now = clock_();
    for (auto it = entries_.begin(); it != entries_.end();) {
      if (!it->second.loading && it->second.waiters == 0 && (!it->second.valid || now - it->second.fetched >= ttl_))
        it = entries_.erase(it);
      else
        ++it;
    }
    swept_size_ = entries_.size();
  }
  Entry& entry = entries_[directory];
  entry.loading = true;
  const std::uint64_t generation = entry.generation;
  ++source_calls_;
  lock.unlock();

  std::shared_ptr<const DirectoryListing> listing;
  std::exception_ptr error;
  try {
    listing = std::make_shared<const DirectoryListing>(source_.list(directory));
  } catch (const Error& e) {
    if (e.code() != ErrorCode::NotFound) error = std::current_exception();
  } catch (...) {
    error = std::current_exception();
  }

  lock.lock();
  Entry& done = entries_[directory];
  done.loading = false;
  ++done.loads;
  done.error = error;
  done.listing = listing;
  // An invalidate() during the request means the answer may predate a
  // change made through the mount: hand it to the waiters, do not keep it.
  done.valid = !error && done.generation == generation;
  done.fetched = clock_();
  loaded_.notify_all();
  lock.unlock();
  if (error) std::rethrow_exception(error);
  return listing;
}

void DirectoryCache::invalidate(const std::string& directory) {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(directory);
  if (it == entries_.end()) return;
  it->second.valid = false;
  ++it->second.generation;
}

void DirectoryCache::invalidate_all() {
  std::lock_guard lock(mutex_);
  for (auto& [name, entry] : entries_) {
    entry.valid = false;
    ++entry.generation;
  }
}

std::uint64_t DirectoryCache::source_calls() const {
  std::lock_guard lock(mutex_);
  return source_calls_;
}

int DirectoryCache::waiting(const std::string& directory) const {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(directory);
  return it == entries_.end() ? 0 : it->second.waiters;
}

}  // namespace ft::mount
