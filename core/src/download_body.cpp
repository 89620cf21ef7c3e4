#include "filetracker/download_body.hpp"

#include <algorithm>
#include <cctype>

#include "filetracker/atomic_file.hpp"
#include "filetracker/checksum.hpp"
#include "filetracker/gzip.hpp"

namespace ft {

DownloadBody::DownloadBody(const std::filesystem::path& destination, Expectation expectation)
    : expectation_(std::move(expectation)),
      file_(std::make_unique<AtomicFile>(destination)),
      hasher_(std::make_unique<Sha256>()) {
  for (auto& c : expectation_.sha256) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (expectation_.gzip) decoder_ = std::make_unique<GzipDecoder>();
}

DownloadBody::~DownloadBody() = default;

void DownloadBody::write_plain(std::string_view data) {
  hasher_->update(data);
  file_->write(data);
  logical_size_ += data.size();
}

void DownloadBody::write(std::string_view chunk) {
  if (decoder_)
    decoder_->write(chunk, [this](std::string_view data) { write_plain(data); });
  else
    write_plain(chunk);
}

void DownloadBody::finish() {
  if (decoder_) decoder_->finish([this](std::string_view data) { write_plain(data); });
  sha256_ = hasher_->hex_digest();
}

DownloadBody::Mismatch DownloadBody::mismatch() const {
  if (expectation_.logical_size && *expectation_.logical_size != logical_size_) return Mismatch::Size;
  if (!expectation_.sha256.empty() && expectation_.sha256 != sha256_) return Mismatch::Checksum;
  return Mismatch::None;
}

void DownloadBody::commit(long long mtime) { file_->commit(mtime); }

void DownloadBody::abort() noexcept {
  if (file_) file_->abort();
}

}  // namespace ft
