// One gzip stream deflated on several threads, for big contents where
// deflate is the slowest stage of an upload (issue 18: a 1 GiB plain PUT
// spent ~2/3 of its time in gzip on the connection's thread).
//
// pigz's scheme: the input is cut into blocks; each block is deflated on a
// worker as raw deflate primed with the previous block's last 32 KiB (the
// window a single-threaded deflate would have had), ending on a byte
// boundary (Z_SYNC_FLUSH) and the last one with Z_FINISH. The pieces in
// order, behind one gzip header and before one trailer (CRC-32 of the whole
// content, its size mod 2^32), are ONE ordinary gzip member: any gunzip,
// zlib and Python's gzip read it; our blobs stay what they always were.
//
// The caller's thread only copies blocks in and writes results out, in
// order; at most `max_in_flight` blocks are queued or being deflated, so
// memory stays bounded (about 2 × max_in_flight × kBlock) and a fast sender
// waits for the workers (back-pressure) instead of piling up input.
#pragma once

#include <cstddef>
#include <memory>
#include <string_view>

#include "filetracker/gzip.hpp"

namespace ft {

class ParallelGzipEncoder {
 public:
  static constexpr std::size_t kBlock = 512 * 1024;

  // `threads` workers of a pool shared by every encoder of the process
  // (created on first use); 0: one per CPU.
  explicit ParallelGzipEncoder(int level = 6, unsigned threads = 0);
  // Waits for this encoder's blocks still being deflated (their results are dropped).
  ~ParallelGzipEncoder();
  ParallelGzipEncoder(const ParallelGzipEncoder&) = delete;
  ParallelGzipEncoder& operator=(const ParallelGzipEncoder&) = delete;

  // `out` is called on this thread, in order. Throws Error(Io) when a worker failed.
  void write(std::string_view data, const ChunkSink& out);
  void finish(const ChunkSink& out);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ft
