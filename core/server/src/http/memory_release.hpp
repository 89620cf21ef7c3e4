// Giving freed memory back to the system after a burst. glibc keeps what a
// burst of connections or uploads freed in its arenas (in pieces too small
// to unmap), so without this a server that once held 1,000 stalled uploads
// would stay that big. malloc_trim walks the free lists, so it runs only
// when a count of busy things (connections, uploads) falls back to zero
// after a peak worth trimming for.
#pragma once

#include <atomic>

namespace ft::server {

class BurstTrimmer {
 public:
  // A count rose to `now`.
  void rose_to(unsigned now);
  // The count is zero again: trims when the peak since the last trim was
  // at least kMinPeak.
  void back_to_zero();

  static constexpr unsigned kMinPeak = 8;

 private:
  std::atomic<unsigned> peak_{0};
};

}  // namespace ft::server
