// The private temp file behind a file opened for writing.
//
// create/write/truncate go to a file in the mount's private directory;
// closing the file uploads it (see FileSystem). After an upload the cache
// may hold the temp file's inode as its copy of the new version (Client::
// put_file hard-links it), so the next change to a still-open file first
// moves to a private copy: the cached version is never modified in place.
//
// Not thread-safe: the open file that owns it serialises access.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>

#include "filetracker/mount/private_temp_dir.hpp"

namespace ft::mount {

class WriteBuffer {
 public:
  // An empty file. Throws Error(Io).
  explicit WriteBuffer(PrivateTempDir& temp);
  // Takes over `file` (in temp's directory), which nothing else links to.
  WriteBuffer(PrivateTempDir& temp, std::filesystem::path file);
  ~WriteBuffer();  // removes the temp file
  WriteBuffer(const WriteBuffer&) = delete;
  WriteBuffer& operator=(const WriteBuffer&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::uint64_t size() const;
  std::size_t read(char* buffer, std::size_t size, std::uint64_t offset) const;
  // `append`: at the end whatever `offset` says (O_APPEND). Returns the
  // bytes written (all of them; a failure throws Error(Io), e.g. ENOSPC).
  std::size_t write(const char* data, std::size_t size, std::uint64_t offset, bool append);
  void truncate(std::uint64_t size);
  // fsync of the temp file (fsync(2) on the mount file).
  void sync();

  // Whether the content differs from what the store has.
  bool dirty() const { return dirty_; }
  void set_dirty(bool dirty) { dirty_ = dirty; }
  // The content was just handed to the store (and maybe linked into the
  // cache): copy before the next change.
  void mark_shared() { shared_ = true; }

 private:
  void unshare();

  PrivateTempDir& temp_;
  std::filesystem::path path_;
  int fd_ = -1;
  bool dirty_ = false;
  bool shared_ = false;
};

// Copies the content of `from` to a new file `to` (copy_file_range where
// the kernel can). Throws Error(Io).
void copy_file_content(const std::filesystem::path& from, const std::filesystem::path& to);

}  // namespace ft::mount
