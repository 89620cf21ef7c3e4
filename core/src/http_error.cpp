#include "http_error.hpp"

#include <string>

#include "filetracker/error.hpp"
#include "filetracker/name.hpp"
#include "filetracker/protocol.hpp"
#include "http_exchange.hpp"

namespace ft {

void throw_http_error(std::string_view name, const HttpResponse& response) {
  const std::string* header = response.header(protocol::kXException);
  std::string_view reason = header ? std::string_view(*header) : std::string_view();
  if (const std::string prefix = std::string(split_name(name).name) + ": ";
      reason.size() > prefix.size() && reason.substr(0, prefix.size()) == prefix)
    reason.remove_prefix(prefix.size());
  int status = static_cast<int>(response.status);
  // Access control's answers are one plain line: "/tests/a.in: permission
  // denied for judge (read only)", "/a: invalid credentials (...)".
  // (The name without a version: access is about the file, not one version.)
  if ((status == 401 || status == 403) && !reason.empty())
    throw Error(ErrorCode::Http, std::string(split_name(name).name) + ": " + std::string(reason), status);
  std::string message = protocol::describe_http_error(name, status, reason);
  throw Error(status == 404 ? ErrorCode::NotFound : ErrorCode::Http, message, status);
}

}  // namespace ft
