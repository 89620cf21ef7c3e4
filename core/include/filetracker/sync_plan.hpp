// Planning a sync of a local folder with a remote one (issue 15): the one
// planner behind `filetracker sync` and the GUI's compare view.
//
// Both sides are compared by content, never by date: a file whose sizes
// differ (both known) differs without a hash; otherwise the local file's
// SHA-256 is compared with the server's (its JSON listing or HEAD; a plain
// server that sends none has the file read and hashed by the caller). Each
// relative name is then only-local, only-remote, differing or the same, and
// plan_sync turns that into the exact list of copies and deletions for one
// direction. Work that is slow (hashing, reading the server) is the
// caller's, through hooks, so the CLI can do it inline and the GUI on a
// worker thread with progress and cancel.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "filetracker/name.hpp"
#include "filetracker/remote_data_store.hpp"

namespace ft {

struct SyncLocalFile {
  std::filesystem::path path;
  std::uint64_t size = 0;
};

// The regular files below `root`, keyed by their path relative to it
// ("a/b.in", '/'-separated). Symbolic links are not followed: they and
// other special files are passed to `skipped` (when given) and left out.
// Throws Error(Io) when the folder cannot be read, Error(Cancelled) as soon
// as `cancelled` (asked per entry, when given) says so.
std::map<std::string, SyncLocalFile> scan_sync_folder(
    const std::filesystem::path& root, const std::function<void(const std::filesystem::path&)>& skipped = {},
    const std::function<bool()>& cancelled = {});

// "/a/" -> "/a"; "/" stays. Throws Error(InvalidArgument) for a bad name.
std::string normalised_sync_directory(std::string directory);
// "/a" + "b/c.in" -> "/a/b/c.in"; "/" + "c.in" -> "/c.in".
std::string sync_remote_name(const std::string& directory, const std::string& relative);

enum class SyncStatus {
  OnlyLocal,
  OnlyRemote,
  Differs,
  Same,
  Unsure,  // on both sides with sizes that may match: compare checksums (settle_sync_item)
};

struct SyncItem {
  std::string relative;  // path below both folders, '/'-separated
  SyncStatus status = SyncStatus::Unsure;
  std::optional<SyncLocalFile> local;
  std::optional<RemoteEntry> remote;
  std::string local_sha256;  // filled once hashed (Unsure items only)
};

// Pairs the local files with the remote entries below `remote_directory`
// (their names absolute), in name order. Sizes that are known and differ
// make an item Differs; a remote entry without size or checksum (a plain
// server that did not say) is Unsure, so its content decides.
std::vector<SyncItem> pair_sync_sides(const std::map<std::string, SyncLocalFile>& local,
                                      const std::vector<RemoteEntry>& remote, const std::string& remote_directory);

// An Unsure item decided by the two checksums (lowercase hex).
void settle_sync_item(SyncItem& item, std::string local_sha256, const std::string& remote_sha256);

struct SyncCompareHooks {
  // The SHA-256 of a remote file whose listing had none: read and hash it.
  std::function<std::string(const RemoteEntry&)> remote_sha256;
  // The SHA-256 of a local file (default: sha256_file).
  std::function<std::string(const std::filesystem::path&)> local_sha256;
  // Asked before each hash; true: Error(Cancelled).
  std::function<bool()> cancelled;
};

// pair_sync_sides, then every Unsure item settled through the hooks.
std::vector<SyncItem> compare_sync(const std::map<std::string, SyncLocalFile>& local,
                                   const std::vector<RemoteEntry>& remote, const std::string& remote_directory,
                                   const SyncCompareHooks& hooks);

// The SHA-256 of a local file, read in chunks; `read(bytes)` is called after
// each chunk and may throw (a cancel) — nothing is left behind.
std::string sha256_file_reporting(const std::filesystem::path& path, const std::function<void(std::uint64_t)>& read);

enum class SyncDirection { Upload, Download };

struct SyncAction {
  enum class Kind { Add, Update, Delete };
  Kind kind = Kind::Add;
  SyncItem item;
};

// What a sync in `direction` does: new and differing files copied to the
// destination, and with `delete_extras` the destination's extras deleted;
// the rest left alone. Every item must be settled (no Unsure).
struct SyncPlan {
  std::vector<SyncAction> copies;     // Add and Update, name order
  std::vector<SyncAction> deletions;  // Delete, name order
  std::size_t same = 0;
  std::size_t extras_kept = 0;  // the destination's extras not deleted
  std::size_t added() const;
  std::size_t updated() const;
  bool empty() const { return copies.empty() && deletions.empty(); }
};
SyncPlan plan_sync(const std::vector<SyncItem>& items, SyncDirection direction, bool delete_extras);

// The version an upload stores: now, and newer than the version it replaces
// (or the server would keep its own).
Version sync_upload_version(const SyncAction& action, Version now);

// Before a download writes `path` below `root`: every directory on the way
// that exists must be a real directory and `path` itself not a directory or
// a link, so a planted symbolic link cannot carry the write elsewhere.
// Throws Error(Io) naming the offending path.
void check_sync_target(const std::filesystem::path& root, const std::filesystem::path& path);

// After local files were deleted below `root`: removes the directories that
// deleting them left empty (deepest first, never `root` itself, never a
// directory that still holds anything). Returns the directories removed.
std::vector<std::filesystem::path> remove_emptied_directories(const std::filesystem::path& root,
                                                              const std::vector<std::filesystem::path>& deleted);

}  // namespace ft
