#include "http/connection_registry.hpp"

#include <vector>

namespace ft::server {

void ConnectionRegistry::add(Entry* entry, std::weak_ptr<Entry> handle) {
  std::lock_guard lock(mutex_);
  entries_.emplace(entry, std::move(handle));
  trimmer_.rose_to(static_cast<unsigned>(entries_.size()));
}

void ConnectionRegistry::remove(Entry* entry) {
  bool last = false;
  {
    std::lock_guard lock(mutex_);
    entries_.erase(entry);
    last = entries_.empty();
  }
  if (last) trimmer_.back_to_zero();
}

void ConnectionRegistry::close_idle() {
  std::vector<std::shared_ptr<Entry>> live;
  {
    std::lock_guard lock(mutex_);
    for (auto& [raw, handle] : entries_)
      if (auto entry = handle.lock()) live.push_back(std::move(entry));
  }
  // Outside the lock: dropping the last reference runs remove().
  for (auto& entry : live) entry->close_if_idle();
}

}  // namespace ft::server
