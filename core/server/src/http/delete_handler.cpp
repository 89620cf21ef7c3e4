// DELETE /files/NAME?last_modified=DATE: removes the file unless the stored
// version is newer; answered once the storage committed it. With
// --fallback-url, fallback.hpp decides (it also hides the old server's copy).
#include "fallback/fallback.hpp"
#include "http/handlers.hpp"

namespace ft::server {

Answer delete_file(const HandlerContext& context, const Request&, const Target& target) {
  check_file_name(target.path);
  Version version = *query_version(target, true);
  // Migrating: the name may be the old server's (deleting it hides it).
  if (context.fallback) return context.fallback->delete_file(target.path, version);
  return Answer::later([&storage = context.storage, name = target.path, version](ReplyCallback done) {
    storage.remove(name, version, [done = std::move(done), name](CommitResult result) {
      done(commit_reply(result, name));
    });
  });
}

}  // namespace ft::server
