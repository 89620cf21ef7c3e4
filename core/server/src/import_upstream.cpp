// Import of the deployed Python server's data directory (layout v2):
//
//   OLD/links/<name>              symbolic link, mtime = version, to
//   OLD/blobs/<2 hex>/<sha256>    gzip of the content (relative target,
//                                 e.g. "../../blobs/ab/ab12...")
//   OLD/db/                       BerkeleyDB: reference counts, logical sizes
//                                 (not read: recomputed)
//
// The blob is read from OLD/blobs/ under the name the link's target ends
// with, never through the link itself, so a planted link cannot make us
// read outside OLD. Each blob is hard-linked into our tmp/ (reflinked or
// copied where linking is impossible), the linked or copied file is checked
// (a regular file that decompresses to its SHA-256), then the batch moves it
// into place: what is checked is what is stored.
#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <system_error>

#include "filetracker/error.hpp"
#include "filetracker/name.hpp"
#include "filetracker/protocol.hpp"
#include "filetracker/server/disk_full.hpp"
#include "filetracker/server/import.hpp"
#include "import_scan.hpp"
#include "import_writer.hpp"

namespace fs = std::filesystem;

namespace ft::server {
namespace {

constexpr std::size_t kBatch = 2000;

struct Link {
  std::string name;    // "/a/b"
  Version version = 0;
  std::string target;  // as readlink says
};

// How a blob got into our tmp/.
enum class Placed { Linked, Copied };

// Copies `src` (open) into a new file `dst`: a reflink when the file
// system can, else copy_file_range (which may itself share extents).
void copy_into(int src, const fs::path& dst) {
  int out = ::open(dst.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (out < 0) throw_storage_errno(dst.string() + ": cannot create");
  auto fail = [&](const std::string& what) {
    int err = errno;
    ::close(out);
    ::unlink(dst.c_str());
    throw_storage_errno(dst.string() + ": " + what, err);
  };
  if (::ioctl(out, FICLONE, src) != 0) {
    off_t in_off = 0;
    for (;;) {
      ssize_t n = ::copy_file_range(src, &in_off, out, nullptr, 1 << 30, 0);
      if (n < 0 && (errno == EXDEV || errno == ENOSYS || errno == EINVAL || errno == EOPNOTSUPP)) {
        // Plain read/write (old kernels, some file systems).
        std::string buf(1 << 16, '\0');
        for (;;) {
          ssize_t r = ::pread(src, buf.data(), buf.size(), in_off);
          if (r < 0) {
            if (errno == EINTR) continue;
            fail("cannot read the source blob");
          }
          if (r == 0) break;
          in_off += r;
          for (ssize_t w = 0; w < r;) {
            ssize_t k = ::write(out, buf.data() + w, static_cast<std::size_t>(r - w));
            if (k < 0) {
              if (errno == EINTR) continue;
              fail("cannot write");
            }
            w += k;
          }
        }
        break;
      }
      if (n < 0) {
        if (errno == EINTR) continue;
        fail("cannot copy");
      }
      if (n == 0) break;
    }
  }
  if (::close(out) != 0) {
    int err = errno;
    ::unlink(dst.c_str());
    throw_storage_errno(dst.string() + ": cannot close", err);
  }
}

// Puts the source blob at `dst` (hard link, else a copy). Throws
// Error(NotFound) when the source is missing, Error(Protocol) when it is
// not a regular file, Error(Io) (or a disk-full system_error) otherwise.
Placed place(const fs::path& src, const fs::path& dst) {
  struct stat st {};
  if (::lstat(src.c_str(), &st) != 0) {
    if (errno == ENOENT || errno == ENOTDIR) throw Error(ErrorCode::NotFound, "its blob is missing");
    throw_errno(src.string() + ": cannot stat");
  }
  if (!S_ISREG(st.st_mode)) throw Error(ErrorCode::Protocol, "its blob " + src.string() + " is not a regular file");
  if (::link(src.c_str(), dst.c_str()) == 0) return Placed::Linked;
  const int err = errno;
  // Another file system, a link count at its limit, or protected_hardlinks
  // refusing a file we do not own: copy.
  if (err != EXDEV && err != EMLINK && err != EPERM && err != EACCES) throw_storage_errno(dst.string() + ": cannot link", err);
  int in = ::open(src.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (in < 0) throw_errno(src.string() + ": cannot open");
  try {
    copy_into(in, dst);
  } catch (...) {
    ::close(in);
    throw;
  }
  ::close(in);
  return Placed::Copied;
}

// The SHA-256 a link's target names: ".../<2 hex>/<sha256>" with the
// prefix matching; empty when the target is not a blob's name.
std::string blob_of(const std::string& target) {
  fs::path t(target);
  std::string sha = t.filename().string();
  std::string prefix = t.parent_path().filename().string();
  if (!protocol::is_sha256_hex(sha)) return {};
  sha = protocol::to_lower(sha);
  if (prefix != sha.substr(0, 2)) return {};
  return sha;
}

}  // namespace

ImportReport import_upstream(const fs::path& data_dir, const fs::path& upstream_dir, const ImportProgressFn& progress) {
  ImportReport report;
  const fs::path links = upstream_dir / "links";
  const fs::path blobs = upstream_dir / "blobs";
  struct stat st {};
  if (::stat(links.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
    throw Error(ErrorCode::Io, upstream_dir.string() + ": not a Python filetracker data directory (no links/ directory)");
  if (fs::weakly_canonical(upstream_dir) == fs::weakly_canonical(data_dir))
    throw Error(ErrorCode::InvalidArgument, "the data directory and the directory to import are the same");

  ImportWriter writer(data_dir, report);

  std::vector<Link> found;
  scan_tree(links, [&](const ScannedEntry& e) {
    if (!e.is_symlink) {
      report.broken_links.push_back(e.name + ": not a symbolic link (the Python server only makes links here)");
      return;
    }
    char buf[4096];
    ssize_t n = ::readlink(e.path.c_str(), buf, sizeof buf);
    if (n < 0 || static_cast<std::size_t>(n) >= sizeof buf) {
      report.broken_links.push_back(e.name + ": cannot read the link: " + std::strerror(n < 0 ? errno : ENAMETOOLONG));
      return;
    }
    found.push_back(Link{e.name, e.version, std::string(buf, static_cast<std::size_t>(n))});
  }, report.skipped);
  report.entries = found.size() + report.broken_links.size();

  ImportTicker ticker(progress, report.entries, report.broken_links.size());

  for (const Link& link : found) {
    ticker.next_entry();
    ticker.tell(false, report.bytes);
    std::string sha = blob_of(link.target);
    if (sha.empty()) {
      report.broken_links.push_back(link.name + ": its target \"" + link.target + "\" is not a blob (blobs/<2 hex>/<sha256>)");
      continue;
    }
    switch (writer.decide(link.name, link.version, sha)) {
      case ImportWriter::Decision::Unchanged: ++report.unchanged; continue;
      case ImportWriter::Decision::KeepNewer: ++report.kept_newer; continue;
      case ImportWriter::Decision::Import: break;
    }
    if (const std::string* bad = writer.known_bad(sha)) {
      report.bad_blobs.push_back(link.name + ": blob " + sha + ": " + *bad);
      continue;
    }
    if (auto size = writer.stored_blob_size(sha)) {
      writer.add(FileRecord{link.name, link.version, sha, *size});
    } else {
      const fs::path src = blobs / sha.substr(0, 2) / sha;
      const fs::path temp = writer.temp_path();
      Placed how;
      try {
        how = place(src, temp);
      } catch (const Error& e) {
        if (e.code() == ErrorCode::NotFound) {
          report.broken_links.push_back(link.name + ": its blob " + src.string() + " is missing");
          continue;
        }
        if (e.code() == ErrorCode::Protocol) {
          writer.mark_bad(sha, e.what());
          report.bad_blobs.push_back(link.name + ": blob " + sha + ": " + e.what());
          continue;
        }
        throw;
      }
      std::string reason;
      BlobCheck check;
      int fd = ::open(temp.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
      if (fd < 0) {
        reason = std::string("cannot open: ") + std::strerror(errno);
      } else {
        try {
          check = check_gzip_fd(fd, src.string());
          if (check.sha256 != sha) reason = "its content has SHA-256 " + check.sha256;
        } catch (const Error& e) {
          reason = e.what();
        }
        ::close(fd);
      }
      if (!reason.empty()) {
        ::unlink(temp.c_str());
        writer.mark_bad(sha, reason);
        report.bad_blobs.push_back(link.name + ": blob " + sha + ": " + reason);
        continue;
      }
      ++(how == Placed::Linked ? report.blobs_linked : report.blobs_copied);
      writer.add(FileRecord{link.name, link.version, sha, check.size}, temp);
    }
    if (writer.queued() >= kBatch) writer.flush();
  }
  writer.flush();
  report.seconds = ticker.seconds();
  ticker.tell(true, report.bytes);
  return report;
}

}  // namespace ft::server
