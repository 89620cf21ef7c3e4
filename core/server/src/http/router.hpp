// Which handler answers a request: a table of (method, endpoint) -> handler,
// in the spirit of Beast's handle_request, without I/O. New endpoints
// (/health, /metrics, version history) are new rows; a fallback to an older
// server is a handler that answers with a 307 or a PendingReply.
#pragma once

#include <functional>
#include <memory>
#include <string_view>
#include <vector>

#include "folder_usage.hpp"
#include "http/handlers.hpp"

namespace ft::server {

// One handler. Exactly one of the two is set.
struct Route {
  // Answers a request without a body of its own: the connection reads and
  // drops any body first (GET, HEAD, DELETE).
  std::function<Answer(const Request&, const Target&)> answer;
  // Takes the request body (PUT).
  std::function<std::unique_ptr<BodyReceiver>(const Request&, const Target&)> receive;
};

class Router {
 public:
  explicit Router(const HandlerContext& context);

  struct Routed {
    Target target;
    const Route* route;  // owned by the router
  };
  // Throws RequestError when no handler takes the request: a malformed
  // target (400), a write to an endpoint other than /files (400), an
  // unsupported method (405). A GET or HEAD of an unknown endpoint gets a
  // handler that answers 400 (after any body was read, like every GET).
  Routed route(const Request& request) const;

 private:
  struct Row {
    Method method;
    std::string_view endpoint;
    Route route;
  };
  std::vector<Row> table_;
  Route unknown_endpoint_;
  FolderUsageCache disk_usage_;  // GET /du answers, per index change
};

}  // namespace ft::server
