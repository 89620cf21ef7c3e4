#include "filetracker/archive_entry_check.hpp"

#include <cstdio>

#include "filetracker/error.hpp"
#include "filetracker/name.hpp"
#include "filetracker/size_string.hpp"

namespace ft {

std::string ArchiveProblem::message() const { return quoted_name(entry) + ": " + reason; }

std::optional<std::string> archive_path_error(std::string_view relative) {
  if (relative.empty()) return "an empty path";
  if (relative.front() == '/') return "an absolute path";
  // A Windows separator would turn into one name here and into a path
  // (perhaps "..\\..\\x") wherever the tree is unpacked again.
  if (relative.find('\\') != std::string_view::npos) return "a backslash in the path";
  if (relative.size() >= 2 && relative[1] == ':') return "an absolute path (a drive letter)";
  std::size_t start = 0;
  while (start <= relative.size()) {
    std::size_t end = relative.find('/', start);
    if (end == std::string_view::npos) end = relative.size();
    std::string_view component = relative.substr(start, end - start);
    if (component == "..") return "a \"..\" component";
    if (component == ".") return "a \".\" component";
    if (component.empty()) return "an empty path component";
    start = end + 1;
  }
  return std::nullopt;
}

ArchiveEntryChecker::ArchiveEntryChecker(std::string remote_dir, std::uint64_t archive_bytes, ArchiveLimits limits)
    : remote_dir_(std::move(remote_dir)), archive_bytes_(archive_bytes), limits_(limits) {
  while (remote_dir_.size() > 1 && remote_dir_.back() == '/') remote_dir_.pop_back();
  if (remote_dir_ != "/") check_name(remote_dir_, false);
}

std::string ArchiveEntryChecker::remote_name(std::string_view relative) const {
  return (remote_dir_ == "/" ? std::string() : remote_dir_) + "/" + std::string(relative);
}

void ArchiveEntryChecker::refuse(std::string_view entry, std::string reason) {
  problems_.push_back(ArchiveProblem{std::string(entry), std::move(reason)});
}

void ArchiveEntryChecker::check_totals(std::string_view entry) {
  if (totals_refused_) return;
  if (unpacked_ > limits_.max_unpacked_bytes) {
    refuse(entry, "the unpacked size passes the limit of " + format_size(limits_.max_unpacked_bytes) +
                      " here (a zip bomb?)");
  } else if (unpacked_ > limits_.ratio_floor_bytes &&
             static_cast<double>(unpacked_) > limits_.max_ratio * static_cast<double>(archive_bytes_)) {
    char ratio[64];
    std::snprintf(ratio, sizeof ratio, "%.0f:1", limits_.max_ratio);
    refuse(entry, "the compression ratio passes the limit of " + std::string(ratio) + " here (" +
                      format_size(unpacked_) + " from a " + format_size(archive_bytes_) + " archive: a zip bomb?)");
  } else {
    return;
  }
  totals_refused_ = true;
  stop_ = true;
}

std::optional<std::string> ArchiveEntryChecker::add(const RawArchiveEntry& entry) {
  if (stop_) return std::nullopt;
  if (++entries_ > limits_.max_entries) {
    refuse(entry.path, "more than " + std::to_string(limits_.max_entries) + " entries");
    stop_ = true;
    return std::nullopt;
  }
  // Spellings that mean the same path: "./a", "a/" for a directory.
  std::string_view path = entry.path;
  while (path.size() >= 2 && path.substr(0, 2) == "./") path.remove_prefix(2);
  const bool trailing_slash = !path.empty() && path.back() == '/' && path.size() > 1;
  if (trailing_slash) path.remove_suffix(1);
  if (path == "." || (path.empty() && entry.type == ArchiveEntryType::Directory)) return std::nullopt;  // the root

  if (auto error = archive_path_error(path)) {
    refuse(entry.path, *error);
    return std::nullopt;
  }
  switch (entry.type) {
    case ArchiveEntryType::File:
      if (trailing_slash) {
        refuse(entry.path, "a file whose name ends with \"/\"");
        return std::nullopt;
      }
      break;
    case ArchiveEntryType::Directory:
      break;
    case ArchiveEntryType::Symlink: refuse(entry.path, "a symbolic link"); return std::nullopt;
    case ArchiveEntryType::Hardlink: refuse(entry.path, "a hard link"); return std::nullopt;
    case ArchiveEntryType::Device: refuse(entry.path, "a device"); return std::nullopt;
    case ArchiveEntryType::Fifo: refuse(entry.path, "a FIFO"); return std::nullopt;
    case ArchiveEntryType::Socket: refuse(entry.path, "a socket"); return std::nullopt;
    case ArchiveEntryType::Other: refuse(entry.path, "an entry of an unknown type"); return std::nullopt;
  }
  if (entry.encrypted) {
    refuse(entry.path, "encrypted (unsupported: decrypt the archive first)");
    return std::nullopt;
  }
  const std::string relative(path);
  if (auto error = name_error(remote_name(relative), false)) {
    refuse(entry.path, *error);
    return std::nullopt;
  }
  if (entry.type == ArchiveEntryType::Directory) {
    if (files_.count(relative)) refuse(entry.path, "a directory with the name of a file");
    directories_.insert(relative);
    return std::nullopt;
  }
  if (files_.count(relative)) {
    refuse(entry.path, "a duplicate entry");
    return std::nullopt;
  }
  if (directories_.count(relative)) {
    refuse(entry.path, "a file with the name of a directory");
    return std::nullopt;
  }
  // Every parent of this file is a directory, so none may be a file.
  for (std::size_t slash = relative.find('/'); slash != std::string::npos; slash = relative.find('/', slash + 1)) {
    std::string parent = relative.substr(0, slash);
    if (files_.count(parent)) {
      refuse(entry.path, "below " + quoted_name(parent) + ", which is a file");
      return std::nullopt;
    }
    directories_.insert(std::move(parent));
  }
  files_.insert(relative);
  if (entry.size) {
    unpacked_ += *entry.size;
    check_totals(entry.path);
    if (totals_refused_) return std::nullopt;
  }
  return relative;
}

void ArchiveEntryChecker::refuse_data(std::string_view entry, std::string reason) {
  refuse(entry, std::move(reason));
  stop_ = true;
}

void ArchiveEntryChecker::add_unpacked(std::string_view entry, std::uint64_t bytes) {
  unpacked_ += bytes;
  check_totals(entry);
}

std::string describe_archive_problems(const std::vector<ArchiveProblem>& problems, std::size_t shown) {
  if (problems.empty()) return {};
  std::string out = problems.size() == 1 ? "refused: " : "refused, " + std::to_string(problems.size()) + " entries: ";
  for (std::size_t i = 0; i < problems.size() && i < shown; ++i) {
    if (i) out += "; ";
    out += problems[i].message();
  }
  if (problems.size() > shown) out += "; and " + std::to_string(problems.size() - shown) + " more";
  out += "; nothing was stored";
  return out;
}

}  // namespace ft
