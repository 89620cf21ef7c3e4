// GET and HEAD /list/DIR[?last_modified=DATE][&recursive=0]: the files below
// DIR with version <= DATE (default: now). Plain text, every file at any depth
// (protocol version 2), or JSON (extension, Accept: application/json) with
// sizes, versions, checksums and, for one level, the subdirectories. With
// --fallback-url the old server's listing is merged in (fallback.hpp).
#include <ctime>

#include "fallback/fallback.hpp"
#include "filetracker/protocol.hpp"
#include "http/find_listing.hpp"
#include "http/handlers.hpp"

namespace ft::server {

Answer get_list(const HandlerContext& context, const Request& request, const Target& target) {
  const std::string& dir = target.path;
  check_directory_name(dir);
  Version cutoff = query_version(target, false).value_or(static_cast<Version>(std::time(nullptr)));
  Index& index = context.storage.index();
  if (dir != "/" && index.find(dir)) throw RequestError(400, dir + ": is a file, not a directory");
  const bool exists_here = index.directory_exists(dir);
  if (!exists_here && !context.fallback) throw RequestError(400, dir + ": no such directory");
  const bool json = context.options.extensions && accepts_json(request.header(protocol::kAccept).value_or(""));
  bool recursive = true;
  if (auto it = target.query.find("recursive"); it != target.query.end())
    recursive = !(it->second == "0" || it->second == "false" || it->second == "no");

  // Access control: a principal limited to prefixes sees only what it may
  // read (the gatekeeper let it list `dir` because something is covered).
  const Principal& principal = request.principal();
  const bool filtered = !principal.unrestricted();
  const std::string base = dir == "/" ? std::string("/") : dir + "/";
  auto visible_file = [&](std::string_view relative) {
    return !filtered || principal.covers(base + std::string(relative));
  };
  auto visible_directory = [&](std::string_view sub) {
    return !filtered || principal.may_list(base + std::string(sub));
  };

  if (json && is_find_request(target)) {
    // (Not advertised while migrating: the old server's names are not in the index.)
    if (context.fallback)
      throw RequestError(400, "find (pattern, size and version bounds) is not available with --fallback-url");
    TextReply reply;
    reply.content_type = std::string(protocol::kJsonContentType);
    reply.body = protocol::make_json_list(find_listing(
        index, target, cutoff, [&](std::string_view name) { return !filtered || principal.covers(std::string(name)); }));
    return reply;
  }

  protocol::Listing listing;  // plain: the names only
  listing.directory = dir;
  if (json) {
    index.list(
        dir, cutoff, recursive,
        [&](const FileRecord& r, std::string_view relative) {
          if (!visible_file(relative)) return;
          listing.files.push_back(protocol::ListEntry{std::string(relative), r.version, r.size, r.sha256});
        },
        [&](std::string_view sub) {
          if (visible_directory(sub)) listing.directories.emplace_back(sub);
        });
  } else {
    // The plain listing is version 2's: every file below, at any depth.
    index.list(
        dir, cutoff, true,
        [&](const FileRecord&, std::string_view relative) {
          if (visible_file(relative)) listing.files.push_back(protocol::ListEntry{std::string(relative), 0, 0, {}});
        },
        [](std::string_view) {});
  }
  if (context.fallback)
    return context.fallback->list(
        Fallback::ListRequest{dir, cutoff, json, json ? recursive : true, exists_here, principal, std::move(listing)});
  TextReply reply;
  if (json) {
    reply.content_type = std::string(protocol::kJsonContentType);
    reply.body = protocol::make_json_list(listing);
  } else {
    for (const auto& entry : listing.files) {
      reply.body.append(entry.name);
      reply.body += '\n';
    }
  }
  return reply;
}

}  // namespace ft::server
