// `filetracker put --extract ARCHIVE REMOTE_DIR` and
// `filetracker get --archive REMOTE_DIR OUT` (core's archive_upload and
// archive_download do the work; this is the command line around them).
#pragma once

#include <cstdint>
#include <string>

#include "command_context.hpp"

namespace ft::cli {

struct PutExtractArgs {
  std::string archive;
  std::string remote_dir;
  bool no_local_cache = false;
  bool no_remote_cache = false;
  bool no_compress = false;
  bool version_now = false;
  std::uint64_t max_entries = 0;  // 0: the default
  std::string max_size;           // "" : the default; "16G"
  double max_ratio = 0;           // 0: the default
};
int cmd_put_extract(CommandContext& context, const PutExtractArgs& args);

struct GetArchiveArgs {
  std::string remote_dir;
  std::string out;  // "-": tar on stdout
  bool refresh = false;
};
int cmd_get_archive(CommandContext& context, const GetArchiveArgs& args);

}  // namespace ft::cli
