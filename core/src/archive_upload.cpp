#include "filetracker/archive_upload.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <ctime>
#include <map>

#include "extract_scratch_dir.hpp"
#include "filetracker/atomic_file.hpp"
#include "filetracker/checksum.hpp"
#include "filetracker/confined_dir.hpp"
#include "filetracker/remote_data_store.hpp"

namespace ft {

namespace {

struct Unpacked {
  std::uint64_t size = 0;
  std::string sha256;
};

// Copies `content` into a new file `path` (replacing an old one: the cache
// may hold a hard link to it), hashing on the way.
Unpacked unpack_to(std::istream& content, const std::filesystem::path& path, const std::function<void(std::uint64_t)>& tick) {
  ::unlink(path.c_str());
  UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
  if (!fd) throw_errno(path.string() + ": cannot create the scratch file");
  Sha256 sha;
  Unpacked out;
  std::vector<char> buffer(1 << 16);
  while (content) {
    content.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    const auto n = static_cast<std::size_t>(content.gcount());
    if (n == 0) continue;
    sha.update(buffer.data(), n);
    for (std::size_t off = 0; off < n;) {
      ssize_t w = ::write(fd.get(), buffer.data() + off, n - off);
      if (w < 0) {
        if (errno == EINTR) continue;
        throw_errno(path.string() + ": cannot write the scratch file");
      }
      off += static_cast<std::size_t>(w);
    }
    out.size += n;
    tick(out.size);
  }
  out.sha256 = sha.hex_digest();
  return out;
}

// What the server holds below `remote_dir` now (empty when the directory
// does not exist yet, or without a server that lists).
std::map<std::string, RemoteEntry> remote_files(Client& client, std::string_view remote_dir) {
  std::map<std::string, RemoteEntry> out;
  auto* remote = dynamic_cast<RemoteDataStore*>(client.remote_store());
  if (!remote) return out;
  try {
    for (auto& entry : remote->list(remote_dir, true, true).files) out.emplace(entry.name, std::move(entry));
  } catch (const Error& e) {
    // A directory that is not there yet (400 / 404), or a version-1 server.
    if (e.code() != ErrorCode::Http && e.code() != ErrorCode::NotFound && e.code() != ErrorCode::Unsupported) throw;
  }
  return out;
}

}  // namespace

ArchiveUploadReport upload_archive(Client& client, const std::filesystem::path& archive, std::string_view remote_dir,
                                   const ArchiveUploadOptions& options, const ArchiveUploadProgressSink& progress,
                                   const std::atomic<bool>* cancel,
                                   const std::function<void(const std::string&)>& on_stored) {
  ArchiveUploadReport report;
  report.listing = list_archive(archive, remote_dir, options.limits, cancel);
  if (report.listing.refused()) throw ArchiveRefused(archive.string(), report.listing.problems);

  ArchiveUploadProgress state;
  state.entries_total = report.listing.files.size();
  state.bytes_total = report.listing.unpacked_bytes;
  const auto notify = [&] {
    if (progress) progress(state);
  };
  notify();

  std::size_t finished = 0;  // files of the listing dealt with
  try {
    const std::map<std::string, RemoteEntry> present = remote_files(client, remote_dir);
    ExtractScratchDir scratch(options.scratch_dir);
    const std::filesystem::path file = scratch.path() / "entry";
    read_archive_files(
        archive, report.listing,
        [&](const ArchiveFile& entry, std::istream& content) {
          state.current = entry.name;
          const std::uint64_t before = state.bytes_done;
          Unpacked unpacked = unpack_to(content, file, [&](std::uint64_t n) {
            state.bytes_done = before + n;
            notify();
          });
          const bool has_mtime = entry.mtime && !options.version_now;
          const Version version = has_mtime ? *entry.mtime : static_cast<Version>(::time(nullptr));
          // Already there with this content (and at least this version)?
          if (auto it = present.find(entry.name); it != present.end()) {
            const RemoteEntry& r = it->second;
            const bool same = r.size == unpacked.size &&
                              (!r.sha256.empty() ? r.sha256 == unpacked.sha256 && (!has_mtime || r.version >= version)
                                                 : has_mtime && r.version == version);
            if (same) {
              report.unchanged.push_back(versioned_name(entry.name, r.version));
              ++finished;
              ++state.entries_done;
              notify();
              return;
            }
          }
          set_mtime(file, version);  // lets the cache hard-link the file
          PutResult result = client.put(versioned_name(entry.name, version), file, options.put);
          if (result.outcome == PutResult::Outcome::NewerKept) {
            report.newer_kept.push_back(result.versioned);
          } else {
            report.stored.push_back(result.versioned);
            report.stored_bytes += unpacked.size;
            if (on_stored) on_stored(result.versioned);
          }
          ++finished;
          ++state.entries_done;
          notify();
        },
        cancel);
  } catch (const Error& e) {
    report.failure = e.what();
    report.cancelled = e.code() == ErrorCode::Cancelled;
    for (std::size_t i = finished; i < report.listing.files.size(); ++i)
      report.not_stored.push_back(report.listing.files[i].name);
  }
  return report;
}

}  // namespace ft
