#include "filetracker/server/migrate_storage.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>

#include "filetracker/checksum.hpp"
#include "filetracker/error.hpp"
#include "filetracker/gzip.hpp"
#include "filetracker/protocol.hpp"
#include "filetracker/server/scaleout.hpp"
#include "filetracker/server/storage.hpp"
#include "scratch_dir.hpp"

namespace fs = std::filesystem;

namespace ft::server {
namespace {

constexpr std::string_view kLocal = "local:";
constexpr std::string_view kShared = "shared";
constexpr std::string_view kBlobsJoin = "+s3://";

// The source's stored (gzip) form of one blob: inline bytes or an fd.
struct SourceBlob {
  std::optional<std::string> bytes;
  int fd = -1;  // owned
  SourceBlob() = default;
  SourceBlob(SourceBlob&& other) noexcept : bytes(std::move(other.bytes)), fd(std::exchange(other.fd, -1)) {}
  SourceBlob(const SourceBlob&) = delete;
  SourceBlob& operator=(const SourceBlob&) = delete;
  SourceBlob& operator=(SourceBlob&&) = delete;
  ~SourceBlob() {
    if (fd >= 0) ::close(fd);
  }
};

// What is read from: an index and its blobs, never written. A local source
// is opened without creating anything (its blob files are opened directly,
// not through a blob store, which would make its tmp/).
class Source {
 public:
  Source(const StorageLocation& where, const fs::path& scratch) {
    if (where.local()) {
      dir_ = where.local_dir;
      const fs::path index_file = dir_ / "index.sqlite3";
      if (!fs::exists(index_file))
        throw Error(ErrorCode::InvalidArgument, dir_.string() + ": not a filetracker data directory (no index.sqlite3)");
      lock_fd_ = ::open((dir_ / "lock").c_str(), O_RDONLY | O_CLOEXEC);
      if (lock_fd_ >= 0 && ::flock(lock_fd_, LOCK_SH | LOCK_NB) != 0) {
        const int err = errno;
        ::close(lock_fd_);
        lock_fd_ = -1;
        if (err == EWOULDBLOCK)
          throw DirectoryInUse(dir_.string() + ": a filetracker-server is running on this directory; stop it before "
                               "--migrate-storage (its writes would be missed)");
        throw_errno((dir_ / "lock").string() + ": cannot lock", err);
      }
      index_ = make_sqlite_index(index_file, /*read_only=*/true);
    } else {
      index_ = make_postgresql_index(where.index_url);
      S3Options s3;
      s3.spec = where.blobs_spec;
      s3.spool_dir = scratch / "source-spool";
      s3.cache_dir = scratch / "source-cache";
      fs::create_directories(s3.cache_dir);
      s3.cache_bytes = 0;  // each blob is read once: straight into an unlinked file
      blobs_ = make_s3_blob_store(s3);
    }
  }
  ~Source() {
    index_.reset();
    if (lock_fd_ >= 0) ::close(lock_fd_);
  }
  Source(const Source&) = delete;
  Source& operator=(const Source&) = delete;

  Index& index() { return *index_; }

  // nullopt: the source has no such blob.
  std::optional<SourceBlob> open(const std::string& sha256) {
    std::optional<SourceBlob> out(std::in_place);
    if (auto bytes = index_->find_inline_blob(sha256)) {  // SQLite's or PostgreSQL's small blobs
      out->bytes = std::move(bytes);
      return out;
    }
    if (!blobs_) {
      const fs::path file = dir_ / "blobs" / sha256.substr(0, 2) / sha256;
      out->fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
      if (out->fd < 0) {
        if (errno == ENOENT) return std::nullopt;
        throw_errno(file.string() + ": cannot open");
      }
      return out;
    }
    auto blob = blobs_->open(sha256);
    if (!blob) return std::nullopt;
    out->fd = blob->fd;
    return out;
  }

