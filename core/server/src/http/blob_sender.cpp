#include "http/blob_sender.hpp"

#include <sys/sendfile.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <type_traits>
#include <utility>  // before Asio 1.74: its awaitable.hpp needs std::exchange
#include <boost/asio/write.hpp>
#include <boost/beast/core/stream_traits.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include "filetracker/error.hpp"
#include "filetracker/protocol.hpp"

namespace beast = boost::beast;
namespace net = boost::asio;

namespace ft::server {
namespace {

// Plain content up to this size is decompressed in memory in one piece; a
// bigger one (a small blob of very compressible content, or any blob file)
// is streamed.
constexpr std::uint64_t kDecompressInMemory = 1 << 20;
// Compressed bytes read per step of the streaming decompression: keeps the
// decompressed chunk (and memory) bounded.
constexpr std::size_t kDecompressStep = 8 * 1024;
// A connection keeps a decompression buffer up to this size for its next answer.
constexpr std::size_t kKeepBuffer = 256 * 1024;

// The 200 answer's header. Field for field what the deployed server sends,
// plus SHA256-Checksum and Vary with our extensions.
void format_header(std::string& h, const FileReply& file, std::uint64_t content_length, bool keep_alive) {
  const FileRecord& record = file.record();
  h.clear();
  h += "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nLast-Modified: ";
  h += protocol::format_http_date(record.version);
  h += "\r\nLogical-Size: ";
  h += std::to_string(record.size);
  if (file.checksum_header()) {
    h += "\r\nSHA256-Checksum: ";
    h += record.sha256;
    h += "\r\nVary: Accept-Encoding";
  }
  if (file.gzip()) h += "\r\nContent-Encoding: gzip";
  h += "\r\nContent-Length: ";
  h += std::to_string(content_length);
  if (!keep_alive) h += "\r\nConnection: close";
  h += "\r\n\r\n";
}

}  // namespace

template <typename Stream>
void BlobSender<Stream>::send(FileReply file, bool keep_alive, bool head, std::shared_ptr<void> owner) {
  const std::uint64_t logical_size = file.record().size;
  const bool in_memory_plain = !head && !file.gzip() && file.cached_blob() && logical_size <= kDecompressInMemory;
  if (in_memory_plain) {
    std::string plain = gzip_decompress(*file.cached_blob());
    if (plain.size() != logical_size)
      throw Error(ErrorCode::Io, file.record().name + ": the stored blob does not match its logical size");
    plain_ = std::move(plain);
  }
  result_ = Result{};
  format_header(header_, file, file.gzip() ? file.stored_size() : logical_size, keep_alive);
  file_.emplace(std::move(file));
  if (head) return write_header({}, Then::Finish, std::move(owner));
  if (in_memory_plain) return write_header(plain_, Then::Finish, std::move(owner));
  if (file_->gzip() && file_->cached_blob()) return write_header(*file_->cached_blob(), Then::Finish, std::move(owner));
  offset_ = 0;
  if (file_->gzip()) {
    remaining_ = file_->stored_size();
    return write_header({}, Then::SendBlobFile, std::move(owner));
  }
  decoder_ = std::make_unique<GzipDecoder>();
  plain_sent_ = 0;
  eof_ = false;
  write_header({}, Then::SendDecompressed, std::move(owner));
}

template <typename Stream>
void BlobSender<Stream>::write_header(std::string_view body, Then then, std::shared_ptr<void> owner) {
  std::array<net::const_buffer, 2> buffers{net::buffer(header_), net::buffer(body.data(), body.size())};
  beast::get_lowest_layer(stream_).expires_after(timeout_);
  net::async_write(stream_, buffers, [this, then, owner = std::move(owner)](beast::error_code ec, std::size_t n) mutable {
    result_.bytes += n;
    if (ec) return fail(ec);
    switch (then) {
      case Then::Finish: return finish();
      case Then::SendBlobFile: return send_blob_file(std::move(owner));
      case Then::SendDecompressed: return send_decompressed(std::move(owner));
    }
  });
}

// sendfile(2) of the stored blob, as much as the socket takes at a time.
template <typename Stream>
void BlobSender<Stream>::send_blob_file(std::shared_ptr<void> owner) {
  if constexpr (!std::is_same_v<Stream, beast::tcp_stream>) {
    // TLS: sendfile(2) would bypass the encryption; read and write instead.
    return send_blob_through_stream(std::move(owner));
  } else {
  auto& socket = stream_.socket();
  beast::error_code ec;
  socket.native_non_blocking(true, ec);
  while (remaining_ > 0) {
    ssize_t n = ::sendfile(socket.native_handle(), file_->blob_fd(), &offset_, std::min<std::uint64_t>(remaining_, 1 << 30));
    if (n > 0) {
      remaining_ -= static_cast<std::uint64_t>(n);
      result_.bytes += static_cast<std::uint64_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      // Wait until the socket can take more; a client that stops reading
      // is cut off after the transfer timeout.
      if (!timer_) timer_.emplace(stream_.get_executor());
      timer_->expires_after(timeout_);
      timer_->async_wait([this, owner](beast::error_code tec) {
        if (!tec) stream_.socket().cancel();
      });
      socket.async_wait(net::socket_base::wait_write, [this, owner](beast::error_code wec) mutable {
        timer_->cancel();
        if (wec) return fail(wec);
        send_blob_file(std::move(owner));
      });
      return;
    }
    result_.problem = std::string("sendfile failed: ") + (n < 0 ? std::strerror(errno) : "blob shrank");
    result_.keep_alive = false;
    return finish();
  }
  finish();
  }
}

// The stored blob through the stream (TLS), a chunk at a time.
template <typename Stream>
void BlobSender<Stream>::send_blob_through_stream(std::shared_ptr<void> owner) {
  if (remaining_ == 0) return finish();
  constexpr std::size_t kStep = 64 * 1024;
  plain_.resize(kStep);
  ssize_t got;
  do {
    got = ::pread(file_->blob_fd(), plain_.data(), std::min<std::uint64_t>(kStep, remaining_), offset_);
  } while (got < 0 && errno == EINTR);
  if (got <= 0) {
    result_.problem = std::string("cannot read the blob: ") + (got < 0 ? std::strerror(errno) : "blob shrank");
    result_.keep_alive = false;
    return fail({});
  }
  offset_ += got;
  remaining_ -= static_cast<std::uint64_t>(got);
  beast::get_lowest_layer(stream_).expires_after(timeout_);
  net::async_write(stream_, net::buffer(plain_.data(), static_cast<std::size_t>(got)),
                   [this, owner = std::move(owner)](beast::error_code ec, std::size_t n) mutable {
                     result_.bytes += n;
                     if (ec) return fail(ec);
                     send_blob_through_stream(std::move(owner));
                   });
}

// The blob decompressed chunk by chunk, from memory or from its file.
template <typename Stream>
void BlobSender<Stream>::send_decompressed(std::shared_ptr<void> owner) {
  const FileReply& file = *file_;
  plain_.clear();
  if (!chunk_) chunk_ = std::make_unique<char[]>(kDecompressStep);
  try {
    while (plain_.empty() && !eof_) {
      ssize_t got;
      if (const auto& cached = file.cached_blob()) {
        got = static_cast<ssize_t>(std::min<std::size_t>(kDecompressStep, cached->size() - static_cast<std::size_t>(offset_)));
        std::memcpy(chunk_.get(), cached->data() + offset_, static_cast<std::size_t>(got));
      } else {
        got = ::pread(file.blob_fd(), chunk_.get(), kDecompressStep, offset_);
      }
      if (got < 0) throw_errno(file.record().name + ": cannot read the blob");
      if (got == 0) {
        decoder_->finish([](std::string_view) {});
        eof_ = true;
        break;
      }
      offset_ += got;
      decoder_->write(std::string_view(chunk_.get(), static_cast<std::size_t>(got)),
                      [this](std::string_view out) { plain_.append(out); });
    }
  } catch (const std::exception& e) {
    result_.problem_level = LogLevel::Error;
    result_.problem = std::string("stored blob is unreadable: ") + e.what();
    result_.keep_alive = false;
    return fail({});
  }
  if (plain_.empty()) {  // the end of the content
    if (plain_sent_ != file.record().size) {
      result_.problem_level = LogLevel::Error;
      result_.problem = "the blob decompressed to " + std::to_string(plain_sent_) + " bytes, the index says " +
                        std::to_string(file.record().size);
      result_.keep_alive = false;
    }
    return finish();
  }
  plain_sent_ += plain_.size();
  beast::get_lowest_layer(stream_).expires_after(timeout_);
  net::async_write(stream_, net::buffer(plain_), [this, owner = std::move(owner)](beast::error_code ec, std::size_t n) mutable {
    result_.bytes += n;
    if (ec) return fail(ec);
    send_decompressed(std::move(owner));
  });
}

template <typename Stream>
void BlobSender<Stream>::fail(beast::error_code error) {
  result_.complete = false;
  result_.error = error;
  finish();
}

template <typename Stream>
void BlobSender<Stream>::finish() {
  file_.reset();  // closes the blob
  decoder_.reset();
  if (plain_.capacity() > kKeepBuffer) std::string().swap(plain_);
  done_(std::move(result_));
}

template class BlobSender<beast::tcp_stream>;
template class BlobSender<beast::ssl_stream<beast::tcp_stream>>;

}  // namespace ft::server
