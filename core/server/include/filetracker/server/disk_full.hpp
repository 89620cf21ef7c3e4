// A write failed because the server's disk (or the user's quota) is full.
//
// The HTTP front end answers it with 507 Insufficient Storage and a fixed,
// one-line reason, so a client can tell "try again when there is space"
// apart from a broken server (500). The storage guarantees that a write
// that failed this way stored nothing and left no temporary file.
#pragma once

#include <string>

#include "filetracker/error.hpp"

namespace ft::server {

// The X-Exception text of a 507 answer.
inline constexpr const char* kDiskFullReason = "no space left on the server's disk";

class DiskFull : public Error {
 public:
  // `what`: the full one-line message for the log (names the file and the errno text).
  explicit DiskFull(const std::string& what) : Error(ErrorCode::Io, what) {}
};

// ENOSPC or EDQUOT.
bool is_disk_full_errno(int err) noexcept;

// Like ft::throw_errno, but throws DiskFull when `err` says the disk is full.
[[noreturn]] void throw_storage_errno(const std::string& what, int err);
[[noreturn]] void throw_storage_errno(const std::string& what);

}  // namespace ft::server
