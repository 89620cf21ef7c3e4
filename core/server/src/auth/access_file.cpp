#include "filetracker/server/access_file.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <fstream>
#include <map>
#include <sstream>

#include "filetracker/atomic_file.hpp"
#include "filetracker/error.hpp"
#include "filetracker/protocol.hpp"
#include "filetracker/server/secret_hash.hpp"

namespace ft::server {
namespace {

std::vector<std::string_view> split_words(std::string_view line) {
  std::vector<std::string_view> words;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    std::size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t') ++i;
    if (i > start) words.push_back(line.substr(start, i - start));
  }
  return words;
}

}  // namespace

bool is_principal_name(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
              c == '@' || c == '+';
    if (!ok) return false;
  }
  return true;
}

std::vector<AccessEntry> parse_access_file(std::string_view text, const std::string& display) {
  std::vector<AccessEntry> entries;
  std::map<std::string, int, std::less<>> seen;  // name -> line
  int number = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    auto fail = [&](const std::string& what) -> void {
      throw Error(ErrorCode::InvalidArgument,
                  display + ":" + std::to_string(number) + ": " + protocol::sanitize_reason(what));
    };
    auto words = split_words(line);
    if (words.empty() || words[0].starts_with('#')) continue;
    if (words.size() < 3) fail("expected NAME LEVEL HASH [PREFIX...]");
    AccessEntry entry;
    if (!is_principal_name(words[0]))
      fail("\"" + std::string(words[0]) + "\" is not a valid name (letters, digits, _ - @ +; at most 64)");
    entry.principal.name = std::string(words[0]);
    auto level = parse_access_level(words[1]);
    if (!level || *level == AccessLevel::None)
      fail("unknown access level \"" + std::string(words[1]) + "\" (read, write or admin)");
    entry.principal.level = *level;
    if (!is_secret_hash(words[2]))
      fail("the secret of " + entry.principal.name +
           " is not an Argon2id hash (make entries with: filetracker-server passwd FILE NAME --access LEVEL)");
    entry.hash = std::string(words[2]);
    for (std::size_t i = 3; i < words.size(); ++i) {
      if (words[i].starts_with('#')) break;
      auto prefix = normalize_prefix(words[i]);
      if (!prefix) fail("\"" + std::string(words[i]) + "\" is not a prefix (an absolute directory such as /tests/)");
      entry.principal.prefixes.push_back(*prefix);
    }
    if (auto it = seen.find(entry.principal.name); it != seen.end())
      fail("\"" + entry.principal.name + "\" appears twice (also on line " + std::to_string(it->second) + ")");
    seen.emplace(entry.principal.name, number);
    entries.push_back(std::move(entry));
  }
  return entries;
}

std::vector<AccessEntry> load_access_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw_errno("cannot read the access file " + path.string());
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw_errno("cannot read the access file " + path.string());
  return parse_access_file(text.str(), path.string());
}

std::string format_access_file(const std::vector<AccessEntry>& entries) {
  std::string text =
      "# filetracker-server access file: NAME LEVEL HASH [PREFIX...]\n"
      "# Edit with: filetracker-server passwd FILE NAME --access read|write|admin [--prefix /dir/]...\n";
  for (const auto& e : entries) {
    text += e.principal.name;
    text += ' ';
    text += access_level_name(e.principal.level);
    text += ' ';
    text += e.hash;
    for (const auto& p : e.principal.prefixes) text += " " + p;
    text += '\n';
  }
  return text;
}

void save_access_file(const std::filesystem::path& path, const std::vector<AccessEntry>& entries) {
  unsigned mode = 0600;
  struct stat st;
  if (::stat(path.c_str(), &st) == 0) mode = st.st_mode & 07777;
  AtomicFile file(path, mode);
  file.write(format_access_file(entries));
  // AtomicFile's temp file gets `mode` minus the umask; say it exactly.
  ::fchmod(file.fd(), mode);
  file.commit();
}

}  // namespace ft::server
