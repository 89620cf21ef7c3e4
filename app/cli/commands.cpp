#include "commands.hpp"
#include "cache_report.hpp"

#include <glob.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <optional>
#include <thread>

#include "filetracker/atomic_file.hpp"
#include "filetracker/cache_check.hpp"
#include "filetracker/cache_pruner.hpp"
#include "filetracker/error.hpp"
#include "fd_istream.hpp"  // core-internal
#include "filetracker/local_data_store.hpp"
#include "filetracker/lock_manager.hpp"
#include "filetracker/name.hpp"
#include "filetracker/size_string.hpp"
#include "interrupt.hpp"

namespace ft::cli {

namespace fs = std::filesystem;

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

std::string format_seconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f s", s);
  return buf;
}

void write_all(int fd, const char* data, std::size_t size, const char* what) {
  while (size > 0) {
    ssize_t n = ::write(fd, data, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_errno(std::string(what) + ": write failed");
    }
    data += n;
    size -= static_cast<std::size_t>(n);
  }
}

void write_all_stdout(const char* data, std::size_t size) { write_all(STDOUT_FILENO, data, size, "standard output"); }

// One row of `ls` / `cache ls`: date, version, size, name.
void print_file_row(Version version, std::uint64_t size, const std::string& name) {
  std::printf("%s  %10lld  %12llu  %s\n", format_version_date(version).c_str(), static_cast<long long>(version),
              static_cast<unsigned long long>(size), name.c_str());
}

void print_directory_row(const std::string& name) {
  std::printf("%19s  %10s  %12s  %s/\n", "-", "-", "-", name.c_str());
}

}  // namespace

std::string format_version_date(Version version) {
  std::time_t t = static_cast<std::time_t>(version);
  std::tm tm{};
  if (!::gmtime_r(&t, &tm)) return std::to_string(version);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
  return buf;
}

namespace {

// LOCAL of `get`: a file name whose directory may not exist yet, not a directory.
void check_destination(const std::string& local) {
  if (local.empty()) throw Error(ErrorCode::InvalidArgument, "LOCAL must not be empty");
  std::error_code ec;
  if (fs::is_directory(local, ec)) throw Error(ErrorCode::Io, local + ": is a directory");
}

}  // namespace

int cmd_get(CommandContext& context, const GetArgs& args) {
  check_name(args.name);
  check_destination(args.local);
  auto start = std::chrono::steady_clock::now();
  Client& client = context.client();
  std::string versioned;
  std::uint64_t downloaded = 0;
  {
    CommandContext::Transfer transfer(context, args.name);
    versioned = client.get_file(args.name, args.local, GetOptions{!args.no_cache, args.refresh});
    downloaded = transfer.network_bytes();
  }
  context.verbose("got " + versioned + " into " + args.local + " in " + format_seconds(seconds_since(start)) +
                  (downloaded ? " (downloaded " + std::to_string(downloaded) + " bytes)" : " (from the cache)"));
  return 0;
}

int cmd_cat(CommandContext& context, const GetArgs& args) {
  check_name(args.name);
  Client& client = context.client();
  // Streams: bytes reach stdout as they arrive from the server. A stream
  // that turns out cut off or corrupt throws its ft::Error (badbit is in
  // exceptions()): exit 1 with one line, after the bytes already printed.
  DataStore::Stream stream = client.get_stream(args.name, args.refresh, false);
  stream.stream->exceptions(std::ios::badbit);
  // The cache wants a complete, verified copy: keep one on the side while
  // streaming and add it once the stream ended cleanly. The copy is an
  // unnamed scratch file: a killed cat leaves nothing in $TMPDIR.
  DataStore* cache = args.no_cache ? nullptr : client.local_store();
  if (cache && (!client.remote_store() || cache->exists(stream.versioned_name))) cache = nullptr;
  UniqueFd copy;
  if (cache) copy = open_scratch_file();
  std::vector<char> buffer(1 << 16);
  while (*stream.stream) {
    stream.stream->read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    auto n = static_cast<std::size_t>(stream.stream->gcount());
    if (n == 0) continue;
    write_all_stdout(buffer.data(), n);
    if (copy) write_all(copy.get(), buffer.data(), n, "the temporary copy");
  }
  if (cache) {
    // Caching is a bonus here: the content is printed already.
    try {
      if (::lseek(copy.get(), 0, SEEK_SET) != 0) throw_errno("the temporary copy: cannot rewind");
      FdIstream in(copy.release());
      client.cache_stream(stream.versioned_name, in);
    } catch (const Error& e) {
      std::fprintf(stderr, "filetracker: warning: %s: not cached: %s\n", stream.versioned_name.c_str(), e.what());
    }
  }
  return 0;
}

