// Import of a plain directory of files (a v1 store, a copy of a cache):
// DIR/a/b.txt becomes /a/b.txt with its mtime as the version. The content
// is compressed into our blob store (plain files have no blob to link).
// Symbolic links and special files are reported and not followed.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <algorithm>
#include <chrono>
#include <cstring>
#include <utility>

#include "filetracker/checksum.hpp"
#include "filetracker/error.hpp"
#include "filetracker/gzip.hpp"
#include "filetracker/server/disk_full.hpp"
#include "filetracker/server/import.hpp"
#include "import_scan.hpp"
#include "import_writer.hpp"

namespace fs = std::filesystem;

namespace ft::server {
namespace {

constexpr std::size_t kBatch = 2000;

class FdGuard {
 public:
  explicit FdGuard(int fd) : fd_(fd) {}
  ~FdGuard() {
    if (fd_ >= 0) ::close(fd_);
  }
  FdGuard(const FdGuard&) = delete;
  FdGuard& operator=(const FdGuard&) = delete;
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

void write_all(int fd, std::string_view data, const fs::path& path) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_storage_errno(path.string() + ": cannot write");
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
}

struct Compressed {
  std::string sha256;
  std::uint64_t size = 0;
};

// Reads `in` (from offset 0), hashing it and writing its gzip to `temp`.
// Error(Protocol) on a read error of the source (the file is skipped);
// storage errors of ours throw as they are.
Compressed compress_into(int in, const fs::path& temp, int level) {
  FdGuard out(::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
  if (out.get() < 0) throw_storage_errno(temp.string() + ": cannot create");
  try {
    Compressed c;
    Sha256 hash;
    GzipEncoder encoder(level);
    auto sink = [&](std::string_view chunk) { write_all(out.get(), chunk, temp); };
    std::string buf(1 << 16, '\0');
    for (;;) {
      ssize_t n = ::read(in, buf.data(), buf.size());
      if (n < 0) {
        if (errno == EINTR) continue;
        throw Error(ErrorCode::Protocol, std::string("cannot read: ") + std::strerror(errno));
      }
      if (n == 0) break;
      std::string_view chunk(buf.data(), static_cast<std::size_t>(n));
      hash.update(chunk);
      c.size += chunk.size();
      encoder.write(chunk, sink);
    }
    encoder.finish(sink);
    if (::close(out.release()) != 0) throw_storage_errno(temp.string() + ": cannot close");
    c.sha256 = hash.hex_digest();
    return c;
  } catch (...) {
    ::unlink(temp.c_str());
    throw;
  }
}

}  // namespace

ImportReport import_tree(const fs::path& data_dir, const fs::path& tree, const ImportProgressFn& progress,
                         int gzip_level) {
  ImportReport report;
  struct stat st {};
  if (::stat(tree.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
    throw Error(ErrorCode::Io, tree.string() + ": not a directory");
  const auto canonical_tree = fs::weakly_canonical(tree);
  const auto canonical_data = fs::weakly_canonical(data_dir);
  auto [a, b] = std::mismatch(canonical_data.begin(), canonical_data.end(), canonical_tree.begin(), canonical_tree.end());
  if (a == canonical_data.end() || b == canonical_tree.end())
    throw Error(ErrorCode::InvalidArgument, "the data directory and the directory to import must not contain each other");

  ImportWriter writer(data_dir, report);
  std::vector<ScannedEntry> found;
  scan_tree(tree, [&](const ScannedEntry& e) {
    if (e.is_regular)
      found.push_back(e);
    else
      report.skipped.push_back(e.name + ": not imported: " +
                               (e.is_symlink ? "a symbolic link (not followed)" : "not a regular file"));
  }, report.skipped);
  report.entries = found.size();

  ImportTicker ticker(progress, report.entries);

  for (const ScannedEntry& e : found) {
    ticker.next_entry();
    ticker.tell(false, report.bytes);
    switch (writer.decide(e.name, e.version, {})) {
      case ImportWriter::Decision::Unchanged: ++report.unchanged; continue;
      case ImportWriter::Decision::KeepNewer: ++report.kept_newer; continue;
      case ImportWriter::Decision::Import: break;
    }
    FdGuard in(::open(e.path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
    struct stat now {};
    if (in.get() < 0 || ::fstat(in.get(), &now) != 0) {
      report.skipped.push_back(e.name + ": not imported: cannot open: " + std::strerror(errno));
      continue;
    }
    if (!S_ISREG(now.st_mode) || now.st_ino != e.st.st_ino || now.st_dev != e.st.st_dev) {
      report.skipped.push_back(e.name + ": not imported: it was replaced during the import");
      continue;
    }
    const fs::path temp = writer.temp_path();
    Compressed c;
    try {
      c = compress_into(in.get(), temp, gzip_level);
    } catch (const Error& err) {
      if (err.code() != ErrorCode::Protocol) throw;
      report.skipped.push_back(e.name + ": not imported: " + err.what());
      continue;
    }
    const Version version = static_cast<Version>(now.st_mtim.tv_sec);
    if (writer.stored_blob_size(c.sha256)) {
      ::unlink(temp.c_str());
      writer.add(FileRecord{e.name, version, c.sha256, c.size});
    } else {
      ++report.blobs_written;
      writer.add(FileRecord{e.name, version, c.sha256, c.size}, temp);
    }
    if (writer.queued() >= kBatch) writer.flush();
  }
  writer.flush();
  report.seconds = ticker.seconds();
  ticker.tell(true, report.bytes);
  return report;
}

}  // namespace ft::server
