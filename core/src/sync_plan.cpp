#include "filetracker/sync_plan.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <iterator>
#include <set>

#include "filetracker/checksum.hpp"
#include "filetracker/error.hpp"

namespace ft {

namespace fs = std::filesystem;

std::map<std::string, SyncLocalFile> scan_sync_folder(const fs::path& root,
                                                      const std::function<void(const fs::path&)>& skipped,
                                                      const std::function<bool()>& cancelled) {
  std::map<std::string, SyncLocalFile> files;
  std::error_code ec;
  fs::recursive_directory_iterator it(root, fs::directory_options::none, ec), end;
  if (ec) throw Error(ErrorCode::Io, root.string() + ": cannot read the directory: " + ec.message());
  for (; it != end; it.increment(ec)) {
    if (ec) throw Error(ErrorCode::Io, root.string() + ": cannot read the directory: " + ec.message());
    if (cancelled && cancelled()) throw Error(ErrorCode::Cancelled, root.string() + ": cancelled");
    const auto status = it->symlink_status(ec);
    if (ec) throw Error(ErrorCode::Io, it->path().string() + ": " + ec.message());
    if (fs::is_directory(status)) continue;
    if (!fs::is_regular_file(status)) {
      if (skipped) skipped(it->path());
      continue;
    }
    const std::string relative = it->path().lexically_relative(root).generic_string();
    const auto size = it->file_size(ec);
    if (ec) throw Error(ErrorCode::Io, it->path().string() + ": " + ec.message());
    files[relative] = SyncLocalFile{it->path(), static_cast<std::uint64_t>(size)};
  }
  return files;
}

std::string normalised_sync_directory(std::string directory) {
  while (directory.size() > 1 && directory.back() == '/') directory.pop_back();
  if (directory != "/") check_name(directory, false);
  return directory;
}

std::string sync_remote_name(const std::string& directory, const std::string& relative) {
  return directory == "/" ? "/" + relative : directory + "/" + relative;
}

std::vector<SyncItem> pair_sync_sides(const std::map<std::string, SyncLocalFile>& local,
                                      const std::vector<RemoteEntry>& remote, const std::string& remote_directory) {
  std::map<std::string, SyncItem> pairs;
  for (const auto& [relative, file] : local) pairs[relative].local = file;
  const std::string prefix = remote_directory == "/" ? "/" : remote_directory + "/";
  for (const auto& entry : remote) {
    if (entry.name.compare(0, prefix.size(), prefix) != 0) continue;  // not below the folder
    pairs[entry.name.substr(prefix.size())].remote = entry;
  }
  std::vector<SyncItem> items;
  items.reserve(pairs.size());
  for (auto& [relative, item] : pairs) {
    item.relative = relative;
    if (!item.remote) {
      item.status = SyncStatus::OnlyLocal;
    } else if (!item.local) {
      item.status = SyncStatus::OnlyRemote;
    } else {
      // A plain server that sent neither size nor checksum lists size 0:
      // that is "unknown", so the content decides (an empty file is cheap).
      const bool size_known = item.remote->size != 0 || !item.remote->sha256.empty();
      item.status = size_known && item.remote->size != item.local->size ? SyncStatus::Differs : SyncStatus::Unsure;
    }
    items.push_back(std::move(item));
  }
  return items;
}

void settle_sync_item(SyncItem& item, std::string local_sha256, const std::string& remote_sha256) {
  item.status = local_sha256 == remote_sha256 ? SyncStatus::Same : SyncStatus::Differs;
  item.local_sha256 = std::move(local_sha256);
}

std::vector<SyncItem> compare_sync(const std::map<std::string, SyncLocalFile>& local,
                                   const std::vector<RemoteEntry>& remote, const std::string& remote_directory,
                                   const SyncCompareHooks& hooks) {
  std::vector<SyncItem> items = pair_sync_sides(local, remote, remote_directory);
  for (SyncItem& item : items) {
    if (item.status != SyncStatus::Unsure) continue;
    if (hooks.cancelled && hooks.cancelled()) throw Error(ErrorCode::Cancelled, "comparison cancelled");
    std::string remote_sha = item.remote->sha256;
    if (remote_sha.empty()) {
      if (!hooks.remote_sha256)
        throw Error(ErrorCode::Unsupported, item.remote->name + ": the server sent no checksum to compare with");
      remote_sha = hooks.remote_sha256(*item.remote);
    }
    settle_sync_item(item, hooks.local_sha256 ? hooks.local_sha256(item.local->path) : sha256_file(item.local->path),
                     remote_sha);
  }
  return items;
}

std::string sha256_file_reporting(const fs::path& path, const std::function<void(std::uint64_t)>& read) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) {
    const int err = errno;
    throw Error(err == ENOENT ? ErrorCode::NotFound : ErrorCode::Io, path.string() + ": " + std::strerror(err));
  }
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  Sha256 sha;
  std::vector<char> buffer(1 << 17);
  for (;;) {
    const ssize_t n = ::read(fd, buffer.data(), buffer.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      throw Error(ErrorCode::Io, path.string() + ": read error: " + std::strerror(errno));
    }
    if (n == 0) break;
    sha.update(buffer.data(), static_cast<std::size_t>(n));
    if (read) read(static_cast<std::uint64_t>(n));
  }
  return sha.hex_digest();
}

