// GET and HEAD /files/NAME: the stored file, gzip as stored or (extension)
// decompressed for a client that does not accept gzip.
#include "filetracker/protocol.hpp"
#include "fallback/fallback.hpp"
#include "http/handlers.hpp"

namespace ft::server {

Answer get_file(const HandlerContext& context, const Request& request, const Target& target) {
  check_file_name(target.path);
  // Without our extensions the deployed server's rule: always gzip.
  const bool extensions = context.options.extensions;
  const bool gzip = !extensions || accepts_gzip(request.header(protocol::kAcceptEncoding).value_or(""));
  auto found = context.storage.open(target.path);
  if (!found && context.fallback) return context.fallback->missing_file(target.path, request.target(), gzip, extensions);
  if (!found) throw RequestError(404, target.path + ": file not found");
  return FileReply(std::move(*found), gzip, extensions);
}

}  // namespace ft::server
