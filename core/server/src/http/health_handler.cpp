// GET and HEAD /health: 200 "ok" when the index answers and the blob store
// can take an upload; 503 Service Unavailable with the reason otherwise
// (load balancers and sioworkers-style checks take the server out).
#include "filetracker/protocol.hpp"
#include "http/handlers.hpp"

namespace ft::server {

Answer get_health(const HandlerContext& context, const Request&, const Target&) {
  TextReply reply;
  reply.headers.emplace_back("Cache-Control", "no-store");
  if (auto problem = context.storage.health_problem()) {
    reply.status = 503;
    reply.headers.emplace_back(protocol::kXException, protocol::sanitize_reason(*problem));
    reply.body = protocol::sanitize_reason(*problem) + "\n";
    return reply;
  }
  reply.body = "ok";
  return reply;
}

}  // namespace ft::server