std::size_t SyncPlan::added() const {
  return static_cast<std::size_t>(
      std::count_if(copies.begin(), copies.end(), [](const SyncAction& a) { return a.kind == SyncAction::Kind::Add; }));
}

std::size_t SyncPlan::updated() const { return copies.size() - added(); }

SyncPlan plan_sync(const std::vector<SyncItem>& items, SyncDirection direction, bool delete_extras) {
  const bool download = direction == SyncDirection::Download;
  SyncPlan plan;
  for (const SyncItem& item : items) {
    switch (item.status) {
      case SyncStatus::Unsure:
        throw Error(ErrorCode::InvalidArgument, item.relative + ": not compared yet");
      case SyncStatus::Same:
        ++plan.same;
        break;
      case SyncStatus::Differs:
        plan.copies.push_back({SyncAction::Kind::Update, item});
        break;
      case SyncStatus::OnlyLocal:
      case SyncStatus::OnlyRemote: {
        const bool at_source = (item.status == SyncStatus::OnlyRemote) == download;
        if (at_source)
          plan.copies.push_back({SyncAction::Kind::Add, item});
        else if (delete_extras)
          plan.deletions.push_back({SyncAction::Kind::Delete, item});
        else
          ++plan.extras_kept;
        break;
      }
    }
  }
  return plan;
}

Version sync_upload_version(const SyncAction& action, Version now) {
  return action.item.remote ? std::max(now, action.item.remote->version + 1) : now;
}

void check_sync_target(const fs::path& root, const fs::path& path) {
  fs::path at = root;
  const fs::path relative = path.lexically_relative(root);
  for (auto part = relative.begin(); part != relative.end(); ++part) {
    at /= *part;
    std::error_code ec;
    auto status = fs::symlink_status(at, ec);
    if (ec || !fs::exists(status)) return;
    if (fs::is_symlink(status)) throw Error(ErrorCode::Io, at.string() + ": is a symbolic link; not written through");
    if (std::next(part) != relative.end() && !fs::is_directory(status))
      throw Error(ErrorCode::Io, at.string() + ": is not a directory");
    if (std::next(part) == relative.end() && fs::is_directory(status))
      throw Error(ErrorCode::Io, at.string() + ": is a directory, not a file");
  }
}

std::vector<fs::path> remove_emptied_directories(const fs::path& root, const std::vector<fs::path>& deleted) {
  // Every directory between a deleted file and `root`, deepest first (a
  // longer path sorts after its parent, so reverse order visits it first).
  std::set<fs::path> candidates;
  const fs::path top = root.lexically_normal();
  for (const fs::path& file : deleted) {
    const fs::path relative = file.lexically_normal().lexically_relative(top);
    if (relative.empty() || *relative.begin() == "..") continue;  // not below root
    fs::path dir = top;
    for (auto part = relative.begin(); std::next(part) != relative.end(); ++part) {
      dir /= *part;
      candidates.insert(dir);
    }
  }
  // Only a real directory all the way down from `root`: a symbolic link on
  // the way must not carry a removal elsewhere.
  const auto real_directory = [&top](const fs::path& dir) {
    fs::path at = top;
    for (const auto& part : dir.lexically_relative(top)) {
      at /= part;
      std::error_code ec;
      const auto status = fs::symlink_status(at, ec);
      if (ec || fs::is_symlink(status) || !fs::is_directory(status)) return false;
    }
    return true;
  };
  std::vector<fs::path> removed;
  for (auto it = candidates.rbegin(); it != candidates.rend(); ++it) {
    if (!real_directory(*it)) continue;
    std::error_code ec;
    if (fs::is_empty(*it, ec) && !ec && fs::remove(*it, ec) && !ec) removed.push_back(*it);
  }
  return removed;
}

}  // namespace ft
