// BlobReaper: deletes blobs of the shared store whose last reference went,
// once they have been unreferenced for the grace period. Candidates come
// from two places: rows with 0 references in the index (a DELETE or a
// replacement dropped the last one, on any server) and blobs the store was
// asked to remove (the orphan sweep: objects no row refers to, left by an
// upload that never committed). Each is reaped under the index's lock on
// that blob, so a PUT of the same content either waits and uploads it again
// or had already committed its reference (and the blob stays).
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "filetracker/server/log.hpp"
#include "filetracker/server/scaleout.hpp"

namespace ft::server {

struct BlobReaper::State {
  State(BlobReferences& r, DeferredRemovals& b, std::chrono::seconds g, std::chrono::milliseconds p)
      : refs(r), blobs(b), grace(g), period(p) {}
  BlobReferences& refs;
  DeferredRemovals& blobs;
  std::chrono::seconds grace;
  std::chrono::milliseconds period;
  std::mutex mutex;
  std::condition_variable cv;
  bool quit = false;
  std::atomic<std::uint64_t> reaped{0};
  std::thread thread;

  void round() {
    std::vector<std::string> candidates = blobs.due(grace);
    auto unreferenced = refs.unreferenced_blobs(grace, 1000);
    candidates.insert(candidates.end(), unreferenced.begin(), unreferenced.end());
    for (const auto& sha : candidates) {
      {
        std::lock_guard lock(mutex);
        if (quit) return;
      }
      if (refs.reap(sha, grace, [&] { blobs.remove_now(sha); })) ++reaped;
    }
  }

  void loop() {
    std::unique_lock lock(mutex);
    while (!quit) {
      cv.wait_for(lock, period, [&] { return quit; });
      if (quit) return;
      lock.unlock();
      try {
        round();
      } catch (const std::exception& e) {
        log_message(LogLevel::Warning, std::string("blob reaper: ") + e.what());
      }
      lock.lock();
    }
  }
};

BlobReaper::BlobReaper(BlobReferences& refs, DeferredRemovals& blobs, std::chrono::seconds grace,
                       std::chrono::milliseconds period)
    : state_(std::make_unique<State>(refs, blobs, grace, period)) {
  state_->thread = std::thread([s = state_.get()] { s->loop(); });
}

BlobReaper::~BlobReaper() {
  {
    std::lock_guard lock(state_->mutex);
    state_->quit = true;
  }
  state_->cv.notify_all();
  state_->thread.join();
}

std::uint64_t BlobReaper::reaped() const { return state_->reaped.load(); }

}  // namespace ft::server
