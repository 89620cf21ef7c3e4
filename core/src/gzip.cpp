#include "filetracker/gzip.hpp"

#include <algorithm>

#include <zlib.h>

#include "filetracker/error.hpp"

namespace ft {

namespace {
// Output buffer of each coder. Small: a server holds one coder per upload
// in progress (zlib's own state is on top of this).
constexpr std::size_t kChunk = 16 * 1024;
}

struct GzipEncoder::Impl {
  z_stream zs{};
  bool finished = false;
  char out[kChunk];

  void pump(int flush, const ChunkSink& sink) {
    int rc;
    do {
      zs.next_out = reinterpret_cast<Bytef*>(out);
      zs.avail_out = kChunk;
      rc = deflate(&zs, flush);
      if (rc == Z_STREAM_ERROR) throw Error(ErrorCode::Io, "gzip: compression failed");
      std::size_t produced = kChunk - zs.avail_out;
      if (produced) sink(std::string_view(out, produced));
    } while (zs.avail_out == 0 || (flush == Z_FINISH && rc != Z_STREAM_END));
  }
};

GzipEncoder::GzipEncoder(int level) : GzipEncoder(level, std::size_t(1) << 15) {}

// `new Impl` rather than make_unique: value-initialising would clear the
// 16 KiB output buffer on every coder, to no purpose.
GzipEncoder::GzipEncoder(int level, std::size_t whole_input_size) : impl_(new Impl) {
  // The smallest window (zlib takes 9..15 bits with a gzip wrapper) that
  // holds the whole input, so no match is lost to it, and a hash table to
  // match; zlib's defaults (15 bits, memLevel 8) from 32 KiB on.
  int window_bits = 9;
  while (window_bits < 15 && (std::size_t(1) << window_bits) < whole_input_size) ++window_bits;
  const int mem_level = std::clamp(window_bits - 7, 1, 8);
  // windowBits + 16: gzip wrapper.
  if (deflateInit2(&impl_->zs, level, Z_DEFLATED, window_bits + 16, mem_level, Z_DEFAULT_STRATEGY) != Z_OK)
    throw Error(ErrorCode::Io, "gzip: cannot initialise the compressor");
}

GzipEncoder::~GzipEncoder() { deflateEnd(&impl_->zs); }

void GzipEncoder::write(std::string_view data, const ChunkSink& out) {
  // zlib's avail_in is 32-bit: feed large inputs in pieces.
  while (!data.empty()) {
    std::size_t piece = std::min<std::size_t>(data.size(), 1u << 30);
    impl_->zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    impl_->zs.avail_in = static_cast<uInt>(piece);
    impl_->pump(Z_NO_FLUSH, out);
    data.remove_prefix(piece);
  }
}

void GzipEncoder::finish(const ChunkSink& out) {
  if (impl_->finished) return;
  impl_->zs.next_in = nullptr;
  impl_->zs.avail_in = 0;
  impl_->pump(Z_FINISH, out);
  impl_->finished = true;
}

struct GzipDecoder::Impl {
  z_stream zs{};
  bool done = false;
  char out[kChunk];
};

GzipDecoder::GzipDecoder() : impl_(new Impl) {  // as above: the buffer needs no clearing
  if (inflateInit2(&impl_->zs, 15 + 16) != Z_OK) throw Error(ErrorCode::Io, "gzip: cannot initialise the decompressor");
}

GzipDecoder::~GzipDecoder() { inflateEnd(&impl_->zs); }

void GzipDecoder::write(std::string_view data, const ChunkSink& out) {
  auto& zs = impl_->zs;
  while (!data.empty()) {
    if (impl_->done) {
      // Concatenated gzip members are valid gzip (RFC 1952 2.2); start the next.
      if (inflateReset(&zs) != Z_OK) throw Error(ErrorCode::Protocol, "gzip: cannot reset the decompressor");
      impl_->done = false;
    }
    std::size_t piece = std::min<std::size_t>(data.size(), 1u << 30);
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    zs.avail_in = static_cast<uInt>(piece);
    for (;;) {
      zs.next_out = reinterpret_cast<Bytef*>(impl_->out);
      zs.avail_out = kChunk;
      int rc = inflate(&zs, Z_NO_FLUSH);
      if (rc == Z_NEED_DICT || rc == Z_DATA_ERROR || rc == Z_MEM_ERROR || rc == Z_STREAM_ERROR)
        throw Error(ErrorCode::Protocol, "the content is not valid gzip");
      std::size_t produced = kChunk - zs.avail_out;
      if (produced) out(std::string_view(impl_->out, produced));
      if (rc == Z_STREAM_END) {
        impl_->done = true;
        break;
      }
      if (zs.avail_in == 0 && zs.avail_out != 0) break;
      if (rc == Z_BUF_ERROR && zs.avail_in == 0) break;
    }
    std::size_t consumed = piece - zs.avail_in;
    data.remove_prefix(consumed);
    if (consumed == 0 && !impl_->done) break;
  }
}

void GzipDecoder::finish(const ChunkSink&) {
  if (!impl_->done) throw Error(ErrorCode::Protocol, "the gzip content ended before its end (truncated)");
}

bool GzipDecoder::done() const { return impl_->done; }

std::string gzip_compress(std::string_view data, int level) {
  std::string out;
  GzipEncoder encoder(level);
  auto sink = [&](std::string_view chunk) { out.append(chunk); };
  encoder.write(data, sink);
  encoder.finish(sink);
  return out;
}

std::string gzip_decompress(std::string_view data) {
  std::string out;
  GzipDecoder decoder;
  auto sink = [&](std::string_view chunk) { out.append(chunk); };
  decoder.write(data, sink);
  decoder.finish(sink);
  return out;
}

}  // namespace ft
