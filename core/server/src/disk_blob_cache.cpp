#include "disk_blob_cache.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <exception>
#include <random>
#include <vector>

#include "filetracker/error.hpp"
#include "filetracker/protocol.hpp"

namespace fs = std::filesystem;

namespace ft::server {

struct DiskBlobCache::Pending {
  std::mutex mutex;
  std::condition_variable cv;
  bool done = false;
};

namespace {

std::string temp_name() {
  static std::atomic<std::uint64_t> counter{0};
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return "tmp." + std::to_string(rng()) + "." + std::to_string(counter++);
}

// An fd of a new, already unlinked file in dir (nothing to clean up later).
int anonymous_file(const fs::path& dir) {
  int fd = ::open(dir.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd >= 0) return fd;
  fs::path p = dir / temp_name();
  fd = ::open(p.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) throw_errno(p.string() + ": cannot create a cache file");
  ::unlink(p.c_str());
  return fd;
}

// The file's size, with its offset back at the start for the reader.
std::uint64_t size_of(int fd) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) throw_errno("blob cache: cannot stat");
  if (::lseek(fd, 0, SEEK_SET) != 0) throw_errno("blob cache: cannot seek");
  return static_cast<std::uint64_t>(st.st_size);
}

}  // namespace

DiskBlobCache::DiskBlobCache(fs::path dir, std::uint64_t max_bytes) : dir_(std::move(dir)), max_bytes_(max_bytes) {
  fs::create_directories(dir_);
  // Oldest first into the LRU, so the newest stay when over the bound.
  std::vector<std::pair<fs::file_time_type, std::pair<std::string, std::uint64_t>>> found;
  for (const auto& entry : fs::directory_iterator(dir_)) {
    std::string name = entry.path().filename().string();
    std::error_code ec;
    if (!protocol::is_sha256_hex(name) || max_bytes_ == 0) {
      fs::remove(entry.path(), ec);  // a fetch cut short, or the cache was turned off
      continue;
    }
    found.push_back({entry.last_write_time(ec), {name, entry.file_size(ec)}});
  }
  std::sort(found.begin(), found.end());
  std::lock_guard lock(mutex_);
  for (const auto& [time, blob] : found) insert_locked(blob.first, blob.second);
  evict_locked();
}

std::uint64_t DiskBlobCache::bytes() const {
  std::lock_guard lock(mutex_);
  return bytes_;
}

void DiskBlobCache::insert_locked(const std::string& sha256, std::uint64_t size) {
  if (entries_.count(sha256)) return;
  lru_.push_front(sha256);
  entries_.emplace(sha256, Entry{size, lru_.begin()});
  bytes_ += size;
}

void DiskBlobCache::evict_locked() {
  while (bytes_ > max_bytes_ && !lru_.empty()) {
    const std::string victim = lru_.back();
    lru_.pop_back();
    auto it = entries_.find(victim);
    bytes_ -= it->second.size;
    entries_.erase(it);
    ::unlink((dir_ / victim).c_str());  // readers that have it open keep reading
  }
}

std::optional<OpenBlob> DiskBlobCache::open_cached_locked(const std::string& sha256) {
  auto it = entries_.find(sha256);
  if (it == entries_.end()) return std::nullopt;
  int fd = ::open((dir_ / sha256).c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {  // removed behind our back: forget it, fetch again
    bytes_ -= it->second.size;
    lru_.erase(it->second.lru);
    entries_.erase(it);
    return std::nullopt;
  }
  lru_.splice(lru_.begin(), lru_, it->second.lru);
  return OpenBlob{fd, it->second.size};
}

std::optional<OpenBlob> DiskBlobCache::open(const std::string& sha256, const Fetch& fetch) {
  if (max_bytes_ == 0) {
    int fd = anonymous_file(dir_);
    try {
      if (!fetch(fd)) {
        ::close(fd);
        return std::nullopt;
      }
      return OpenBlob{fd, size_of(fd)};
    } catch (...) {
      ::close(fd);
      throw;
    }
  }
  for (;;) {
    std::shared_ptr<Pending> wait_for;
    std::shared_ptr<Pending> mine;
    {
      std::lock_guard lock(mutex_);
      if (auto cached = open_cached_locked(sha256)) return cached;
      auto it = pending_.find(sha256);
      if (it != pending_.end()) {
        wait_for = it->second;
      } else {
        mine = std::make_shared<Pending>();
        pending_.emplace(sha256, mine);
      }
    }
    if (wait_for) {  // another thread fetches it: wait, then look again
      std::unique_lock lock(wait_for->mutex);
      wait_for->cv.wait(lock, [&] { return wait_for->done; });
      std::lock_guard cache_lock(mutex_);
      if (auto cached = open_cached_locked(sha256)) return cached;
      // It failed (or was missing): fetch it ourselves below.
    }
    if (!mine) {
      std::lock_guard lock(mutex_);
      if (pending_.count(sha256)) continue;
      mine = std::make_shared<Pending>();
      pending_.emplace(sha256, mine);
    }
    auto finish = [&] {
      {
        std::lock_guard lock(mutex_);
        pending_.erase(sha256);
      }
      std::lock_guard lock(mine->mutex);
      mine->done = true;
      mine->cv.notify_all();
    };
    const fs::path tmp = dir_ / temp_name();
    int fd = ::open(tmp.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) {
      int err = errno;
      finish();
      throw_errno(tmp.string() + ": cannot create a cache file", err);
    }
    try {
      if (!fetch(fd)) {
        ::close(fd);
        ::unlink(tmp.c_str());
        finish();
        return std::nullopt;
      }
      const std::uint64_t size = size_of(fd);
      std::lock_guard lock(mutex_);
      if (::rename(tmp.c_str(), (dir_ / sha256).c_str()) != 0) throw_errno(tmp.string() + ": cannot rename");
      insert_locked(sha256, size);
      auto& entry = entries_.at(sha256);
      lru_.splice(lru_.begin(), lru_, entry.lru);
      evict_locked();  // may unlink this very file when it alone is over the bound: fd stays valid
    } catch (...) {
      ::close(fd);
      ::unlink(tmp.c_str());
      finish();
      throw;
    }
    finish();
    return OpenBlob{fd, size_of(fd)};
  }
}

void DiskBlobCache::insert_file(const std::string& sha256, const fs::path& file) {
  if (max_bytes_ == 0) return;
  std::error_code ec;
  const std::uint64_t size = fs::file_size(file, ec);
  if (ec || size > max_bytes_) return;
  std::lock_guard lock(mutex_);
  if (entries_.count(sha256)) return;
  if (::rename(file.c_str(), (dir_ / sha256).c_str()) != 0) return;
  insert_locked(sha256, size);
  evict_locked();
}

}  // namespace ft::server
