#include "http/upload_slots.hpp"

#include <malloc.h>

namespace ft::server {
namespace {
// Fewer uploads than this at the peak leave too little behind to be worth a
// malloc_trim (which walks the allocator's free lists).
constexpr unsigned kTrimAfterPeak = 8;
}  // namespace

std::optional<UploadSlots::Slot> UploadSlots::try_acquire() {
  unsigned used = used_.load();
  do {
    if (max_ && used >= max_) return std::nullopt;
  } while (!used_.compare_exchange_weak(used, used + 1));
  unsigned peak = peak_.load();
  while (used + 1 > peak && !peak_.compare_exchange_weak(peak, used + 1)) {
  }
  return Slot(*this);
}

void UploadSlots::release() {
  if (used_.fetch_sub(1) != 1) return;
  // The last upload in progress ended: give the memory of the burst back.
  if (peak_.exchange(0) >= kTrimAfterPeak) malloc_trim(0);
}

}  // namespace ft::server
