// The answer to a storage write (PUT, DELETE) once the storage committed it.
#include "filetracker/protocol.hpp"
#include "http/failure.hpp"
#include "http/handlers.hpp"

namespace ft::server {

Reply commit_reply(const CommitResult& result, std::string_view name) {
  if (result.outcome != CommitOutcome::Applied) return failure_reply(failure_for(result, name), false);
  TextReply reply;
  reply.headers.emplace_back(protocol::kLastModified, protocol::format_http_date(result.version));
  return reply;
}

}  // namespace ft::server
