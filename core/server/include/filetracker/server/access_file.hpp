// The access file of filetracker-server --auth FILE: one principal a line,
//
//   # comment
//   NAME LEVEL HASH [PREFIX...]
//   judge read $argon2id$v=19$m=65536,t=2,p=1$...$... /tests/ /problems/
//
// NAME: letters, digits, '_', '-', '@', '+' (at most 64); LEVEL: read, write
// or admin; HASH: Argon2id (secret_hash.hpp); PREFIX: absolute directories
// limiting the principal. Written by `filetracker-server passwd`.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "filetracker/server/principal.hpp"

namespace ft::server {

struct AccessEntry {
  Principal principal;
  std::string hash;
};

// Is `name` a valid principal name?
bool is_principal_name(std::string_view name);

// Parses the file's text. Throws Error(InvalidArgument) "FILE:LINE: what is
// wrong" on the first bad line (`display` names the file).
std::vector<AccessEntry> parse_access_file(std::string_view text, const std::string& display);
// Reads and parses `path`. Throws Error(Io) when it cannot be read.
std::vector<AccessEntry> load_access_file(const std::filesystem::path& path);
std::string format_access_file(const std::vector<AccessEntry>& entries);
// Replaces `path` atomically (mode 0600 for a new file, else its mode kept).
void save_access_file(const std::filesystem::path& path, const std::vector<AccessEntry>& entries);

}  // namespace ft::server
