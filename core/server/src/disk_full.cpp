#include "filetracker/server/disk_full.hpp"

#include <cerrno>
#include <cstring>

namespace ft::server {

bool is_disk_full_errno(int err) noexcept { return err == ENOSPC || err == EDQUOT; }

void throw_storage_errno(const std::string& what, int err) {
  if (is_disk_full_errno(err)) throw DiskFull(what + ": " + std::strerror(err));
  throw_errno(what, err);
}

void throw_storage_errno(const std::string& what) { throw_storage_errno(what, errno); }

}  // namespace ft::server
