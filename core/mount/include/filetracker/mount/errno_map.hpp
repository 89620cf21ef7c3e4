// Failures of the store -> errno values for the kernel, and the mount's log.
//
// A file system can only answer with an errno, so the one-line message of
// an ft::Error would be lost; the mount logs it (one line on stderr) for
// the errors a person must see to understand an EIO: network and server
// failures, corrupt downloads, local I/O errors. "No such file" and
// refusals the caller can read from the errno alone are not logged.
#pragma once

#include <exception>
#include <functional>
#include <string>
#include <string_view>

namespace ft::mount {

// Receives one line (no newline) per logged failure or warning.
using LogSink = std::function<void(const std::string& line)>;

struct ErrnoMapping {
  int error = 0;         // positive errno: ENOENT, EACCES, EIO, ...
  bool log = false;      // whether the message is worth a log line
  std::string message;   // the exception's one-line message
};

// ft::Error: NotFound -> ENOENT; Http 401/403 -> EACCES, 404 -> ENOENT,
// 400 -> EINVAL, 413 -> EFBIG, 507 -> ENOSPC, other statuses -> EIO;
// Network, Protocol, ChecksumMismatch, Io -> EIO; InvalidArgument ->
// EINVAL; Unsupported -> ENOTSUP; Cancelled -> EINTR.
// std::system_error (and filesystem_error): its errno. bad_alloc: ENOMEM.
// Anything else: EIO. EIO is always logged.
ErrnoMapping map_exception(std::exception_ptr error);

// Runs `operation` (returning 0 or a negative errno, FUSE style) and turns
// an escaping exception into -errno, logging "<what>: <message>" when the
// mapping says so. Never throws.
int guarded(const LogSink& log, std::string_view what, const std::function<int()>& operation) noexcept;

}  // namespace ft::mount
