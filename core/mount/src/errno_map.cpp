#include "filetracker/mount/errno_map.hpp"

#include <cerrno>
#include <new>
#include <system_error>

#include "filetracker/error.hpp"

namespace ft::mount {

namespace {

int errno_of_http(int status) {
  switch (status) {
    case 401:
    case 403:
      return EACCES;
    case 404:
      return ENOENT;
    case 400:
      return EINVAL;
    case 413:
      return EFBIG;
    case 507:
      return ENOSPC;
    default:
      return EIO;
  }
}

int errno_of(const Error& e) {
  switch (e.code()) {
    case ErrorCode::NotFound:
      return ENOENT;
    case ErrorCode::Http:
      return errno_of_http(e.http_status());
    case ErrorCode::InvalidArgument:
      return EINVAL;
    case ErrorCode::Unsupported:
      return ENOTSUP;
    case ErrorCode::Cancelled:
      return EINTR;
    case ErrorCode::Io:
    case ErrorCode::Network:
    case ErrorCode::Protocol:
    case ErrorCode::ChecksumMismatch:
      return EIO;
  }
  return EIO;
}

}  // namespace

ErrnoMapping map_exception(std::exception_ptr error) {
  ErrnoMapping out;
  try {
    std::rethrow_exception(error);
  } catch (const Error& e) {
    out.error = errno_of(e);
    out.message = e.what();
    // A refusal the errno says well (no such file, no access, bad name) is
    // the caller's business; anything that ends up as EIO, or a server
    // error, is worth a line.
    out.log = out.error == EIO || out.error == ENOSPC || out.error == EFBIG ||
              (e.code() == ErrorCode::Http && out.error != EACCES && out.error != ENOENT);
  } catch (const std::bad_alloc&) {
    out.error = ENOMEM;
    out.message = "out of memory";
    out.log = true;
  } catch (const std::system_error& e) {
    out.error = e.code().category() == std::generic_category() || e.code().category() == std::system_category()
                    ? e.code().value()
                    : EIO;
    if (out.error <= 0) out.error = EIO;
    out.message = e.what();
    out.log = true;
  } catch (const std::exception& e) {
    out.error = EIO;
    out.message = e.what();
    out.log = true;
  } catch (...) {
    out.error = EIO;
    out.message = "unexpected internal error";
    out.log = true;
  }
  if (out.error == EIO) out.log = true;
  return out;
}

int guarded(const LogSink& log, std::string_view what, const std::function<int()>& operation) noexcept {
  try {
    return operation();
  } catch (...) {
    ErrnoMapping m = map_exception(std::current_exception());
    if (m.log && log) {
      try {
        // "open /a/b" + "/a/b: HTTP 500 ..." -> "open /a/b: HTTP 500 ...".
        std::string_view message = m.message;
        if (auto space = what.find(' '); space != std::string_view::npos) {
          std::string prefix = std::string(what.substr(space + 1)) + ": ";
          if (message.substr(0, prefix.size()) == prefix) message.remove_prefix(prefix.size());
        }
        log(std::string(what) + ": " + std::string(message));
      } catch (...) {
        // The log is best effort; the errno is what the caller gets.
      }
    }
    return -m.error;
  }
}

}  // namespace ft::mount
