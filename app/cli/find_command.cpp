#include "find_command.hpp"

#include <cstdint>
#include <cstdio>
#include <string>

#include "date_argument.hpp"
#include "filetracker/find_query.hpp"
#include "filetracker/size_string.hpp"

namespace ft::cli {

namespace {

// --min-size 1000 is bytes (the issue's `--min-size N`); with units as
// elsewhere in the CLI (4K, 1G512M).
std::uint64_t size_argument(const std::string& text) {
  if (!text.empty() && text.size() <= 19 && text.find_first_not_of("0123456789") == std::string::npos)
    return std::stoull(text);
  return parse_size(text);
}

}  // namespace

int cmd_find(CommandContext& context, const FindArgs& args) {
  FindQuery query;
  query.pattern = args.name;
  if (args.min_size) query.min_size = size_argument(*args.min_size);
  if (args.max_size) query.max_size = size_argument(*args.max_size);
  if (args.newer) query.newer = parse_date_argument(*args.newer, "--newer");
  if (args.older) query.older = parse_date_argument(*args.older, "--older");
  RemoteDataStore& remote = context.remote();
  auto result = remote.find(args.directory, query, [](const RemoteEntry& e) {
    std::printf("%s  %llu\n", versioned_name(e.name, e.version).c_str(), static_cast<unsigned long long>(e.size));
  });
  std::fflush(stdout);
  context.verbose(std::to_string(result.matches) + " files found (" +
                  (result.server_side ? "searched by the server" : "listing matched here") + "), " +
                  std::to_string(remote.requests_sent()) + " requests");
  return 0;
}

}  // namespace ft::cli
