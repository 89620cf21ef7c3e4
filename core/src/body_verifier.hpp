// Checking a download body against what its answer promised. The bytes
// received go in (gunzipped first when the answer said Content-Encoding:
// gzip); the plain bytes are counted, hashed and handed on; at the end the
// verdict compares them with the Logical-Size and SHA256-Checksum the server
// sent (whichever it sent).
//
// The one place that decides "complete and correct" for every download:
// core's get_file (through DownloadBody), core's get_stream
// (DownloadStreamBuf) and the GUI's DownloadSink (through DownloadBody). Each
// words the verdict itself (the GUI translates), so it is a value, not an
// exception.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "filetracker/gzip.hpp"

namespace ft {

namespace protocol {
struct FileHeaders;
}  // namespace protocol

class Sha256;

// What the headers of an answer promise about its body.
struct BodyExpectation {
  bool gzip = false;                          // Content-Encoding: gzip
  std::string sha256;                         // empty: not sent (compared case-insensitively)
  std::optional<std::uint64_t> logical_size;  // nullopt: not sent
};

// The expectation a 2xx answer's decoded headers set. Throws
// Error(Protocol, "unsupported Content-Encoding: br") for a body in a coding
// nobody can decode.
BodyExpectation body_expectation(const protocol::FileHeaders& headers);

class BodyVerifier {
 public:
  enum class Verdict {
    Complete,  // as long as announced and, when a SHA-256 was sent, matching it
    CutOff,    // fewer plain bytes than announced
    TooLong,   // more plain bytes than announced
    Corrupt,   // as long as announced, but not the announced SHA-256
  };

  // `plain` receives the decoded bytes in order; what it throws comes out of
  // write() and finish() unchanged.
  BodyVerifier(BodyExpectation expectation, ChunkSink plain);
  ~BodyVerifier();
  BodyVerifier(const BodyVerifier&) = delete;
  BodyVerifier& operator=(const BodyVerifier&) = delete;

  // One chunk of the body as received. Throws Error(Protocol) when it is not
  // valid gzip: nothing past that point could be trusted.
  void write(std::string_view received);
  // The end of the body: flushes the decoder, computes the digest, returns the
  // verdict. Throws Error(Protocol) when the gzip stream stopped before its
  // end (a truncated body).
  // REQUIRES: called once, after the last write().
  Verdict finish();

  // REQUIRES: finish() returned.
  Verdict verdict() const { return verdict_; }
  // Lowercase hex SHA-256 of the plain bytes. REQUIRES: finish() returned.
  const std::string& sha256() const { return sha256_; }
  // Plain bytes so far.
  std::uint64_t logical_size() const { return logical_size_; }
  const BodyExpectation& expectation() const { return expectation_; }

 private:
  void take_plain(std::string_view data);

  BodyExpectation expectation_;
  ChunkSink plain_;
  ChunkSink decoded_;  // take_plain, bound once
  std::unique_ptr<GzipDecoder> decoder_;
  std::unique_ptr<Sha256> hasher_;
  std::uint64_t logical_size_ = 0;
  // The content passed its announced size: nothing more is inflated or
  // passed on (a hostile gzip body must not cost gigabytes of work).
  bool too_long_ = false;
  std::string sha256_;
  Verdict verdict_ = Verdict::Complete;
};

}  // namespace ft
