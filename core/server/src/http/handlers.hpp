// The request handlers, one per endpoint: each takes a request and its
// parsed target and returns an Answer (reply.hpp). No I/O on the
// connection; they read and write through the Storage. A handler reports a
// client's mistake by throwing RequestError and any other failure by
// throwing; failure.hpp turns either into the answer.
//
// The router (router.hpp) decides which handler runs; a new endpoint is a
// new function here and a row in the router's table.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "filetracker/server/http_server.hpp"
#include "filetracker/server/storage.hpp"
#include "http/reply.hpp"
#include "http/request.hpp"
#include "http/request_rules.hpp"
#include "http/upload_slots.hpp"

namespace ft::server {

class BackgroundWorker;
class Fallback;
class Gatekeeper;
class LiveCheck;
class ServerMetrics;

// What the handlers share; lives as long as the server.
struct HandlerContext {
  const ServerOptions& options;
  Storage& storage;
  std::string version_body;  // the answer to GET /version (make_version_body)
  // --max-uploads; the PUT handler takes a slot per upload (mutable: the
  // handlers see the context as const).
  mutable UploadSlots upload_slots{options.max_uploads};
  ServerMetrics* metrics = nullptr;  // GET /metrics and the counters handlers keep; null: not counted
  Fallback* fallback = nullptr;      // --fallback-url: names missing here (fallback/fallback.hpp); null: off
  // The admin API (admin_handler.cpp): reloads the access file after an
  // edit, runs edits on the worker and the live check; null: 404.
  Gatekeeper* gatekeeper = nullptr;
  BackgroundWorker* admin_worker = nullptr;
  LiveCheck* live_check = nullptr;
};

// The consumer of a request body (PUT): gets the body chunk by chunk, then
// answers. Throwing from either call fails the request; destroying the
// receiver discards everything it received.
class BodyReceiver {
 public:
  virtual ~BodyReceiver() = default;
  virtual void write(std::string_view chunk) = 0;
  virtual Answer finish() = 0;  // after the last chunk
};

// GET/HEAD /files/NAME: the stored file.
Answer get_file(const HandlerContext& context, const Request& request, const Target& target);
// PUT /files/NAME?last_modified=DATE: checks the header, then receives the body.
std::unique_ptr<BodyReceiver> put_file(const HandlerContext& context, const Request& request, const Target& target);
// DELETE /files/NAME?last_modified=DATE.
Answer delete_file(const HandlerContext& context, const Request& request, const Target& target);
// GET/HEAD /list/DIR: plain (version 2) or JSON (extension).
Answer get_list(const HandlerContext& context, const Request& request, const Target& target);
// /history/NAME (history_handler.cpp): GET/HEAD the versions or one of
// them, POST restore one, DELETE purge them (NAME "/": every name's).
Answer get_history(const HandlerContext& context, const Request& request, const Target& target);
Answer restore_version(const HandlerContext& context, const Request& request, const Target& target);
Answer purge_history(const HandlerContext& context, const Request& request, const Target& target);
// GET/HEAD /version.
Answer get_version(const HandlerContext& context, const Request& request, const Target& target);
std::string make_version_body(const ServerOptions& options);
// GET/HEAD /health: 200 "ok" or 503 with the reason.
Answer get_health(const HandlerContext& context, const Request& request, const Target& target);
// GET/HEAD /metrics: Prometheus text format.
Answer get_metrics(const HandlerContext& context, const Request& request, const Target& target);
// /admin/principals[/NAME] and /admin/check (admin_handler.cpp): GET/HEAD,
// PUT (a principal), POST (start the check), DELETE (either).
Answer get_admin(const HandlerContext& context, const Request& request, const Target& target);
std::unique_ptr<BodyReceiver> put_admin(const HandlerContext& context, const Request& request, const Target& target);
std::unique_ptr<BodyReceiver> post_admin(const HandlerContext& context, const Request& request, const Target& target);
Answer delete_admin(const HandlerContext& context, const Request& request, const Target& target);

// The answer to a committed PUT or DELETE of `name`: 200 with Last-Modified
// (the version stored now), or the write's failure.
Reply commit_reply(const CommitResult& result, std::string_view name);

}  // namespace ft::server
