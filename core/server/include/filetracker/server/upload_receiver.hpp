// The body of a PUT on its way into a blob, chunk by chunk: hashes the
// uncompressed content (SHA-256, size) and writes gzip to the upload. A
// gzip body is stored as it is after checking that it decodes; a plain body
// is compressed. Never holds more than a chunk in memory.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "filetracker/checksum.hpp"
#include "filetracker/gzip.hpp"
#include "filetracker/server/blob_store.hpp"

namespace ft::server {

class UploadReceiver {
 public:
  UploadReceiver(std::unique_ptr<BlobUpload> upload, bool body_is_gzip, int gzip_level = 6);

  // Throws Error(Protocol) when a gzip body does not decode, Error(Io).
  void write(std::string_view body_bytes);
  // Ends the body (the storage makes the blob durable when it commits it).
  // Throws Error(Protocol) on a truncated gzip body, Error(Io).
  void finish();

  const std::string& sha256() const { return sha256_; }  // after finish()
  std::uint64_t logical_size() const { return logical_size_; }
  std::unique_ptr<BlobUpload> release() { return std::move(upload_); }

 private:
  std::unique_ptr<BlobUpload> upload_;
  bool body_is_gzip_;
  std::unique_ptr<GzipEncoder> encoder_;
  std::unique_ptr<GzipDecoder> decoder_;
  Sha256 hash_;
  std::uint64_t logical_size_ = 0;
  std::string sha256_;
};

}  // namespace ft::server
