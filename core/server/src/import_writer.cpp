#include "import_writer.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <set>

#include "filetracker/checksum.hpp"
#include "filetracker/error.hpp"
#include "filetracker/gzip.hpp"
#include "filetracker/server/disk_full.hpp"

namespace fs = std::filesystem;

namespace ft::server {
namespace {

// "/a/b/c" -> {"/a", "/a/b"}
std::vector<std::string_view> ancestors(std::string_view name) {
  std::vector<std::string_view> out;
  for (std::size_t i = 1; i < name.size(); ++i)
    if (name[i] == '/') out.push_back(name.substr(0, i));
  return out;
}

}  // namespace

BlobCheck check_gzip_fd(int fd, const std::string& what) {
  Sha256 hash;
  BlobCheck out;
  GzipDecoder decoder;
  auto sink = [&](std::string_view chunk) {
    hash.update(chunk);
    out.size += chunk.size();
  };
  std::string buf(1 << 16, '\0');
  off_t offset = 0;
  for (;;) {
    ssize_t n = ::pread(fd, buf.data(), buf.size(), offset);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_errno(what + ": cannot read");
    }
    if (n == 0) break;
    offset += n;
    decoder.write(std::string_view(buf.data(), static_cast<std::size_t>(n)), sink);
  }
  decoder.finish(sink);
  out.sha256 = hash.hex_digest();
  return out;
}

ImportWriter::ImportWriter(const fs::path& data_dir, ImportReport& report)
    : report_(report), blobs_root_(data_dir / "blobs"), storage_(data_dir) {
  // The import is the only writer while it holds the lock: the storage's
  // writer thread is stopped, so its background sweep of unreferenced blobs
  // cannot remove a blob placed by a batch before the batch's commit.
  storage_.stop_writer();
  blobs_fd_ = ::open(blobs_root_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (blobs_fd_ < 0) throw_errno(blobs_root_.string() + ": cannot open");
}

ImportWriter::~ImportWriter() {
  for (const auto& p : pending_)
    if (!p.temp_blob.empty()) ::unlink(p.temp_blob.c_str());
  if (blobs_fd_ >= 0) ::close(blobs_fd_);
}

fs::path ImportWriter::blob_path(const std::string& sha256) const {
  return blobs_root_ / sha256.substr(0, 2) / sha256;
}

fs::path ImportWriter::temp_path() {
  return blobs_root_ / "tmp" / ("import." + std::to_string(::getpid()) + "." + std::to_string(temp_counter_++));
}

ImportWriter::Decision ImportWriter::decide(const std::string& name, Version version, const std::string& sha256) {
  auto stored = storage_.index().find(name);
  if (!stored || stored->version < version) return Decision::Import;
  if (stored->version == version && (sha256.empty() || stored->sha256 == sha256)) return Decision::Unchanged;
  return Decision::KeepNewer;
}

std::optional<std::uint64_t> ImportWriter::stored_blob_size(const std::string& sha256) {
  if (auto it = placed_.find(sha256); it != placed_.end()) return it->second;
  // Stored before this run (an earlier import, or uploads): referenced by
  // the index, since the start-up clean-up removed unreferenced ones.
  fs::path path = blob_path(sha256);
  int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  std::optional<std::uint64_t> size;
  try {
    BlobCheck check = check_gzip_fd(fd, path.string());
    if (check.sha256 == sha256) size = check.size;
  } catch (const Error&) {
  }
  ::close(fd);
  // A damaged blob of ours is left to --check; the import brings its own.
  if (size) placed_[sha256] = *size;
  return size;
}

const std::string* ImportWriter::known_bad(const std::string& sha256) const {
  auto it = bad_.find(sha256);
  return it == bad_.end() ? nullptr : &it->second;
}

void ImportWriter::add(FileRecord record, fs::path temp_blob) {
  if (!temp_blob.empty()) placed_[record.sha256] = record.size;
  pending_.push_back(Pending{std::move(record), std::move(temp_blob)});
}

void ImportWriter::flush() {
  if (pending_.empty()) return;
  std::vector<std::string> adopted;
  std::set<std::string> doomed;
  try {
    // Blobs into place; then one syncfs makes their data and the renames
    // durable before the index refers to them.
    for (auto& p : pending_) {
      if (p.temp_blob.empty()) continue;
      fs::path target = blob_path(p.record.sha256);
      if (::rename(p.temp_blob.c_str(), target.c_str()) != 0)
        throw_storage_errno(target.string() + ": cannot store the blob");
      p.temp_blob.clear();
      adopted.push_back(p.record.sha256);
    }
    if (::syncfs(blobs_fd_) != 0) throw_storage_errno(blobs_root_.string() + ": cannot sync");

    auto tx = storage_.index().begin();
    for (auto& p : pending_) {
      FileRecord& rec = p.record;
      auto existing = tx->find(rec.name);
      if (existing && existing->version >= rec.version) {
        ++report_.kept_newer;  // (decide() said otherwise: it changed since; keep ours)
        continue;
      }
      if (!existing) {
        std::string clash;
        if (tx->has_files_below(rec.name))
          clash = "a directory of that name is stored";
        else
          for (auto parent : ancestors(rec.name))
            if (tx->find(parent)) {
              clash = std::string(parent) + " is stored as a file";
              break;
            }
        if (!clash.empty()) {
          report_.skipped.push_back(rec.name + ": not imported: " + clash);
          continue;
        }
      }
      if (!existing || existing->sha256 != rec.sha256) {
        tx->add_reference(rec.sha256);
        doomed.erase(rec.sha256);
        if (existing && tx->drop_reference(existing->sha256) == 0) doomed.insert(existing->sha256);
      }
      tx->put(rec);
      ++report_.imported;
      report_.bytes += rec.size;
    }
    // Blobs placed for names that were then skipped stay unreferenced.
    for (const auto& sha : adopted)
      if (tx->references(sha) == 0) doomed.insert(sha);
    // A replaced file's blob kept inside the index goes with its last reference.
    if (storage_.index().keeps_inline_blobs())
      for (const auto& sha : doomed) tx->erase_inline_blob(sha);
    tx->commit();
  } catch (...) {
    for (auto& p : pending_)
      if (!p.temp_blob.empty()) ::unlink(p.temp_blob.c_str());
    try {
      auto tx = storage_.index().begin();
      for (const auto& sha : adopted)
        if (tx->references(sha) == 0) ::unlink(blob_path(sha).c_str());
    } catch (...) {
    }
    pending_.clear();
    throw;
  }
  for (const auto& sha : doomed) {
    ::unlink(blob_path(sha).c_str());
    placed_.erase(sha);
  }
  pending_.clear();
}

}  // namespace ft::server
