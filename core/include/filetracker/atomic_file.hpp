// Atomic replacement of a file: write a temp file in the destination's
// directory, fsync it, rename it over the destination, fsync the directory.
// A crash at any moment leaves either the old file or the new one under the
// real name, never a torn one. Temp files are named ".<base>.tmp.<random>"
// so cleaners can recognise leftovers (see is_temp_name).
#pragma once

#include <cstddef>
#include <filesystem>
#include <string_view>

namespace ft {

class AtomicFile {
 public:
  // Creates the parent directories and the temp file.
  // Throws Error(Io).
  explicit AtomicFile(std::filesystem::path destination, unsigned mode = 0644);
  // Discards the temp file unless commit() succeeded.
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  void write(const void* data, std::size_t size);
  void write(std::string_view data) { write(data.data(), data.size()); }
  int fd() const { return fd_; }
  const std::filesystem::path& temp_path() const { return temp_; }
  const std::filesystem::path& destination() const { return destination_; }

  // fsync + rename + fsync(dir). `mtime`, when >= 0, is set on the file
  // before the rename (the local cache keeps versions as mtimes).
  void commit(long long mtime = -1);
  // Removes the temp file (also done by the destructor).
  void abort() noexcept;

 private:
  std::filesystem::path destination_;
  std::filesystem::path temp_;
  int fd_ = -1;
  bool committed_ = false;
};

bool is_temp_name(std::string_view file_name);

// Sets a file's mtime (and atime) to `unix_seconds`. Throws Error(Io).
void set_mtime(const std::filesystem::path& path, long long unix_seconds);
// fsync of a directory. Throws Error(Io).
void fsync_directory(const std::filesystem::path& dir);

}  // namespace ft
