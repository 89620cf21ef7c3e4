// filetracker-server passwd FILE NAME --access LEVEL [--prefix P]...
// filetracker-server passwd FILE --delete NAME
//
// Adds, updates or removes a principal of an access file (--auth FILE).
// The secret comes from stdin (a terminal is asked without echo); when
// stdin is empty a random one is generated and printed once, with the
// Bearer token that goes with it. The file is replaced atomically; a running
// server takes the change on SIGHUP.
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

struct PasswdCommand {
  std::string file;
  std::string name;
  std::string access;
  std::vector<std::string> prefixes;
  std::string delete_name;

  // Adds the subcommand "passwd" to `app`.
  CLI::App* add_to(CLI::App& app);
  // Returns the exit code (0, 1 on an error: one line on stderr, nothing changed).
  int run();
};
