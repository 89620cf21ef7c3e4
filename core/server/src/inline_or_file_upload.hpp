// An upload that stays in memory while its gzip bytes fit the inline bound
// (the storage then keeps them in the index, committed with the file's row:
// one index commit, no file to fsync) and moves to a BlobStore upload as
// soon as they do not (written, fsynced and renamed like any blob file).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "filetracker/server/blob_store.hpp"

namespace ft::server {

class InlineOrFileUpload final : public BlobUpload {
 public:
  // `max_inline` >= 1: gzip bytes kept in memory at most.
  InlineOrFileUpload(BlobStore& blobs, std::uint64_t max_inline) : blobs_(blobs), max_inline_(max_inline) {}

  void write(std::string_view gzip_bytes) override;
  void make_durable() override {
    if (file_) file_->make_durable();
  }
  std::uint64_t bytes_written() const override { return file_ ? file_->bytes_written() : bytes_.size(); }

  // The whole blob when it stayed in memory, else nullptr.
  const std::string* inline_bytes() const { return file_ ? nullptr : &bytes_; }
  // The BlobStore's upload once the blob outgrew the bound, else nullptr.
  BlobUpload* file() const { return file_.get(); }

 private:
  BlobStore& blobs_;
  std::uint64_t max_inline_;
  std::string bytes_;
  std::unique_ptr<BlobUpload> file_;
};

}  // namespace ft::server
