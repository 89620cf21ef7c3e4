// A shared engine (PostgreSQL, S3) cannot be reached right now.
//
// Thrown by the scale-out index and blob store when a connection fails, a
// request times out or the service answers 5xx. The front end answers it
// with 503 Service Unavailable and its one-line reason (a load balancer
// retries elsewhere, a client later); the storage reports a write that
// failed this way as CommitOutcome::Unavailable, with nothing stored. The
// next request tries again: recovery needs no restart.
#pragma once

#include <exception>
#include <string>

#include "filetracker/error.hpp"

namespace ft::server {

class BackendUnavailable : public Error {
 public:
  explicit BackendUnavailable(const std::string& message) : Error(ErrorCode::Network, message) {}
};

// Was `error` a BackendUnavailable? (false for a null pointer)
bool is_backend_unavailable(const std::exception_ptr& error) noexcept;

}  // namespace ft::server
