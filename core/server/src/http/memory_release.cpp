#include "http/memory_release.hpp"

#include <malloc.h>

namespace ft::server {

void BurstTrimmer::rose_to(unsigned now) {
  unsigned peak = peak_.load();
  while (now > peak && !peak_.compare_exchange_weak(peak, now)) {
  }
}

void BurstTrimmer::back_to_zero() {
  if (peak_.exchange(0) >= kMinPeak) malloc_trim(0);
}

}  // namespace ft::server
