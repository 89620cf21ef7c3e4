#include "filetracker/server/storage_backends.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include "filetracker/atomic_file.hpp"
#include "filetracker/error.hpp"

namespace fs = std::filesystem;

namespace ft::server {

OpenStorage::OpenStorage(const fs::path& dir, const StorageBackends& backends, HistoryPolicy history,
                         std::uint64_t inline_max_size) {
  if (backends.local()) {
    storage_ = std::make_unique<Storage>(dir, history, inline_max_size);
    return;
  }
  if (history.enabled())
    throw Error(ErrorCode::InvalidArgument,
                "--keep-versions/--keep-for need the local index: the PostgreSQL index keeps no version history yet");
  if (!backends.index_url.empty() && backends.index_url.rfind("postgresql://", 0) != 0 &&
      backends.index_url.rfind("postgres://", 0) != 0)
    throw Error(ErrorCode::InvalidArgument, "--index must be a postgresql:// URL: \"" + backends.index_url + "\"");
  if (!backends.blobs_spec.empty() && backends.blobs_spec.rfind("s3://", 0) != 0)
    throw Error(ErrorCode::InvalidArgument, "--blobs must be an s3:// URL: \"" + backends.blobs_spec + "\"");
  // S3 blobs are deleted only by the BlobReaper, which needs the shared
  // index's locks and unreferenced rows: without it they would never go.
  if (!backends.blobs_spec.empty() && backends.index_url.empty())
    throw Error(ErrorCode::InvalidArgument, "--blobs s3://... needs --index postgresql://... (the shared index)");
  make_directories_durable(dir);
  const fs::path lock = dir / "lock";
  lock_fd_ = ::open(lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (lock_fd_ < 0) throw_errno(lock.string() + ": cannot open the lock file");
  if (::flock(lock_fd_, LOCK_EX | LOCK_NB) != 0) {
    ::close(lock_fd_);
    lock_fd_ = -1;
    throw Error(ErrorCode::Io, dir.string() + ": another filetracker-server is using this directory");
  }
  try {
    std::unique_ptr<Index> index =
        backends.index_url.empty() ? make_sqlite_index(dir / "index.sqlite3") : make_postgresql_index(backends.index_url);
    std::unique_ptr<BlobStore> blobs;
    if (backends.blobs_spec.empty()) {
      blobs = make_local_blob_store(dir / "blobs");
    } else {
      S3Options s3;
      s3.spec = backends.blobs_spec;
      s3.spool_dir = dir / "spool";
      s3.cache_dir = dir / "blob-cache";
      s3.cache_bytes = backends.blob_cache_bytes;
      blobs = make_s3_blob_store(s3);
    }
    BlobReferences* refs = blob_references_of(*index);
    DeferredRemovals* removals = deferred_removals_of(*blobs);
    // Small blobs inside the PostgreSQL index (--inline-max-size), as in SQLite.
    storage_ = std::make_unique<Storage>(std::move(blobs), std::move(index), HistoryPolicy{}, inline_max_size);
    if (refs && removals) {
      // Often enough that a short grace (tests) is kept to; at most once a minute.
      auto period = std::chrono::duration_cast<std::chrono::milliseconds>(backends.blob_grace_period) / 4;
      period = std::clamp(period, std::chrono::milliseconds(100), std::chrono::milliseconds(60000));
      reaper_ = std::make_unique<BlobReaper>(*refs, *removals, backends.blob_grace_period, period);
    }
  } catch (...) {
    ::close(lock_fd_);
    lock_fd_ = -1;
    throw;
  }
}

OpenStorage::~OpenStorage() {
  reaper_.reset();
  storage_.reset();
  if (lock_fd_ >= 0) ::close(lock_fd_);
}

}  // namespace ft::server
