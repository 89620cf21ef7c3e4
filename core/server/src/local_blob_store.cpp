// Blobs as local files: "<root>/<2 hex>/<sha256>", gzip. Uploads go to
// "<root>/tmp/upload.<random>" and are fsynced there; adopt() renames them
// into place, sync() fsyncs the directories touched since the last sync.
// Every change goes through an Env (tests: power-loss injection).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <mutex>
#include <random>
#include <set>
#include <vector>

#include "filetracker/atomic_file.hpp"
#include "filetracker/env.hpp"
#include "filetracker/error.hpp"
#include "filetracker/protocol.hpp"
#include "filetracker/server/blob_store.hpp"
#include "filetracker/server/disk_full.hpp"

namespace fs = std::filesystem;

namespace ft::server {
namespace {

std::string random_suffix() {
  static std::atomic<std::uint64_t> counter{0};
  thread_local std::mt19937_64 rng{std::random_device{}()};
  char buf[40];
  std::snprintf(buf, sizeof buf, "%016llx.%llx", static_cast<unsigned long long>(rng()),
                static_cast<unsigned long long>(counter++));
  return buf;
}

class LocalBlobUpload final : public BlobUpload {
 public:
  LocalBlobUpload(Env* env, fs::path path) : env_(env), path_(std::move(path)) {
    fd_ = env_->open_at(AT_FDCWD, path_.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0644);
    if (fd_ < 0) throw_storage_errno(path_.string() + ": cannot create an upload file", -fd_);
  }
  ~LocalBlobUpload() override {
    if (fd_ >= 0) ::close(fd_);
    if (!adopted_) env_->unlink_at(AT_FDCWD, path_.c_str(), 0);
  }
  void write(std::string_view data) override {
    while (!data.empty()) {
      const ssize_t n = env_->write(fd_, data.data(), data.size());
      if (n < 0) throw_storage_errno(path_.string() + ": cannot write", static_cast<int>(-n));
      data.remove_prefix(static_cast<std::size_t>(n));
      written_ += static_cast<std::uint64_t>(n);
    }
  }
  void make_durable() override {
    if (fd_ < 0) return;
    // fdatasync: the content and the size, all a blob needs (its times do not matter).
    if (int rc = env_->sync_data(fd_); rc != 0) throw_storage_errno(path_.string() + ": cannot fsync", -rc);
    int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0) throw_storage_errno(path_.string() + ": cannot close");
  }
  std::uint64_t bytes_written() const override { return written_; }

  const fs::path& path() const { return path_; }
  void mark_adopted() { adopted_ = true; }

 private:
  Env* env_;
  fs::path path_;
  int fd_ = -1;
  std::uint64_t written_ = 0;
  bool adopted_ = false;
};

class LocalBlobStore final : public BlobStore {
 public:
  LocalBlobStore(fs::path root, Env* env) : env_(env), root_(std::move(root)), tmp_(root_ / "tmp") {
    // Durable (parents fsynced): a blob in a directory whose own entry is
    // lost in a power loss is lost with it, while the index keeps its row.
    make_directories_durable(tmp_, env_);
    // All 256 prefix directories exist from the start, so adopting a blob
    // never has to create (and fsync) a directory.
    static const char* hex = "0123456789abcdef";
    bool created = false;
    for (int i = 0; i < 256; ++i) {
      char name[3] = {hex[i >> 4], hex[i & 15], 0};
      struct stat st {};
      if (::stat((root_ / name).c_str(), &st) == 0 && S_ISDIR(st.st_mode)) continue;  // the usual start
      const int rc = env_->make_directory_at(AT_FDCWD, (root_ / name).c_str(), 0777);
      if (rc == 0) created = true;
      else if (rc != -EEXIST) throw_storage_errno((root_ / name).string() + ": cannot create the directory", -rc);
    }
    if (created) fsync_directory(root_, env_);
  }

