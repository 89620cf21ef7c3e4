// Where blob contents live: gzip-compressed, addressed by the SHA-256 of the
// uncompressed content. Local files now ("blobs/<2 hex>/<sha256>"); an
// S3-compatible object store is planned behind the same interface.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "filetracker/env.hpp"

namespace ft::server {

// Runs fn(0), ..., fn(n - 1), possibly concurrently, and returns when all
// have finished (rethrowing the first failure).
using ParallelFor = std::function<void(std::size_t n, const std::function<void(std::size_t)>& fn)>;

// A blob being written. Invisible until BlobStore::adopt() names it.
// Destroying an upload that was not adopted discards it.
class BlobUpload {
 public:
  virtual ~BlobUpload() = default;
  // Appends gzip bytes. Throws Error(Io).
  virtual void write(std::string_view gzip_bytes) = 0;
  // Makes the written bytes durable (fsync). The storage's writer calls it
  // for a whole batch of uploads at once, from several threads, so the
  // file system can commit them together. Throws Error(Io).
  virtual void make_durable() = 0;
  virtual std::uint64_t bytes_written() const = 0;
};

// An open blob for reading: a file descriptor the caller owns (closes).
struct OpenBlob {
  int fd = -1;
  std::uint64_t stored_size = 0;  // compressed size
};

class BlobStore {
 public:
  virtual ~BlobStore() = default;

  virtual std::unique_ptr<BlobUpload> begin_upload() = 0;
  // Makes a finished upload the blob `sha256` (replacing any file there).
  // Only the storage's single writer calls this (from its pool of threads
  // when concurrent_adopt()). Throws Error(Io).
  virtual void adopt(BlobUpload& upload, const std::string& sha256) = 0;
  // True when adopt() may run on several threads at once for different
  // blobs: a remote store, where each adopt is a request whose latency
  // dominates. The storage then adopts a batch's new blobs concurrently
  // (still before its index commit). Local renames stay one at a time.
  virtual bool concurrent_adopt() const { return false; }
  // Makes every adopt() and remove() so far durable. `parallel_for`, when
  // given, runs independent fsyncs concurrently. Throws Error(Io).
  virtual void sync(const ParallelFor& parallel_for = {}) = 0;
  // Removes a blob; a missing blob is not an error.
  virtual void remove(const std::string& sha256) noexcept = 0;
  // nullopt when there is no such blob.
  virtual std::optional<OpenBlob> open(const std::string& sha256) = 0;
  // Every stored blob key (for clean-up and checks). Never called on hot paths.
  virtual void for_each_blob(const std::function<void(const std::string& sha256)>& visit) = 0;
  // The blob keys that start with `prefix` (two hex digits): one 256th of
  // the store, for work done in steps. The default filters for_each_blob.
  virtual void for_each_blob_with_prefix(std::string_view prefix,
                                         const std::function<void(const std::string& sha256)>& visit) {
    for_each_blob([&](const std::string& sha256) {
      if (sha256.compare(0, prefix.size(), prefix) == 0) visit(sha256);
    });
  }
  // For GET /health: throws (one line) when the store cannot take an upload
  // or its backing service does not answer. The default creates (and drops)
  // an upload.
  virtual void probe() { (void)begin_upload(); }
  // Number of leftover temporary uploads (interrupted writes).
  virtual std::size_t count_temporaries() = 0;
  // Removes leftover temporary uploads. Call only when no upload is running.
  virtual std::size_t remove_temporaries() = 0;
};

// Blobs as files under `root` ("<root>/<2 hex>/<sha256>", temporaries in
// "<root>/tmp"). Creates the directories. Every change to the files goes
// through `env` (the power-loss tests pass a fault-injecting one).
std::unique_ptr<BlobStore> make_local_blob_store(const std::filesystem::path& root, Env* env = Env::Default());

}  // namespace ft::server
