// Moving a deployment's files into our data directory without sending them
// over HTTP again.
//
//   import_upstream  the deployed Python server's data directory (layout v2:
//                    links/<name> symbolic links whose mtime is the version,
//                    pointing at blobs/<2 hex>/<sha256>, gzip of the content).
//                    Each blob is hard-linked (reflinked or copied when the
//                    directories are on different file systems), never
//                    recompressed; it is checked to decompress to the SHA-256
//                    it is named by, and the logical size is taken from that
//                    decompression (its BerkeleyDB db/ is not read: all it
//                    holds, reference counts and sizes, is recomputed).
//   import_tree      a plain directory of files (a v1 store, a copy of a
//                    cache): name = path below the directory, version = mtime.
//
// Both only read the source (the hard links add a link to each blob's
// inode, nothing more), hold the data directory's lock like a server, and
// commit in batches: an interrupted import keeps what it committed, and
// running it again continues where it stopped (names already stored with
// that version and content are skipped without reading their blob; a run
// over an imported directory changes nothing). A stored version newer than
// the source's is kept. Problems (broken links, bad blobs, invalid names)
// are reported, one line each, and never stop the import.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace ft::server {

struct ImportProgress {
  std::size_t done = 0;    // source entries handled so far
  std::size_t total = 0;   // source entries found by the scan
  std::uint64_t bytes = 0; // logical bytes of the files imported so far
  double seconds = 0;      // since the import started (after the scan)
};
// Called at most a few times a second, and once at the end.
using ImportProgressFn = std::function<void(const ImportProgress&)>;

struct ImportReport {
  std::size_t entries = 0;       // links (or files) found in the source
  std::size_t imported = 0;      // names stored by this run
  std::size_t unchanged = 0;     // already stored with this version and content
  std::size_t kept_newer = 0;    // our store has a newer version (or other content for the same one): left alone
  std::uint64_t bytes = 0;       // logical bytes of the names imported by this run
  std::size_t blobs_linked = 0;  // blobs hard-linked from the source
  std::size_t blobs_copied = 0;  // blobs reflinked or copied (another file system, or linking refused)
  std::size_t blobs_written = 0; // blobs compressed from plain files (import_tree)
  // One line each: "NAME: reason".
  std::vector<std::string> broken_links;  // a link whose blob is missing, or that is not a link to a blob
  std::vector<std::string> bad_blobs;     // a blob that does not decompress to its SHA-256 (every name using it)
  std::vector<std::string> skipped;       // invalid names, name clashes, unreadable files
  double seconds = 0;
  bool has_problems() const { return !broken_links.empty() || !bad_blobs.empty() || !skipped.empty(); }
};

// REQUIRES: no server runs on `data_dir` (its lock is taken; Error(Io) otherwise).
// Throws Error(Io) when the source cannot be read at all (no links/ directory)
// or the data directory cannot be written.
ImportReport import_upstream(const std::filesystem::path& data_dir, const std::filesystem::path& upstream_dir,
                             const ImportProgressFn& progress = {});
ImportReport import_tree(const std::filesystem::path& data_dir, const std::filesystem::path& tree,
                         const ImportProgressFn& progress = {}, int gzip_level = 6);

}  // namespace ft::server
