// The body of a PUT on its way into a blob, chunk by chunk: hashes the
// uncompressed content (SHA-256, size) and writes gzip to the upload. A
// gzip body is stored as it is after checking that it decodes; a plain body
// is compressed.
//
// Memory: an upload that has sent little and stalls must cost little (a
// server holds hundreds of them). The coder (deflate state ~260 KiB, inflate
// ~45 KiB) is created only once more than kPendingLimit body bytes have
// arrived, or at finish(); until then the bytes wait in a small buffer.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "filetracker/checksum.hpp"
#include "filetracker/gzip.hpp"
#include "filetracker/parallel_gzip.hpp"
#include "filetracker/server/blob_store.hpp"

namespace ft::server {

class UploadReceiver {
 public:
  // Body bytes held before the coder is created.
  static constexpr std::size_t kPendingLimit = 8 * 1024;

  // Thrown by write()/finish() as soon as the content (after inflating a
  // gzip body) grows past `max_logical_size`: a lying Logical-Size or an
  // inflation bomb costs at most one chunk of work past the limit.
  struct TooLarge : std::runtime_error {
    using std::runtime_error::runtime_error;
  };

  // `parallel_deflate`: a plain body is deflated on the threads of a
  // ParallelGzipEncoder while this thread receives and hashes (for big
  // bodies: the upload then takes as long as its slowest stage, not the sum);
  // `deflate_threads`: the size of their shared pool (0: one per CPU).
  UploadReceiver(std::unique_ptr<BlobUpload> upload, bool body_is_gzip, int gzip_level = 6,
                 std::optional<std::uint64_t> max_logical_size = std::nullopt, bool parallel_deflate = false,
                 unsigned deflate_threads = 0);

  // Throws Error(Protocol) when a gzip body does not decode, TooLarge, Error(Io).
  void write(std::string_view body_bytes);
  // Ends the body (the storage makes the blob durable when it commits it).
  // Throws Error(Protocol) on a truncated gzip body, TooLarge, Error(Io).
  void finish();

  // Where the receiver's time went (steady clock; for the debug log of
  // big uploads: receiving is what the body took beyond these).
  struct Timings {
    std::chrono::nanoseconds sha256{0};  // hashing the content
    std::chrono::nanoseconds gzip{0};    // deflating a plain body, or inflating (checking) a gzip one;
                                         // with parallel_deflate: waiting for the deflate threads
    std::chrono::nanoseconds store{0};   // writing the gzip bytes into the upload
  };
  const Timings& timings() const { return timings_; }

  const std::string& sha256() const { return sha256_; }  // after finish()
  std::uint64_t logical_size() const { return logical_size_; }
  std::unique_ptr<BlobUpload> release() { return std::move(upload_); }

 private:
  // `whole`: body_bytes is the whole body (finish() of a small one).
  void code(std::string_view body_bytes, bool whole = false);
  bool started() const { return encoder_ || decoder_ || parallel_encoder_; }
  void count_plain(std::string_view plain);

  std::unique_ptr<BlobUpload> upload_;
  bool body_is_gzip_;
  int gzip_level_;
  bool parallel_deflate_;
  unsigned deflate_threads_;
  std::optional<std::uint64_t> max_logical_size_;
  std::string pending_;  // body bytes before the coder exists
  std::unique_ptr<GzipEncoder> encoder_;
  std::unique_ptr<ParallelGzipEncoder> parallel_encoder_;  // instead of encoder_ with parallel_deflate
  std::unique_ptr<GzipDecoder> decoder_;
  Sha256 hash_;
  std::uint64_t logical_size_ = 0;
  std::string sha256_;
  Timings timings_;
};

}  // namespace ft::server
