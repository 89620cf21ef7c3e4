// GET and HEAD /metrics: the server's counters in the Prometheus text
// exposition format (version 0.0.4).
#include "http/handlers.hpp"
#include "http/metrics.hpp"

namespace ft::server {

Answer get_metrics(const HandlerContext& context, const Request&, const Target&) {
  if (!context.metrics) throw RequestError(404, "metrics are not collected by this server");
  TextReply reply;
  reply.content_type = "text/plain; version=0.0.4; charset=utf-8";
  reply.headers.emplace_back("Cache-Control", "no-store");
  reply.body = context.metrics->render(context.storage);
  return reply;
}

}  // namespace ft::server
