// `filetracker mount`: the store as a file system (FUSE), in the foreground.
// The file-system logic lives in core/mount (filetracker_mount); this is the
// command line around it.
#pragma once

#include <string>

#include "command_context.hpp"

namespace ft::cli {

struct MountArgs {
  std::string mountpoint;
  bool read_only = false;
  double attr_timeout = 1.0;  // seconds
  std::string cache_limit;    // size string ("512M"); empty: only the free space limits caching
  bool allow_other = false;
  bool fuse_debug = false;
};

// Serves until unmounted (fusermount3 -u), SIGINT or SIGTERM; returns 0
// after a clean end. Throws ft::Error for what prevents mounting.
int cmd_mount(CommandContext& session, const MountArgs& args);

}  // namespace ft::cli
