// /history/NAME (extension "history", docs/protocol.md): the versions the
// server keeps of a name, one of them, restoring one, purging them.
//   GET/HEAD   list (JSON), or with ?last_modified=DATE that version's content
//   POST       ?last_modified=DATE: restore it (answered once committed)
//   DELETE     purge NAME's kept versions; /history/ purges every name's
// Access (gatekeeper.cpp): read, write, admin (admin everywhere for all).
#include "filetracker/protocol.hpp"
#include "http/handlers.hpp"

namespace ft::server {

Answer get_history(const HandlerContext& context, const Request& request, const Target& target) {
  check_file_name(target.path);
  const bool extensions = context.options.extensions;
  if (auto version = query_version(target, false)) {
    const bool gzip = !extensions || accepts_gzip(request.header(protocol::kAcceptEncoding).value_or(""));
    auto found = context.storage.open_version(target.path, *version);
    if (!found) throw RequestError(404, target.path + "@" + std::to_string(*version) + ": no such version is kept");
    return FileReply(std::move(*found), gzip, extensions);
  }
  auto versions = context.storage.versions(target.path);
  if (versions.empty()) throw RequestError(404, target.path + ": file not found and no version of it is kept");
  protocol::History history{target.path, {}};
  for (const auto& v : versions)
    history.versions.push_back(
        protocol::HistoryEntry{v.record.version, v.record.size, v.record.sha256, v.current, v.superseded_at});
  TextReply reply;
  reply.content_type = std::string(protocol::kJsonContentType);
  reply.headers.emplace_back("Cache-Control", "no-store");
  reply.body = protocol::make_history(history);
  return reply;
}

Answer restore_version(const HandlerContext& context, const Request&, const Target& target) {
  check_file_name(target.path);
  Version version = *query_version(target, true);
  return Answer::later([&storage = context.storage, name = target.path, version](ReplyCallback done) {
    storage.restore(name, version, [done = std::move(done), name](CommitResult result) {
      done(commit_reply(result, name));
    });
  });
}

Answer purge_history(const HandlerContext& context, const Request&, const Target& target) {
  if (target.path != "/") check_file_name(target.path);
  return Answer::later([&storage = context.storage, name = target.path](ReplyCallback done) {
    storage.purge_history(name, [done = std::move(done), name](CommitResult result) {
      if (result.outcome != CommitOutcome::Applied) return done(commit_reply(result, name));
      TextReply reply;
      reply.content_type = std::string(protocol::kJsonContentType);
      reply.body = "{\"removed\":" + std::to_string(result.removed) + "}";
      done(std::move(reply));
    });
  });
}

}  // namespace ft::server
