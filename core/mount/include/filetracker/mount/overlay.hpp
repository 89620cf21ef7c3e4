// What the mount knows better than the store's listing, for now:
//
// - Directories made with mkdir, and directories whose last file was
//   deleted or renamed away through the mount (as on any file system, rm
//   of the files leaves the directory, so `rm -r` and `mv` can rmdir it).
//   The store has no directories of its own (a directory exists while a
//   name below it does), so such an empty directory lives here until the
//   mount ends, it is removed, or a file stored below it makes it real.
// - Files just stored through the mount. A server lists only versions up
//   to its "now", and one that bumps a version to keep one content per
//   version (our server, for two writes in one second) may store a version
//   a second ahead; a listing made before that second passes would not
//   show the file the user has just closed. Such a file is shown from here
//   until a listing made at or after its version covers it.
//
// Thread-safe.
#pragma once

#include <ctime>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include "filetracker/mount/directory_source.hpp"

namespace ft::mount {

class Overlay {
 public:
  // mkdir: false when `name` is a made directory already.
  bool add_directory(const std::string& name);
  // rmdir of a made directory: false when it was not one.
  bool remove_directory(const std::string& name);
  // Moves made directories at and below `from` to `to` (rename of an
  // empty directory tree). Returns whether anything moved.
  bool move_directories(const std::string& from, const std::string& to);

  // An upload of `name` landed with these attributes: its directories are
  // real now (no longer made ones) and the file is shown until listed.
  void file_stored(const std::string& name, const FileAttributes& attributes);
  // `name` was deleted (or renamed away) through the mount.
  void file_removed(const std::string& name);

  // Whether `name` is a directory because of the overlay: made, above a
  // made one, or above a file stored through the mount.
  bool has_directory(const std::string& name) const;
  // Whether a made directory or a stored file lies below `name`.
  bool has_children(const std::string& name) const;
  // A file stored through the mount that `parent_listing` (the listing of
  // its directory, or nullptr when the store has no such directory) does
  // not cover yet. Entries the listing covers are forgotten.
  std::optional<FileAttributes> stored_file(const std::string& name, const DirectoryListing* parent_listing);
  // Adds the overlay's entries for `directory` to `listing` (made or
  // implied subdirectories, stored files not covered), forgetting what
  // `listing` covers. `listing` may be the store's listing or empty.
  void merge_into(const std::string& directory, DirectoryListing& listing, std::time_t store_listed_at);

 private:
  // Whether a listing made at `listed_at` must show a file stored with `version`.
  static bool covered(const FileAttributes& stored, std::time_t listed_at) { return stored.version <= listed_at; }

  mutable std::mutex mutex_;
  std::set<std::string> made_directories_;            // GUARDED_BY(mutex_)
  std::map<std::string, FileAttributes> stored_files_;  // GUARDED_BY(mutex_)
};

}  // namespace ft::mount
