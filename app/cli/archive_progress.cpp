#include "archive_progress.hpp"

#include <unistd.h>

#include <cstdio>

namespace ft::cli {

ArchiveProgressLine::ArchiveProgressLine(ProgressMode mode, std::string label)
    : enabled_(mode == ProgressMode::Always || (mode == ProgressMode::Auto && ::isatty(STDERR_FILENO))),
      immediate_(mode == ProgressMode::Always),
      label_(std::move(label)) {}

ArchiveProgressLine::~ArchiveProgressLine() { finish(); }

std::string ArchiveProgressLine::render(const std::string& label, std::uint64_t files_done, std::uint64_t files_total,
                                        std::uint64_t bytes_done, std::uint64_t bytes_total) {
  return label + ": " + std::to_string(files_done) + "/" + std::to_string(files_total) + " files, " +
         ProgressBar::human_bytes(static_cast<double>(bytes_done)) + " / " +
         ProgressBar::human_bytes(static_cast<double>(bytes_total));
}

void ArchiveProgressLine::update(std::uint64_t files_done, std::uint64_t files_total, std::uint64_t bytes_done,
                                 std::uint64_t bytes_total) {
  if (!enabled_) return;
  const auto now = Clock::now();
  if (!immediate_ && now - start_ < std::chrono::seconds(1)) return;
  // At most ten redraws a second, and always the last file.
  const bool completes = files_done == files_total && drawn_files_ != files_done;
  if (drawn_ && now - last_draw_ < std::chrono::milliseconds(100) && !completes) return;
  last_draw_ = now;
  drawn_files_ = files_done;
  std::fprintf(stderr, "\r%s\033[K", render(label_, files_done, files_total, bytes_done, bytes_total).c_str());
  std::fflush(stderr);
  drawn_ = true;
}

void ArchiveProgressLine::finish() {
  if (!drawn_) return;
  std::fputc('\n', stderr);
  std::fflush(stderr);
  drawn_ = false;
}

}  // namespace ft::cli
