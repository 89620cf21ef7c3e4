// A local file opened read-only with plain POSIX calls (the remote store's
// uploads read their files this way: no stdio buffering on top of the 1 MiB
// chunks they read). Closes itself.
#pragma once

#include <cstddef>
#include <filesystem>

namespace ft {

class InputFile {
 public:
  // Opens `path`. Throws Error(Io) naming it when it cannot be opened or is
  // a directory.
  explicit InputFile(const std::filesystem::path& path);
  // Takes ownership of an open descriptor; `label` names it in errors.
  InputFile(int fd, std::filesystem::path label);
  ~InputFile();
  InputFile(const InputFile&) = delete;
  InputFile& operator=(const InputFile&) = delete;

  // Returns 0 at the end of the file. Throws Error(Io) on a read error.
  std::size_t read(char* buffer, std::size_t size);
  // Back to the first byte.
  void rewind();
  int fd() const { return fd_; }

 private:
  std::filesystem::path path_;
  int fd_ = -1;
};

}  // namespace ft
