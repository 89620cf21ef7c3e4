#include "folder_usage.hpp"

#include "size_scan.hpp"

#include <algorithm>
#include <limits>

namespace ft::server {

FolderUsageTree::FolderUsageTree(std::string_view dir) {
  total_.path = std::string(dir);
  if (total_.path.empty() || total_.path.back() != '/') total_.path += '/';
  base_ = total_.path;
  dir_depth_ = static_cast<std::size_t>(std::count(total_.path.begin(), total_.path.end(), '/'));
}

void FolderUsageTree::close_to(std::size_t depth) {
  while (open_.size() > depth) {
    const Open& o = open_.back();
    folders_.push_back(protocol::FolderUsage{base_.substr(0, o.end), o.files, o.bytes});
    open_.pop_back();
    base_.resize(open_.empty() ? total_.path.size() : open_.back().end);
  }
}

void FolderUsageTree::add(std::string_view name, std::uint64_t size) {
  ++total_.files;
  total_.bytes += size;
  // How many of the open folders hold `name`: they are prefixes of base_.
  std::size_t keep = 0;
  while (keep < open_.size() && name.size() > open_[keep].end &&
         name.compare(0, open_[keep].end, base_, 0, open_[keep].end) == 0)
    ++keep;
  close_to(keep);
  // Open the folders of `name` below those (none for a file right in them).
  for (std::size_t slash = name.find('/', base_.size()); slash != std::string_view::npos;
       slash = name.find('/', slash + 1)) {
    base_.append(name.substr(base_.size(), slash + 1 - base_.size()));
    open_.push_back(Open{base_.size()});
  }
  for (Open& o : open_) {
    ++o.files;
    o.bytes += size;
  }
}

void FolderUsageTree::finish() { close_to(0); }

std::vector<protocol::FolderUsage> FolderUsageTree::children() const {
  std::vector<protocol::FolderUsage> out;
  for (const auto& f : folders_)
    if (static_cast<std::size_t>(std::count(f.path.begin(), f.path.end(), '/')) == dir_depth_ + 1) out.push_back(f);
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.path < b.path; });
  return out;
}

std::vector<protocol::FolderUsage> FolderUsageTree::largest(std::size_t n) const {
  std::vector<protocol::FolderUsage> out = folders_;
  auto bigger = [](const protocol::FolderUsage& a, const protocol::FolderUsage& b) {
    if (a.bytes != b.bytes) return a.bytes > b.bytes;
    if (a.files != b.files) return a.files > b.files;
    return a.path < b.path;
  };
  n = std::min(n, out.size());
  std::partial_sort(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(n), out.end(), bigger);
  out.resize(n);
  return out;
}

std::shared_ptr<const FolderUsageTree> scan_folder_usage(Index& index, std::string_view dir,
                                                         const std::function<bool(std::string_view)>& visible) {
  auto tree = std::make_shared<FolderUsageTree>(dir);
  auto add = [&](std::string_view name, std::uint64_t size) {
    if (visible(name)) tree->add(name, size);
  };
  if (auto* scan = dynamic_cast<SizeScan*>(&index)) {
    scan->for_each_size_below(dir, add);
  } else {
    index.list_ordered(dir, {}, std::numeric_limits<Version>::max(), [&](const FileRecord& r) {
      add(r.name, r.size);
      return true;
    });
  }
  tree->finish();
  return tree;
}

std::shared_ptr<const FolderUsageTree> FolderUsageCache::get(
    const std::string& key, std::uint64_t generation, bool shared,
    const std::function<std::shared_ptr<const FolderUsageTree>()>& compute) {
  const auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(mutex_);
    for (auto it = entries_.begin(); it != entries_.end(); ++it) {
      if (it->key != key) continue;
      if (it->generation == generation && (!shared || now - it->made < kSharedTtl)) {
        entries_.splice(entries_.begin(), entries_, it);
        return entries_.front().tree;
      }
      entries_.erase(it);
      break;
    }
  }
  // Computed outside the lock: a long scan does not hold up other folders.
  auto tree = compute();
  std::lock_guard lock(mutex_);
  entries_.push_front(Entry{key, generation, now, tree});
  if (entries_.size() > kEntries) entries_.pop_back();
  return tree;
}

}  // namespace ft::server
