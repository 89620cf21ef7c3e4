#include "mount_command.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>

#include "filetracker/error.hpp"
#include "filetracker/local_data_store.hpp"
#include "filetracker/mount/client_pool.hpp"
#include "filetracker/mount/directory_source.hpp"
#include "filetracker/mount/file_system.hpp"
#include "filetracker/mount/fuse_mount.hpp"
#include "filetracker/mount/private_temp_dir.hpp"
#include "filetracker/size_string.hpp"

namespace ft::cli {

int cmd_mount(CommandContext& session, const MountArgs& args) {
  using namespace ft::mount;
  struct stat st {};
  if (args.mountpoint.empty() || ::stat(args.mountpoint.c_str(), &st) != 0)
    throw Error(ErrorCode::InvalidArgument, args.mountpoint + ": no such directory (the mount point must exist)");
  if (!S_ISDIR(st.st_mode)) throw Error(ErrorCode::InvalidArgument, args.mountpoint + ": not a directory");
  if (!(args.attr_timeout >= 0) || !std::isfinite(args.attr_timeout))
    throw Error(ErrorCode::InvalidArgument, "--attr-timeout must be a number of seconds >= 0");

  const GlobalOptions& global = session.options();
  const std::filesystem::path cache_dir = session.cache_dir();
  const std::string url = global.remote_url.value_or("");

  MountOptions options;
  options.read_only = args.read_only;
  options.attr_timeout = std::chrono::milliseconds(std::llround(args.attr_timeout * 1000));
  if (!args.cache_limit.empty()) options.cache_limit = parse_size(args.cache_limit);
  options.log = [](const std::string& line) { std::fprintf(stderr, "filetracker: mount: %s\n", line.c_str()); };

  ClientSetup setup;
  setup.cache_dir = cache_dir;
  setup.remote_url = url;
  // --timeout: connecting, and any request that moves no byte, give up
  // after this long (EIO), so a dead server never hangs the mount.
  setup.timeouts.connect_ms = std::min<long>(setup.timeouts.connect_ms, global.timeout_seconds * 1000);
  setup.timeouts.stall_seconds = global.timeout_seconds;
  setup.warnings = [](const std::string& line) { std::fprintf(stderr, "filetracker: mount: warning: %s\n", line.c_str()); };

  if (int removed = PrivateTempDir::remove_leftovers(cache_dir); removed > 0)
    session.verbose("removed " + std::to_string(removed) + " leftover temporary directories of earlier mounts");
  PrivateTempDir temp(cache_dir);
  ClientPool pool(make_shared_cache_factory(setup));
  std::unique_ptr<DirectorySource> source;
  if (!url.empty()) {
    source = std::make_unique<RemoteDirectorySource>(pool);
  } else {
    auto lease = pool.acquire();
    auto* cache = dynamic_cast<LocalDataStore*>(lease->local_store());
    if (!cache) throw Error(ErrorCode::InvalidArgument, "the mount needs a cache directory");
    // The cache outlives the pool's clients (they share it).
    source = std::make_unique<LocalDirectorySource>(*cache);
  }
  // Fail now, with the reason, rather than mount something that only says EIO.
  source->list("/");

  FileSystem fs(pool, *source, temp, options);
  FuseOptions fuse;
  fuse.mountpoint = args.mountpoint;
  fuse.allow_other = args.allow_other;
  fuse.debug = args.fuse_debug;
  const std::string what = url.empty() ? "the cache " + cache_dir.string() : url;
  run_fuse_mount(fs, fuse, [&] {
    std::fprintf(stderr, "filetracker: mounted %s at %s%s; unmount with fusermount3 -u %s\n", what.c_str(),
                 args.mountpoint.c_str(), args.read_only ? " (read-only)" : "", args.mountpoint.c_str());
    std::fflush(stderr);
  });
  FileSystem::Stats stats = fs.stats();
  session.verbose("unmounted " + args.mountpoint + ": " + std::to_string(stats.listings) + " listings, " +
                  std::to_string(stats.fetches) + " files fetched, " + std::to_string(stats.uploads) + " stored");
  return 0;
}

}  // namespace ft::cli
