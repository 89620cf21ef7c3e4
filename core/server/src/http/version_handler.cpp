// GET and HEAD /version: the protocol versions and, unless switched off, our
// extensions. The body is made once, when the server starts.
#include "filetracker/protocol.hpp"
#include "http/handlers.hpp"

namespace ft::server {

std::string make_version_body(const ServerOptions& options) {
  std::vector<std::string> extensions;
  if (options.extensions)
    for (auto ext : {protocol::kExtChecksumVerify, protocol::kExtChecksumHeader, protocol::kExtPlainContent,
                     protocol::kExtJsonList})
      extensions.emplace_back(ext);
  // Migrating (--fallback-url): names missing here come from the old server.
  if (options.extensions && !options.fallback_url.empty())
    extensions.emplace_back(options.fallback_mode == ServerOptions::FallbackMode::Pull ? protocol::kExtFallbackPull
                                                                                       : protocol::kExtFallbackRedirect);
  return protocol::make_version_response(extensions);
}

Answer get_version(const HandlerContext& context, const Request&, const Target&) {
  TextReply reply;
  reply.content_type = std::string(protocol::kJsonContentType);
  reply.body = context.version_body;
  return reply;
}

}  // namespace ft::server
