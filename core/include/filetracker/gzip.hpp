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
  // `whole_input_size`: the caller will write exactly this many bytes in
  // all. A small input then gets a window and hash table of its size:
  // zlib's defaults allocate ~270 KiB and clear over 64 KiB of it for
  // every encoder, most of the CPU a 1 KiB upload costs the server. The
  // output is a gzip stream like any other (any window up to 32 KiB).
  GzipEncoder(int level, std::size_t whole_input_size);
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
