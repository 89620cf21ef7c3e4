// `filetracker find`: the files below a directory whose names match a glob,
// optionally within size and date bounds; one line per match as found.
#pragma once

#include <optional>
#include <string>

#include "command_context.hpp"

namespace ft::cli {

struct FindArgs {
  std::string directory = "/";
  std::string name = "*";          // --name GLOB (filetracker/name_pattern.hpp)
  std::optional<std::string> min_size, max_size;  // --min-size/--max-size N (units K M G T allowed)
  std::optional<std::string> newer, older;        // --newer/--older DATE (date_argument.hpp)
};
// Prints "NAME@VERSION  SIZE" per match (stdout), in name order; -v says
// how many and whether the server searched. Exit 0 also with no match.
int cmd_find(CommandContext& context, const FindArgs& args);

}  // namespace ft::cli
