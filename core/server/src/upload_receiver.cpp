#include "filetracker/server/upload_receiver.hpp"

namespace ft::server {

UploadReceiver::UploadReceiver(std::unique_ptr<BlobUpload> upload, bool body_is_gzip, int gzip_level)
    : upload_(std::move(upload)), body_is_gzip_(body_is_gzip) {
  if (body_is_gzip_)
    decoder_ = std::make_unique<GzipDecoder>();
  else
    encoder_ = std::make_unique<GzipEncoder>(gzip_level);
}

void UploadReceiver::write(std::string_view data) {
  if (data.empty()) return;
  if (body_is_gzip_) {
    decoder_->write(data, [this](std::string_view plain) {
      hash_.update(plain);
      logical_size_ += plain.size();
    });
    upload_->write(data);
  } else {
    hash_.update(data);
    logical_size_ += data.size();
    encoder_->write(data, [this](std::string_view gz) { upload_->write(gz); });
  }
}

void UploadReceiver::finish() {
  if (body_is_gzip_)
    decoder_->finish([](std::string_view) {});
  else
    encoder_->finish([this](std::string_view gz) { upload_->write(gz); });
  sha256_ = hash_.hex_digest();
}

}  // namespace ft::server
