// `filetracker history NAME` (the versions the server keeps, newest first),
// `filetracker history --purge NAME` (admin: remove them) and
// `filetracker restore NAME@VERSION` (make a kept version current again,
// under a new version). `filetracker get NAME@VERSION OUT` fetches a kept
// version through the ordinary get (core's RemoteDataStore asks the
// server's history for it). Needs a server with the "history" extension
// (filetracker-server --keep-versions / --keep-for).
#pragma once

#include <string>

#include "command_context.hpp"

namespace ft::cli {

struct HistoryArgs {
  std::string name;
  bool purge = false;  // remove the kept versions instead of listing them ("/": of every name)
};
int cmd_history(CommandContext& context, const HistoryArgs& args);
int cmd_restore(CommandContext& context, const std::string& versioned);

}  // namespace ft::cli
