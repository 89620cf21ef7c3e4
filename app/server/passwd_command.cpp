#include "passwd_command.hpp"

#include <termios.h>
#include <unistd.h>

#include <iostream>
#include <iterator>

#include "filetracker/error.hpp"
#include "filetracker/server/access_file.hpp"
#include "filetracker/server/access_file_editor.hpp"
#include "filetracker/server/secret_hash.hpp"

namespace srv = ft::server;

namespace {

// The secret: a line from a terminal (no echo), else all of stdin minus a
// final newline. Empty: none given.
std::string read_secret() {
  if (::isatty(STDIN_FILENO)) {
    std::cerr << "secret (empty: generate one): " << std::flush;
    termios old{};
    bool restore = ::tcgetattr(STDIN_FILENO, &old) == 0;
    if (restore) {
      termios quiet = old;
      quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
      ::tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    }
    std::string line;
    std::getline(std::cin, line);
    if (restore) ::tcsetattr(STDIN_FILENO, TCSANOW, &old);
    std::cerr << '\n';
    return line;
  }
  std::string all((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
  if (!all.empty() && all.back() == '\n') all.pop_back();
  if (!all.empty() && all.back() == '\r') all.pop_back();
  return all;
}

}  // namespace

CLI::App* PasswdCommand::add_to(CLI::App& app) {
  auto* cmd = app.add_subcommand("passwd", "add, update or remove a principal of an access file (--auth FILE)");
  cmd->add_option("FILE", file, "the access file (created when missing)")->required();
  cmd->add_option("NAME", name, "the principal (letters, digits, _ - @ +)");
  cmd->add_option("--access", access, "read (GET, list), write (read + PUT) or admin (write + DELETE)")
      ->check(CLI::IsMember({"read", "write", "admin"}));
  cmd->add_option("--prefix", prefixes, "limit the principal to names below this directory (repeatable)");
  cmd->add_option("--delete", delete_name, "remove this principal instead");
  cmd->footer(
      "The secret is read from stdin; when stdin is empty, a random secret is generated and printed, with its Bearer "
      "token (NAME.SECRET). Send the server SIGHUP (systemctl reload filetracker-server) to apply a change.");
  return cmd;
}

int PasswdCommand::run() {
  try {
    if (!delete_name.empty()) {
      if (!name.empty() || !access.empty() || !prefixes.empty())
        throw ft::Error(ft::ErrorCode::InvalidArgument, "--delete NAME takes no other NAME, --access or --prefix");
      try {
        srv::edit_access_file(file, [&](std::vector<srv::AccessEntry>& entries) {
          srv::remove_principal(entries, delete_name);
        });
      } catch (const ft::Error& e) {
        if (e.code() != ft::ErrorCode::NotFound) throw;
        throw ft::Error(ft::ErrorCode::NotFound, file + ": " + e.what());
      }
      std::cerr << "removed " << delete_name << " from " << file << '\n';
      return 0;
    }
    if (name.empty()) throw ft::Error(ft::ErrorCode::InvalidArgument, "NAME is required (or --delete NAME)");
    if (!srv::is_principal_name(name))
      throw ft::Error(ft::ErrorCode::InvalidArgument,
                      "\"" + name + "\" is not a valid name (letters, digits, _ - @ +; at most 64)");
    if (access.empty()) throw ft::Error(ft::ErrorCode::InvalidArgument, "--access read|write|admin is required");
    srv::PrincipalChange change;
    change.name = name;
    change.level = *srv::parse_access_level(access);
    try {
      change.prefixes = srv::normalize_prefixes(prefixes);
    } catch (const ft::Error& e) {
      throw ft::Error(ft::ErrorCode::InvalidArgument, std::string("--") + e.what());
    }
    std::string secret = read_secret();
    bool generated = secret.empty();
    if (generated) secret = srv::generate_secret();
    if (secret.find_first_of("\n\r") != std::string::npos || secret.size() > 1024)
      throw ft::Error(ft::ErrorCode::InvalidArgument, "the secret must be one line of at most 1024 bytes");
    change.hash = srv::hash_secret(secret);  // before taking the lock: Argon2id takes a while
    srv::PrincipalChangeResult result;
    srv::edit_access_file(
        file, [&](std::vector<srv::AccessEntry>& entries) { result = srv::upsert_principal(entries, change); },
        /*create=*/true);
    if (generated) {
      std::cout << "secret: " << secret << "\ntoken: " << name << "." << secret << '\n';
    }
    std::cerr << (result.created ? "added " : "updated ") << name << " (" << access << ") in " << file << '\n';
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "filetracker-server passwd: " << e.what() << '\n';
    return 1;
  }
}
