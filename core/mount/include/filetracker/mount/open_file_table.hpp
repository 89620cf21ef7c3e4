// The files open through the mount, by the handle number the kernel gives
// back with every read, write, flush and release.
//
// An open file reads from one of: the cached content of a version, a
// stream (files too big for the cache), or its own write buffer (a file
// opened for writing, which lives in a private temp file until it is
// uploaded). Writers are also indexed by the name they will be stored
// under, so a lookup sees a file being written before it reaches the
// store, unlink and rename can tell the writers about it, and a rename
// retargets them.
//
// Thread-safe. An OpenFile's own fields are guarded by its mutex, except
// `size` (atomic), `created` (set before it is added), and the target name
// and `unlinked`, which the table guards (rename and unlink change them).
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "filetracker/mount/content.hpp"
#include "filetracker/mount/write_buffer.hpp"
#include "filetracker/name.hpp"

namespace ft::mount {

struct OpenFile {
  std::mutex mutex;
  std::optional<Version> version;  // the version read; for a writer, the one it replaces (0: new)
  bool append = false;             // O_APPEND
  Version created = 0;             // a writer's mtime until it is stored
  bool written = false;            // write/truncate since open (not just O_TRUNC/create)
  // A writer's current size, for lookups that must not wait for the mutex
  // (held for the whole of an upload).
  std::atomic<std::uint64_t> size{0};
  std::shared_ptr<CachedContent> cached;
  std::unique_ptr<StreamedContent> streamed;
  std::unique_ptr<WriteBuffer> buffer;  // writers only
  bool writer() const { return buffer != nullptr; }
};

class OpenFileTable {
 public:
  // Registers `file` (a writer when it has a buffer) under `name`; returns its handle (never 0).
  std::uint64_t add(std::shared_ptr<OpenFile> file, const std::string& name);
  std::shared_ptr<OpenFile> get(std::uint64_t handle) const;
  // Removes and returns the file (nullptr for an unknown handle).
  std::shared_ptr<OpenFile> remove(std::uint64_t handle);

  // The name a writer will be stored under; whether it was unlinked (or
  // replaced by a rename) since, so must never be stored.
  struct Target {
    std::string name;
    bool unlinked = false;
  };
  std::optional<Target> target(std::uint64_t handle) const;

  // Writers that will store `name` (not unlinked), newest first.
  std::vector<std::shared_ptr<OpenFile>> writers_of(const std::string& name) const;
  // Names of such writers strictly below `directory`.
  std::vector<std::string> writer_names_below(const std::string& directory) const;
  // Marks the writers of `name` unlinked; returns how many there were.
  int unlink_writers(const std::string& name);
  // The writers of `from` will store `to` instead.
  void retarget_writers(const std::string& from, const std::string& to);

  // Every open file, handle and target, for the end of the mount.
  std::vector<std::pair<Target, std::shared_ptr<OpenFile>>> take_all();
  std::size_t size() const;

 private:
  struct Entry {
    std::shared_ptr<OpenFile> file;
    Target target;
  };
  mutable std::mutex mutex_;
  std::uint64_t next_handle_ = 1;                          // GUARDED_BY(mutex_)
  std::map<std::uint64_t, Entry> files_;                   // GUARDED_BY(mutex_)
  std::multimap<std::string, std::uint64_t> writers_;      // GUARDED_BY(mutex_): live writers by target name
};

}  // namespace ft::mount
