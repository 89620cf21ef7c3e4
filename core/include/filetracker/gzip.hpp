// Streaming gzip (zlib) in both directions. Blobs travel and rest as gzip.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace ft {

// Output callback: receives each produced chunk.
using ChunkSink = std::function<void(std::string_view)>;

class GzipEncoder {
 public:
  explicit GzipEncoder(int level = 6);
  ~GzipEncoder();
  GzipEncoder(const GzipEncoder&) = delete;
  GzipEncoder& operator=(const GzipEncoder&) = delete;

  void write(std::string_view data, const ChunkSink& out);
  // Flushes the trailer. After finish() the encoder must not be used.
  void finish(const ChunkSink& out);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

class GzipDecoder {
 public:
  GzipDecoder();
  ~GzipDecoder();
  GzipDecoder(const GzipDecoder&) = delete;
  GzipDecoder& operator=(const GzipDecoder&) = delete;

  // Throws Error(Protocol, "...not valid gzip...") on corrupt input.
  void write(std::string_view data, const ChunkSink& out);
  // Throws Error(Protocol) when the stream ended before the gzip trailer.
  void finish(const ChunkSink& out);
  bool done() const;  // the trailer has been seen

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

std::string gzip_compress(std::string_view data, int level = 6);
std::string gzip_decompress(std::string_view data);  // throws Error(Protocol)

}  // namespace ft
