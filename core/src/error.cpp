#include "filetracker/error.hpp"

#include <cerrno>
#include <cstring>

namespace ft {

void throw_errno(const std::string& what) { throw_errno(what, errno); }

void throw_errno(const std::string& what, int err) {
  ErrorCode code = (err == ENOENT) ? ErrorCode::NotFound : ErrorCode::Io;
  throw Error(code, what + ": " + std::strerror(err));
}

}  // namespace ft
