// A private temporary directory ($TMPDIR, else /tmp) removed with this
// object: where the one-shot commands (--migrate-storage, --check of a
// shared store) let the S3 store spool and read, away from any server's
// own spool and hot-blob cache.
#pragma once

#include <filesystem>

namespace ft::server {

class ScratchDir {
 public:
  ScratchDir();  // throws Error(Io)
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace ft::server
