// Preparing an upload body: one pass over a local file that computes the
// SHA-256 and logical size of the plain content (the SHA256-Checksum and
// Logical-Size headers) and, when asked, its gzip form. Shared by the libcurl
// client and the Qt client so both announce exactly the same thing.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

#include "filetracker/gzip.hpp"

namespace ft {

struct UploadBodyOptions {
  // Names the upload in errors ("<label>: cancelled", "<label>: read failed: ...").
  std::string label;
  // Names the file in read errors ("<source>: read failed: ..."); empty: label.
  std::string source;
  // Gzip the content; `compressed` then receives the gzip stream chunk by
  // chunk (null: it is only counted, e.g. to learn the Content-Length).
  bool compress = true;
  int level = 6;
  ChunkSink compressed;
  // Hash on a second thread while this one compresses the same bytes (worth
  // it for big files only).
  bool hash_in_parallel = false;
  // Deflate on the threads of a ParallelGzipEncoder while this one reads and
  // hashes (big files: the pass then takes as long as the slower of reading +
  // hashing and deflating / threads). Overrides hash_in_parallel.
  bool parallel_deflate = false;
  // Checked before every chunk; when it becomes true the pass throws
  // ErrorCode::Cancelled.
  const std::atomic<bool>* cancel = nullptr;
  // Called after every chunk with (plain bytes read so far, `total`).
  std::function<void(std::uint64_t, std::uint64_t)> progress;
  std::uint64_t total = 0;
};

struct UploadBodyDigest {
  std::string sha256;  // lowercase hex of the plain content
  std::uint64_t logical_size = 0;
  std::uint64_t compressed_size = 0;  // 0 unless options.compress
};

// Reads the open descriptor `fd` from its current position to its end in
// 1 MiB chunks. Errors are ft::Error: Io naming options.source on a read
// failure, Cancelled naming options.label on cancel; errors thrown by options.compressed pass
// through unchanged.
// REQUIRES: fd is open for reading; the caller keeps ownership of it.
UploadBodyDigest prepare_upload_body(int fd, const UploadBodyOptions& options);

}  // namespace ft