int cmd_put(CommandContext& context, const PutArgs& args) {
  check_name(args.name);
  if (args.no_local_cache && args.no_remote_cache)
    throw Error(ErrorCode::InvalidArgument, "--no-local-cache and --no-remote-cache together leave nowhere to put " +
                                                args.name);
  std::error_code ec;
  auto status = fs::status(args.local, ec);
  if (ec || !fs::exists(status)) throw Error(ErrorCode::Io, args.local + ": no such file");
  if (!fs::is_regular_file(status)) throw Error(ErrorCode::Io, args.local + ": not a regular file");
  auto start = std::chrono::steady_clock::now();
  Client& client = context.client();
  PutResult result;
  {
    CommandContext::Transfer transfer(context, args.name);
    result = client.put(args.name, args.local, PutOptions{!args.no_local_cache, !args.no_remote_cache, !args.no_compress});
  }
  // stdout: the versioned name the server holds (the deployed tool's output).
  std::printf("%s\n", result.versioned.c_str());
  std::fflush(stdout);
  switch (result.outcome) {
    case PutResult::Outcome::NewerKept:
      std::fprintf(stderr,
                   "filetracker: warning: the server kept a newer version, %s: %s was not stored (asked for %s) and "
                   "not cached\n",
                   result.versioned.c_str(), args.local.c_str(), result.asked.c_str());
      break;
    case PutResult::Outcome::StoredAsNext:
      // Only news when the user chose the version.
      if (split_name(args.name).version || context.options().verbose > 0)
        std::fprintf(stderr, "filetracker: note: the server had other content under %s: stored as %s\n",
                     result.asked.c_str(), result.versioned.c_str());
      break;
    case PutResult::Outcome::Stored:
      break;
  }
  context.verbose("put " + args.local + " as " + result.versioned + (result.cached ? "" : " (not cached)") + " in " +
                  format_seconds(seconds_since(start)));
  return 0;
}

int cmd_rm(CommandContext& context, const std::string& name) {
  check_name(name);
  context.client().delete_file(name);
  context.verbose("deleted " + name);
  return 0;
}

int cmd_version(CommandContext& context, const std::string& name) {
  check_name(name);
  std::printf("%lld\n", static_cast<long long>(context.client().file_version(name)));
  return 0;
}

int cmd_size(CommandContext& context, const std::string& name) {
  check_name(name);
  std::printf("%llu\n", static_cast<unsigned long long>(context.client().file_size(name)));
  return 0;
}

int cmd_ls(CommandContext& context, const LsArgs& args) {
  RemoteDataStore& remote = context.remote();
  RemoteListing listing = remote.list(args.directory, args.recursive, true);
  for (const auto& dir : listing.directories) print_directory_row(dir);
  for (const auto& file : listing.files) print_file_row(file.version, file.size, file.name);
  if (context.options().verbose > 0) {
    const auto& info = remote.server_info();
    context.verbose(std::to_string(listing.files.size()) + " files, " + std::to_string(listing.directories.size()) +
                    " directories (" +
                    (info.has(protocol::kExtJsonList) ? "JSON listing" : "plain listing + HEAD per file") + ")");
  }
  return 0;
}

namespace {
CacheLocation cache_location_of(CommandContext& context);
}  // namespace

int cmd_cache_ls(CommandContext& context, bool json) {
  if (json) {
    const std::string report = cache_report_json(cache_location_of(context));
    write_all_stdout(report.data(), report.size());
    return 0;
  }
  auto files = scan_caches({CacheLocation{context.cache_dir(), {}}});
  std::sort(files.begin(), files.end(),
            [](const CachedFile& a, const CachedFile& b) { return a.file.name < b.file.name; });
  for (const auto& f : files) print_file_row(f.file.mtime, f.file.size, f.file.name);
  return 0;
}

