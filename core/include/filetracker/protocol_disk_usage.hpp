// The disk usage extension's wire format (docs/protocol.md, "Disk usage"),
// shared by the server and the clients.
//   GET /du/D          D's totals and each direct child folder's, by path
//   GET /du/D?top=N    D's totals and the N largest folders below D at any
//                      depth (by bytes, then files, descending, then path)
// Body:
//   {"path": "/d/", "files": 12, "bytes": 3400,
//    "folders": [{"path": "/d/a/", "files": 10, "bytes": 3000}, ...]}
// Paths end with '/'; files and bytes count every file below the folder at
// any depth (logical sizes), only those the requester may read.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ft::protocol {

// Advertised in GET /version's "extensions".
inline constexpr std::string_view kExtDiskUsage = "du";

struct FolderUsage {
  std::string path;  // "/d/a/"
  std::uint64_t files = 0;
  std::uint64_t bytes = 0;
  bool operator==(const FolderUsage&) const = default;
};
struct DiskUsage {
  FolderUsage total;                 // D itself
  std::vector<FolderUsage> folders;  // children, or the N largest
  bool operator==(const DiskUsage&) const = default;
};
// "/du/a%20b" (D "/" -> "/du/"), with "?top=N" when given.
std::string disk_usage_target(std::string_view dir, std::optional<std::size_t> top = std::nullopt);
// Throws Error(Protocol) on malformed JSON or missing fields.
DiskUsage parse_disk_usage(std::string_view body);
std::string make_disk_usage(const DiskUsage& usage);

}  // namespace ft::protocol
