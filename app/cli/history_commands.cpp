#include "history_commands.hpp"

#include <cstdio>

#include "commands.hpp"
#include "filetracker/error.hpp"
#include "filetracker/name.hpp"

namespace ft::cli {

int cmd_history(CommandContext& context, const HistoryArgs& args) {
  RemoteDataStore& remote = context.remote();
  if (args.purge) {
    const std::size_t removed = remote.purge_history(args.name);
    std::printf("removed %zu kept version%s of %s\n", removed, removed == 1 ? "" : "s",
                args.name == "/" ? "every file" : args.name.c_str());
    return 0;
  }
  const SplitName split = parse_name(args.name);
  if (split.version)
    throw Error(ErrorCode::InvalidArgument, args.name + ": give the name without a version (every version is listed)");
  // Newest first: versioned name, size in bytes, date of the version (UTC),
  // the SHA-256's first 12 hex digits, and "current" for the stored file.
  for (const auto& v : remote.history(split.name).versions)
    std::printf("%s  %12llu  %s  %.12s%s\n", versioned_name(split.name, v.version).c_str(),
                static_cast<unsigned long long>(v.size), format_version_date(v.version).c_str(), v.sha256.c_str(),
                v.current ? "  current" : "");
  return 0;
}

int cmd_restore(CommandContext& context, const std::string& versioned) {
  const SplitName split = parse_name(versioned);
  if (!split.version)
    throw Error(ErrorCode::InvalidArgument, versioned + ": name the version to restore, NAME@VERSION (see filetracker history)");
  const std::string now = context.remote().restore(versioned);
  std::printf("%s\n", now.c_str());
  context.verbose("restored " + versioned + " as " + now);
  return 0;
}

}  // namespace ft::cli
