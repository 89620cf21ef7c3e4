// The progress line of `put --extract` and `get --archive`: files and bytes
// done of the total, on stderr, with the same rules as ProgressBar (only on
// a terminal unless --progress always; quiet for the first second).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "progress_bar.hpp"

namespace ft::cli {

class ArchiveProgressLine {
 public:
  ArchiveProgressLine(ProgressMode mode, std::string label);
  ~ArchiveProgressLine();  // finish()
  ArchiveProgressLine(const ArchiveProgressLine&) = delete;
  ArchiveProgressLine& operator=(const ArchiveProgressLine&) = delete;

  void update(std::uint64_t files_done, std::uint64_t files_total, std::uint64_t bytes_done, std::uint64_t bytes_total);
  void finish();

  // "a.zip: 120/2000 files, 1.2 MiB / 50.0 MiB" (no "\r").
  static std::string render(const std::string& label, std::uint64_t files_done, std::uint64_t files_total,
                            std::uint64_t bytes_done, std::uint64_t bytes_total);

 private:
  using Clock = std::chrono::steady_clock;
  bool enabled_;
  bool immediate_;
  std::string label_;
  Clock::time_point start_ = Clock::now();
  Clock::time_point last_draw_{};
  bool drawn_ = false;
  std::uint64_t drawn_files_ = ~std::uint64_t{0};
};

}  // namespace ft::cli
