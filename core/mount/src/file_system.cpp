#include "filetracker/mount/file_system.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <linux/fs.h>  // RENAME_NOREPLACE, RENAME_EXCHANGE

#include "filetracker/atomic_file.hpp"
#include "filetracker/error.hpp"
#include "filetracker/local_data_store.hpp"

namespace ft::mount {

namespace fs = std::filesystem;

namespace {

// Room left on the cache's file system after caching a file, below which
// the file is streamed instead.
constexpr std::uint64_t kCacheReserve = 64u << 20;

bool writable_flags(int flags) { return (flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC); }

// A name a directory may have: its children must be valid names.
bool valid_directory_name(const std::string& name) { return !name_error(child_name(name, "x"), false); }

}  // namespace

FileSystem::FileSystem(ClientPool& pool, DirectorySource& source, PrivateTempDir& temp, MountOptions options)
    : pool_(pool),
      temp_(temp),
      options_(std::move(options)),
      directories_(source, options_.attr_timeout),
      fetcher_(pool, temp),
      mounted_at_(std::time(nullptr)),
      uid_(::getuid()),
      gid_(::getgid()) {
  if (!options_.log) options_.log = [](const std::string& line) { std::fprintf(stderr, "filetracker: mount: %s\n", line.c_str()); };
}

FileSystem::~FileSystem() { shutdown(); }

void FileSystem::log(const std::string& line) const { options_.log(line); }

// ---- Lookups -------------------------------------------------------------

FileSystem::Node FileSystem::lookup(const MountPath& path) {
  Node node;
  if (path.is_root()) {
    node.kind = Node::Directory;
    return node;
  }
  if (path.version) return lookup_version(path);
  const std::string parent = parent_directory(path.name);
  const std::string base = base_name(path.name);
  std::shared_ptr<const DirectoryListing> listing = directories_.get(parent);
  if (overlay_.has_directory(path.name) || (listing && listing->directories.count(base))) {
    node.kind = Node::Directory;
    return node;
  }
  if (auto stored = overlay_.stored_file(path.name, listing.get())) {
    node.kind = Node::File;
    node.attributes = *stored;
    node.in_store = true;
  } else if (listing) {
    if (auto it = listing->files.find(base); it != listing->files.end()) {
      node.kind = Node::File;
      node.attributes = it->second;
      node.in_store = true;
    }
  }
  // A file being written shows what is being written.
  auto writers = files_.writers_of(path.name);
  if (!writers.empty()) {
    const OpenFile& writer = *writers.front();
    node.kind = Node::File;
    node.attributes.size = writer.size.load();
    if (!node.in_store) node.attributes.version = writer.created;
  }
  return node;
}

FileSystem::Node FileSystem::lookup_version(const MountPath& path) {
  Node node;
  node.versioned = true;
  const Version version = *path.version;
  const std::string versioned = path.store_name();
  auto found = [&](const FileAttributes& attributes) {
    node.kind = Node::File;
    node.attributes = attributes;
    node.in_store = true;
    return node;
  };
  {
    std::lock_guard lock(versions_mutex_);
    if (auto it = versions_.find(versioned); it != versions_.end()) return found(it->second);
  }
  // The listing knows the newest version.
  std::shared_ptr<const DirectoryListing> listing = directories_.get(parent_directory(path.name));
  if (listing) {
    auto it = listing->files.find(base_name(path.name));
    if (it != listing->files.end() && it->second.version == version) return found(it->second);
  }
  // Ask the store for exactly that version: the cache first, then the
  // server. Today's servers keep one version per name, so HEAD answers the
  // newest and only an exact match counts; a server with version history
  // (issue 16) answers for the version asked.
  std::optional<FileAttributes> attributes;
  {
    auto lease = pool_.acquire();
    if (DataStore* cache = lease->local_store(); cache && cache->exists(versioned)) {
      attributes = FileAttributes{version, cache->file_size(versioned)};
    } else if (RemoteDataStore* remote = lease.remote()) {
      try {
        RemoteDataStore::Head head = remote->head(versioned);
        if (head.version == version) {
          if (!head.size) throw Error(ErrorCode::Protocol, versioned + ": the server did not say the file's size");
          attributes = FileAttributes{version, *head.size};
        }
      } catch (const Error& e) {
        if (e.code() != ErrorCode::NotFound) throw;
      }
    }
  }
  if (!attributes) return node;
  {
    std::lock_guard lock(versions_mutex_);
    versions_[versioned] = *attributes;
  }
  return found(*attributes);
}

mode_t FileSystem::file_mode(bool versioned) const { return (options_.read_only || versioned) ? 0444 : 0644; }

void FileSystem::fill_stat(const Node& node, struct stat& st) const {
  std::memset(&st, 0, sizeof st);
  st.st_uid = uid_;
  st.st_gid = gid_;
  if (node.kind == Node::Directory) {
    st.st_mode = S_IFDIR | (options_.read_only ? 0555 : 0755);
    st.st_nlink = 2;
    st.st_size = 4096;
    st.st_mtime = st.st_ctime = st.st_atime = mounted_at_;
  } else {
    st.st_mode = S_IFREG | file_mode(node.versioned);
    st.st_nlink = 1;
    st.st_size = static_cast<off_t>(node.attributes.size);
    st.st_blocks = static_cast<blkcnt_t>((node.attributes.size + 511) / 512);
    st.st_mtime = st.st_ctime = st.st_atime = static_cast<std::time_t>(node.attributes.version);
  }
  st.st_blksize = 128 * 1024;
}

int FileSystem::getattr(const std::string& path, struct stat& st, std::optional<std::uint64_t> handle) {
  return guarded(options_.log, "stat " + path, [&] {
    auto parsed = parse_mount_path(path);
    if (handle) {
      // fstat of an open file (also one unlinked since: no path then).
      if (auto file = files_.get(*handle); file && (file->writer() || !parsed)) {
        Node node;
        node.kind = Node::File;
        node.versioned = parsed && parsed->version;
        std::lock_guard lock(file->mutex);
        const Version version = file->version.value_or(0);
        if (file->buffer) {
          node.attributes = FileAttributes{version ? version : file->created, file->buffer->size()};
        } else if (file->cached) {
          node.attributes = FileAttributes{version, file->cached->size()};
        } else if (file->streamed) {
          node.attributes = FileAttributes{version, file->streamed->size()};
        }
        fill_stat(node, st);
        return 0;
      }
    }
    if (!parsed) return -ENOENT;
    Node node = lookup(*parsed);
    if (node.kind == Node::None) return -ENOENT;
    fill_stat(node, st);
    return 0;
  });
}

int FileSystem::readdir(const std::string& path, std::vector<DirEntry>& entries) {
  return guarded(options_.log, "list " + path, [&] {
    auto parsed = parse_mount_path(path);
    if (!parsed) return -ENOENT;
    if (parsed->version) return -ENOTDIR;
    const std::string& dir = parsed->name;
    std::shared_ptr<const DirectoryListing> listing = directories_.get(dir);
    if (!listing && !parsed->is_root()) {
      if (!overlay_.has_directory(dir)) {
        Node node = lookup(*parsed);
        return node.kind == Node::File ? -ENOTDIR : -ENOENT;
      }
    }
    DirectoryListing merged = listing ? *listing : DirectoryListing{};
    overlay_.merge_into(dir, merged, listing ? listing->listed_at : 0);
    std::map<std::string, Node> files;
    for (const auto& [base, attributes] : merged.files) {
      if (merged.directories.count(base)) continue;  // the directory wins
      Node node;
      node.kind = Node::File;
      node.attributes = attributes;
      node.in_store = true;
      files[base] = node;
    }
    // Files being written, and the directories they are created in.
    const std::size_t prefix = dir == "/" ? 1 : dir.size() + 1;
    for (const auto& name : files_.writer_names_below(dir)) {
      std::string rest = name.substr(prefix);
      if (auto slash = rest.find('/'); slash != std::string::npos) {
        merged.directories.insert(rest.substr(0, slash));
        files.erase(rest.substr(0, slash));
        continue;
      }
      if (merged.directories.count(rest)) continue;
      auto writers = files_.writers_of(name);
      if (writers.empty()) continue;
      Node& node = files[rest];
      node.kind = Node::File;
      node.attributes.size = writers.front()->size.load();
      if (!node.in_store) node.attributes.version = writers.front()->created;
    }
    entries.clear();
    entries.reserve(merged.directories.size() + files.size() + 2);
    Node directory;
    directory.kind = Node::Directory;
    for (const char* dot : {".", ".."}) {
      entries.push_back(DirEntry{dot, {}});
      fill_stat(directory, entries.back().st);
    }
    for (const auto& base : merged.directories) {
      entries.push_back(DirEntry{base, {}});
      fill_stat(directory, entries.back().st);
    }
    for (const auto& [base, node] : files) {
      entries.push_back(DirEntry{base, {}});
      fill_stat(node, entries.back().st);
    }
    return 0;
  });
}

// ---- Opening ---------------------------------------------------------------

bool FileSystem::should_stream(const std::string& versioned, std::uint64_t size) {
  if (options_.cache_limit && size > *options_.cache_limit) return true;
  struct statvfs vfs {};
  if (::statvfs(temp_.path().c_str(), &vfs) != 0) return false;
  const std::uint64_t available = static_cast<std::uint64_t>(vfs.f_bavail) * vfs.f_frsize;
  if (available >= size + kCacheReserve) return false;
  // Not enough room, unless the cache has it already (a link costs nothing).
  auto lease = pool_.acquire();
  DataStore* cache = lease->local_store();
  return !(cache && cache->exists(versioned));
}

std::unique_ptr<WriteBuffer> FileSystem::private_copy(const MountPath& path, const Node& node) {
  // A writer of a file nobody stored yet starts from that writer's content.
  if (!node.in_store) {
    auto writers = files_.writers_of(path.name);
    if (writers.empty()) return std::make_unique<WriteBuffer>(temp_);
    fs::path copy = temp_.unique_path("write");
    {
      std::lock_guard lock(writers.front()->mutex);
      copy_file_content(writers.front()->buffer->path(), copy);
    }
    return std::make_unique<WriteBuffer>(temp_, copy);
  }
  const std::string versioned = versioned_name(path.name, node.attributes.version);
  fs::path file = temp_.unique_path("write");
  {
    auto lease = pool_.acquire();
    GetOptions get;
    get.add_to_cache = !should_stream(versioned, node.attributes.size);
    lease->get_file(versioned, file, get);
  }
  // From the cache, get_file hard-links: the copy we modify must be our own.
  struct stat st {};
  if (::lstat(file.c_str(), &st) != 0) throw_errno(file.string() + ": cannot stat the fetched file");
  if (st.st_nlink > 1) {
    fs::path own = temp_.unique_path("write");
    try {
      copy_file_content(file, own);
    } catch (...) {
      ::unlink(file.c_str());
      ::unlink(own.c_str());
      throw;
    }
    ::unlink(file.c_str());
    file = own;
  }
  return std::make_unique<WriteBuffer>(temp_, file);
}

int FileSystem::open(const std::string& path, int flags, std::uint64_t& handle) {
  return guarded(options_.log, "open " + path, [&] {
    if (options_.read_only && writable_flags(flags)) return -EROFS;
    auto parsed = parse_mount_path(path);
    if (!parsed) return -ENOENT;
    Node node = lookup(*parsed);
    if (node.kind == Node::None) return -ENOENT;
    if (node.kind == Node::Directory) return -EISDIR;
    auto file = std::make_shared<OpenFile>();
    file->append = (flags & O_APPEND) != 0;
    if (writable_flags(flags)) {
      if (parsed->version) return -EROFS;  // a version never changes
      file->version = node.in_store ? node.attributes.version : 0;
      file->created = node.in_store ? node.attributes.version : static_cast<Version>(std::time(nullptr));
      if (flags & O_TRUNC) {
        file->buffer = std::make_unique<WriteBuffer>(temp_);
        file->buffer->set_dirty(true);
      } else {
        file->buffer = private_copy(*parsed, node);
      }
      file->size = file->buffer->size();
      handle = files_.add(std::move(file), parsed->name);
      return 0;
    }
    if (!node.in_store) {
      // Only a writer has it so far: read what has been written.
      auto writers = files_.writers_of(parsed->name);
      if (writers.empty()) return -ENOENT;
      int fd = -1;
      {
        std::lock_guard lock(writers.front()->mutex);
        fd = ::open(writers.front()->buffer->path().c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
      }
      if (fd < 0) throw_errno(path + ": cannot open the file being written");
      file->cached = std::make_shared<CachedContent>(fd, node.attributes.size);
      handle = files_.add(std::move(file), parsed->name);
      return 0;
    }
    for (int attempt = 0;; ++attempt) {
      const std::string versioned = versioned_name(parsed->name, node.attributes.version);
      file->version = node.attributes.version;
      try {
        if (should_stream(versioned, node.attributes.size)) {
          file->streamed = std::make_unique<StreamedContent>(
              [this, versioned] {
                auto lease = pool_.acquire();
                return lease->get_stream(versioned, false, false);
              },
              node.attributes.size);
        } else {
          file->cached = fetcher_.get(versioned);
        }
        break;
      } catch (const Error& e) {
        // The listing named a version the server has replaced since: look
        // again, once (a NAME@VERSION path means exactly that version).
        if (e.code() != ErrorCode::NotFound || parsed->version || attempt > 0) throw;
        changed(parsed->name);
        node = lookup(*parsed);
        if (node.kind != Node::File || !node.in_store) return -ENOENT;
      }
    }
    handle = files_.add(std::move(file), parsed->name);
    return 0;
  });
}

int FileSystem::create(const std::string& path, int flags, std::uint64_t& handle) {
  return guarded(options_.log, "create " + path, [&] {
    if (options_.read_only) return -EROFS;
    auto parsed = parse_mount_path(path);
    if (!parsed || parsed->is_root() || parsed->version) return -EINVAL;  // not a name a file can have
    Node parent = lookup(MountPath{parent_directory(parsed->name), std::nullopt});
    if (parent.kind == Node::None) return -ENOENT;
    if (parent.kind == Node::File) return -ENOTDIR;
    Node node = lookup(*parsed);
    if (node.kind == Node::Directory) return -EISDIR;
    if (node.kind == Node::File && (flags & O_EXCL)) return -EEXIST;
    auto file = std::make_shared<OpenFile>();
    file->append = (flags & O_APPEND) != 0;
    file->version = node.in_store ? node.attributes.version : 0;
    file->created = static_cast<Version>(std::time(nullptr));
    file->buffer = std::make_unique<WriteBuffer>(temp_);
    file->buffer->set_dirty(true);  // even an empty new file is stored
    handle = files_.add(std::move(file), parsed->name);
    return 0;
  });
}

// ---- Reading and writing ---------------------------------------------------

long FileSystem::read(std::uint64_t handle, char* buffer, std::size_t size, std::uint64_t offset) {
  long result = 0;
  auto file = files_.get(handle);
  if (!file) return -EBADF;
  if (file->cached) {  // pread is thread-safe: no lock for the common case
    return guarded(options_.log, "read", [&] { return static_cast<int>(file->cached->read(buffer, size, offset)); });
  }
  auto target = files_.target(handle);
  int status = guarded(options_.log, "read " + (target ? target->name : std::string("?")), [&] {
    std::lock_guard lock(file->mutex);
    if (file->buffer) {
      result = static_cast<long>(file->buffer->read(buffer, size, offset));
    } else if (file->streamed) {
      result = static_cast<long>(file->streamed->read(buffer, size, offset));
    } else {
      return -EBADF;
    }
    return 0;
  });
  return status < 0 ? status : result;
}

int FileSystem::cached_fd(std::uint64_t handle) const {
  auto file = files_.get(handle);
  return file && file->cached ? file->cached->fd() : -1;
}

long FileSystem::write(std::uint64_t handle, const char* data, std::size_t size, std::uint64_t offset) {
  long result = 0;
  auto target = files_.target(handle);
  int status = guarded(options_.log, "write " + (target ? target->name : std::string("?")), [&] {
    auto file = files_.get(handle);
    if (!file) return -EBADF;
    std::lock_guard lock(file->mutex);
    if (!file->buffer) return -EBADF;
    result = static_cast<long>(file->buffer->write(data, size, offset, file->append));
    file->written = true;
    file->size = file->buffer->size();
    return 0;
  });
  return status < 0 ? status : result;
}

int FileSystem::truncate(const std::string& path, std::uint64_t size, std::optional<std::uint64_t> handle) {
  if (handle) {
    if (auto file = files_.get(*handle); file && file->writer()) {
      return guarded(options_.log, "truncate " + path, [&] {
        std::lock_guard lock(file->mutex);
        file->buffer->truncate(size);
        file->written = true;
        file->size = size;
        return 0;
      });
    }
  }
  // truncate(2) of a path: open, truncate, store, close.
  std::uint64_t temporary = 0;
  int status = open(path, O_WRONLY | (size == 0 ? O_TRUNC : 0), temporary);
  if (status < 0) return status;
  status = guarded(options_.log, "truncate " + path, [&] {
    auto file = files_.get(temporary);
    std::lock_guard lock(file->mutex);
    file->buffer->truncate(size);
    file->written = true;
    file->size = size;
    return 0;
  });
  if (status == 0) status = flush(temporary);
  int released = release(temporary);
  return status < 0 ? status : released;
}

// ---- Storing ---------------------------------------------------------------

Version FileSystem::store_file(const std::string& name, const fs::path& file, Version replaces,
                               bool link_into_cache) {
  const Version now = static_cast<Version>(std::time(nullptr));
  // "now", but always above the version replaced: a store keeps a newer
  // version it has (a clock ahead of ours: the write would be lost), and an
  // equal one may be overwritten in place (the deployed servers do), after
  // which caches holding the old content under that versioned name would
  // never see the new one. Two writes in one second thus store now and
  // now + 1 (Overlay shows the file until listings catch up).
  Version version = std::max(now, replaces + 1);
  auto lease = pool_.acquire();
  for (int attempt = 0;; ++attempt) {
    // With the version as mtime the cache links the file instead of copying it.
    if (link_into_cache) set_mtime(file, version);
    std::string stored = lease->put_file(versioned_name(name, version), file);
    Version stored_version = split_name(stored).version.value_or(version);
    if (stored_version >= version || attempt > 0) {
      uploads_.fetch_add(1);
      return stored_version;
    }
    // The store kept a newer version it had (someone wrote after our
    // lookup, with a clock ahead of ours): the cache now holds our content
    // under that version's name, which is wrong; drop it and go above.
    if (DataStore* cache = lease->local_store(); cache && lease->remote_store()) {
      try {
        cache->delete_file(stored);
      } catch (const Error&) {
        // Not there or already replaced: nothing to undo.
      }
    }
    version = stored_version + 1;
  }
}

void FileSystem::upload(OpenFile& file, const std::string& name) {
  const std::uint64_t size = file.buffer->size();
  Version stored = store_file(name, file.buffer->path(), file.version.value_or(0), true);
  file.buffer->set_dirty(false);
  file.buffer->mark_shared();
  file.version = stored;
  overlay_.file_stored(name, FileAttributes{stored, size});
  changed(name);
}

void FileSystem::keep_directory_of(const std::string& name) {
  // The directory may have held only this file: it stays, empty, as on any
  // file system (rm -r and mv remove it with rmdir afterwards).
  if (std::string parent = parent_directory(name); parent != "/") overlay_.add_directory(parent);
}

void FileSystem::changed(const std::string& name) {
  // A stored or deleted file can make its directories appear or vanish.
  for (const auto& dir : ancestors_of(name)) directories_.invalidate(dir);
}

int FileSystem::flush_locked(std::uint64_t handle, OpenFile& file, const char* why) {
  if (!file.buffer || !file.buffer->dirty()) return 0;
  auto target = files_.target(handle);
  if (!target || target->unlinked) return 0;  // deleted or replaced while open: nothing to store
  try {
    upload(file, target->name);
    return 0;
  } catch (...) {
    ErrnoMapping m = map_exception(std::current_exception());
    log(target->name + ": " + why + ": not stored: " + m.message);
    // The caller of close()/fsync() learns it; the data stays for a retry.
    return -EIO;
  }
}

int FileSystem::flush(std::uint64_t handle) {
  auto file = files_.get(handle);
  if (!file) return -EBADF;
  std::lock_guard lock(file->mutex);
  // A shell's `> file` opens, dup2()s and closes the first descriptor
  // before anything is written: storing the still empty file there would
  // show readers an empty version. Nothing written yet: release stores it.
  if (!file->written) return 0;
  return flush_locked(handle, *file, "close");
}

int FileSystem::fsync(std::uint64_t handle) {
  auto file = files_.get(handle);
  if (!file) return -EBADF;
  std::lock_guard lock(file->mutex);
  if (!file->buffer) return 0;
  return flush_locked(handle, *file, "fsync");
}

int FileSystem::release(std::uint64_t handle) {
  auto file = files_.get(handle);
  if (!file) return -EBADF;
  int status = 0;
  {
    std::lock_guard lock(file->mutex);
    if (file->buffer && file->buffer->dirty()) {
      status = flush_locked(handle, *file, "release");
      if (status < 0) {
        if (auto target = files_.target(handle))
          log(target->name + ": the data written through the mount is lost (the upload failed at close and at release)");
      }
    }
  }
  files_.remove(handle);
  return status;
}

// ---- Names -----------------------------------------------------------------

int FileSystem::unlink(const std::string& path) {
  return guarded(options_.log, "unlink " + path, [&] {
    if (options_.read_only) return -EROFS;
    auto parsed = parse_mount_path(path);
    if (!parsed) return -ENOENT;
    if (parsed->is_root()) return -EISDIR;
    Node node = lookup(*parsed);
    if (node.kind == Node::None) return -ENOENT;
    if (node.kind == Node::Directory) return -EISDIR;
    int writers = parsed->version ? 0 : files_.unlink_writers(parsed->name);
    if (node.in_store) {
      try {
        auto lease = pool_.acquire();
        // NAME@VERSION: only if the stored version is not newer.
        lease->delete_file(parsed->store_name());
      } catch (const Error& e) {
        if (e.code() != ErrorCode::NotFound || writers == 0) throw;
      }
    }
    overlay_.file_removed(parsed->name);
    keep_directory_of(parsed->name);
    {
      std::lock_guard lock(versions_mutex_);
      for (auto it = versions_.lower_bound(parsed->name + "@");
           it != versions_.end() && it->first.compare(0, parsed->name.size() + 1, parsed->name + "@") == 0;)
        it = versions_.erase(it);
    }
    changed(parsed->name);
    return 0;
  });
}

int FileSystem::rename(const std::string& from, const std::string& to, unsigned flags) {
  return guarded(options_.log, "rename " + from, [&] {
    if (options_.read_only) return -EROFS;
    if (flags & ~static_cast<unsigned>(RENAME_NOREPLACE)) return -EINVAL;  // RENAME_EXCHANGE, RENAME_WHITEOUT
    auto source = parse_mount_path(from);
    if (!source) return -ENOENT;
    auto target = parse_mount_path(to);
    if (!target || target->version) return -EINVAL;
    if (source->is_root() || target->is_root()) return -EBUSY;
    if (source->store_name() == target->store_name()) return 0;
    Node src = lookup(*source);
    if (src.kind == Node::None) return -ENOENT;
    Node dst = lookup(*target);
    if (dst.kind != Node::None && (flags & RENAME_NOREPLACE)) return -EEXIST;
    Node parent = lookup(MountPath{parent_directory(target->name), std::nullopt});
    if (parent.kind == Node::None) return -ENOENT;
    if (parent.kind == Node::File) return -ENOTDIR;

    if (src.kind == Node::Directory) {
      if (dst.kind == Node::File) return -ENOTDIR;
      if (target->name.compare(0, source->name.size() + 1, source->name + "/") == 0) return -EINVAL;
      if (!valid_directory_name(target->name)) return -EINVAL;
      // Only a tree of made (empty) directories moves here; one with files
      // in the store would be a copy of every file: mv does that itself on
      // EXDEV, with its own progress and error handling.
      std::shared_ptr<const DirectoryListing> listing = directories_.get(source->name);
      bool store_has_files = listing && (!listing->files.empty() || !listing->directories.empty());
      if (store_has_files || !files_.writer_names_below(source->name).empty()) return -EXDEV;
      if (dst.kind == Node::Directory) {
        std::shared_ptr<const DirectoryListing> existing = directories_.get(target->name);
        if ((existing && (!existing->files.empty() || !existing->directories.empty())) ||
            overlay_.has_children(target->name))
          return -ENOTEMPTY;
        overlay_.remove_directory(target->name);
      }
      if (!overlay_.move_directories(source->name, target->name)) return -EXDEV;
      return 0;
    }

    if (dst.kind == Node::Directory) return -EISDIR;
    // Writers of the old target write to a file that is being replaced:
    // they must not store over the renamed one.
    files_.unlink_writers(target->name);
    if (!source->version) files_.retarget_writers(source->name, target->name);
    if (src.in_store) {
      // Not atomic: upload under the new name, then delete the old one.
      const std::string versioned = versioned_name(source->name, src.attributes.version);
      fs::path copy = temp_.unique_path("rename");
      struct Remove {
        fs::path path;
        ~Remove() { ::unlink(path.c_str()); }
      } remove_copy{copy};
      {
        auto lease = pool_.acquire();
        GetOptions get;
        get.add_to_cache = !should_stream(versioned, src.attributes.size);
        lease->get_file(versioned, copy, get);
      }
      // The copy may be the cache's own inode (a hard link): never change
      // its mtime, let the cache copy it under the new name.
      Version stored = store_file(target->name, copy, dst.in_store ? dst.attributes.version : 0, false);
      overlay_.file_stored(target->name, FileAttributes{stored, src.attributes.size});
      try {
        auto lease = pool_.acquire();
        lease->delete_file(versioned);  // only if nobody stored a newer one meanwhile
      } catch (const Error& e) {
        if (e.code() != ErrorCode::NotFound) throw;
      }
    }
    overlay_.file_removed(source->name);
    keep_directory_of(source->name);
    changed(source->name);
    changed(target->name);
    return 0;
  });
}

int FileSystem::mkdir(const std::string& path) {
  return guarded(options_.log, "mkdir " + path, [&] {
    if (options_.read_only) return -EROFS;
    auto parsed = parse_mount_path(path);
    if (!parsed || parsed->version || !valid_directory_name(parsed->name)) return -EINVAL;
    if (parsed->is_root()) return -EEXIST;
    if (lookup(*parsed).kind != Node::None) return -EEXIST;
    Node parent = lookup(MountPath{parent_directory(parsed->name), std::nullopt});
    if (parent.kind == Node::None) return -ENOENT;
    if (parent.kind == Node::File) return -ENOTDIR;
    overlay_.add_directory(parsed->name);
    return 0;
  });
}

int FileSystem::rmdir(const std::string& path) {
  return guarded(options_.log, "rmdir " + path, [&] {
    if (options_.read_only) return -EROFS;
    auto parsed = parse_mount_path(path);
    if (!parsed) return -ENOENT;
    if (parsed->is_root()) return -EBUSY;
    Node node = lookup(*parsed);
    if (node.kind == Node::None) return -ENOENT;
    if (node.kind == Node::File) return -ENOTDIR;
    std::shared_ptr<const DirectoryListing> listing = directories_.get(parsed->name);
    if ((listing && (!listing->files.empty() || !listing->directories.empty())) || overlay_.has_children(parsed->name) ||
        !files_.writer_names_below(parsed->name).empty())
      return -ENOTEMPTY;
    overlay_.remove_directory(parsed->name);
    return 0;
  });
}

int FileSystem::chmod(const std::string& path, mode_t mode) {
  return guarded(options_.log, "chmod " + path, [&] {
    auto parsed = parse_mount_path(path);
    if (!parsed) return -ENOENT;
    Node node = lookup(*parsed);
    if (node.kind == Node::None) return -ENOENT;
    struct stat st {};
    fill_stat(node, st);
    // The store keeps no modes: only "no change" succeeds (cp -p, rsync).
    return (mode & 07777) == (st.st_mode & 07777) ? 0 : -EPERM;
  });
}

int FileSystem::chown(const std::string& path, uid_t uid, gid_t gid) {
  return guarded(options_.log, "chown " + path, [&] {
    auto parsed = parse_mount_path(path);
    if (!parsed) return -ENOENT;
    if (lookup(*parsed).kind == Node::None) return -ENOENT;
    bool same_uid = uid == static_cast<uid_t>(-1) || uid == uid_;
    bool same_gid = gid == static_cast<gid_t>(-1) || gid == gid_;
    return same_uid && same_gid ? 0 : -EPERM;
  });
}

int FileSystem::utimens(const std::string& path, const struct timespec times[2], std::optional<std::uint64_t> handle) {
  return guarded(options_.log, "utimens " + path, [&] {
    if (handle) {
      if (auto file = files_.get(*handle); file && file->writer()) return 0;
    }
    auto parsed = parse_mount_path(path);
    if (!parsed) return -ENOENT;
    Node node = lookup(*parsed);
    if (node.kind == Node::None) return -ENOENT;
    if (!parsed->version && !files_.writers_of(parsed->name).empty()) return 0;  // the version comes at store
    bool to_now = times == nullptr || (times[0].tv_nsec == UTIME_NOW && times[1].tv_nsec == UTIME_NOW) ||
                  (times[0].tv_nsec == UTIME_OMIT && times[1].tv_nsec == UTIME_OMIT);
    if (node.kind == Node::Directory) return 0;
    return to_now ? 0 : -EPERM;
  });
}

int FileSystem::statfs(struct statvfs& out) {
  return guarded(options_.log, "statfs", [&] {
    if (::statvfs(temp_.path().c_str(), &out) != 0) throw_errno(temp_.path().string() + ": statvfs");
    out.f_namemax = 255;
    out.f_flag = options_.read_only ? ST_RDONLY : 0;
    return 0;
  });
}

int FileSystem::shutdown() {
  int dropped = 0;
  for (auto& [target, file] : files_.take_all()) {
    std::lock_guard lock(file->mutex);
    if (file->buffer && file->buffer->dirty() && !target.unlinked) {
      log(target.name + ": not stored: the mount ended while the file was still open for writing");
      ++dropped;
    }
  }
  return dropped;
}

FileSystem::Stats FileSystem::stats() const {
  Stats s;
  s.listings = directories_.source_calls();
  s.fetches = fetcher_.fetch_count();
  s.uploads = uploads_.load();
  s.open_files = files_.size();
  return s;
}

}  // namespace ft::mount
