// `filetracker-server -d DIR --import-upstream OLD_DIR` and `--import-tree
// TREE`: runs the import (core/server import.hpp) with a progress line on
// stderr and prints the final report on stdout.
#pragma once

#include <filesystem>

namespace ft::server {

enum class ImportSource { Upstream, Tree };

// Exit code: 0 when every entry was imported (or already was), 1 when some
// were not (each listed); throws Error when the import could not run.
int run_import(ImportSource source, const std::filesystem::path& data_dir, const std::filesystem::path& from,
               int gzip_level);

}  // namespace ft::server
