// `put --extract` and the GUI's "Upload archive as folder": every file of an
// archive becomes REMOTE_DIR/<entry path> in the store, through a Client
// (server and cache as for one `put`).
//
// Nothing is stored from an archive that breaks a rule (ArchiveRefused is
// thrown after pass 1, see archive_reader.hpp). Each file is then unpacked
// into a scratch file (one at a time: memory and disk stay bounded by the
// largest entry) and hashed on the way; it is stored with its mtime as the
// version (or the current time), and not sent at all when the server
// already holds that content under that version or a newer one (size and
// SHA-256 from one listing of REMOTE_DIR; size and version when the server
// gives no checksums). A failure half-way (the server gone, a damaged entry)
// ends the upload with a report of what was stored and what was not, so the
// same call again finishes the job without sending anything twice.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "filetracker/archive_limits.hpp"
#include "filetracker/archive_reader.hpp"
#include "filetracker/client.hpp"

namespace ft {

struct ArchiveUploadOptions {
  ArchiveLimits limits;
  PutOptions put;            // to_local / to_remote / compress_hint, as for one put
  bool version_now = false;  // every file gets the current time as its version, not its mtime
  // Directory for the scratch file of the entry being stored. Empty: TMPDIR, else /tmp.
  // What a killed upload left there is removed by the next upload.
  std::filesystem::path scratch_dir;
};

struct ArchiveUploadProgress {
  std::uint64_t entries_done = 0;  // files finished (stored, unchanged or kept newer)
  std::uint64_t entries_total = 0;
  std::uint64_t bytes_done = 0;  // unpacked bytes of the files finished and of the current one so far
  std::uint64_t bytes_total = 0;
  std::string current;  // the store name being worked on
};
using ArchiveUploadProgressSink = std::function<void(const ArchiveUploadProgress&)>;

struct ArchiveUploadReport {
  ArchiveListing listing;
  std::vector<std::string> stored;      // versioned names stored now
  std::vector<std::string> unchanged;   // already on the server with this content: not sent
  std::vector<std::string> newer_kept;  // the server holds a newer version and kept it: not stored
  std::vector<std::string> not_stored;  // after a failure: the files not (yet) stored, unversioned
  std::uint64_t stored_bytes = 0;
  std::string failure;     // the error that stopped the upload; empty when it ran to the end
  bool cancelled = false;  // it stopped because `cancel` became true
  bool complete() const { return failure.empty(); }
};

// Stores the files of `archive` under `remote_dir`. Throws ArchiveRefused
// (nothing stored) for a hostile archive, Error for an unreadable one or a
// bad remote_dir; everything that goes wrong after the first file is
// reported in the result instead. `on_stored` (optional) is called after
// each file stored, with its versioned name.
ArchiveUploadReport upload_archive(Client& client, const std::filesystem::path& archive, std::string_view remote_dir,
                                   const ArchiveUploadOptions& options = {},
                                   const ArchiveUploadProgressSink& progress = {},
                                   const std::atomic<bool>* cancel = nullptr,
                                   const std::function<void(const std::string&)>& on_stored = {});

}  // namespace ft
