#include "import_command.hpp"

#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <string>

#include "filetracker/server/import.hpp"
#include "filetracker/size_string.hpp"

namespace ft::server {
namespace {

std::string duration(double seconds) {
  long s = static_cast<long>(seconds + 0.5);
  char buf[32];
  if (s >= 3600)
    std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
  else
    std::snprintf(buf, sizeof buf, "%ld:%02ld", s / 60, s % 60);
  return buf;
}

// A line every 250 ms, rewritten in place on a terminal; in a log (not a
// terminal) one line every 10 s.
class ProgressLine {
 public:
  ProgressLine() : tty_(::isatty(STDERR_FILENO) == 1) {}
  void operator()(const ImportProgress& p) {
    if (!tty_ && p.done != p.total && p.seconds - last_ < 10) return;
    last_ = p.seconds;
    const double rate = p.seconds > 0 ? p.done / p.seconds : 0;
    std::string eta = rate > 0 && p.done < p.total ? duration((p.total - p.done) / rate) : "0:00";
    char line[256];
    std::snprintf(line, sizeof line, "import: %zu/%zu (%.1f%%), %s, %.0f/s, ETA %s", p.done, p.total,
                  p.total ? 100.0 * p.done / p.total : 100.0, format_size(p.bytes).c_str(), rate, eta.c_str());
    std::fprintf(stderr, tty_ ? "\r%s\033[K" : "%s\n", line);
    if (tty_ && p.done == p.total) std::fputc('\n', stderr);
    std::fflush(stderr);
  }

 private:
  bool tty_;
  double last_ = -1e9;
};

}  // namespace

int run_import(ImportSource source, const std::filesystem::path& data_dir, const std::filesystem::path& from,
               int gzip_level) {
  ProgressLine line;
  ImportProgressFn progress = [&](const ImportProgress& p) { line(p); };
  ImportReport r = source == ImportSource::Upstream ? import_upstream(data_dir, from, progress)
                                                    : import_tree(data_dir, from, progress, gzip_level);
  for (const auto& s : r.broken_links) std::cout << "broken link: " << s << '\n';
  for (const auto& s : r.bad_blobs) std::cout << "bad blob: " << s << '\n';
  for (const auto& s : r.skipped) std::cout << "skipped: " << s << '\n';
  std::cout << from.string() << ": " << r.entries << " entries: " << r.imported << " file(s) imported ("
            << r.bytes << " bytes), " << r.unchanged << " already imported, " << r.kept_newer
            << " kept (newer here), " << r.broken_links.size() << " broken link(s), " << r.bad_blobs.size()
            << " bad blob(s), " << r.skipped.size() << " skipped; blobs: " << r.blobs_linked << " linked, "
            << r.blobs_copied << " copied, " << r.blobs_written << " compressed; " << duration(r.seconds) << '\n';
  return r.has_problems() ? 1 : 0;
}

}  // namespace ft::server
