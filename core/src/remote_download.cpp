#include "remote_download.hpp"

#include "file_answer.hpp"
#include "filetracker/error.hpp"
#include "filetracker/protocol.hpp"

namespace ft {

HttpRequest make_download_request(const std::string& subject, std::string_view unversioned,
                                  std::optional<Version> kept_version) {
  HttpRequest request;
  request.name = subject;
  request.target = kept_version ? protocol::history_target(unversioned, kept_version) : protocol::files_target(unversioned);
  request.headers.push_back(std::string(protocol::kAcceptEncoding) + ": gzip");
  request.phase = TransferPhase::Downloading;
  return request;
}

DownloadAnswer read_download_answer(const HttpResponse& response, const SplitName& asked, const std::string& subject) {
  protocol::FileHeaders headers = read_file_answer(response, subject);
  DownloadAnswer answer;
  answer.version = *headers.version;
  if (asked.version && *asked.version != answer.version)
    throw Error(ErrorCode::NotFound,
                subject + ": version " + std::to_string(*asked.version) + " is not available; the server has " +
                    std::to_string(answer.version),
                404);
  try {
    answer.body = body_expectation(headers);
  } catch (const Error& e) {
    throw Error(e.code(), subject + ": " + e.what());
  }
  return answer;
}

void feed_body(BodyVerifier& verifier, std::string_view received, const std::string& subject) {
  try {
    verifier.write(received);
  } catch (const Error& e) {
    if (e.code() == ErrorCode::Protocol) throw Error(ErrorCode::Protocol, subject + ": " + e.what());
    throw;
  }
}

void finish_body(BodyVerifier& verifier, const std::string& subject) {
  BodyVerifier::Verdict verdict;
  try {
    verdict = verifier.finish();
  } catch (const Error& e) {
    throw Error(ErrorCode::Network, subject + ": the download was cut off (" + e.what() + ")");
  }
  const BodyExpectation& expected = verifier.expectation();
  const std::string got = std::to_string(verifier.logical_size());
  switch (verdict) {
    case BodyVerifier::Verdict::CutOff:
      throw Error(ErrorCode::Network, subject + ": the download was cut off: got " + got + " of " +
                                          std::to_string(*expected.logical_size) + " bytes");
    case BodyVerifier::Verdict::TooLong:
      throw Error(ErrorCode::ChecksumMismatch, subject + ": the server sent more than it announced: got " + got +
                                                   " bytes, expected " + std::to_string(*expected.logical_size));
    case BodyVerifier::Verdict::Corrupt:
      throw Error(ErrorCode::ChecksumMismatch,
                  subject + ": the downloaded content does not match its SHA-256 checksum (expected " +
                      expected.sha256 + ", got " + verifier.sha256() + ")");
    case BodyVerifier::Verdict::Complete:
      break;
  }
}

}  // namespace ft
