// `filetracker sync`: make a remote directory hold what a local one holds
// (or, with --download, the reverse), transferring only what differs.
//
// Both sides are compared by content: the server's SHA-256 (JSON listing, or
// HEAD; a plain server that sends none has the file read and hashed) against
// the local file's, computed streaming — a file whose size differs needs no
// hash. Each name is then only-local, only-remote, differing or the same.
// New and differing files are copied to the destination; with --delete the
// destination's extras are removed; the rest is left alone. --dry-run
// prints exactly the lines a real run prints for its actions and changes
// nothing. Every copy is atomic (a server upload, an AtomicFile download),
// so an interrupted sync leaves whole files only and a re-run finishes it.
#pragma once

#include <string>

#include "command_context.hpp"

namespace ft::cli {

struct SyncArgs {
  std::string source;       // LOCAL_DIR, or REMOTE_DIR with --download
  std::string destination;  // REMOTE_DIR, or LOCAL_DIR with --download
  bool download = false;
  bool dry_run = false;
  bool delete_extras = false;
};
// stdout: one line per action ("add NAME", "update NAME", "delete NAME";
// NAME the remote name, or the local path with --download), then a summary
// "sync: ... ; N requests". Exit 0 when every action succeeded.
int cmd_sync(CommandContext& context, const SyncArgs& args);

}  // namespace ft::cli
