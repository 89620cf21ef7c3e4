#include "upload_body.hpp"

#include <future>
#include <vector>

#include "fd_io.hpp"
#include "filetracker/checksum.hpp"
#include "filetracker/error.hpp"
#include "filetracker/parallel_gzip.hpp"

namespace ft {

namespace {
constexpr std::size_t kChunk = 1 << 20;
}  // namespace

UploadBodyDigest prepare_upload_body(int fd, const UploadBodyOptions& options) {
  UploadBodyDigest digest;
  Sha256 hasher;
  GzipEncoder encoder(options.level);
  std::unique_ptr<ParallelGzipEncoder> parallel;
  if (options.compress && options.parallel_deflate) parallel = std::make_unique<ParallelGzipEncoder>(options.level);
  const ChunkSink sink = [&](std::string_view produced) {
    digest.compressed_size += produced.size();
    if (options.compressed) options.compressed(produced);
  };
  const std::string& source = options.source.empty() ? options.label : options.source;
  std::vector<char> chunk(kChunk);
  for (;;) {
    if (options.cancel && options.cancel->load()) throw Error(ErrorCode::Cancelled, options.label + ": cancelled");
    std::size_t n = read_some(fd, chunk.data(), chunk.size(), source, "read failed");
    if (n == 0) break;
    if (parallel) {
      hasher.update(chunk.data(), n);
      parallel->write(std::string_view(chunk.data(), n), sink);
    } else if (options.compress && options.hash_in_parallel) {
      auto hashing = std::async(std::launch::async, [&hasher, &chunk, n] { hasher.update(chunk.data(), n); });
      try {
        encoder.write(std::string_view(chunk.data(), n), sink);
      } catch (...) {
        hashing.wait();  // the hasher reads `chunk`: never leave it behind
        throw;
      }
      hashing.get();
    } else {
      hasher.update(chunk.data(), n);
      if (options.compress) encoder.write(std::string_view(chunk.data(), n), sink);
    }
    digest.logical_size += n;
    if (options.progress) options.progress(digest.logical_size, options.total);
  }
  if (parallel)
    parallel->finish(sink);
  else if (options.compress)
    encoder.finish(sink);
  digest.sha256 = hasher.hex_digest();
  return digest;
}

}  // namespace ft
