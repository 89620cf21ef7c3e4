// The `filetracker` commands. Each returns the process exit status (0) or
// throws ft::Error, which the caller turns into one line on stderr and 1.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "command_context.hpp"

namespace ft::cli {

struct GetArgs {
  std::string name;
  std::string local;
  bool no_cache = false;
  bool refresh = false;
};
int cmd_get(CommandContext& context, const GetArgs& args);
// `args.local` is ignored: the content goes to stdout.
int cmd_cat(CommandContext& context, const GetArgs& args);

struct PutArgs {
  std::string local;
  std::string name;
  bool no_local_cache = false;
  bool no_remote_cache = false;
  bool no_compress = false;
};
int cmd_put(CommandContext& context, const PutArgs& args);

int cmd_rm(CommandContext& context, const std::string& name);
int cmd_version(CommandContext& context, const std::string& name);
int cmd_size(CommandContext& context, const std::string& name);

struct LsArgs {
  std::string directory = "/";
  bool recursive = false;
};
int cmd_ls(CommandContext& context, const LsArgs& args);

// `json`: the report of cache_report.hpp instead of rows.
int cmd_cache_ls(CommandContext& context, bool json = false);
int cmd_cache_size(CommandContext& context);

struct CacheVerifyArgs {
  bool repair = false;  // remove damage; fetch damaged files again when a server is configured
};
// Reads every cached file and compares it with its checksum record; lists
// damaged files and symbolic links. Exit 1 when damage is (left) found.
int cmd_cache_verify(CommandContext& context, const CacheVerifyArgs& args);

struct CacheCleanArgs {
  std::string size_limit;               // "1G512M"
  double percent = 50.0;                // of the limit to keep
  bool dry_run = false;
  std::optional<std::string> interval;  // "1h": keep running
  std::vector<std::string> cache_globs;  // empty: the configured cache (-c)
};
int cmd_cache_clean(CommandContext& context, const CacheCleanArgs& args);

// "2015-01-01 00:00:10" (UTC) for a version.
std::string format_version_date(Version version);

}  // namespace ft::cli
