#include "download_body.hpp"

#include "filetracker/atomic_file.hpp"

namespace ft {

DownloadBody::DownloadBody(const std::filesystem::path& destination, Expectation expectation)
    : file_(std::make_unique<AtomicFile>(destination)),
      verifier_(std::make_unique<BodyVerifier>(std::move(expectation),
                                               [file = file_.get()](std::string_view plain) { file->write(plain); })) {}

DownloadBody::~DownloadBody() = default;

DownloadBody::Mismatch DownloadBody::mismatch() const {
  switch (verdict()) {
    case BodyVerifier::Verdict::CutOff:
    case BodyVerifier::Verdict::TooLong:
      return Mismatch::Size;
    case BodyVerifier::Verdict::Corrupt:
      return Mismatch::Checksum;
    case BodyVerifier::Verdict::Complete:
      break;
  }
  return Mismatch::None;
}

void DownloadBody::commit(long long mtime) { file_->commit(mtime); }

void DownloadBody::abort() noexcept {
  if (file_) file_->abort();
}

}  // namespace ft
