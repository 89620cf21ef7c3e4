#include "interrupt.hpp"

#include <csignal>

namespace ft::cli {

std::atomic<bool>& interrupted() {
  static std::atomic<bool> flag{false};
  return flag;
}

namespace {

extern "C" void on_signal(int signal) {
  // The first signal asks for a clean stop (temp files removed); a second
  // one kills the process the default way.
  interrupted().store(true);
  std::signal(signal, SIG_DFL);
}

}  // namespace

void install_signal_handlers() {
  static_assert(std::atomic<bool>::is_always_lock_free);
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  // A closed stdout (`filetracker cat x | head`) is an EPIPE write error, not a kill.
  std::signal(SIGPIPE, SIG_IGN);
}

}  // namespace ft::cli
