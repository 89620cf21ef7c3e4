// Blobs in an S3-compatible object store: "<PREFIX><sha256>", gzip.
//
// An upload is spooled to a local file (the BlobUpload), and adopt() PUTs it
// (multipart above a threshold): its 200 means the blob is durable, before
// the index commits a reference to it. Reads go through a bounded local disk
// cache of hot blobs (DiskBlobCache) and return an fd of the cached file, so
// the front end serves them as it serves local blobs. remove() only notes a
// candidate: the BlobReaper deletes it after the grace period, under the
// index's lock on that blob (another server may be about to refer to it).
#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <map>
#include <mutex>
#include <random>

#include "disk_blob_cache.hpp"
#include "filetracker/error.hpp"
#include "filetracker/protocol.hpp"
#include "filetracker/server/disk_full.hpp"
#include "filetracker/server/scaleout.hpp"
#include "s3_client.hpp"

namespace fs = std::filesystem;

namespace ft::server {
namespace {

std::string random_suffix() {
  static std::atomic<std::uint64_t> counter{0};
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return std::to_string(rng()) + "." + std::to_string(counter++);
}

class SpooledUpload final : public BlobUpload {
 public:
  explicit SpooledUpload(fs::path path) : path_(std::move(path)) {
    fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd_ < 0) throw_storage_errno(path_.string() + ": cannot create an upload file");
  }
  ~SpooledUpload() override {
    if (fd_ >= 0) ::close(fd_);
    if (!moved_) ::unlink(path_.c_str());
  }
  void write(std::string_view data) override {
    while (!data.empty()) {
      const ssize_t n = ::write(fd_, data.data(), data.size());
      if (n < 0) {
        if (errno == EINTR) continue;
        throw_storage_errno(path_.string() + ": cannot write");
      }
      data.remove_prefix(static_cast<std::size_t>(n));
      written_ += static_cast<std::uint64_t>(n);
    }
  }
  // Durability comes from the S3 PUT in adopt(); the spool is scratch.
  void make_durable() override {}
  std::uint64_t bytes_written() const override { return written_; }

  int fd() const { return fd_; }
  const fs::path& path() const { return path_; }
  void moved_away() { moved_ = true; }

 private:
  fs::path path_;
  int fd_ = -1;
  std::uint64_t written_ = 0;
  bool moved_ = false;
};

class S3BlobStore final : public BlobStore, public DeferredRemovals {
 public:
  S3BlobStore(const S3Options& options, S3Client client)
      : options_(options), client_(std::move(client)), cache_(options.cache_dir, options.cache_bytes) {
    fs::create_directories(options_.spool_dir);
    client_.check();
  }

  std::unique_ptr<BlobUpload> begin_upload() override {
    return std::make_unique<SpooledUpload>(options_.spool_dir / ("upload." + random_suffix()));
  }

  void adopt(BlobUpload& upload, const std::string& sha256) override {
    auto& spooled = dynamic_cast<SpooledUpload&>(upload);
    const std::uint64_t size = spooled.bytes_written();
    if (size > options_.multipart_threshold)
      client_.put_multipart(sha256, spooled.fd(), size, options_.part_size);
    else
      client_.put(sha256, spooled.fd(), size);
    {
      std::lock_guard lock(removals_mutex_);
      noted_.erase(sha256);  // stored again: no longer a candidate
    }
    // Just written, so likely read soon: the spool file becomes the cached copy.
    cache_.insert_file(sha256, spooled.path());
    if (!fs::exists(spooled.path())) spooled.moved_away();
  }

  // Each adopt is one PUT (or a multipart upload) on the calling thread's
  // own curl handle; the removal notes and the cache have their locks.
  bool concurrent_adopt() const override { return true; }

  void probe() override {
    (void)begin_upload();
    client_.check();
  }

  void sync(const ParallelFor&) override {}  // each PUT's 200 already meant durable

  void remove(const std::string& sha256) noexcept override {
    try {
      std::lock_guard lock(removals_mutex_);
      noted_.emplace(sha256, std::chrono::steady_clock::now());
    } catch (...) {
    }
  }

  std::optional<OpenBlob> open(const std::string& sha256) override {
    return cache_.open(sha256, [&](int fd) { return client_.get(sha256, fd); });
  }

  void for_each_blob(const std::function<void(const std::string&)>& visit) override {
    for_each_blob_with_prefix("", visit);
  }
  void for_each_blob_with_prefix(std::string_view prefix,
                                 const std::function<void(const std::string&)>& visit) override {
    client_.list(std::string(prefix), [&](const std::string& key) {
      if (protocol::is_sha256_hex(key)) visit(key);
    });
  }

  std::size_t count_temporaries() override {
    std::size_t n = 0;
    for ([[maybe_unused]] const auto& entry : fs::directory_iterator(options_.spool_dir)) ++n;
    return n;
  }
  std::size_t remove_temporaries() override {
    std::size_t n = 0;
    for (const auto& entry : fs::directory_iterator(options_.spool_dir))
      if (::unlink(entry.path().c_str()) == 0) ++n;
    return n;
  }

  std::vector<std::string> due(std::chrono::seconds grace) override {
    std::vector<std::string> out;
    const auto cutoff = std::chrono::steady_clock::now() - grace;
    std::lock_guard lock(removals_mutex_);
    for (auto it = noted_.begin(); it != noted_.end();) {
      if (it->second <= cutoff) {
        out.push_back(it->first);
        it = noted_.erase(it);
      } else {
        ++it;
      }
    }
    return out;
  }
  void remove_now(const std::string& sha256) override { client_.remove(sha256); }

 private:
  S3Options options_;
  S3Client client_;
  DiskBlobCache cache_;
  std::mutex removals_mutex_;
  std::map<std::string, std::chrono::steady_clock::time_point> noted_;
};

std::string env_or_empty(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

}  // namespace

std::unique_ptr<BlobStore> make_s3_blob_store(const S3Options& options) {
  if (options.part_size < (5u << 20))
    throw Error(ErrorCode::InvalidArgument, "S3: multipart parts must be at least 5 MiB");
  S3Client client(parse_s3_spec(options.spec), env_or_empty("AWS_ACCESS_KEY_ID"), env_or_empty("AWS_SECRET_ACCESS_KEY"));
  return std::make_unique<S3BlobStore>(options, std::move(client));
}

DeferredRemovals* deferred_removals_of(BlobStore& blobs) { return dynamic_cast<S3BlobStore*>(&blobs); }

}  // namespace ft::server
