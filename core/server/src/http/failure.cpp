#include "http/failure.hpp"

#include <system_error>

#include "filetracker/error.hpp"
#include "filetracker/protocol.hpp"
#include "filetracker/server/backend_unavailable.hpp"
#include "filetracker/server/disk_full.hpp"
#include "http/request_rules.hpp"

namespace ft::server {
namespace {

Failure disk_full(std::string_view name) {
  return Failure(507, (name.empty() ? std::string() : std::string(name) + ": ") + kDiskFullReason);
}

}  // namespace

Failure::Failure(int status, std::string_view reason, bool close_connection)
    : status(status), reason(protocol::sanitize_reason(reason)), close_connection(close_connection) {}

Failure failure_for(const std::exception_ptr& error, std::string_view name) {
  try {
    std::rethrow_exception(error);
  } catch (const RequestError& e) {
    Failure failure(e.status, e.what(), e.close_connection);
    failure.retry_after = e.retry_after;
    return failure;
  } catch (const std::system_error& e) {
    if (!is_disk_full(e.code())) return Failure(500, e.what());
    Failure failure = disk_full(name);
    failure.log_detail = e.what();  // names the temporary file and the errno text
    return failure;
  } catch (const BackendUnavailable& e) {
    Failure failure(503, e.what());
    failure.retry_after = 1;
    return failure;
  } catch (const Error& e) {
    return Failure(e.code() == ErrorCode::InvalidArgument ? 400 : 500, e.what());
  } catch (const std::exception& e) {
    return Failure(500, e.what());
  } catch (...) {
    return Failure(500, "unknown error");
  }
}

Failure failure_for(const CommitResult& result, std::string_view name) {
  switch (result.outcome) {
    case CommitOutcome::NotFound: return Failure(404, result.reason);
    case CommitOutcome::NameClash: return Failure(409, result.reason);
    case CommitOutcome::NoNextVersion: return Failure(409, result.reason);
    case CommitOutcome::DiskFull: return disk_full(name);  // the storage logged the details
    case CommitOutcome::ShuttingDown: return Failure(503, result.reason);
    case CommitOutcome::Unavailable: {
      Failure failure(503, result.reason);
      failure.retry_after = 1;
      return failure;
    }
    case CommitOutcome::Failed: return Failure(500, result.reason);
    case CommitOutcome::Applied: break;
  }
  return Failure(500, "internal error: a write that succeeded reported as a failure");
}

TextReply failure_reply(const Failure& failure, bool head) {
  TextReply reply;
  reply.status = failure.status;
  reply.headers.emplace_back(protocol::kXException, failure.reason);
  if (failure.retry_after > 0) reply.headers.emplace_back("Retry-After", std::to_string(failure.retry_after));
  // 401: how to authenticate (access control, gatekeeper.hpp). Basic is
  // what browsers, libcurl, Qt and the Python client answer; a Bearer
  // token is sent unasked.
  if (failure.status == 401) reply.headers.emplace_back("WWW-Authenticate", "Basic realm=\"filetracker\", charset=\"UTF-8\"");
  if (!head) reply.body = failure.reason + "\n";
  return reply;
}

}  // namespace ft::server