  std::unique_ptr<BlobUpload> begin_upload() override {
    return std::make_unique<LocalBlobUpload>(env_, tmp_ / ("upload." + random_suffix()));
  }

  void adopt(BlobUpload& upload, const std::string& sha256) override {
    auto& local = dynamic_cast<LocalBlobUpload&>(upload);
    fs::path target = blob_path(sha256);
    if (int rc = env_->rename_at(AT_FDCWD, local.path().c_str(), AT_FDCWD, target.c_str()); rc != 0)
      throw_storage_errno(target.string() + ": cannot store the blob", -rc);
    local.mark_adopted();
    std::lock_guard lock(dirty_mutex_);
    dirty_.insert(target.parent_path());
  }

  void sync(const ParallelFor& parallel_for) override {
    std::vector<fs::path> dirs;
    {
      std::lock_guard lock(dirty_mutex_);
      dirs.assign(dirty_.begin(), dirty_.end());
      dirty_.clear();
    }
    if (parallel_for)
      parallel_for(dirs.size(), [&](std::size_t i) { fsync_directory(dirs[i], env_); });
    else
      for (const auto& dir : dirs) fsync_directory(dir, env_);
  }

  void remove(const std::string& sha256) noexcept override {
    fs::path target = blob_path(sha256);
    if (env_->unlink_at(AT_FDCWD, target.c_str(), 0) == 0) {
      std::lock_guard lock(dirty_mutex_);
      dirty_.insert(target.parent_path());
    }
  }

  std::optional<OpenBlob> open(const std::string& sha256) override {
    fs::path target = blob_path(sha256);
    int fd = ::open(target.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      if (errno == ENOENT) return std::nullopt;
      throw_errno(target.string() + ": cannot open the blob");
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
      int err = errno;
      ::close(fd);
      throw_errno(target.string() + ": cannot stat the blob", err);
    }
    return OpenBlob{fd, static_cast<std::uint64_t>(st.st_size)};
  }

  void for_each_blob(const std::function<void(const std::string&)>& visit) override {
    for (const auto& prefix : fs::directory_iterator(root_)) {
      const std::string dir_name = prefix.path().filename().string();
      if (dir_name.size() != 2 || !prefix.is_directory()) continue;
      for (const auto& entry : fs::directory_iterator(prefix.path())) {
        std::string name = entry.path().filename().string();
        if (protocol::is_sha256_hex(name) && name.compare(0, 2, dir_name) == 0) visit(name);
      }
    }
  }

  void for_each_blob_with_prefix(std::string_view prefix,
                                 const std::function<void(const std::string&)>& visit) override {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(root_ / std::string(prefix), ec)) {
      std::string name = entry.path().filename().string();
      if (protocol::is_sha256_hex(name) && name.compare(0, prefix.size(), prefix) == 0) visit(name);
    }
  }

  std::size_t count_temporaries() override {
    std::size_t n = 0;
    for ([[maybe_unused]] const auto& entry : fs::directory_iterator(tmp_)) ++n;
    return n;
  }

  std::size_t remove_temporaries() override {
    std::size_t n = 0;
    for (const auto& entry : fs::directory_iterator(tmp_))
      if (env_->unlink_at(AT_FDCWD, entry.path().c_str(), 0) == 0) ++n;
    // Durable like the removal of orphans, so a check after the next crash
    // does not report leftovers that start-up already removed.
    if (n > 0) fsync_directory(tmp_, env_);
    return n;
  }

 private:
  fs::path blob_path(const std::string& sha256) const {
    // REQUIRES: sha256 is 64 hex digits (the storage computes it itself).
    return root_ / sha256.substr(0, 2) / sha256;
  }

  Env* env_;
  fs::path root_;
  fs::path tmp_;
  std::mutex dirty_mutex_;
  std::set<fs::path> dirty_;
};

}  // namespace

std::unique_ptr<BlobStore> make_local_blob_store(const fs::path& root, Env* env) {
  return std::make_unique<LocalBlobStore>(root, env);
}

}  // namespace ft::server
