// Which engines a server's Storage runs on: the local ones (SQLite index
// and blob files in the data directory, the default) or the shared ones
// (--index postgresql://..., --blobs s3://...), in any combination.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "filetracker/server/scaleout.hpp"
#include "filetracker/server/storage.hpp"

namespace ft::server {

struct StorageBackends {
  std::string index_url;   // "": DIR/index.sqlite3; else postgresql://...
  std::string blobs_spec;  // "": DIR/blobs; else s3://BUCKET[/PREFIX]?endpoint=URL&region=R
  std::uint64_t blob_cache_bytes = 1ull << 30;      // hot S3 blobs kept in DIR/blob-cache (0: none)
  std::chrono::seconds blob_grace_period{3600};     // before an unreferenced shared blob is deleted
  bool local() const { return index_url.empty() && blobs_spec.empty(); }
};

// A Storage over the chosen engines, with what it needs around it: the
// data directory's lock (one server per directory; with shared engines the
// directory holds only this server's spool and cache) and, for S3 blobs with
// the PostgreSQL index, the BlobReaper. Throws Error.
class OpenStorage {
 public:
  // `history` needs the local index (the PostgreSQL index keeps no history
  // yet: refused with InvalidArgument rather than failing every PUT).
  OpenStorage(const std::filesystem::path& dir, const StorageBackends& backends, HistoryPolicy history = {},
              std::uint64_t inline_max_size = Storage::kDefaultInlineMaxSize);
  ~OpenStorage();
  OpenStorage(const OpenStorage&) = delete;
  OpenStorage& operator=(const OpenStorage&) = delete;
  Storage& storage() { return *storage_; }

 private:
  int lock_fd_ = -1;
  std::unique_ptr<Storage> storage_;
  std::unique_ptr<BlobReaper> reaper_;  // destroyed first: it uses the storage's engines
};

}  // namespace ft::server