namespace {

CacheLocation cache_location_of(CommandContext& context) {
  // The same lock files as the Client's.
  std::filesystem::path locks_dir;
  if (const char* env = std::getenv("FILETRACKER_LOCKS_DIR"); env && *env) locks_dir = env;
  return CacheLocation{context.cache_dir(), locks_dir};
}

// "; 2 temporary files of interrupted writes (1.5 MiB)" and the like, for
// what a cache holds besides its files.
void print_debris_summary(const CacheDebris& debris) {
  using Kind = CacheDebris::Kind;
  if (std::size_t n = debris.count(Kind::Temporary))
    std::printf("%zu temporary file%s of interrupted writes (%s), removed by `cache clean` when stale\n", n,
                n == 1 ? "" : "s", format_size(debris.bytes(Kind::Temporary)).c_str());
  if (std::size_t n = debris.damage())
    std::printf("%zu symbolic link%s or special file%s in the cache (damage), removed by `cache clean`\n", n,
                n == 1 ? "" : "s", n == 1 ? "" : "s");
}

}  // namespace

int cmd_cache_size(CommandContext& context) {
  CacheSummary summary = summarize_cache(context.cache_dir());
  std::printf("%llu bytes (%s) in %llu files\n", static_cast<unsigned long long>(summary.total_bytes),
              format_size(summary.total_bytes).c_str(), static_cast<unsigned long long>(summary.file_count));
  print_debris_summary(find_cache_debris(cache_location_of(context)));
  return 0;
}

int cmd_cache_verify(CommandContext& context, const CacheVerifyArgs& args) {
  const CacheLocation cache = cache_location_of(context);
  CacheVerifyReport report =
      verify_cache(cache, [](std::size_t, std::size_t) { return !interrupted().load(); });
  for (const auto& line : report.problems) std::printf("%s\n", line.c_str());
  std::printf("verified %llu files, %s", static_cast<unsigned long long>(report.files),
              format_size(report.bytes).c_str());
  if (report.recorded) std::printf("; %llu had no checksum record yet: recorded", static_cast<unsigned long long>(report.recorded));
  const std::size_t damage = report.damaged.size() + report.debris.damage();
  std::printf("; %zu damaged\n", damage);
  std::fflush(stdout);
  if (report.cancelled) throw Error(ErrorCode::Cancelled, "cache verify: interrupted");
  if (damage == 0) return 0;
  if (!args.repair) {
    std::fprintf(stderr, "filetracker: the cache has %zu damaged entr%s (see above); `cache verify --repair` fixes them\n",
                 damage, damage == 1 ? "y" : "ies");
    return 1;
  }
  // Repair: debris goes; a damaged file is fetched again when a server is
  // configured, else removed.
  std::size_t left = 0;
  DebrisRemoval removal = remove_cache_debris(cache);
  for (const auto& entry : removal.removed)
    if (entry.kind == CacheDebris::Kind::Symlink || entry.kind == CacheDebris::Kind::Special)
      std::printf("removed %s\n", entry.path().string().c_str());
  for (const auto& error : removal.errors) {
    std::fprintf(stderr, "filetracker: %s\n", error.c_str());
    ++left;
  }
  const bool has_server = context.options().remote_url && !context.options().remote_url->empty();
  for (const CachedFile& f : report.damaged) {
    try {
      if (has_server) {
        // Fetched into the cache, which replaces the damaged copy.
        context.client().get_stream(f.file.name, true, true);
        std::printf("fetched %s again\n", f.file.name.c_str());
      } else {
        FlockLockManager locks(locks_dir_of(cache));
        auto lock = locks.lock_for(f.file.name);
        lock->lock_exclusive();
        LocalDataStore(cache.cache_dir).remove_entry(f.file.name);
        lock->close(true);
        std::printf("removed %s\n", f.file.name.c_str());
      }
    } catch (const Error& e) {
      std::fprintf(stderr, "filetracker: %s: not repaired: %s\n", f.file.name.c_str(), e.what());
      ++left;
    }
  }
  return left == 0 ? 0 : 1;
}

