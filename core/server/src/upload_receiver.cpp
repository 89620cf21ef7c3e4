#include "filetracker/server/upload_receiver.hpp"

namespace ft::server {
namespace {

using Clock = std::chrono::steady_clock;

// Runs `step`, adding its duration to `total`.
template <typename F>
void timed(std::chrono::nanoseconds& total, F step) {
  const auto start = Clock::now();
  step();
  total += Clock::now() - start;
}

}  // namespace

UploadReceiver::UploadReceiver(std::unique_ptr<BlobUpload> upload, bool body_is_gzip, int gzip_level,
                               std::optional<std::uint64_t> max_logical_size, bool parallel_deflate,
                               unsigned deflate_threads)
    : upload_(std::move(upload)),
      body_is_gzip_(body_is_gzip),
      gzip_level_(gzip_level),
      parallel_deflate_(parallel_deflate && !body_is_gzip),
      deflate_threads_(deflate_threads),
      max_logical_size_(max_logical_size) {}

void UploadReceiver::write(std::string_view data) {
  if (data.empty()) return;
  if (!started()) {
    if (pending_.size() + data.size() <= kPendingLimit) {
      pending_.append(data);
      return;
    }
    // Enough has arrived that this upload is really under way.
    std::string pending = std::move(pending_);
    pending_ = std::string();
    code(pending);
  }
  code(data);
}

void UploadReceiver::count_plain(std::string_view plain) {
  logical_size_ += plain.size();
  if (max_logical_size_ && logical_size_ > *max_logical_size_)
    throw TooLarge("the content is larger than " + std::to_string(*max_logical_size_) + " bytes");
  timed(timings_.sha256, [&] { hash_.update(plain); });
}

void UploadReceiver::code(std::string_view data, bool whole) {
  // gzip's time is the coder's minus what its sink spent hashing or storing.
  const auto sha_before = timings_.sha256, store_before = timings_.store;
  const auto start = Clock::now();
  if (body_is_gzip_) {
    if (!decoder_) decoder_ = std::make_unique<GzipDecoder>();
    // The sink throws TooLarge in the middle of inflating: no more work is
    // done for a body that already says too much.
    decoder_->write(data, [this](std::string_view plain) { count_plain(plain); });
    timings_.gzip += (Clock::now() - start) - (timings_.sha256 - sha_before);
    timed(timings_.store, [&] { upload_->write(data); });
  } else if (parallel_deflate_) {
    if (!parallel_encoder_) parallel_encoder_ = std::make_unique<ParallelGzipEncoder>(gzip_level_, deflate_threads_);
    count_plain(data);
    const auto coding = Clock::now();
    parallel_encoder_->write(data, [this](std::string_view gz) { timed(timings_.store, [&] { upload_->write(gz); }); });
    timings_.gzip += (Clock::now() - coding) - (timings_.store - store_before);
  } else {
    if (!encoder_)
      encoder_ = whole ? std::make_unique<GzipEncoder>(gzip_level_, data.size()) : std::make_unique<GzipEncoder>(gzip_level_);
    count_plain(data);
    const auto coding = Clock::now();
    encoder_->write(data, [this](std::string_view gz) { timed(timings_.store, [&] { upload_->write(gz); }); });
    timings_.gzip += (Clock::now() - coding) - (timings_.store - store_before);
  }
}

void UploadReceiver::finish() {
  if (!started()) {
    std::string pending = std::move(pending_);
    pending_ = std::string();
    code(pending, /*whole=*/true);  // also for an empty body: the blob is a valid gzip stream
  }
  if (body_is_gzip_)
    decoder_->finish([](std::string_view) {});
  else if (parallel_encoder_)
    parallel_encoder_->finish([this](std::string_view gz) { upload_->write(gz); });
  else
    encoder_->finish([this](std::string_view gz) { upload_->write(gz); });
  sha256_ = hash_.hex_digest();
}

}  // namespace ft::server
