#include "http/gatekeeper.hpp"

#include "filetracker/error.hpp"
#include "filetracker/protocol.hpp"
#include "filetracker/server/log.hpp"

namespace ft::server {
namespace {

// What the request needs; nullopt: open to anyone.
struct Need {
  AccessLevel level;
  bool listing = false;      // of a directory: may_list()
  bool everywhere = false;   // not about one name: an unrestricted principal
  bool named = false;        // a principal of the access file, never the anonymous one
};

std::optional<Need> needed(Method method, const Target& target) {
  if (target.endpoint == "files") {
    switch (method) {
      case Method::Get:
      case Method::Head: return Need{AccessLevel::Read};
      case Method::Put: return Need{AccessLevel::Write};
      case Method::Delete: return Need{AccessLevel::Admin};
      case Method::Post:
      case Method::Other: return std::nullopt;  // 405 from the router
    }
  }
  if (target.endpoint == "history") {  // version history: like the file, restoring writes, purging is admin's
    switch (method) {
      case Method::Get:
      case Method::Head: return Need{AccessLevel::Read};
      case Method::Post: return Need{AccessLevel::Write};
      case Method::Delete: return Need{AccessLevel::Admin, false, target.path == "/"};
      case Method::Put:
      case Method::Other: return std::nullopt;  // refused by the router
    }
  }
  if (target.endpoint == "list") return Need{AccessLevel::Read, true};
  if (target.endpoint == "du") return Need{AccessLevel::Read, true};  // counts only what the principal may read
  if (target.endpoint == "metrics") return Need{AccessLevel::Admin, false, true};
  // The admin API changes who may do what: someone it can name in the log.
  if (target.endpoint == "admin") return Need{AccessLevel::Admin, false, true, true};
  return std::nullopt;
}

bool allows(const Principal& p, const Need& need, const Target& target, bool access_control) {
  if (need.named && access_control && p.anonymous()) return false;
  if (need.everywhere) return p.level >= need.level && p.unrestricted();
  if (need.listing) return p.may_list(target.path);
  return p.may(need.level, target.path);
}

}  // namespace

Gatekeeper::Gatekeeper(std::filesystem::path access_file, AccessLevel anonymous)
    : access_file_(std::move(access_file)) {
  auto principal = std::make_shared<Principal>();
  principal->level = anonymous;
  anonymous_ = std::move(principal);
  if (!access_file_.empty()) authenticator_.store(std::make_shared<const Authenticator>(load_access_file(access_file_)));
}

bool Gatekeeper::reload() {
  if (access_file_.empty()) return true;
  try {
    auto fresh = std::make_shared<const Authenticator>(load_access_file(access_file_));
    std::size_t count = fresh->size();
    authenticator_.store(std::move(fresh));
    log_message(LogLevel::Info, "reloaded " + access_file_.string() + ": " + std::to_string(count) + " principal(s)");
    return true;
  } catch (const std::exception& e) {
    log_message(LogLevel::Error, std::string("access file not reloaded, keeping the previous one: ") + e.what());
    return false;
  }
}

Gatekeeper::Admission Gatekeeper::admit(const Request& request, const Target& target, const std::string& client) {
  Admission admission;
  std::shared_ptr<const Principal> principal = anonymous_;
  if (auto authenticator = authenticator_.load()) {
    auto header = request.header("Authorization");
    auto result = authenticator->authenticate(header, !header || !throttle_.cooling_down(client));
    switch (result.kind) {
      case Authenticator::Result::Kind::NoCredentials: break;
      case Authenticator::Result::Kind::Verified:
        principal = std::move(result.principal);
        break;
      case Authenticator::Result::Kind::Rejected: {
        auto verdict = throttle_.record_failure(client);
        log_message(LogLevel::Warning, "authentication failed from " + client +
                                           (result.claimed_name.empty() ? std::string()
                                                                        : " as \"" + result.claimed_name + "\"") +
                                           " (" + std::to_string(verdict.failures) + " in a row; answering after " +
                                           std::to_string(verdict.delay.count()) + " ms)");
        admission.refusal.emplace(401, "invalid credentials (wrong user name, password or token)");
        admission.delay = verdict.delay;
        return admission;
      }
    }
  }
  auto need = needed(request.method(), target);
  if (!need || allows(*principal, *need, target, enabled())) {
    admission.principal = std::move(principal);
    return admission;
  }
  const std::string what = need->everywhere ? "/" + target.endpoint : target.path;
  if (principal->anonymous()) {
    std::string reason = what + ": authentication required";
    if (principal->level > AccessLevel::None) reason += " (anonymous access: " + principal->describe() + ")";
    admission.refusal.emplace(401, reason);
  } else {
    admission.refusal.emplace(403, what + ": permission denied for " + principal->name + " (" + principal->describe() + ")");
  }
  return admission;
}

}  // namespace ft::server
