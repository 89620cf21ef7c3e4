// The cap on concurrent uploads (--max-uploads): each PUT whose body is
// being received holds a slot; when none is free the PUT is refused with
// 503 and Retry-After before anything of it is stored. With the cap, the
// memory and the file descriptors that uploads in progress can take are
// bounded however many clients start one and stall.
//
// When the last upload in progress ends after a burst, the memory the
// burst freed goes back to the system (memory_release.hpp).
#pragma once

#include <atomic>
#include <optional>

#include "http/memory_release.hpp"

namespace ft::server {

class UploadSlots {
 public:
  explicit UploadSlots(unsigned max_uploads) : max_(max_uploads) {}  // 0: no limit
  UploadSlots(const UploadSlots&) = delete;
  UploadSlots& operator=(const UploadSlots&) = delete;

  class Slot {
   public:
    explicit Slot(UploadSlots& owner) : owner_(&owner) {}
    Slot(Slot&& other) noexcept : owner_(other.owner_) { other.owner_ = nullptr; }
    Slot& operator=(Slot&&) = delete;
    ~Slot() {
      if (owner_) owner_->release();
    }

   private:
    UploadSlots* owner_;
  };

  // nullopt when every slot is taken.
  std::optional<Slot> try_acquire();
  unsigned in_use() const { return used_.load(); }
  unsigned max() const { return max_; }

 private:
  void release();

  const unsigned max_;
  std::atomic<unsigned> used_{0};
  BurstTrimmer trimmer_;
};

}  // namespace ft::server
