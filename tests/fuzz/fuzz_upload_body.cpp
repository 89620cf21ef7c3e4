// A PUT body on its way into a blob (the server's UploadReceiver: gzip
// decoder or encoder, hashing, the Logical-Size / --max-upload-size bound)
// and the client's BodyVerifier for a download: arbitrary bytes, cut into
// chunks where the input says. Input: one byte of flags, two bytes of the
// size bound, then the body.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "body_verifier.hpp"
#include "filetracker/error.hpp"
#include "filetracker/gzip.hpp"
#include "filetracker/server/upload_receiver.hpp"

namespace {

class MemoryUpload final : public ft::server::BlobUpload {
 public:
  void write(std::string_view bytes) override { stored.append(bytes); }
  void make_durable() override {}
  std::uint64_t bytes_written() const override { return stored.size(); }
  std::string stored;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 3) return 0;
  const bool gzip = data[0] & 1;
  const std::size_t chunk = 1 + ((data[0] >> 1) & 0x7f) * 64;
  const std::uint64_t bound = (std::uint64_t(data[1]) << 8 | data[2]) * 64;  // up to 4 MiB of content
  std::string_view body(reinterpret_cast<const char*>(data) + 3, size - 3);

  auto upload = std::make_unique<MemoryUpload>();
  MemoryUpload* stored = upload.get();
  ft::server::UploadReceiver receiver(std::move(upload), gzip, 1, bound);
  bool accepted = false;
  try {
    for (std::size_t at = 0; at < body.size(); at += chunk) receiver.write(body.substr(at, chunk));
    receiver.finish();
    accepted = true;
  } catch (const ft::Error&) {
  } catch (const ft::server::UploadReceiver::TooLarge&) {
    // It stopped within one decoder chunk (16 KiB) of the bound.
    if (receiver.logical_size() > bound + 16 * 1024) __builtin_trap();
  }
  if (accepted) {
    if (receiver.logical_size() > bound) __builtin_trap();
    // What is stored is gzip of exactly the content that was hashed.
    std::string plain = ft::gzip_decompress(stored->stored);
    if (plain.size() != receiver.logical_size()) __builtin_trap();
    if (!gzip && plain != body) __builtin_trap();
  }

  // The client side of the same bytes.
  ft::BodyExpectation expect;
  expect.gzip = gzip;
  expect.logical_size = bound;
  std::uint64_t handed = 0;
  ft::BodyVerifier verifier(expect, [&](std::string_view plain) { handed += plain.size(); });
  try {
    for (std::size_t at = 0; at < body.size(); at += chunk) verifier.write(body.substr(at, chunk));
    (void)verifier.finish();
    if (handed > bound) __builtin_trap();
  } catch (const ft::Error&) {
  }
  return 0;
}