 private:
  fs::path dir_;
  int lock_fd_ = -1;
  std::unique_ptr<Index> index_;
  std::unique_ptr<BlobStore> blobs_;
};

std::unique_ptr<Storage> open_target(const StorageLocation& where, const fs::path& scratch,
                                     std::uint64_t inline_max_size) {
  if (where.local()) return std::make_unique<Storage>(where.local_dir, HistoryPolicy{}, inline_max_size);
  std::unique_ptr<Index> index = make_postgresql_index(where.index_url);
  S3Options s3;
  s3.spec = where.blobs_spec;
  s3.spool_dir = scratch / "target-spool";
  s3.cache_dir = scratch / "target-cache";
  s3.cache_bytes = 0;
  return std::make_unique<Storage>(make_s3_blob_store(s3), std::move(index), HistoryPolicy{}, inline_max_size);
}

// Copies the stored form of `r`'s blob into `upload`, decompressing it on
// the way: throws Error(ChecksumMismatch) unless it gives r's SHA-256 and size.
void copy_verified(const FileRecord& r, const SourceBlob& blob, BlobUpload& upload) {
  Sha256 hash;
  std::uint64_t size = 0;
  GzipDecoder decoder;
  auto sink = [&](std::string_view chunk) {
    hash.update(chunk);
    size += chunk.size();
  };
  auto feed = [&](std::string_view stored) {
    upload.write(stored);
    decoder.write(stored, sink);
  };
  try {
    if (blob.bytes) {
      feed(*blob.bytes);
    } else {
      std::string buf(1 << 16, '\0');
      off_t offset = 0;
      for (;;) {
        const ssize_t n = ::pread(blob.fd, buf.data(), buf.size(), offset);
        if (n < 0) {
          if (errno == EINTR) continue;
          throw_errno("blob " + r.sha256 + ": cannot read");
        }
        if (n == 0) break;
        offset += n;
        feed(std::string_view(buf.data(), static_cast<std::size_t>(n)));
      }
    }
    decoder.finish(sink);
  } catch (const Error& e) {
    if (e.code() != ErrorCode::Protocol) throw;
    throw Error(ErrorCode::ChecksumMismatch, "blob " + r.sha256 + " is not valid gzip");
  }
  const std::string got = hash.hex_digest();
  if (got != r.sha256 || size != r.size)
    throw Error(ErrorCode::ChecksumMismatch, "blob " + r.sha256 + " decompresses to " + std::to_string(size) +
                                                 " bytes with SHA-256 " + got + ", not " + std::to_string(r.size) +
                                                 " bytes with its own");
}

}  // namespace

std::string StorageLocation::describe() const {
  return local() ? std::string(kLocal) + local_dir.string() : index_url + "+" + blobs_spec;
}

StorageLocation parse_storage_location(std::string_view spec, const std::string& shared_index,
                                       const std::string& shared_blobs) {
  StorageLocation out;
  if (spec.rfind(kLocal, 0) == 0) {
    out.local_dir = std::string(spec.substr(kLocal.size()));
    if (out.local_dir.empty()) throw Error(ErrorCode::InvalidArgument, "local: needs a directory: local:DIR");
    return out;
  }
  if (spec == kShared) {
    if (shared_index.empty() || shared_blobs.empty())
      throw Error(ErrorCode::InvalidArgument, "\"shared\" needs --index postgresql://... and --blobs s3://...");
    out.index_url = shared_index;
    out.blobs_spec = shared_blobs;
  } else {
    const std::size_t join = spec.rfind(kBlobsJoin);
    if (join == std::string_view::npos)
      throw Error(ErrorCode::InvalidArgument,
                  "not a store: \"" + std::string(spec) +
                      "\" (local:DIR, postgresql://...+s3://BUCKET[/PREFIX]?endpoint=URL&region=R, or shared)");
    out.index_url = std::string(spec.substr(0, join));
    out.blobs_spec = std::string(spec.substr(join + 1));
  }
  if (out.index_url.rfind("postgresql://", 0) != 0 && out.index_url.rfind("postgres://", 0) != 0)
    throw Error(ErrorCode::InvalidArgument, "the index must be a postgresql:// URL: \"" + out.index_url + "\"");
  return out;
}

MigrateReport migrate_storage(const StorageLocation& from, const StorageLocation& to, const ImportProgressFn& progress,
                              std::uint64_t inline_max_size, unsigned jobs) {
  if (from.local() && to.local() && fs::weakly_canonical(from.local_dir) == fs::weakly_canonical(to.local_dir))
    throw Error(ErrorCode::InvalidArgument, "--from and --to are the same directory");
  if (!from.local() && !to.local() && from.index_url == to.index_url)
    throw Error(ErrorCode::InvalidArgument, "--from and --to are the same index");
  const auto start = std::chrono::steady_clock::now();
  ScratchDir scratch;
  Source source(from, scratch.path());
  std::unique_ptr<Storage> target = open_target(to, scratch.path(), inline_max_size);

  MigrateReport report;
  std::vector<FileRecord> records;
  source.index().for_each_file([&](const FileRecord& r) { records.push_back(r); });
  source.index().for_each_history([&](const HistoryRecord&) { ++report.kept_versions_not_copied; });
  report.files = records.size();

  // Workers read, verify and queue files; the storage's writer commits them
  // in batches. At most kInFlight uploads wait for a commit (their spool
  // files are on disk), so memory and scratch space stay bounded.
  constexpr std::size_t kInFlight = 256;
  std::mutex mutex;
  std::condition_variable cv;
  std::size_t in_flight = 0, done = 0;
  std::string failure;  // the target failed: stop
  std::atomic<std::size_t> next{0};
  auto seconds = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); };
  auto finish_one = [&](std::unique_lock<std::mutex>&) {
    ++done;
    cv.notify_all();
  };

  auto work = [&] {
    for (;;) {
      {
        std::lock_guard lock(mutex);
        if (!failure.empty()) return;
      }
      const std::size_t i = next++;
      if (i >= records.size()) return;
      const FileRecord& r = records[i];
      try {
        if (auto there = target->find(r.name); there && there->version >= r.version) {
          // Committed before (this run's earlier attempt) or newer there: not read, not copied.
          std::unique_lock lock(mutex);
          ++(there->version == r.version && there->sha256 == r.sha256 ? report.already_there : report.kept_newer);
          finish_one(lock);
          continue;
        }
        auto blob = source.open(r.sha256);
        if (!blob) {
          std::unique_lock lock(mutex);
          report.problems.push_back(r.name + ": its blob " + r.sha256 + " is missing in the source");
          finish_one(lock);
          continue;
        }
        std::unique_ptr<BlobUpload> upload = target->begin_upload();
        copy_verified(r, *blob, *upload);
        {
          std::unique_lock lock(mutex);
          cv.wait(lock, [&] { return in_flight < kInFlight || !failure.empty(); });
          if (!failure.empty()) return;
          ++in_flight;
        }
        target->put(r, std::move(upload), [&, r](CommitResult result) {
          std::unique_lock lock(mutex);
          --in_flight;
          if (result.outcome == CommitOutcome::Applied && result.version == r.version) {
            ++report.copied;
            report.bytes += r.size;
          } else if (result.outcome == CommitOutcome::Applied) {
            ++report.kept_newer;  // a newer version arrived meanwhile (a live target)
          } else if (result.outcome == CommitOutcome::NameClash) {
            report.problems.push_back(result.reason);
          } else if (failure.empty()) {
            failure = result.reason;
          }
          finish_one(lock);
        });
      } catch (const std::exception& e) {
        // A damaged source blob is that file's problem; anything else (the
        // target or the source unreachable, a full disk) stops the run.
        std::unique_lock lock(mutex);
        const auto* error = dynamic_cast<const Error*>(&e);
        if (error && error->code() == ErrorCode::ChecksumMismatch)
          report.problems.push_back(r.name + ": " + e.what());
        else if (failure.empty())
          failure = e.what();
        finish_one(lock);
      }
    }
  };
  std::vector<std::thread> workers;
  for (unsigned j = 0; j < std::max(1u, jobs); ++j) workers.emplace_back(work);
  {
    std::unique_lock lock(mutex);
    while (!cv.wait_for(lock, std::chrono::milliseconds(250), [&] {
      return (done == records.size()) || (!failure.empty() && in_flight == 0);
    })) {
      if (progress) progress({done, records.size(), report.bytes, seconds()});
    }
  }
  for (auto& w : workers) w.join();
  target->stop_writer();  // every queued write committed (or answered)
  report.seconds = seconds();
  if (!failure.empty())
    throw Error(ErrorCode::Io, "the target failed: " + failure + " (what was committed stays; run it again to continue)");
  if (progress) progress({done, records.size(), report.bytes, report.seconds});
  return report;
}

}  // namespace ft::server
