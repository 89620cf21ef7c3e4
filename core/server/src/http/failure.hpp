// How a failure becomes an HTTP answer: a status and a one-line X-Exception
// reason. The only place that decides either; the connection, the handlers
// and the storage report failures as exceptions or CommitOutcomes and come
// here for the status.
//
//   RequestError            its own status (the client's mistake)
//   disk full (error code)  507 "NAME: no space left on the server's disk"
//   Error(InvalidArgument)  400
//   anything else           500 with the error's message
#pragma once

#include <exception>
#include <string>
#include <string_view>

#include "filetracker/server/storage.hpp"
#include "http/reply.hpp"

namespace ft::server {

struct Failure {
  // `reason` is made one printable line (protocol::sanitize_reason).
  Failure(int status, std::string_view reason, bool close_connection = false);
  int status;
  std::string reason;
  bool close_connection;  // the connection ends after the answer
  int retry_after = 0;    // > 0: Retry-After (seconds), e.g. 503 when all upload slots are taken
  std::string log_detail; // set: what the fixed reason hides, for a warning in the log
};

// `name`: the file the request is about, named in a disk-full reason ("" for none).
Failure failure_for(const std::exception_ptr& error, std::string_view name);
// REQUIRES: result.outcome != CommitOutcome::Applied.
Failure failure_for(const CommitResult& result, std::string_view name);

// The answer: the status, Content-Type text/plain, X-Exception and the
// reason as the body; to a HEAD, no body at all (Content-Length: 0).
TextReply failure_reply(const Failure& failure, bool head);

}  // namespace ft::server
