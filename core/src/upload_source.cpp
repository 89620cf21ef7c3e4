#include "upload_source.hpp"

#include <algorithm>
#include <cstring>

#include "filetracker/gzip.hpp"
#include "input_file.hpp"

namespace ft {

namespace {
constexpr std::size_t kReadChunk = 1 << 16;
}  // namespace

UploadSource::UploadSource(std::string body) : memory_(std::move(body)), in_memory_(true) {}

UploadSource::UploadSource(const std::filesystem::path& path, bool compress)
    : compress_(compress), file_(std::make_unique<InputFile>(path)) {
  if (compress_) encoder_ = std::make_unique<GzipEncoder>();
}

UploadSource::UploadSource(std::unique_ptr<InputFile> file) : file_(std::move(file)) { file_->rewind(); }

UploadSource::~UploadSource() = default;

std::size_t UploadSource::read(char* out, std::size_t size) {
  if (in_memory_) {
    std::size_t n = std::min(size, memory_.size() - memory_pos_);
    std::memcpy(out, memory_.data() + memory_pos_, n);
    memory_pos_ += n;
    return n;
  }
  if (!compress_) return file_->read(out, size);
  return read_compressed(out, size);
}

std::size_t UploadSource::read_compressed(char* out, std::size_t size) {
  while (pending_pos_ == pending_.size() && !finished_) {
    pending_.clear();
    pending_pos_ = 0;
    char chunk[kReadChunk];
    std::size_t n = file_->read(chunk, sizeof chunk);
    auto sink = [this](std::string_view produced) { pending_.append(produced); };
    if (n == 0) {
      encoder_->finish(sink);
      finished_ = true;
    } else {
      encoder_->write(std::string_view(chunk, n), sink);
    }
  }
  std::size_t n = std::min(size, pending_.size() - pending_pos_);
  std::memcpy(out, pending_.data() + pending_pos_, n);
  pending_pos_ += n;
  return n;
}

void UploadSource::rewind() {
  if (in_memory_) {
    memory_pos_ = 0;
    return;
  }
  file_->rewind();
  if (compress_) encoder_ = std::make_unique<GzipEncoder>();
  pending_.clear();
  pending_pos_ = 0;
  finished_ = false;
}

}  // namespace ft
