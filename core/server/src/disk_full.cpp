#include "filetracker/server/disk_full.hpp"

#include <cerrno>

#include "filetracker/error.hpp"

namespace ft::server {

bool is_disk_full_errno(int err) noexcept { return err == ENOSPC || err == EDQUOT; }

bool is_disk_full(const std::error_code& code) noexcept {
  return code.category() == std::generic_category() && is_disk_full_errno(code.value());
}

bool is_disk_full(const std::exception_ptr& error) noexcept {
  if (!error) return false;
  try {
    std::rethrow_exception(error);
  } catch (const std::system_error& e) {
    return is_disk_full(e.code());
  } catch (...) {
    return false;
  }
}

void throw_disk_full(const std::string& what, int err) {
  throw std::system_error(std::error_code(err, std::generic_category()), what);
}

void throw_storage_errno(const std::string& what, int err) {
  if (is_disk_full_errno(err)) throw_disk_full(what, err);
  throw_errno(what, err);
}

void throw_storage_errno(const std::string& what) { throw_storage_errno(what, errno); }

}  // namespace ft::server
