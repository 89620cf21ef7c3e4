// The file system `filetracker mount` serves: the store seen as a tree.
//
// Every operation takes paths or handles as the kernel gives them and
// returns 0 (or a count) or a negative errno, FUSE style; none throws. The
// FUSE adapter (fuse_mount.hpp) only translates calls, so this class is
// the whole behaviour and is tested without a mount as well as through one.
//
// What the tree shows:
// - Directories: the store's listing (DirectoryCache, --attr-timeout), plus
//   directories made with mkdir (they live until the mount ends or a file
//   is stored below them) and files being written or just written
//   (Overlay, OpenFileTable); removing the last file of a directory
//   leaves the directory (empty, until the mount ends). A name that is both a file and a directory
//   prefix in the store shows as the directory; its file stays reachable
//   as NAME@VERSION.
// - Files: size = logical size, mtime = version, mode 0644 (0444 on a
//   read-only mount and for NAME@VERSION paths), owned by the mounting user.
// - NAME@VERSION (never listed): that version, read-only. The store is
//   asked for exactly that version (cache first, then the server); a server
//   that keeps history (issue 16) can then serve older ones through the
//   same code path; today's servers have only the newest.
//
// Reads: open() brings the version into the cache (Client::get_file, as
// `filetracker get` does) unless it is larger than the cache limit (or the
// cache's free space), then it is streamed; concurrent opens of one version
// download it once (ContentFetcher).
//
// Writes (unless read-only): create/write/truncate go to a private temp
// file; flush (close(2)), fsync and release upload it as version "now" (or
// one more than the replaced version when that is not older: a versioned
// name must always mean one content, for every cache). A failed upload is EIO for that close/fsync, with a log line,
// and is retried by the next flush and at release. unlink = delete (a file
// still open for writing is then not stored). rename of a file = upload
// under the new name, then delete of the old one: NOT atomic (a reader may
// see both names for a moment, and a failure in between leaves both).
// rename of a directory that holds stored files is EXDEV (mv then copies
// and deletes); of a made (empty) one, it moves it. chmod/chown to what is
// shown: no-op, else EPERM; symlink, link, mknod: ENOTSUP; utimens of a
// file being written or to "now": no-op (the version is set when stored),
// else EPERM.
//
// Thread-safe: libfuse calls it from several threads at once.
#pragma once

#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <ctime>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "filetracker/mount/client_pool.hpp"
#include "filetracker/mount/content.hpp"
#include "filetracker/mount/directory_cache.hpp"
#include "filetracker/mount/directory_source.hpp"
#include "filetracker/mount/errno_map.hpp"
#include "filetracker/mount/mount_path.hpp"
#include "filetracker/mount/open_file_table.hpp"
#include "filetracker/mount/overlay.hpp"
#include "filetracker/mount/private_temp_dir.hpp"

namespace ft::mount {

struct MountOptions {
  bool read_only = false;
  // How long listings and attributes are trusted (also the kernel's entry
  // and attribute timeouts).
  std::chrono::milliseconds attr_timeout{1000};
  // Files larger than this are streamed, not cached. Unset: only when the
  // cache's file system lacks the room.
  std::optional<std::uint64_t> cache_limit;
  // Failures and warnings, one line each. Empty: stderr.
  LogSink log;
};

class FileSystem {
 public:
  // The pool's clients must share the cache that `temp` lives in.
  FileSystem(ClientPool& pool, DirectorySource& source, PrivateTempDir& temp, MountOptions options);
  ~FileSystem();
  FileSystem(const FileSystem&) = delete;
  FileSystem& operator=(const FileSystem&) = delete;

  const MountOptions& options() const { return options_; }

  int getattr(const std::string& path, struct stat& st, std::optional<std::uint64_t> handle = std::nullopt);
  struct DirEntry {
    std::string name;
    struct stat st;
  };
  // "." and ".." included.
  int readdir(const std::string& path, std::vector<DirEntry>& entries);

