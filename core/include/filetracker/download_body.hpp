// Receiving a download body: response chunks go in (gunzipped when the answer
// was Content-Encoding: gzip), the plain bytes are hashed, counted and written
// to an AtomicFile; at the end they are checked against the server's
// SHA256-Checksum / Logical-Size (when it sent them) and committed. Shared by
// the libcurl client and the Qt client; each words its own messages (the Qt
// one translates them), so the checks report a Mismatch instead of throwing.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace ft {

class AtomicFile;
class GzipDecoder;
class Sha256;

class DownloadBody {
 public:
  struct Expectation {
    bool gzip = false;                          // Content-Encoding: gzip
    std::string sha256;                         // empty: not sent (compared case-insensitively)
    std::optional<std::uint64_t> logical_size;  // nullopt: not sent
  };
  enum class Mismatch { None, Size, Checksum };

  // Creates the temporary file next to `destination` at once (so an empty
  // body still makes a file). Throws ft::Error naming the destination.
  DownloadBody(const std::filesystem::path& destination, Expectation expectation);
  // Without commit() nothing is left behind.
  ~DownloadBody();
  DownloadBody(const DownloadBody&) = delete;
  DownloadBody& operator=(const DownloadBody&) = delete;

  // One chunk of the body as received. Throws the decoder's ft::Error
  // (Protocol) on corrupt gzip, or the file's error on a failed write.
  void write(std::string_view chunk);
  // End of the body: flushes the decoder (throws its ft::Error when the gzip
  // stream is truncated) and computes the digest.
  // REQUIRES: called once, after the last write().
  void finish();
  // After finish(): what does not match the expectation (size first).
  Mismatch mismatch() const;
  const std::string& sha256() const { return sha256_; }
  std::uint64_t logical_size() const { return logical_size_; }
  const Expectation& expectation() const { return expectation_; }
  // Renames the file into place, with `mtime` (Unix seconds) when >= 0.
  // REQUIRES: finish() was called.
  void commit(long long mtime = -1);
  // Removes the temporary file now; write()/commit() must not follow.
  void abort() noexcept;

 private:
  void write_plain(std::string_view data);

  Expectation expectation_;
  std::unique_ptr<AtomicFile> file_;
  std::unique_ptr<GzipDecoder> decoder_;
  std::unique_ptr<Sha256> hasher_;
  std::uint64_t logical_size_ = 0;
  std::string sha256_;
};

}  // namespace ft
