// PUT /files/NAME?last_modified=DATE: the header is checked before any of
// the body is read; the body goes chunk by chunk into an upload (hashed,
// gzip-compressed unless it is gzip already); once it is complete and matches
// the client's SHA256-Checksum / Logical-Size (extension), the storage
// commits it and the answer says which version is stored.
#include <chrono>
#include <cstdio>
#include <memory>
#include <optional>

#include "filetracker/error.hpp"
#include "filetracker/protocol.hpp"
#include "filetracker/server/log.hpp"
#include "filetracker/server/upload_receiver.hpp"
#include "http/handlers.hpp"
#include "http/metrics.hpp"

namespace ft::server {
namespace {

class FileUpload final : public BodyReceiver {
 public:
  FileUpload(const HandlerContext& context, UploadSlots::Slot slot, std::string name, Version version,
             UploadReceiver receiver, std::optional<std::string> expected_sha,
             std::optional<std::uint64_t> expected_size)
      : context_(context),
        slot_(std::move(slot)),
        name_(std::move(name)),
        version_(version),
        receiver_(std::move(receiver)),
        expected_sha_(std::move(expected_sha)),
        expected_size_(expected_size) {
    if (context_.metrics) in_flight_ = std::make_shared<ServerMetrics::UploadInFlight>(context_.metrics->upload_started());
  }

  void write(std::string_view chunk) override {
    client_bytes([&] { receiver_.write(chunk); });
  }

  Answer finish() override {
    client_bytes([&] { receiver_.finish(); });
    if (log_enabled(LogLevel::Debug)) log_timings();
    if (context_.options.extensions) {
      if (expected_sha_ && *expected_sha_ != receiver_.sha256())
        throw RequestError(400, name_ + ": SHA256-Checksum " + *expected_sha_ +
                                    " does not match the content (its SHA-256 is " + receiver_.sha256() + ")");
      if (expected_size_ && *expected_size_ != receiver_.logical_size())
        throw RequestError(400, name_ + ": Logical-Size " + std::to_string(*expected_size_) +
                                    " does not match the content (" + std::to_string(receiver_.logical_size()) +
                                    " bytes)");
    }
    FileRecord record{name_, version_, receiver_.sha256(), receiver_.logical_size()};
    return Answer::later([&storage = context_.storage, record = std::move(record), upload = receiver_.release(),
                          in_flight = std::move(in_flight_)](ReplyCallback done) mutable {
      std::string name = record.name;
      storage.put(std::move(record), std::move(upload),
                  [done = std::move(done), name, in_flight = std::move(in_flight)](CommitResult result) mutable {
                    // Out of flight before the answer leaves: a client that
                    // reads /metrics right after its answer sees 0, not 1.
                    in_flight.reset();
                    done(commit_reply(result, name));
                  });
    });
  }

 private:
  // A body that is not the gzip it claims to be, or whose content is
  // larger than it says or than we take, is the client's mistake.
  template <typename F>
  void client_bytes(F step) {
    try {
      step();
    } catch (const UploadReceiver::TooLarge&) {
      if (context_.options.extensions && expected_size_ && receiver_.logical_size() > *expected_size_)
        throw RequestError(400, name_ + ": Logical-Size " + std::to_string(*expected_size_) +
                                    " does not match the content (it is longer)");
      throw RequestError(413, name_ + ": the content exceeds the maximum upload size of " +
                                  std::to_string(context_.options.max_upload_size) + " bytes");
    } catch (const Error& e) {
      if (e.code() == ErrorCode::Protocol) throw RequestError(400, e.what());
      throw;
    }
  }

  // Where a body's time went, from its header to its end: the stages of the
  // receiving thread (the blob's fsync is in the storage's batch line).
  void log_timings() const {
    using ms = std::chrono::duration<double, std::milli>;
    const auto& t = receiver_.timings();
    const auto total = std::chrono::steady_clock::now() - started_;
    auto f = [](auto d) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.1f", ms(d).count());
      return std::string(buf);
    };
    log_message(LogLevel::Debug, "upload " + name_ + ": " + std::to_string(receiver_.logical_size()) +
                                     " content bytes in " + f(total) + " ms: SHA-256 " + f(t.sha256) + " ms, gzip " +
                                     f(t.gzip) + " ms, writing " + f(t.store) + " ms, receiving (the rest) " +
                                     f(total - t.sha256 - t.gzip - t.store) + " ms");
  }

  const HandlerContext& context_;
  const std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  UploadSlots::Slot slot_;  // released when the body is stored or dropped
  std::string name_;
  Version version_;
  UploadReceiver receiver_;
  std::optional<std::string> expected_sha_;
  std::optional<std::uint64_t> expected_size_;
  std::shared_ptr<ServerMetrics::UploadInFlight> in_flight_;  // until the commit is answered
};

}  // namespace

std::unique_ptr<BodyReceiver> put_file(const HandlerContext& context, const Request& request, const Target& target) {
  check_file_name(target.path);
  Version version = *query_version(target, true);
  auto length = request.content_length();
  if (!length) throw RequestError(411, "Content-Length is required", /*close_connection=*/true);
  const std::uint64_t limit = context.options.max_upload_size;
  if (limit && *length > limit)
    throw RequestError(413, "the body (" + std::to_string(*length) + " bytes) exceeds the maximum upload size of " +
                                std::to_string(limit) + " bytes");
  const std::string_view encoding = single_header(request, protocol::kContentEncoding).value_or("");
  const bool gzip_body = protocol::is_gzip_coding(encoding);
  if (!gzip_body && !protocol::is_identity_coding(encoding))
    throw RequestError(415, "unsupported Content-Encoding \"" + std::string(encoding) + "\" (only gzip)");

  std::optional<std::string> expected_sha;
  if (auto value = single_header(request, protocol::kSha256Checksum)) {
    if (!protocol::is_sha256_hex(*value))
      throw RequestError(400, "SHA256-Checksum is not 64 hex digits: \"" + std::string(*value) + "\"");
    expected_sha = protocol::to_lower(*value);
  }
  std::optional<std::uint64_t> expected_size;
  if (auto value = single_header(request, protocol::kLogicalSize)) {
    expected_size = protocol::parse_uint(protocol::trim(*value));
    if (!expected_size)
      throw RequestError(400, "Logical-Size is not a non-negative integer: \"" + std::string(*value) + "\"");
  }
  // Inflating stops as soon as the content passes what it may be: its
  // Logical-Size (checked with the extensions on) and --max-upload-size.
  std::optional<std::uint64_t> max_content;
  if (limit) max_content = limit;
  if (context.options.extensions && expected_size && (!max_content || *expected_size < *max_content))
    max_content = expected_size;
  auto slot = context.upload_slots.try_acquire();
  if (!slot) {
    RequestError busy(503, "the server is receiving " + std::to_string(context.upload_slots.max()) +
                               " uploads already (--max-uploads); try again shortly");
    busy.retry_after = 1;
    throw busy;
  }
  const bool big = *length > ServerOptions::kBigBody;
  const int level = big ? context.options.big_gzip_level : context.options.gzip_level;
  UploadReceiver receiver(context.storage.begin_upload(length), gzip_body, level, max_content,
                          big && context.options.deflate_threads != 1, context.options.deflate_threads);
  return std::make_unique<FileUpload>(context, std::move(*slot), target.path, version, std::move(receiver),
                                      std::move(expected_sha), expected_size);
}

}  // namespace ft::server
