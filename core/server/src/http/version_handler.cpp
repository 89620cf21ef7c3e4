// GET and HEAD /version: the protocol versions and, unless switched off, our
// extensions and the requester's access (who the server takes it for, what
// it may do: the GUI offers only that). The body is made once, when the
// server starts; the access member is added per request.
#include "filetracker/protocol.hpp"
#include "filetracker/protocol_disk_usage.hpp"
#include "http/handlers.hpp"

#ifndef FILETRACKER_VERSION
#define FILETRACKER_VERSION "unknown"
#endif

namespace ft::server {

std::string make_version_body(const ServerOptions& options) {
  std::vector<std::string> extensions;
  if (options.extensions)
    for (auto ext : {protocol::kExtChecksumVerify, protocol::kExtChecksumHeader, protocol::kExtPlainContent,
                     protocol::kExtJsonList})
      extensions.emplace_back(ext);
  if (options.extensions && options.history.enabled()) extensions.emplace_back(protocol::kExtHistory);
  // Migrating (--fallback-url): names missing here come from the old server.
  if (options.extensions && !options.fallback_url.empty())
    extensions.emplace_back(options.fallback_mode == ServerOptions::FallbackMode::Pull ? protocol::kExtFallbackPull
                                                                                       : protocol::kExtFallbackRedirect);
  // find: evaluated on the index, which holds no fallback names.
  if (options.extensions && options.fallback_url.empty()) extensions.emplace_back(protocol::kExtFind);
  // du: sums the index, likewise without the old server's names.
  if (options.extensions && options.fallback_url.empty()) extensions.emplace_back(protocol::kExtDiskUsage);
  // The admin API edits the access file: only with one.
  if (options.extensions && !options.auth_file.empty()) extensions.emplace_back(protocol::kExtAdmin);
  // Which program answers, for an operator's dashboard and bug reports.
  return protocol::make_version_response(extensions, "filetracker-server " FILETRACKER_VERSION);
}

Answer get_version(const HandlerContext& context, const Request& request, const Target&) {
  TextReply reply;
  reply.content_type = std::string(protocol::kJsonContentType);
  reply.body = context.version_body;
  if (context.options.extensions) {
    const Principal& p = request.principal();
    reply.body = protocol::add_version_access(
        reply.body, protocol::AccessInfo{p.name, std::string(access_level_name(p.level)), p.prefixes});
  }
  return reply;
}

}  // namespace ft::server
