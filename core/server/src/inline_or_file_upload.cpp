#include "inline_or_file_upload.hpp"

namespace ft::server {

void InlineOrFileUpload::write(std::string_view gzip_bytes) {
  if (!file_ && bytes_.size() + gzip_bytes.size() > max_inline_) {
    // Too big for the index: from here on a blob file like any other.
    file_ = blobs_.begin_upload();
    file_->write(bytes_);
    bytes_ = std::string();
  }
  if (file_)
    file_->write(gzip_bytes);
  else
    bytes_.append(gzip_bytes);
}

}  // namespace ft::server
