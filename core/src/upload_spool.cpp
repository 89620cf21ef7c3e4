#include "upload_spool.hpp"

#include <fcntl.h>
#include <linux/magic.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cstdlib>
#include <string>
#include <vector>

namespace ft {

int open_upload_spool(std::uint64_t bytes) {
  std::vector<std::string> candidates;
  if (const char* tmpdir = std::getenv("TMPDIR"); tmpdir && *tmpdir) candidates.emplace_back(tmpdir);
  candidates.emplace_back("/var/tmp");
  candidates.emplace_back("/tmp");
  for (const auto& dir : candidates) {
    struct statfs fs {};
    struct statvfs vfs {};
    if (::statfs(dir.c_str(), &fs) != 0 || ::statvfs(dir.c_str(), &vfs) != 0) continue;
    if (fs.f_type == TMPFS_MAGIC || fs.f_type == RAMFS_MAGIC) continue;  // that would be memory
    std::uint64_t available = static_cast<std::uint64_t>(vfs.f_bavail) * vfs.f_frsize;
    if (available < bytes + bytes / 8 + (64u << 20)) continue;
    int fd = ::open(dir.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd >= 0) return fd;
    std::string pattern = dir + "/filetracker-spool-XXXXXX";
    fd = ::mkstemp(pattern.data());
    if (fd >= 0) {
      ::unlink(pattern.c_str());
      return fd;
    }
  }
  return -1;
}

}  // namespace ft
