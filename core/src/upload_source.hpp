// What an upload sends, as libcurl pulls it: bytes already in memory, or a
// file read chunk by chunk (and gzip-compressed on the fly when asked), so a
// body of any size goes out in bounded memory.
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>

namespace ft {

class GzipEncoder;
class InputFile;

class UploadSource {
 public:
  // A body held in memory.
  explicit UploadSource(std::string body);
  // A body read from `path`; gzip-compressed while it is read when `compress`.
  UploadSource(const std::filesystem::path& path, bool compress);
  // A body read from an open file (e.g. a spool file), sent as it is, from its first byte.
  explicit UploadSource(std::unique_ptr<InputFile> file);
  ~UploadSource();
  UploadSource(const UploadSource&) = delete;
  UploadSource& operator=(const UploadSource&) = delete;

  // Up to `size` bytes of the body; 0 at its end. Throws the file's Error(Io).
  std::size_t read(char* out, std::size_t size);
  // Back to the first byte (curl asks when it resends on a fresh connection).
  void rewind();

 private:
  std::size_t read_compressed(char* out, std::size_t size);

  std::string memory_;
  std::size_t memory_pos_ = 0;
  bool in_memory_ = false;
  bool compress_ = false;
  std::unique_ptr<InputFile> file_;
  std::unique_ptr<GzipEncoder> encoder_;
  // Compressed bytes produced but not yet handed to curl.
  std::string pending_;
  std::size_t pending_pos_ = 0;
  bool finished_ = false;
};

}  // namespace ft
