#include "http/router.hpp"

#include <string>

#include "http/du_handler.hpp"

namespace ft::server {
namespace {

using Handler = Answer (*)(const HandlerContext&, const Request&, const Target&);
using Receiver = std::unique_ptr<BodyReceiver> (*)(const HandlerContext&, const Request&, const Target&);

Route answering(const HandlerContext& context, Handler handler) {
  return Route{[&context, handler](const Request& r, const Target& t) { return handler(context, r, t); }, {}};
}

Route receiving(const HandlerContext& context, Receiver receiver) {
  return Route{{}, [&context, receiver](const Request& r, const Target& t) { return receiver(context, r, t); }};
}

}  // namespace

Router::Router(const HandlerContext& context) {
  table_.push_back({Method::Get, "files", answering(context, get_file)});
  table_.push_back({Method::Head, "files", answering(context, get_file)});
  table_.push_back({Method::Put, "files", receiving(context, put_file)});
  table_.push_back({Method::Delete, "files", answering(context, delete_file)});
  table_.push_back({Method::Get, "list", answering(context, get_list)});
  table_.push_back({Method::Head, "list", answering(context, get_list)});
  table_.push_back({Method::Get, "history", answering(context, get_history)});
  table_.push_back({Method::Head, "history", answering(context, get_history)});
  table_.push_back({Method::Post, "history", answering(context, restore_version)});
  table_.push_back({Method::Delete, "history", answering(context, purge_history)});
  for (Method m : {Method::Get, Method::Head})
    table_.push_back({m, "du", Route{[&context, this](const Request& r, const Target& t) {
                                       return get_disk_usage(context, disk_usage_, r, t);
                                     },
                                     {}}});
  table_.push_back({Method::Get, "version", answering(context, get_version)});
  table_.push_back({Method::Head, "version", answering(context, get_version)});
  table_.push_back({Method::Get, "health", answering(context, get_health)});
  table_.push_back({Method::Head, "health", answering(context, get_health)});
  table_.push_back({Method::Get, "metrics", answering(context, get_metrics)});
  table_.push_back({Method::Head, "metrics", answering(context, get_metrics)});
  table_.push_back({Method::Get, "admin", answering(context, get_admin)});
  table_.push_back({Method::Head, "admin", answering(context, get_admin)});
  table_.push_back({Method::Put, "admin", receiving(context, put_admin)});
  table_.push_back({Method::Post, "admin", receiving(context, post_admin)});
  table_.push_back({Method::Delete, "admin", answering(context, delete_admin)});
  unknown_endpoint_.answer = [](const Request&, const Target& target) -> Answer {
    throw RequestError(400, "unknown endpoint \"" + target.endpoint + "\", expected \"files\" or \"list\"");
  };
}

Router::Routed Router::route(const Request& request) const {
  Target target = parse_target(request.target());
  const Method method = request.method();
  for (const Row& row : table_)
    if (row.method == method && row.endpoint == target.endpoint) return {std::move(target), &row.route};
  switch (method) {
    case Method::Get:
    case Method::Head: return {std::move(target), &unknown_endpoint_};
    case Method::Put: throw RequestError(400, "PUT can be only performed on \"/files/...\"");
    case Method::Delete: throw RequestError(400, "DELETE can be only performed on \"/files/...\"");
    case Method::Post:
    case Method::Other: break;
  }
  throw RequestError(405, "method " + std::string(request.method_name()) + " is not supported");
}

}  // namespace ft::server
