// A write failed because the server's disk (or the user's quota) is full.
//
// The storage reports it as a std::system_error whose std::error_code is
// ENOSPC or EDQUOT (generic category), so every layer tells it apart by its
// code, never by the exception's type. The HTTP front end answers it with
// 507 Insufficient Storage and a fixed, one-line reason, so a client can
// tell "try again when there is space" apart from a broken server (500).
// The storage guarantees that a write that failed this way stored nothing
// and left no temporary file.
#pragma once

#include <exception>
#include <string>
#include <system_error>

namespace ft::server {

// The X-Exception text of a 507 answer.
inline constexpr const char* kDiskFullReason = "no space left on the server's disk";

// ENOSPC or EDQUOT.
bool is_disk_full_errno(int err) noexcept;
bool is_disk_full(const std::error_code& code) noexcept;
// Was `error` thrown because the disk is full? (false for a null pointer)
bool is_disk_full(const std::exception_ptr& error) noexcept;

// Throws std::system_error(err) with `what` (its what() is "<what>: <strerror>").
// REQUIRES: is_disk_full_errno(err).
[[noreturn]] void throw_disk_full(const std::string& what, int err);

// Like ft::throw_errno, but a full disk throws as throw_disk_full() does.
[[noreturn]] void throw_storage_errno(const std::string& what, int err);
[[noreturn]] void throw_storage_errno(const std::string& what);

}  // namespace ft::server
