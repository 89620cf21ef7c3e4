// GET and HEAD /files/NAME: the stored file, gzip as stored or (extension)
// decompressed for a client that does not accept gzip.
#include "filetracker/protocol.hpp"
#include "http/handlers.hpp"

namespace ft::server {

Answer get_file(const HandlerContext& context, const Request& request, const Target& target) {
  check_file_name(target.path);
  auto found = context.storage.open(target.path);
  if (!found) throw RequestError(404, target.path + ": file not found");
  // Without our extensions the deployed server's rule: always gzip.
  const bool extensions = context.options.extensions;
  const bool gzip = !extensions || accepts_gzip(request.header(protocol::kAcceptEncoding).value_or(""));
  return FileReply(std::move(*found), gzip, extensions);
}

}  // namespace ft::server
