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
#include "interrupt.hpp"

namespace ft::cli {

namespace fs = std::filesystem;

namespace {

struct LocalFile {
  fs::path path;
  std::uint64_t size = 0;
};

// One name on both sides, keyed by its path relative to the directories.
struct Pair {
  std::optional<LocalFile> local;
  std::optional<RemoteEntry> remote;
};

enum class Kind { Add, Update, Delete };

struct Action {
  Kind kind;
  std::string relative;
};

std::string normalised_remote_dir(std::string dir) {
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  if (dir != "/") check_name(dir, false);
  return dir;
}

std::string remote_name(const std::string& dir, const std::string& relative) {
  return dir == "/" ? "/" + relative : dir + "/" + relative;
}

// Regular files below `root` (symbolic links are not followed, and are
// reported and skipped like other special files).
std::map<std::string, LocalFile> scan_local(const fs::path& root) {
  std::map<std::string, LocalFile> files;
  std::error_code ec;
  fs::recursive_directory_iterator it(root, fs::directory_options::none, ec), end;
  if (ec) throw Error(ErrorCode::Io, root.string() + ": cannot read the directory: " + ec.message());
  for (; it != end; it.increment(ec)) {
    if (ec) throw Error(ErrorCode::Io, root.string() + ": cannot read the directory: " + ec.message());
    const auto status = it->symlink_status(ec);
    if (ec) throw Error(ErrorCode::Io, it->path().string() + ": " + ec.message());
    if (fs::is_directory(status)) continue;
    const std::string relative = it->path().lexically_relative(root).generic_string();
    if (!fs::is_regular_file(status)) {
      std::fprintf(stderr, "filetracker: warning: %s: skipped (not a regular file)\n", it->path().c_str());
      continue;
    }
    files[relative] = LocalFile{it->path(), static_cast<std::uint64_t>(it->file_size())};
  }
  return files;
}

// Every directory between `root` and `path` that exists must be a real
// directory: a planted symbolic link must not carry a download elsewhere.
void check_no_link_between(const fs::path& root, const fs::path& path) {
  fs::path at = root;
  const fs::path relative = path.lexically_relative(root);
  for (auto part = relative.begin(); part != relative.end(); ++part) {
    at /= *part;
    std::error_code ec;
    auto status = fs::symlink_status(at, ec);
    if (ec || !fs::exists(status)) return;
    if (fs::is_symlink(status))
      throw Error(ErrorCode::Io, at.string() + ": is a symbolic link; not written through");
    if (std::next(part) != relative.end() && !fs::is_directory(status))
      throw Error(ErrorCode::Io, at.string() + ": is not a directory");
    if (std::next(part) == relative.end() && fs::is_directory(status))
      throw Error(ErrorCode::Io, at.string() + ": is a directory, not a file");
  }
}

Version now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

int cmd_sync(CommandContext& context, const SyncArgs& args) {
  const bool download = args.download;
  const std::string remote_dir = normalised_remote_dir(download ? args.source : args.destination);
  const fs::path local_dir = download ? args.destination : args.source;

  // The local side.
  std::error_code ec;
  const auto local_status = fs::status(local_dir, ec);
  std::map<std::string, LocalFile> local;
  if (fs::is_directory(local_status)) {
    local = scan_local(local_dir);
  } else if (!download || fs::exists(local_status)) {
    throw Error(ErrorCode::Io, local_dir.string() + (fs::exists(local_status) ? ": not a directory" : ": no such directory"));
  }  // else: a download creates it
  if (!download)
    for (const auto& [relative, file] : local)
      if (auto why = name_error(remote_name(remote_dir, relative), false))
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

  std::map<std::string, Pair> pairs;
  for (auto& [relative, file] : local) pairs[relative].local = file;
  const std::size_t prefix = remote_dir == "/" ? 1 : remote_dir.size() + 1;
  for (auto& entry : remote_files) pairs[entry.name.substr(prefix)].remote = entry;

  // Compare by content: sizes first (a different size needs no hash), then SHA-256.
  std::vector<Action> copies, deletions;
  std::size_t same = 0, extras_kept = 0;
  for (auto& [relative, pair] : pairs) {
    if (interrupted()) throw Error(ErrorCode::Cancelled, "sync interrupted");
    if (pair.local && pair.remote) {
      bool differs = pair.local->size != pair.remote->size;
      if (!differs) {
        std::string remote_sha = pair.remote->sha256;
        if (remote_sha.empty()) {  // a plain server: read the file and hash it
          auto stream = remote.get_stream(versioned_name(pair.remote->name, pair.remote->version));
          remote_sha = sha256_stream(*stream.stream, pair.remote->name);
        }
        differs = sha256_file(pair.local->path) != remote_sha;
      }
      if (differs)
        copies.push_back({Kind::Update, relative});
      else
        ++same;
    } else if (download ? bool(pair.remote) : bool(pair.local)) {
      copies.push_back({Kind::Add, relative});
    } else if (args.delete_extras) {
      deletions.push_back({Kind::Delete, relative});
    } else {
      ++extras_kept;
    }
  }

  auto shown = [&](const std::string& relative) {
    return download ? (local_dir / relative).string() : remote_name(remote_dir, relative);
  };
  auto print_action = [&](const Action& a) {
    const char* verb = a.kind == Kind::Add ? "add" : a.kind == Kind::Update ? "update" : "delete";
    std::printf("%s %s\n", verb, shown(a.relative).c_str());
    std::fflush(stdout);
  };

  std::size_t added = 0, updated = 0, deleted = 0;
  if (args.dry_run) {
    for (const auto& a : copies) print_action(a);
    for (const auto& a : deletions) print_action(a);
    for (const auto& a : copies) ++(a.kind == Kind::Add ? added : updated);
    deleted = deletions.size();
  } else {
    if (download && !fs::exists(local_dir)) {
      fs::create_directories(local_dir, ec);
      if (ec) throw Error(ErrorCode::Io, local_dir.string() + ": cannot create the directory: " + ec.message());
    }
    for (const auto& a : copies) {
      if (interrupted()) throw Error(ErrorCode::Cancelled, "sync interrupted");
      const Pair& pair = pairs[a.relative];
      if (download) {
        const fs::path target = local_dir / a.relative;
        check_no_link_between(local_dir, target);
        fs::create_directories(target.parent_path(), ec);
        if (ec) throw Error(ErrorCode::Io, target.parent_path().string() + ": cannot create the directory: " + ec.message());
        check_no_link_between(local_dir, target);
        // Atomic: the content appears under its name whole, or not at all.
        const std::string got = remote.get_file(pair.remote->name, target);
        if (auto version = split_name(got).version) {
          const struct timespec times[2] = {{static_cast<time_t>(*version), 0}, {static_cast<time_t>(*version), 0}};
          ::utimensat(AT_FDCWD, target.c_str(), times, AT_SYMLINK_NOFOLLOW);  // the version as mtime, as get does
        }
      } else {
        const std::string name = remote_name(remote_dir, a.relative);
        // Newer than what is stored, or the server would keep its version.
        const Version version = pair.remote ? std::max(now_seconds(), pair.remote->version + 1) : now_seconds();
        const std::string stored = remote.add_file(versioned_name(name, version), pair.local->path, true);
        if (split_name(stored).version.value_or(version) < version)
          std::fprintf(stderr, "filetracker: warning: the server kept a newer version, %s\n", stored.c_str());
      }
      print_action(a);
      ++(a.kind == Kind::Add ? added : updated);
    }
    for (const auto& a : deletions) {
      if (interrupted()) throw Error(ErrorCode::Cancelled, "sync interrupted");
      const Pair& pair = pairs[a.relative];
      if (download) {
        fs::remove(pair.local->path, ec);
        if (ec) throw Error(ErrorCode::Io, pair.local->path.string() + ": cannot delete: " + ec.message());
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
  }
  std::printf("%s: %zu %sadded, %zu %supdated, %zu %sdeleted, %zu unchanged, %zu extra%s kept; %llu requests\n",
              args.dry_run ? "sync --dry-run (nothing changed)" : "sync", added, args.dry_run ? "to be " : "", updated,
              args.dry_run ? "to be " : "", deleted, args.dry_run ? "to be " : "", same, extras_kept,
              extras_kept == 1 ? "" : "s", static_cast<unsigned long long>(remote.requests_sent()));
  return 0;
}

}  // namespace ft::cli
