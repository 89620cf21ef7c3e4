// The libfuse3 adapter: mounts a FileSystem and serves it until the end.
//
// The callbacks only translate between libfuse's high-level (path based)
// API and FileSystem; reads of cached files are handed to libfuse as the
// cache file's descriptor, so the kernel splices them without a copy
// through this process.
#pragma once

#include <functional>
#include <string>

#include "filetracker/mount/file_system.hpp"

namespace ft::mount {

struct FuseOptions {
  std::string mountpoint;
  // Let users other than the mounting one in (needs user_allow_other in
  // /etc/fuse.conf unless root).
  bool allow_other = false;
  // libfuse's worker threads at most: concurrent requests.
  unsigned max_threads = 32;
  // libfuse's own request trace on stderr.
  bool debug = false;
};

// Mounts `fs` (read-only when its options say so) at `options.mountpoint`
// and serves requests on up to max_threads threads until the file system
// is unmounted (`fusermount3 -u MOUNTPOINT`) or SIGINT, SIGTERM or SIGHUP
// arrives. Requests in progress are finished, then the mount point is
// unmounted (lazily when still busy: open files then fail cleanly) and
// fs.shutdown() ends what is left. `on_mounted` runs once the mount is in
// place. Returns normally after a clean end; throws Error(Io) when it
// cannot mount.
void run_fuse_mount(FileSystem& fs, const FuseOptions& options, const std::function<void()>& on_mounted);

}  // namespace ft::mount
