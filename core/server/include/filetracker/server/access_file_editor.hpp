// Changing the access file while servers and other editors use it: the one
// read-modify-write that both `filetracker-server passwd` and the admin API
// (PUT/DELETE /admin/principals/NAME) go through.
//
// edit_access_file() takes an in-process mutex and an exclusive flock() on
// FILE.lock (other processes: another passwd, another server's admin API),
// reads the file as it is now, applies the change and replaces the file
// atomically (access_file.hpp) before letting go. So concurrent edits
// serialize and none is lost: each one starts from the file the previous
// one wrote. The lock file is a separate file because the access file
// itself is replaced (a lock on it would be on the old inode).
//
// The changes themselves (upsert_principal, remove_principal) work on the
// entries in memory; they validate and throw, and a throw inside
// edit_access_file leaves the file untouched.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "filetracker/error.hpp"
#include "filetracker/server/access_file.hpp"
#include "filetracker/server/principal.hpp"

namespace ft::server {

// A change refused because of what the file holds (it would leave no
// unrestricted admin, an admin removing itself): HTTP 409 in the admin API.
class AccessChangeRefused : public Error {
 public:
  explicit AccessChangeRefused(const std::string& message) : Error(ErrorCode::InvalidArgument, message) {}
};

// Under the locks: loads `file` (no entries when it is missing and
// `create` is true; else a missing file is an Error(Io)), runs `change` on
// the entries and saves them atomically unless `change` threw (then the
// exception propagates and the file is unchanged). Returns the saved entries.
std::vector<AccessEntry> edit_access_file(const std::filesystem::path& file,
                                          const std::function<void(std::vector<AccessEntry>&)>& change,
                                          bool create = false);

// Normalized prefixes; throws Error(InvalidArgument) naming the first one
// that is not an absolute directory.
std::vector<std::string> normalize_prefixes(const std::vector<std::string>& prefixes);

// An unrestricted admin: an `admin` principal without prefixes (may use the
// admin API and /metrics).
bool has_unrestricted_admin(const std::vector<AccessEntry>& entries);

struct PrincipalChange {
  std::string name;
  std::optional<AccessLevel> level;                  // nullopt: keep (required for a new principal)
  std::optional<std::vector<std::string>> prefixes;  // normalized; nullopt: keep (a new principal: none)
  std::optional<std::string> hash;                   // a new secret's hash; required for a new principal
  bool keep_an_admin = false;                        // refuse when no unrestricted admin would be left
};
struct PrincipalChangeResult {
  bool created = false;
  bool secret_changed = false;
  Principal principal;  // as saved
};
// Adds or updates `change.name` in `entries` (new ones at the end). Throws
// Error(InvalidArgument) for an invalid name or a new principal without a
// level or hash, AccessChangeRefused per keep_an_admin.
PrincipalChangeResult upsert_principal(std::vector<AccessEntry>& entries, const PrincipalChange& change);
// Removes `name`. Throws Error(NotFound) when there is none,
// AccessChangeRefused when `keep_an_admin` and no unrestricted admin would
// be left.
void remove_principal(std::vector<AccessEntry>& entries, const std::string& name, bool keep_an_admin = false);

}  // namespace ft::server