namespace {

// One pass of `cache clean`; prints what it did (or would do).
void clean_once(CommandContext& context, const std::vector<CacheLocation>& caches, std::uint64_t limit, double percent,
                bool dry_run) {
  // First what does not belong in a cache: symbolic links (damage), stale
  // temporary files of interrupted writes, records of files that are gone.
  for (const auto& cache : caches) {
    if (dry_run) {
      for (const auto& entry : find_cache_debris(cache).entries)
        if (entry.kind != CacheDebris::Kind::Temporary || entry.stale)
          std::printf("would remove %s\n", describe(entry).c_str());
      continue;
    }
    DebrisRemoval removal = remove_cache_debris(cache);
    std::size_t temporaries = 0, damage = 0;
    std::uint64_t bytes = 0;
    for (const auto& entry : removal.removed) {
      if (entry.kind == CacheDebris::Kind::Temporary) {
        ++temporaries;
        bytes += entry.bytes;
      } else if (entry.kind != CacheDebris::Kind::OrphanRecord) {
        ++damage;
      }
      context.verbose("removed " + describe(entry));
    }
    for (const auto& error : removal.errors) std::fprintf(stderr, "filetracker: warning: %s\n", error.c_str());
    if (temporaries)
      std::printf("removed %zu stale temporary file%s (%s)\n", temporaries, temporaries == 1 ? "" : "s",
                  format_size(bytes).c_str());
    if (damage) std::printf("removed %zu symbolic link%s or special file%s (damage)\n", damage, damage == 1 ? "" : "s", damage == 1 ? "" : "s");
  }
  PrunePlan plan = plan_cache_prune(caches, limit, percent);
  std::string where = caches.size() == 1 ? caches[0].cache_dir.string() : std::to_string(caches.size()) + " caches";
  std::printf("cache %s: %llu files, %s (limit %s, keeping %.1f%%)\n", where.c_str(),
              static_cast<unsigned long long>(plan.file_count), format_size(plan.total_bytes).c_str(),
              format_size(limit).c_str(), percent);
  if (!plan.cleaning_needed) {
    std::printf("below the limit: nothing to delete\n");
    std::fflush(stdout);
    return;
  }
  if (dry_run) {
    for (const auto& f : plan.to_delete)
      std::printf("would delete %s (%s)\n", f.file.name.c_str(), format_size(f.file.size).c_str());
    std::printf("would delete %zu files, %s\n", plan.to_delete.size(), format_size(plan.bytes_to_delete).c_str());
    std::fflush(stdout);
    return;
  }
  PruneResult result = execute_prune(caches, plan, [](std::size_t, std::size_t) { return !interrupted().load(); });
  for (const auto& f : result.deleted) context.verbose("deleted " + f.file.name);
  for (const auto& error : result.errors) std::fprintf(stderr, "filetracker: warning: %s\n", error.c_str());
  std::printf("deleted %zu files, %s", result.deleted.size(), format_size(result.deleted_bytes).c_str());
  if (!result.skipped_busy.empty()) std::printf("; %zu in use, kept", result.skipped_busy.size());
  if (!result.skipped_changed.empty()) std::printf("; %zu changed since the scan, kept", result.skipped_changed.size());
  std::printf("\n");
  std::fflush(stdout);
  if (result.cancelled) throw Error(ErrorCode::Cancelled, "cache clean: interrupted");
}

}  // namespace

int cmd_cache_clean(CommandContext& context, const CacheCleanArgs& args) {
  std::uint64_t limit = parse_size(args.size_limit);
  if (args.percent < 0 || args.percent > 100)
    throw Error(ErrorCode::InvalidArgument, "--percent must be between 0 and 100");
  std::optional<std::chrono::seconds> interval;
  if (args.interval) {
    interval = parse_duration(*args.interval);
    if (interval->count() <= 0) throw Error(ErrorCode::InvalidArgument, "--interval must be longer than 0s");
  }
  // The same lock files as the Client's, so a clean never races a get.
  std::vector<CacheLocation> caches;
  if (args.cache_globs.empty()) {
    caches.push_back(cache_location_of(context));
  } else {
    // Like the deployed cleaner's --cache-dirs: glob patterns, one index for all.
    // Each cache keeps its own locks (<dir>/locks).
    for (const auto& pattern : args.cache_globs) {
      glob_t matches{};
      if (::glob(pattern.c_str(), GLOB_NOSORT, nullptr, &matches) == 0)
        for (std::size_t i = 0; i < matches.gl_pathc; ++i) caches.push_back(CacheLocation{matches.gl_pathv[i], {}});
      ::globfree(&matches);
    }
    if (caches.empty()) throw Error(ErrorCode::InvalidArgument, "--cache-dirs: no directory matches");
  }
  if (!interval) {
    clean_once(context, caches, limit, args.percent, args.dry_run);
    return 0;
  }
  // Daemon mode, like the deployed cache cleaner: a failed pass is reported
  // and the next one runs on schedule. SIGINT/SIGTERM end it with status 0.
  while (!interrupted().load()) {
    try {
      clean_once(context, caches, limit, args.percent, args.dry_run);
    } catch (const Error& e) {
      if (e.code() == ErrorCode::Cancelled) break;
      std::fprintf(stderr, "filetracker: %s\n", e.what());
    }
    auto wake = std::chrono::steady_clock::now() + *interval;
    while (!interrupted().load() && std::chrono::steady_clock::now() < wake)
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return 0;
}

}  // namespace ft::cli
