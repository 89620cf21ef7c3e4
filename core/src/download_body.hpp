// Receiving a download body into a file: the chunks received go through a
// BodyVerifier (gunzip, count, hash) into an AtomicFile, so a body that is
// cut off, corrupt or abandoned leaves nothing behind and a complete one is
// renamed into place at commit(). Shared by the libcurl client (get_file) and
// the Qt client (DownloadSink); each words the verdict its own way (the Qt
// one translates it).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "body_verifier.hpp"

namespace ft {

class AtomicFile;

class DownloadBody {
 public:
  using Expectation = BodyExpectation;
  // The verdict, coarser: Size for a body cut off or longer than announced,
  // Checksum for a corrupt one.
  enum class Mismatch { None, Size, Checksum };

  // Creates the temporary file next to `destination` at once (so an empty
  // body still makes a file). Throws ft::Error naming the destination.
  DownloadBody(const std::filesystem::path& destination, Expectation expectation);
  // Without commit() nothing is left behind.
  ~DownloadBody();
  DownloadBody(const DownloadBody&) = delete;
  DownloadBody& operator=(const DownloadBody&) = delete;

  // One chunk of the body as received. Throws the verifier's ft::Error
  // (Protocol) on corrupt gzip, or the file's error on a failed write.
  void write(std::string_view chunk) { verifier_->write(chunk); }
  // End of the body (see BodyVerifier::finish; throws on a truncated gzip
  // stream). REQUIRES: called once, after the last write().
  BodyVerifier::Verdict finish() { return verifier_->finish(); }
  // The verifier the chunks go through: write() and finish() are its own,
  // for callers that word its errors (core's downloads, remote_download.hpp).
  BodyVerifier& verifier() { return *verifier_; }
  // After finish().
  BodyVerifier::Verdict verdict() const { return verifier_->verdict(); }
  Mismatch mismatch() const;
  const std::string& sha256() const { return verifier_->sha256(); }
  std::uint64_t logical_size() const { return verifier_->logical_size(); }
  const Expectation& expectation() const { return verifier_->expectation(); }
  // Renames the file into place, with `mtime` (Unix seconds) when >= 0.
  // REQUIRES: finish() was called.
  void commit(long long mtime = -1);
  // Removes the temporary file now; write()/commit() must not follow.
  void abort() noexcept;

 private:
  std::unique_ptr<AtomicFile> file_;
  std::unique_ptr<BodyVerifier> verifier_;
};

}  // namespace ft
