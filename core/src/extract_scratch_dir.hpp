// The private directory `put --extract` unpacks the entry being stored into
// (TMPDIR/filetracker-extract-XXXXXX). The entry's file needs a name while
// it is stored (the cache hard-links it), so it cannot be unnamed; instead
// the directory is removed when the upload ends, and what a killed upload
// left (kill -9, a crash, a power cut) is removed by the next one.
//
// Telling a leftover from a directory in use: the owner holds an flock on
// the directory for as long as it lives, and the kernel drops it when the
// process dies whatever the way. A sweeper that gets the lock removes the
// directory while holding it; an owner that only got its lock after such a
// sweep (the moment between mkdtemp and flock) sees its directory gone and
// makes another.
#pragma once

#include <filesystem>

#include "filetracker/confined_dir.hpp"

namespace ft {

class ExtractScratchDir {
 public:
  // In `where` (empty: TMPDIR, else /tmp); sweeps the leftovers there
  // first. Throws Error(Io) when no directory can be made.
  explicit ExtractScratchDir(const std::filesystem::path& where);
  ~ExtractScratchDir();  // removes the directory and what is in it
  ExtractScratchDir(const ExtractScratchDir&) = delete;
  ExtractScratchDir& operator=(const ExtractScratchDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

  // Removes the filetracker-extract-* directories in `base` owned by this
  // user that no live process holds. Returns how many it removed.
  static int sweep(const std::filesystem::path& base);

 private:
  std::filesystem::path path_;
  UniqueFd lock_;  // the directory itself, flock(LOCK_EX) while it lives
};

}  // namespace ft
