#include "body_verifier.hpp"

#include "filetracker/checksum.hpp"
#include "filetracker/error.hpp"
#include "filetracker/protocol.hpp"

namespace ft {

BodyExpectation body_expectation(const protocol::FileHeaders& headers) {
  if (!headers.unsupported_coding.empty())
    throw Error(ErrorCode::Protocol, "unsupported Content-Encoding: " + headers.unsupported_coding);
  BodyExpectation expect;
  expect.gzip = headers.gzip;
  expect.sha256 = headers.sha256;
  expect.logical_size = headers.logical_size;
  return expect;
}

BodyVerifier::BodyVerifier(BodyExpectation expectation, ChunkSink plain)
    : expectation_(std::move(expectation)),
      plain_(std::move(plain)),
      decoded_([this](std::string_view data) { take_plain(data); }),
      hasher_(std::make_unique<Sha256>()) {
  expectation_.sha256 = protocol::to_lower(expectation_.sha256);
  if (expectation_.gzip) decoder_ = std::make_unique<GzipDecoder>();
}

BodyVerifier::~BodyVerifier() = default;

namespace {
// Thrown out of the decoder's sink to stop inflating at once.
struct PastAnnouncedSize {};
}  // namespace

void BodyVerifier::take_plain(std::string_view data) {
  logical_size_ += data.size();
  if (expectation_.logical_size && logical_size_ > *expectation_.logical_size) {
    too_long_ = true;
    throw PastAnnouncedSize{};
  }
  hasher_->update(data);
  if (plain_) plain_(data);
}

void BodyVerifier::write(std::string_view received) {
  if (too_long_) return;
  try {
    if (decoder_)
      decoder_->write(received, decoded_);
    else
      take_plain(received);
  } catch (const PastAnnouncedSize&) {
  }
}

BodyVerifier::Verdict BodyVerifier::finish() {
  if (decoder_ && !too_long_) decoder_->finish(decoded_);
  sha256_ = hasher_->hex_digest();
  const auto& announced = expectation_.logical_size;
  if (too_long_)
    verdict_ = Verdict::TooLong;
  else if (announced && logical_size_ < *announced)
    verdict_ = Verdict::CutOff;
  else if (announced && logical_size_ > *announced)
    verdict_ = Verdict::TooLong;
  else if (!expectation_.sha256.empty() && expectation_.sha256 != sha256_)
    verdict_ = Verdict::Corrupt;
  else
    verdict_ = Verdict::Complete;
  return verdict_;
}

}  // namespace ft
