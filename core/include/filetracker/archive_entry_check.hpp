// The rules an archive entry must pass before anything from its archive is
// stored (Qt-free, no libarchive: the reader feeds it, the fuzz target too).
//
// An archive is refused as a whole when any entry breaks a rule: a ".."
// or "." component, an absolute path, a name that is not a valid
// filetracker name once put under the target directory, a symbolic link,
// hard link, device, FIFO or socket, an encrypted entry (unsupported), the
// same path twice, a file that is also a directory, and the limits of
// ArchiveLimits (entries, unpacked bytes, compression ratio). Directory
// entries are accepted and store nothing (the store has no empty
// directories).
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "filetracker/archive_limits.hpp"

namespace ft {

// One offending entry: its path as the archive spells it and why.
struct ArchiveProblem {
  std::string entry;   // raw, as in the archive (shown through quoted_name)
  std::string reason;  // "a \"..\" component", "a symbolic link", ...
  // "\"../x\": a \"..\" component" (one line whatever the entry holds).
  std::string message() const;
  bool operator==(const ArchiveProblem&) const = default;
};

enum class ArchiveEntryType { File, Directory, Symlink, Hardlink, Device, Fifo, Socket, Other };

// An entry as the reader saw it.
struct RawArchiveEntry {
  std::string_view path;               // as stored (UTF-8 when the archive says so)
  ArchiveEntryType type = ArchiveEntryType::File;
  std::optional<std::uint64_t> size;   // declared unpacked size; nullopt: not declared
  bool encrypted = false;
};

class ArchiveEntryChecker {
 public:
  // `remote_dir`: the directory the files go under ("/" or a valid name
  // without a version). `archive_bytes`: the archive's size on disk, for the
  // compression ratio. Throws Error(InvalidArgument) for a bad remote_dir.
  ArchiveEntryChecker(std::string remote_dir, std::uint64_t archive_bytes, ArchiveLimits limits = {});

  // Checks one entry. Returns the normalised relative path ("a/b.txt") of a
  // file to store; nullopt for a directory or a refused entry (then a
  // problem is recorded). Once stop() is true, further entries are ignored.
  std::optional<std::string> add(const RawArchiveEntry& entry);
  // Counts `bytes` more unpacked bytes for `entry` (for entries without a
  // declared size, as the reader measures them).
  void add_unpacked(std::string_view entry, std::uint64_t bytes);
  // Refuses `entry` for what reading its data showed (damaged: a CRC-32
  // mismatch; or other bytes than its header declares). stop() is true after.
  void refuse_data(std::string_view entry, std::string reason);

  // A limit was hit: reading on cannot change the verdict.
  bool stop() const { return stop_; }
  const std::vector<ArchiveProblem>& problems() const { return problems_; }
  std::uint64_t unpacked_bytes() const { return unpacked_; }
  std::uint64_t entries() const { return entries_; }
  // The store name of a relative path: remote_dir + "/" + path.
  std::string remote_name(std::string_view relative) const;
  const std::string& remote_dir() const { return remote_dir_; }

 private:
  void refuse(std::string_view entry, std::string reason);
  void check_totals(std::string_view entry);

  std::string remote_dir_;
  std::uint64_t archive_bytes_;
  ArchiveLimits limits_;
  std::uint64_t entries_ = 0;
  std::uint64_t unpacked_ = 0;
  bool stop_ = false;
  bool totals_refused_ = false;
  std::set<std::string> files_;
  std::set<std::string> directories_;  // every directory a path implies or an entry names
  std::vector<ArchiveProblem> problems_;
};

// Why `relative` (an entry path, a trailing "/" and a leading "./" already
// removed) cannot be stored, or nullopt. The rules of a path, without the
// type and limit rules.
std::optional<std::string> archive_path_error(std::string_view relative);

// "refused: 3 entries: \"../x\": a \"..\" component; ..." — the one-line
// summary of `problems` (the first `shown`, then "and N more").
std::string describe_archive_problems(const std::vector<ArchiveProblem>& problems, std::size_t shown = 5);

}  // namespace ft
