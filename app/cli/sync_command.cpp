#include "sync_command.hpp"

#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iterator>
#include <map>
#include <optional>
#include <vector>

#include "filetracker/checksum.hpp"
#include "filetracker/error.hpp"
#include "filetracker/name.hpp"
#include "filetracker/sync_plan.hpp"
#include "interrupt.hpp"

namespace ft::cli {

namespace fs = std::filesystem;

namespace {

Version now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

int cmd_sync(CommandContext& context, const SyncArgs& args) {
  const bool download = args.download;
  const std::string remote_dir = normalised_sync_directory(download ? args.source : args.destination);
  const fs::path local_dir = download ? args.destination : args.source;

  // The local side.
  std::error_code ec;
  const auto local_status = fs::status(local_dir, ec);
  std::map<std::string, SyncLocalFile> local;
  if (fs::is_directory(local_status)) {
    local = scan_sync_folder(local_dir, [](const fs::path& path) {
      std::fprintf(stderr, "filetracker: warning: %s: skipped (not a regular file)\n", path.c_str());
    });
  } else if (!download || fs::exists(local_status)) {
    throw Error(ErrorCode::Io, local_dir.string() + (fs::exists(local_status) ? ": not a directory" : ": no such directory"));
  }  // else: a download creates it
  if (!download)
    for (const auto& [relative, file] : local)
      if (auto why = name_error(sync_remote_name(remote_dir, relative), false))
        throw Error(ErrorCode::InvalidArgument, file.path.string() + ": cannot be uploaded: " + *why);

  // The remote side: names, versions, sizes and (mostly) checksums.
  RemoteDataStore& remote = context.remote();
  std::vector<RemoteEntry> remote_files;
  try {
    // Every stored version, also one ahead of the clock (what a sync in the
    // same second as the last one stored: "the stored version + 1").
    remote_files = remote.list(remote_dir, true, true, kMaxVersion).files;
  } catch (const Error& e) {
    // An upload to a directory that does not exist yet starts from nothing.
    if (download || e.code() != ErrorCode::Http || e.http_status() != 400) throw;
  }

  // Compare by content (sync_plan.hpp); a plain server that sends no
  // checksum has the file read and hashed.
  SyncCompareHooks hooks;
  hooks.cancelled = [] { return interrupted().load(); };
  hooks.remote_sha256 = [&](const RemoteEntry& entry) {
    auto stream = remote.get_stream(versioned_name(entry.name, entry.version));
    return sha256_stream(*stream.stream, entry.name);
  };
  const SyncPlan plan = plan_sync(compare_sync(local, remote_files, remote_dir, hooks),
                                  download ? SyncDirection::Download : SyncDirection::Upload, args.delete_extras);
  const std::size_t same = plan.same, extras_kept = plan.extras_kept;

  auto shown = [&](const std::string& relative) {
    return download ? (local_dir / relative).string() : sync_remote_name(remote_dir, relative);
  };
  auto print_action = [&](const SyncAction& a) {
    const char* verb = a.kind == SyncAction::Kind::Add ? "add" : a.kind == SyncAction::Kind::Update ? "update" : "delete";
    std::printf("%s %s\n", verb, shown(a.item.relative).c_str());
    std::fflush(stdout);
  };

  std::size_t added = 0, updated = 0, deleted = 0;
  if (args.dry_run) {
    for (const auto& a : plan.copies) print_action(a);
    for (const auto& a : plan.deletions) print_action(a);
    added = plan.added();
    updated = plan.updated();
    deleted = plan.deletions.size();
  } else {
    if (download && !fs::exists(local_dir)) {
      fs::create_directories(local_dir, ec);
      if (ec) throw Error(ErrorCode::Io, local_dir.string() + ": cannot create the directory: " + ec.message());
    }
    for (const auto& a : plan.copies) {
      if (interrupted()) throw Error(ErrorCode::Cancelled, "sync interrupted");
      const SyncItem& pair = a.item;
      if (download) {
        const fs::path target = local_dir / pair.relative;
        check_sync_target(local_dir, target);
        fs::create_directories(target.parent_path(), ec);
        if (ec) throw Error(ErrorCode::Io, target.parent_path().string() + ": cannot create the directory: " + ec.message());
        check_sync_target(local_dir, target);
        // Atomic: the content appears under its name whole, or not at all.
        const std::string got = remote.get_file(pair.remote->name, target);
        if (auto version = split_name(got).version) {
          const struct timespec times[2] = {{static_cast<time_t>(*version), 0}, {static_cast<time_t>(*version), 0}};
          ::utimensat(AT_FDCWD, target.c_str(), times, AT_SYMLINK_NOFOLLOW);  // the version as mtime, as get does
        }
      } else {
        const std::string name = sync_remote_name(remote_dir, pair.relative);
        // Newer than what is stored, or the server would keep its version.
        const Version version = sync_upload_version(a, now_seconds());
        const std::string stored = remote.add_file(versioned_name(name, version), pair.local->path, true);
        if (split_name(stored).version.value_or(version) < version)
          std::fprintf(stderr, "filetracker: warning: the server kept a newer version, %s\n", stored.c_str());
      }
      print_action(a);
      ++(a.kind == SyncAction::Kind::Add ? added : updated);
    }
    std::vector<fs::path> deleted_local;
    for (const auto& a : plan.deletions) {
      if (interrupted()) throw Error(ErrorCode::Cancelled, "sync interrupted");
      const SyncItem& pair = a.item;
      if (download) {
        fs::remove(pair.local->path, ec);
        if (ec) throw Error(ErrorCode::Io, pair.local->path.string() + ": cannot delete: " + ec.message());
        deleted_local.push_back(pair.local->path);
      } else {
        // Only the version compared: a newer upload since then is kept.
        try {
          remote.delete_file(versioned_name(pair.remote->name, pair.remote->version));
        } catch (const Error& e) {
          if (e.code() != ErrorCode::NotFound) throw;  // already gone is what we wanted
        }
      }
      print_action(a);
      ++deleted;
    }
    // The folders those deletions emptied go too: the local tree mirrors the
    // remote one, which has no empty folders.
    remove_emptied_directories(local_dir, deleted_local);
  }
  std::printf("%s: %zu %sadded, %zu %supdated, %zu %sdeleted, %zu unchanged, %zu extra%s kept; %llu requests\n",
              args.dry_run ? "sync --dry-run (nothing changed)" : "sync", added, args.dry_run ? "to be " : "", updated,
              args.dry_run ? "to be " : "", deleted, args.dry_run ? "to be " : "", same, extras_kept,
              extras_kept == 1 ? "" : "s", static_cast<unsigned long long>(remote.requests_sent()));
  return 0;
}

}  // namespace ft::cli
