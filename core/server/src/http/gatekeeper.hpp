// Access control at the door: who sent a request (authenticator.hpp) and
// whether that principal may do it. Pure decisions, no I/O; the connection
// asks before any handler runs (and before reading a PUT's body) and waits
// the throttle's delay before answering a failed authentication.
//
//   files   GET/HEAD: read, PUT: write, DELETE: admin, of the name
//   history GET/HEAD: read, POST (restore): write, DELETE (purge): admin,
//           of the name; DELETE /history/ (every name's): admin everywhere
//   list    read, of the directory or something below it (the listing then
//           shows only what the principal may read: list_handler.cpp)
//   version, health   anyone (no secrets there; clients probe them first)
//   metrics           admin (everywhere)
//   admin             admin (everywhere), never the anonymous principal
//                     when there is an access file
//   anything else     anyone (answered 400 by the router)
//
// A request without credentials is the anonymous principal's
// (--anonymous); wrong credentials are a 401 even where anonymous access
// would do, so a typo never silently downgrades a client. Refused:
// 401 (with WWW-Authenticate, failure.cpp) for the anonymous principal and
// wrong credentials, 403 for a known principal; the reasons never say
// whether a name exists.
#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "auth/failure_throttle.hpp"
#include "filetracker/server/authenticator.hpp"
#include "filetracker/server/principal.hpp"
#include "http/failure.hpp"
#include "http/request.hpp"
#include "http/request_rules.hpp"

namespace ft::server {

class Gatekeeper {
 public:
  // `access_file` empty: no access control (everyone is the anonymous
  // principal with `anonymous`). Otherwise loads it; throws
  // Error(InvalidArgument) "FILE:LINE: ..." when it is malformed.
  Gatekeeper(std::filesystem::path access_file, AccessLevel anonymous);

  struct Admission {
    std::shared_ptr<const Principal> principal;  // admitted when set
    std::optional<Failure> refusal;               // else this answer...
    std::chrono::milliseconds delay{0};           // ...after this long
  };
  Admission admit(const Request& request, const Target& target, const std::string& client_address);

  // SIGHUP: reads the access file again. A malformed file keeps the current
  // principals (logged as an error naming the line). Returns whether it took.
  bool reload();
  bool enabled() const { return !access_file_.empty(); }

 private:
  std::filesystem::path access_file_;
  std::shared_ptr<const Principal> anonymous_;
  std::atomic<std::shared_ptr<const Authenticator>> authenticator_;
  FailureThrottle throttle_;
};

}  // namespace ft::server
