#include "http/upload_slots.hpp"

namespace ft::server {

std::optional<UploadSlots::Slot> UploadSlots::try_acquire() {
  unsigned used = used_.load();
  do {
    if (max_ && used >= max_) return std::nullopt;
  } while (!used_.compare_exchange_weak(used, used + 1));
  trimmer_.rose_to(used + 1);
  return Slot(*this);
}

void UploadSlots::release() {
  if (used_.fetch_sub(1) == 1) trimmer_.back_to_zero();
}

}  // namespace ft::server
