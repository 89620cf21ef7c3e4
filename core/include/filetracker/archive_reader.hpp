// Reading an archive for the store (libarchive; zip, tar, tar.gz, tar.bz2,
// tar.xz, tar.zst, 7z), in two passes over the file so that nothing is
// stored from an archive that breaks a rule (archive_entry_check.hpp):
//
//   1. list_archive reads every entry, headers and data (the bytes counted
//      against the declared size, a zip's CRC-32 checked), and checks every
//      entry and the limits: a damaged or forged entry is refused here,
//      before anything is stored;
//   2. read_archive_files streams the files one by one, in bounded memory,
//      checking that the archive still lists the same files and that no
//      entry yields more bytes than pass 1 saw (a header can lie: the actual
//      bytes are counted against the declared sizes and the limits).
//
// Only the formats and filters above are enabled: libarchive's "all" would
// also read mtree specifications (which name files on the local disk, an
// archive that reads the reader's own files) and start external programs
// for some filters.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <istream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "filetracker/archive_entry_check.hpp"
#include "filetracker/archive_limits.hpp"
#include "filetracker/error.hpp"
#include "filetracker/name.hpp"

namespace ft {

// A file of an archive that passed the checks.
struct ArchiveFile {
  std::string entry;     // the path as the archive spells it
  std::string relative;  // normalised: "a/b.txt"
  std::string name;      // the store name: REMOTE_DIR/a/b.txt
  std::uint64_t size = 0;  // declared (or, without a declaration, counted in pass 1)
  std::optional<Version> mtime;  // none: the archive does not say (or says something no version holds)
};

struct ArchiveListing {
  std::string format;               // libarchive's name of it, e.g. "ZIP 2.0 (deflation)"
  std::uint64_t archive_bytes = 0;  // the archive file's size
  std::uint64_t entries = 0;        // every entry, directories too
  std::uint64_t unpacked_bytes = 0;  // of the files
  std::vector<ArchiveFile> files;   // in archive order
  std::vector<ArchiveProblem> problems;  // non-empty: refused, store nothing
  bool refused() const { return !problems.empty(); }
};

// An archive that breaks a rule: what() is the one-line summary
// (describe_archive_problems, after the archive's path), problems() each entry.
class ArchiveRefused : public Error {
 public:
  ArchiveRefused(const std::string& archive, std::vector<ArchiveProblem> problems);
  const std::vector<ArchiveProblem>& problems() const { return problems_; }

 private:
  std::vector<ArchiveProblem> problems_;
};

// Pass 1 over the archive file. Files go under `remote_dir`. Throws
// Error(InvalidArgument) for a file that is not a readable archive (or is
// damaged), Error(Io) when it cannot be opened, Error(Cancelled) when
// `cancel` becomes true. A refusal is not thrown: see ArchiveListing::problems.
ArchiveListing list_archive(const std::filesystem::path& archive, std::string_view remote_dir,
                            const ArchiveLimits& limits = {}, const std::atomic<bool>* cancel = nullptr);
// The same over bytes in memory (for the fuzz target); `display` names them.
ArchiveListing list_archive_memory(const void* data, std::size_t size, std::string_view remote_dir,
                                   const ArchiveLimits& limits = {}, std::string_view display = "archive");

// Pass 2: calls `sink` for each file of `listing` (which must come from
// list_archive of the same file and not be refused), in order, with a
// stream of its content. The stream has badbit in exceptions(): a damaged
// archive, an entry longer than pass 1 saw or a cancel throws ft::Error out
// of the sink's reads. Throws Error(InvalidArgument) when the archive no
// longer lists the same files (it changed between the passes). Entries the
// sink does not read to the end are skipped.
using ArchiveFileSink = std::function<void(const ArchiveFile& file, std::istream& content)>;
void read_archive_files(const std::filesystem::path& archive, const ArchiveListing& listing,
                        const ArchiveFileSink& sink, const std::atomic<bool>* cancel = nullptr);
// The same over bytes in memory (the fuzz target).
void read_archive_memory_files(const void* data, std::size_t size, const ArchiveListing& listing,
                               const ArchiveFileSink& sink, std::string_view display = "archive");

}  // namespace ft
