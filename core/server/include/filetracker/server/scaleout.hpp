// The scale-out engines: an Index in PostgreSQL and a BlobStore in an
// S3-compatible object store, shared by several stateless servers.
//
// Across servers, the index serialises every read-decide-write of one name
// (and of one blob's reference count) with PostgreSQL advisory transaction
// locks, so the storage's version rule holds without any lock in a server's
// memory; the write itself is one conditional upsert (a higher stored
// version is never replaced). Blobs are never deleted at once: a blob whose
// last reference went is deleted by the BlobReaper only after a grace period
// longer than any upload, under the same lock a PUT of that content takes.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "filetracker/server/blob_store.hpp"
#include "filetracker/server/index.hpp"

namespace ft::server {

// What the reaper needs of the index (implemented by the PostgreSQL index).
class BlobReferences {
 public:
  virtual ~BlobReferences() = default;
  // Blobs without a reference for longer than `grace` (oldest first, at most `limit`).
  virtual std::vector<std::string> unreferenced_blobs(std::chrono::seconds grace, std::size_t limit) = 0;
  // Under the blob's lock (the one a PUT of that content takes to decide
  // whether to upload it): when it still has no reference (no row, or a row
  // with 0 refs for longer than `grace`), runs remove_object() and forgets
  // the row; the lock is held until remove_object() returned. True: removed.
  // REQUIRES: the caller knows the blob unreferenced for `grace` already
  // when it has no row (a candidate noted that long ago).
  virtual bool reap(const std::string& sha256, std::chrono::seconds grace,
                    const std::function<void()>& remove_object) = 0;
};

// What the reaper needs of the blob store (implemented by the S3 store,
// whose remove() only notes a candidate: deleting at once could delete
// content another server is about to refer to).
class DeferredRemovals {
 public:
  virtual ~DeferredRemovals() = default;
  // Candidates noted by remove() at least `grace` ago (taken: each once).
  virtual std::vector<std::string> due(std::chrono::seconds grace) = 0;
  // Deletes the object now. Throws Error (BackendUnavailable).
  virtual void remove_now(const std::string& sha256) = 0;
};

// A write transaction of an index shared by several servers: the storage
// calls lock_batch() once, first, with every name the batch will read (its
// names and their parents) and the blobs it will store; the index takes its
// locks there, in one global order, so two servers' batches never deadlock.
class BatchLocking {
 public:
  virtual ~BatchLocking() = default;
  virtual void lock_batch(const std::vector<std::string>& names, const std::vector<std::string>& blobs) = 0;
};

// "postgresql://user@host:port/db[?...][&schema=NAME]" (libpq's URL; schema=
// is ours: the tables live in that schema, created when missing). Creates
// the tables when missing. Throws Error (BackendUnavailable when the server
// cannot be reached).
std::unique_ptr<Index> make_postgresql_index(const std::string& url);
// The same index's reference view for a BlobReaper (nullptr for other indexes).
BlobReferences* blob_references_of(Index& index);

struct S3Options {
  std::string spec;                         // s3://BUCKET[/PREFIX]?endpoint=URL&region=R
  std::filesystem::path spool_dir;          // uploads are written here first
  std::filesystem::path cache_dir;          // hot blobs read from S3
  std::uint64_t cache_bytes = 1ull << 30;   // 0: no cache (every read is a GET)
  std::uint64_t multipart_threshold = 64ull << 20;
  std::uint64_t part_size = 16ull << 20;    // >= 5 MiB
};
// Credentials from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY. Checks that
// the bucket answers. Throws Error(InvalidArgument) for a bad spec,
// BackendUnavailable when it cannot be reached.
std::unique_ptr<BlobStore> make_s3_blob_store(const S3Options& options);
// The S3 store's deferred removals (nullptr for other stores).
DeferredRemovals* deferred_removals_of(BlobStore& blobs);

// Deletes blobs that lost their last reference, after `grace`, on its own
// thread: every `period` it asks the index for such blobs (and takes the
// blob store's orphans: objects no row refers to, older than grace) and
// reaps each under its lock.
class BlobReaper {
 public:
  BlobReaper(BlobReferences& refs, DeferredRemovals& blobs, std::chrono::seconds grace,
             std::chrono::milliseconds period);
  ~BlobReaper();
  BlobReaper(const BlobReaper&) = delete;
  BlobReaper& operator=(const BlobReaper&) = delete;
  std::uint64_t reaped() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace ft::server
