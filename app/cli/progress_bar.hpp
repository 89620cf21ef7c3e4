// A one-line progress bar with speed, drawn on stderr, for the `filetracker`
// command line. It shows up only for transfers that last longer than a second
// (so quick commands stay silent) and only when stderr is a terminal, unless
// the user asks otherwise with --progress.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "filetracker/remote_data_store.hpp"

namespace ft::cli {

enum class ProgressMode { Auto, Always, Never };

class ProgressBar {
 public:
  // `label`: what is being transferred (usually the filetracker name).
  ProgressBar(ProgressMode mode, std::string label);
  ~ProgressBar();  // finish()
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  // Feeds a progress report (RemoteDataStore's TransferProgress).
  void update(TransferPhase phase, std::uint64_t done, std::uint64_t total);
  // Ends the line if anything was drawn.
  void finish();

  // "12.3 MiB", "512 B".
  static std::string human_bytes(double bytes);
  // The text of one bar line (no "\r"), `width` columns at most.
  static std::string render(const std::string& label, TransferPhase phase, std::uint64_t done, std::uint64_t total,
                            double bytes_per_second, int width);

 private:
  using Clock = std::chrono::steady_clock;
  bool enabled_;
  bool immediate_;
  std::string label_;
  Clock::time_point start_;
  Clock::time_point last_draw_{};
  Clock::time_point phase_start_;
  TransferPhase phase_ = TransferPhase::Downloading;
  bool has_phase_ = false;
  bool drawn_ = false;
  std::uint64_t done_ = 0;
  std::uint64_t drawn_done_ = ~std::uint64_t{0};
  std::uint64_t total_ = 0;
};

}  // namespace ft::cli
