// Errors of the core library.
//
// Core reports failures by throwing ft::Error. Every message is one line meant
// for a person: it names the file (when there is one) and says what went wrong,
// e.g. "/a/b.txt: HTTP 404: file not found".
#pragma once

#include <stdexcept>
#include <string>

namespace ft {

enum class ErrorCode {
  InvalidArgument,   // bad name, bad version, bad size string, misuse of the API
  NotFound,          // no such file (or version) in the store
  Io,                // local file-system failure
  Network,           // connection refused, DNS failure, timeout, cut-off transfer
  Http,              // the server answered with an error status
  Protocol,          // the peer sent something the protocol does not allow
  ChecksumMismatch,  // content does not match its SHA-256 / size
  Cancelled,         // the caller asked to stop
  Unsupported,       // the peer lacks a feature this call needs
};

class Error : public std::runtime_error {
 public:
  Error(ErrorCode code, const std::string& message, int http_status = 0)
      : std::runtime_error(message), code_(code), http_status_(http_status) {}

  ErrorCode code() const noexcept { return code_; }
  // The HTTP status for ErrorCode::Http (and for NotFound coming from a server), else 0.
  int http_status() const noexcept { return http_status_; }

 private:
  ErrorCode code_;
  int http_status_;
};

// Throws Error(ErrorCode::Io, "<what>: <strerror(errno)>").
[[noreturn]] void throw_errno(const std::string& what);
[[noreturn]] void throw_errno(const std::string& what, int err);

}  // namespace ft
