// Ctrl-C for the `filetracker` command: SIGINT/SIGTERM set a flag that
// transfers and `cache clean --interval` check, so they stop cleanly
// (temporary files removed, exit status 130) instead of dying mid-write.
#pragma once

#include <atomic>

namespace ft::cli {

// Set by SIGINT/SIGTERM; transfers check it and stop cleanly.
std::atomic<bool>& interrupted();
// The first signal asks for a clean stop; a second one kills the process the
// default way. SIGPIPE is ignored (a closed stdout is an EPIPE write error).
void install_signal_handlers();

}  // namespace ft::cli
