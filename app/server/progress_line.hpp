// The progress line of the server's long commands (--import-upstream,
// --import-tree, --migrate-storage) on stderr: rewritten in place every
// 250 ms on a terminal; in a log (not a terminal) one line every 10 s.
#pragma once

#include <string>

#include "filetracker/server/import.hpp"

namespace ft::server {

// "m:ss" or "h:mm:ss".
std::string format_duration(double seconds);

class ProgressLine {
 public:
  explicit ProgressLine(std::string label);
  void operator()(const ImportProgress& p);

 private:
  std::string label_;
  bool tty_;
  double last_ = -1e9;
};

}  // namespace ft::server
