#include "progress_line.hpp"

#include <unistd.h>

#include <cstdio>

#include "filetracker/size_string.hpp"

namespace ft::server {

std::string format_duration(double seconds) {
  long s = static_cast<long>(seconds + 0.5);
  char buf[32];
  if (s >= 3600)
    std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
  else
    std::snprintf(buf, sizeof buf, "%ld:%02ld", s / 60, s % 60);
  return buf;
}

ProgressLine::ProgressLine(std::string label) : label_(std::move(label)), tty_(::isatty(STDERR_FILENO) == 1) {}

void ProgressLine::operator()(const ImportProgress& p) {
  if (!tty_ && p.done != p.total && p.seconds - last_ < 10) return;
  if (tty_ && p.done != p.total && p.seconds - last_ < 0.25) return;
  last_ = p.seconds;
  const double rate = p.seconds > 0 ? p.done / p.seconds : 0;
  std::string eta = rate > 0 && p.done < p.total ? format_duration((p.total - p.done) / rate) : "0:00";
  char line[256];
  std::snprintf(line, sizeof line, "%s: %zu/%zu (%.1f%%), %s, %.0f/s, ETA %s", label_.c_str(), p.done, p.total,
                p.total ? 100.0 * p.done / p.total : 100.0, format_size(p.bytes).c_str(), rate, eta.c_str());
  std::fprintf(stderr, tty_ ? "\r%s\033[K" : "%s\n", line);
  if (tty_ && p.done == p.total) std::fputc('\n', stderr);
  std::fflush(stderr);
}

}  // namespace ft::server
