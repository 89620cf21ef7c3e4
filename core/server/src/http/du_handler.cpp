// GET and HEAD /du/DIR[?top=N] (extension "du", docs/protocol.md): files and
// logical bytes of DIR and of each direct child folder, or with top=N of the
// N largest folders below DIR at any depth (the admin dashboard). Summed on
// the index in one range scan (folder_usage.hpp), cached until the files
// change. A principal limited to prefixes is counted only what it may read.
#include <charconv>

#include "http/du_handler.hpp"

#include "filetracker/protocol.hpp"
#include "filetracker/protocol_disk_usage.hpp"

namespace ft::server {

namespace {

constexpr std::size_t kMaxTop = 10000;

std::optional<std::size_t> top_parameter(const Target& target) {
  auto it = target.query.find("top");
  if (it == target.query.end()) return std::nullopt;
  const std::string& text = it->second;
  std::size_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value < 1 || value > kMaxTop)
    throw RequestError(400, "top is not an integer from 1 to " + std::to_string(kMaxTop) + ": " + quoted_name(text));
  return value;
}

}  // namespace

Answer get_disk_usage(const HandlerContext& context, FolderUsageCache& cache, const Request& request,
                      const Target& target) {
  // Without the extension the endpoint does not exist, as on the deployed server.
  if (!context.options.extensions || context.fallback)
    throw RequestError(400, "unknown endpoint \"" + target.endpoint + "\", expected \"files\" or \"list\"");
  const std::string& dir = target.path;
  check_directory_name(dir);
  const auto top = top_parameter(target);
  Storage& storage = context.storage;
  Index& index = storage.index();
  // Read before the scan: a write committed during it makes the entry
  // stale. Every committed batch of writes is counted once.
  const std::uint64_t generation = storage.write_stats().batch_size.snapshot().count;
  if (dir != "/" && index.find(dir)) throw RequestError(400, dir + ": is a file, not a directory");
  if (!index.directory_exists(dir)) throw RequestError(404, dir + ": no such directory");

  const Principal& principal = request.principal();
  std::string key = dir;
  for (const auto& prefix : principal.prefixes) key += '\n' + prefix;  // what it may read decides the sums
  auto tree = cache.get(key, generation, index.shared(), [&] {
    return scan_folder_usage(index, dir, [&](std::string_view name) {
      return principal.unrestricted() || principal.covers(name);
    });
  });

  protocol::DiskUsage usage{tree->total(), top ? tree->largest(*top) : tree->children()};
  TextReply reply;
  reply.content_type = std::string(protocol::kJsonContentType);
  reply.headers.emplace_back("Cache-Control", "no-store");
  reply.body = protocol::make_disk_usage(usage);
  return reply;
}

}  // namespace ft::server
