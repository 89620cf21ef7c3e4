// `get --archive` and the GUI's "Download as archive": files of the store,
// streamed one by one from the Client (the cache when it holds the version,
// else the server) into an ArchiveWriter, each under its path relative to
// the chosen folder and with its version as mtime.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "filetracker/archive_writer.hpp"
#include "filetracker/client.hpp"
#include "filetracker/remote_data_store.hpp"

namespace ft {

struct ArchiveItem {
  std::string name;      // unversioned store name
  std::string relative;  // its path in the archive
  Version version = 0;
  std::uint64_t size = 0;
};

// Every file below `folder` (one recursive listing), relative to it.
// Throws Error(NotFound) when there is no file below it.
std::vector<ArchiveItem> plan_folder_archive(RemoteDataStore& remote, std::string_view folder);
// A selection in the view of `folder`: `names` are files or directories
// (absolute, below `folder`); a directory brings every file below it.
// Paths are relative to `folder`. A name listed twice (or inside a selected
// directory) is archived once.
std::vector<ArchiveItem> plan_selection_archive(RemoteDataStore& remote, std::string_view folder,
                                                const std::vector<std::string>& files,
                                                const std::vector<std::string>& directories);

struct ArchiveDownloadProgress {
  std::uint64_t entries_done = 0;
  std::uint64_t entries_total = 0;
  std::uint64_t bytes_done = 0;
  std::uint64_t bytes_total = 0;
  std::string current;
};
using ArchiveDownloadProgressSink = std::function<void(const ArchiveDownloadProgress&)>;

// Writes `items` into `writer` and commits it. Throws ft::Error (nothing is
// committed then), Error(Cancelled) when `cancel` becomes true.
// `force_refresh`: read from the server even when the cache holds a file.
void write_store_archive(Client& client, const std::vector<ArchiveItem>& items, ArchiveWriter& writer,
                         const ArchiveDownloadProgressSink& progress = {}, const std::atomic<bool>* cancel = nullptr,
                         bool force_refresh = false);

}  // namespace ft
