// What the local cache knows about one cached file, to notice when the file
// was changed after it was cached, and how it judges a file against it.
//
// A cached file is served by hard-linking it, so its inode is shared with
// output files that judges' sandboxes do write, and a person can edit it and
// set its mtime (the version) back. Two things guard it:
//
// 1. The seal, checked on every read at the cost of the fstat the read does
//    anyway: the cache sets the nanoseconds of a cached file's mtime to
//    cache_seal(inode, size, version) (the version is the whole seconds, as
//    before, so every reader, the deployed Python client too, still sees the
//    same version). Any write moves the mtime to the time of the write;
//    setting the version back by hand (touch -d @VERSION, utime(V, V)) gives
//    whole seconds; a change of size changes the seal; a copy of the cache
//    to another disk changes the inodes. Each of those breaks the seal.
// 2. The record, read only when the seal is broken:
//      <cache_dir>/meta/<name>   one line, fixed width (see format()):
//      FTCACHE2 <sha256> <size> <mtime s.ns> <inode> <ctime s.ns> <crc32>
//    The file is then hashed and compared: the same content (a benign
//    touch, a copied cache) is sealed again; other content is damage. A file
//    without a (matching) record (an older cache, one the deployed client
//    wrote) is hashed when first read, recorded and sealed: trust on first
//    use, so existing caches keep working.
//
// Why not "verify when the ctime moved" on the fast path: link(2) and
// unlink(2) move the inode's ctime, and serving a cached file IS making a
// link (and judges delete their outputs), so the ctime moves on almost every
// read; keeping a witness of it up to date costs a metadata write per read,
// measured at about 0.8 of the cached get's speed target. What the seal
// cannot see: an edit that keeps the size AND puts back the exact mtime,
// nanoseconds included (touch -r, a program restoring a saved timespec);
// `filetracker cache verify` reads every file and finds that too. The ctime
// is kept in the record to tell, in verify's report, that the inode changed.
//
// A side file, not an xattr on the cached file: an xattr is shared with
// every hard link, so the sandbox that can change the content could change
// its checksum too, while the side file lives in the cache's private (0700)
// directories; and tmpfs (before Linux 6.6) and some network file systems
// have no user xattrs. The deployed (Python) client ignores meta/.
#pragma once

#include <sys/stat.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ft {

// The nanoseconds (1..999999999) of the mtime of a sealed cached file.
long cache_seal(std::uint64_t inode, std::uint64_t size, std::int64_t version);
// Whether the file in state `st` carries its seal.
bool has_cache_seal(const struct stat& st);

struct CacheRecord {
  std::string sha256;  // of the content, lowercase hex
  std::uint64_t size = 0;
  std::int64_t mtime_sec = 0;
  std::int64_t mtime_nsec = 0;
  std::uint64_t inode = 0;
  std::int64_t ctime_sec = 0;
  std::int64_t ctime_nsec = 0;
  bool operator==(const CacheRecord&) const = default;

  // The record of a file in state `st` with content `sha256`.
  static CacheRecord of(const struct stat& st, std::string sha256);

  // One line of kFormattedSize bytes, ending in '\n', with a CRC-32 of the
  // rest (a torn or hand-edited record is never taken for one).
  std::string format() const;
  // nullopt for anything that is not a whole, intact record.
  static std::optional<CacheRecord> parse(std::string_view text);
  static constexpr std::size_t kFormattedSize = 187;
};

enum class CacheVerdict {
  Intact,      // sealed: serve it without reading it
  Unrecorded,  // no record for this inode (or given a new version in place): hash, record and seal it
  Suspect,     // the seal is broken but size and version match the record: hash and compare
  Damaged,     // written to after caching (size or mtime moved off the record)
};

// Pure: what `st` says about the file `record` describes.
CacheVerdict judge_cached_file(const std::optional<CacheRecord>& record, const struct stat& st);

}  // namespace ft
