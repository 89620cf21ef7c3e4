// `filetracker-server --migrate-storage --from SOURCE --to TARGET`: copies
// every file of one store into another, keeping its version, between a
// local data directory and the shared engines (PostgreSQL index + S3 blobs),
// either way. A store is named
//
//   local:DIR                         a data directory (DIR/index.sqlite3 + DIR/blobs)
//   postgresql://...+s3://...          the shared engines: the --index URL and the
//                                      --blobs URL joined by '+'
//   shared                            the engines given by --index and --blobs
//
// The source is only read: a local one under a shared lock on DIR/lock (no
// server may run on it; nothing is created there), a shared one through
// queries and GETs. Every blob is decompressed on the way and must give the
// SHA-256 and logical size its record names, else that file is not copied
// (a problem line). The target is written through the storage engine, so a
// file lands exactly like a PUT of it with its version: blob first, then
// its index row in one transaction; blobs are shared by content.
//
// Resumable: a file the target already holds with the same version and
// content is skipped before its blob is read, so a re-run after a kill
// copies only what no committed transaction holds (the report's `copied`
// plus `already_there` is the number of source files). A target version
// newer than the source's (or other content under the same version) is
// left alone and counted in `kept_newer`.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "filetracker/server/import.hpp"

namespace ft::server {

struct StorageLocation {
  std::filesystem::path local_dir;  // set: a local data directory
  std::string index_url;            // else: postgresql://...
  std::string blobs_spec;           // and s3://...
  bool local() const { return !local_dir.empty(); }
  // For messages: "local:DIR" or the index URL + blobs URL.
  std::string describe() const;
};
// Parses a --from/--to value (see above); `shared_index`/`shared_blobs`
// are --index and --blobs, for "shared". Throws Error(InvalidArgument).
StorageLocation parse_storage_location(std::string_view spec, const std::string& shared_index,
                                       const std::string& shared_blobs);

struct MigrateReport {
  std::size_t files = 0;          // current files in the source
  std::size_t copied = 0;         // stored in the target by this run
  std::size_t already_there = 0;  // the target had the same version and content
  std::size_t kept_newer = 0;     // the target has a newer version (or other content for the same): left alone
  std::uint64_t bytes = 0;        // logical bytes of the copied files
  std::size_t kept_versions_not_copied = 0;  // version history rows of the source (not migrated)
  std::vector<std::string> problems;  // one line each: "NAME: reason" (missing or damaged blobs)
  double seconds = 0;
};

// Copies `from` into `to` (see above); `progress` is called a few times a
// second and once at the end (done = files handled). Throws Error when a
// store cannot be opened, or when the target fails (unreachable, full):
// what was committed stays, a re-run continues. The target keeps blobs of
// up to `inline_max_size` stored bytes inside its index (--inline-max-size).
MigrateReport migrate_storage(const StorageLocation& from, const StorageLocation& to,
                              const ImportProgressFn& progress, std::uint64_t inline_max_size, unsigned jobs = 4);

}  // namespace ft::server