  // `flags`: open(2) flags. On success `handle` identifies the open file.
  int open(const std::string& path, int flags, std::uint64_t& handle);
  int create(const std::string& path, int flags, std::uint64_t& handle);
  // Bytes read into `buffer` (fewer only at the end of the file), or -errno.
  long read(std::uint64_t handle, char* buffer, std::size_t size, std::uint64_t offset);
  // For zero-copy reads: the descriptor of the cached file behind `handle`
  // (read it with pread at the same offsets), or -1 when the handle reads
  // from elsewhere (a stream or a write buffer).
  int cached_fd(std::uint64_t handle) const;
  long write(std::uint64_t handle, const char* data, std::size_t size, std::uint64_t offset);
  int truncate(const std::string& path, std::uint64_t size, std::optional<std::uint64_t> handle = std::nullopt);
  int flush(std::uint64_t handle);
  int fsync(std::uint64_t handle);
  int release(std::uint64_t handle);

  int unlink(const std::string& path);
  // `flags`: RENAME_NOREPLACE is honoured, RENAME_EXCHANGE is EINVAL.
  int rename(const std::string& from, const std::string& to, unsigned flags = 0);
  int mkdir(const std::string& path);
  int rmdir(const std::string& path);
  int chmod(const std::string& path, mode_t mode);
  int chown(const std::string& path, uid_t uid, gid_t gid);
  int utimens(const std::string& path, const struct timespec times[2], std::optional<std::uint64_t> handle);
  int statfs(struct statvfs& out);

  // The end of the mount: files still open for writing are not stored
  // (their writer never closed them, so their content may be partial), each
  // with a log line; every open file is closed. Returns how many writers
  // were dropped.
  int shutdown();

  struct Stats {
    std::uint64_t listings = 0;  // directory listings asked from the store
    std::uint64_t fetches = 0;   // versions brought into the cache
    std::uint64_t uploads = 0;
    std::size_t open_files = 0;
  };
  Stats stats() const;

 private:
  struct Node {
    enum Kind { None, File, Directory } kind = None;
    FileAttributes attributes;  // files
    bool in_store = false;      // a file the store has (not only an unstored writer)
    bool versioned = false;     // a NAME@VERSION path
  };

  Node lookup(const MountPath& path);
  Node lookup_version(const MountPath& path);
  void fill_stat(const Node& node, struct stat& st) const;
  mode_t file_mode(bool versioned) const;
  // Whether a file of `size` not in the cache should be streamed.
  bool should_stream(const std::string& versioned, std::uint64_t size);
  // Uploads the buffer of `file` as `name`; updates caches and overlay.
  void upload(OpenFile& file, const std::string& name);
  // Stores `file` (a path in the private directory) as `name`, replacing a
  // version `replaces`; returns the version stored.
  Version store_file(const std::string& name, const std::filesystem::path& file, Version replaces,
                     bool link_into_cache);
  int flush_locked(std::uint64_t handle, OpenFile& file, const char* why);
  // The listing of `name`'s directory changed (and maybe its ancestors').
  void changed(const std::string& name);
  // `name` left its directory through the mount: the directory stays.
  void keep_directory_of(const std::string& name);
  std::unique_ptr<WriteBuffer> private_copy(const MountPath& path, const Node& node);
  void log(const std::string& line) const;

  ClientPool& pool_;
  PrivateTempDir& temp_;
  MountOptions options_;
  DirectoryCache directories_;
  Overlay overlay_;
  OpenFileTable files_;
  ContentFetcher fetcher_;
  std::time_t mounted_at_;
  uid_t uid_;
  gid_t gid_;
  std::atomic<std::uint64_t> uploads_{0};
  // Versions looked up by NAME@VERSION (immutable, so kept).
  std::mutex versions_mutex_;
  std::map<std::string, FileAttributes> versions_;  // GUARDED_BY(versions_mutex_)
};

}  // namespace ft::mount
