// Disk usage per folder (extension "du"): files and logical bytes of every
// folder at and below a directory, from ONE range scan of the index in name
// order (SizeScan below, else Index::list_ordered), never a directory walk. In byte order
// the names below a folder are contiguous, so a stack of the open folders
// sums them without a map: each folder is closed once, when the scan leaves
// it. Answers are cached per index change (FolderUsageCache), so repeated
// listings and dashboards cost one lookup.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "filetracker/protocol_disk_usage.hpp"
#include "filetracker/server/index.hpp"

namespace ft::server {

class FolderUsageTree {
 public:
  // `dir`: "/" or "/a/b" (no trailing slash).
  explicit FolderUsageTree(std::string_view dir);
  // A file below the directory; REQUIRES: names come in byte order.
  void add(std::string_view name, std::uint64_t size);
  // Closes the folders still open; call once after the last add().
  void finish();

  const protocol::FolderUsage& total() const { return total_; }
  // The direct child folders, by path.
  std::vector<protocol::FolderUsage> children() const;
  // The n largest folders below the directory at any depth (not the
  // directory itself): by bytes, then files, descending, then by path.
  std::vector<protocol::FolderUsage> largest(std::size_t n) const;
  std::size_t folder_count() const { return folders_.size(); }

 private:
  struct Open {
    std::size_t end;  // the open folder is base_.substr(0, end) ("/a/b/")
    std::uint64_t files = 0, bytes = 0;
  };
  void close_to(std::size_t depth);

  protocol::FolderUsage total_;
  std::string base_;            // the open folders' path, "/d/a/b/"
  std::vector<Open> open_;      // below the directory, outermost first
  std::vector<protocol::FolderUsage> folders_;  // closed folders, any depth
  std::size_t dir_depth_ = 0;   // slashes in total_.path
};

// Scans `dir` in `index`, counting the files `visible` admits.
std::shared_ptr<const FolderUsageTree> scan_folder_usage(Index& index, std::string_view dir,
                                                         const std::function<bool(std::string_view name)>& visible);

// Recent trees by (directory, who asks), valid while the generation (the
// storage's count of committed write batches, Storage::write_stats()) is
// unchanged. An index shared with other servers changes without this one
// knowing: there an entry also expires after kSharedTtl.
class FolderUsageCache {
 public:
  static constexpr std::size_t kEntries = 64;
  static constexpr std::chrono::seconds kSharedTtl{5};

  std::shared_ptr<const FolderUsageTree> get(const std::string& key, std::uint64_t generation, bool shared,
                                             const std::function<std::shared_ptr<const FolderUsageTree>()>& compute);

 private:
  struct Entry {
    std::string key;
    std::uint64_t generation;
    std::chrono::steady_clock::time_point made;
    std::shared_ptr<const FolderUsageTree> tree;
  };
  std::mutex mutex_;
  std::list<Entry> entries_;  // most recently used first
};

}  // namespace ft::server
