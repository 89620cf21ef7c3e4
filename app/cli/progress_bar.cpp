#include "progress_bar.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>

namespace ft::cli {

namespace {

int terminal_width() {
  struct winsize ws {};
  if (::ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 20) return ws.ws_col;
  return 80;
}

const char* phase_name(TransferPhase phase) {
  switch (phase) {
    case TransferPhase::Hashing: return "hashing";
    case TransferPhase::Uploading: return "upload";
    case TransferPhase::Downloading: return "download";
  }
  return "";
}

}  // namespace

ProgressBar::ProgressBar(ProgressMode mode, std::string label)
    : enabled_(mode == ProgressMode::Always || (mode == ProgressMode::Auto && ::isatty(STDERR_FILENO))),
      immediate_(mode == ProgressMode::Always),
      label_(std::move(label)),
      start_(Clock::now()),
      phase_start_(start_) {}

ProgressBar::~ProgressBar() { finish(); }

std::string ProgressBar::human_bytes(double bytes) {
  static constexpr const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  int unit = 0;
  while (bytes >= 1024 && unit < 4) {
    bytes /= 1024;
    ++unit;
  }
  char buf[32];
  if (unit == 0)
    std::snprintf(buf, sizeof buf, "%.0f %s", bytes, kUnits[unit]);
  else
    std::snprintf(buf, sizeof buf, "%.1f %s", bytes, kUnits[unit]);
  return buf;
}

std::string ProgressBar::render(const std::string& label, TransferPhase phase, std::uint64_t done, std::uint64_t total,
                                double bytes_per_second, int width) {
  std::string amounts = human_bytes(static_cast<double>(done));
  if (total > 0) amounts += " / " + human_bytes(static_cast<double>(total));
  std::string speed = human_bytes(bytes_per_second) + "/s";
  char percent[8] = "";
  if (total > 0) std::snprintf(percent, sizeof percent, "%3d%%", static_cast<int>(std::min<std::uint64_t>(100, done * 100 / total)));
  std::string tail = std::string(" ") + percent + "  " + amounts + "  " + speed;
  std::string head = std::string(phase_name(phase)) + " ";
  // Budget: the figures always; the label up to what is left after a small
  // bar; the bar gets the rest (none on a very narrow terminal).
  const int usable = width - 1;
  const int fixed = static_cast<int>(head.size() + tail.size());
  int label_room = std::max(12, usable - fixed - 2 - 12);
  std::string shown = label;
  if (static_cast<int>(shown.size()) > label_room)
    shown = "..." + shown.substr(shown.size() - static_cast<std::size_t>(label_room - 3));
  int bar_width = std::min(30, usable - fixed - static_cast<int>(shown.size()) - 2 - 2);
  std::string line = head + shown;
  if (bar_width >= 5) {
    int filled = total > 0 ? static_cast<int>(std::min<std::uint64_t>(done, total) *
                                              static_cast<std::uint64_t>(bar_width) / total)
                           : 0;
    line += "  [";
    line += std::string(static_cast<std::size_t>(filled), '#');
    line += std::string(static_cast<std::size_t>(bar_width - filled), total > 0 ? '.' : '?');
    line += "]";
  }
  line += tail;
  if (static_cast<int>(line.size()) > usable) line.resize(static_cast<std::size_t>(std::max(0, usable)));
  return line;
}

void ProgressBar::update(TransferPhase phase, std::uint64_t done, std::uint64_t total) {
  if (!enabled_) return;
  auto now = Clock::now();
  if (!has_phase_ || phase != phase_) {
    has_phase_ = true;
    phase_ = phase;
    phase_start_ = now;
  }
  done_ = done;
  total_ = total;
  // Quiet for the first second; then at most ten redraws a second.
  if (!immediate_ && now - start_ < std::chrono::seconds(1)) return;
  // ...except that reaching 100% is always drawn (once).
  bool completes = total > 0 && done >= total && drawn_done_ != done;
  if (drawn_ && now - last_draw_ < std::chrono::milliseconds(100) && !completes) return;
  last_draw_ = now;
  drawn_done_ = done;
  double seconds = std::chrono::duration<double>(now - phase_start_).count();
  double speed = seconds > 0.05 ? static_cast<double>(done) / seconds : 0.0;
  std::string line = render(label_, phase, done, total, speed, terminal_width());
  std::fprintf(stderr, "\r%s\033[K", line.c_str());
  std::fflush(stderr);
  drawn_ = true;
}

void ProgressBar::finish() {
  if (drawn_) {
    std::fputc('\n', stderr);
    std::fflush(stderr);
    drawn_ = false;
  }
}

}  // namespace ft::cli
