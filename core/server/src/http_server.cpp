// Boost.Beast lives in this one translation unit (its templates compile
// slowly). Each connection is a Session running on its own strand; worker
// threads run the io_context. Request bodies are read chunk by chunk into an
// UploadReceiver; blobs go out with sendfile(2) as they are stored (gzip), or
// decompressed chunk by chunk for clients that do not accept gzip.
#include "filetracker/server/http_server.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <utility>  // before Asio 1.74: its awaitable.hpp needs std::exchange
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <condition_variable>
#include <csignal>
#include <cstring>
#include <cstdio>
#include <ctime>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "filetracker/error.hpp"
#include "filetracker/gzip.hpp"
#include "filetracker/protocol.hpp"
#include "filetracker/server/log.hpp"
#include "filetracker/server/request_rules.hpp"
#include "filetracker/server/storage.hpp"
#include "filetracker/server/disk_full.hpp"
#include "filetracker/server/upload_receiver.hpp"

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace ft::server {
namespace {

constexpr std::size_t kChunk = 64 * 1024;
// A refused request's body is read and dropped (so the client sees the
// answer) when it is at most this big; a bigger one closes the connection.
constexpr std::uint64_t kMaxDrain = 1 << 20;

class Session;

struct Context {
  Context(const ServerOptions& o, Storage& s) : options(o), storage(s) {}
  ServerOptions options;
  Storage& storage;
  std::vector<std::string> extensions;
  std::string version_body;
  std::atomic<bool> stopping{false};

  std::mutex sessions_mutex;
  std::map<Session*, std::weak_ptr<Session>> sessions;
};

std::string header_value(const http::fields& fields, std::string_view name) {
  auto it = fields.find(beast::string_view(name.data(), name.size()));
  if (it == fields.end()) return {};
  return std::string(it->value());
}

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, Context& ctx) : stream_(std::move(socket)), ctx_(ctx) {}
  ~Session() {
    if (blob_fd_ >= 0) ::close(blob_fd_);
    std::lock_guard lock(ctx_.sessions_mutex);
    ctx_.sessions.erase(this);
  }

  void start() {
    {
      std::lock_guard lock(ctx_.sessions_mutex);
      ctx_.sessions.emplace(this, weak_from_this());
    }
    beast::error_code ec;
    stream_.socket().set_option(tcp::no_delay(true), ec);
    net::dispatch(stream_.get_executor(), beast::bind_front_handler(&Session::read_header, shared_from_this()));
  }

  // Server shutdown: a connection waiting for its next request closes now;
  // one in the middle of a request closes after answering it.
  void close_if_idle() {
    net::post(stream_.get_executor(), [self = shared_from_this()] {
      if (self->idle_) self->close();
    });
  }

 private:
  // ---- reading a request ---------------------------------------------------
  void read_header() {
    if (ctx_.stopping) return close();
    parser_.emplace();
    parser_->header_limit(16 * 1024);
    parser_->body_limit(std::numeric_limits<std::uint64_t>::max());  // --max-upload-size is checked on the header
    idle_ = true;
    stream_.expires_after(ctx_.options.idle_timeout);
    http::async_read_header(stream_, buffer_, *parser_, beast::bind_front_handler(&Session::on_header, shared_from_this()));
  }

  void on_header(beast::error_code ec, std::size_t) {
    idle_ = false;
    if (ec) {
      if (ec.category() == http::make_error_code(http::error::bad_target).category() &&
          ec != http::error::end_of_stream && ec != http::error::partial_message) {
        begin_request("-", "-");
        keep_alive_ = false;
        return send_error(400, "malformed HTTP request: " + ec.message());
      }
      return close();  // the client went away or stayed silent too long
    }
    auto& req = parser_->get();
    begin_request(std::string(req.method_string()), std::string(req.target()));
    keep_alive_ = req.keep_alive();
    is_head_ = req.method() == http::verb::head;
    expects_continue_ = beast::iequals(req[http::field::expect], "100-continue");
    try {
      handle();
    } catch (const RequestError& e) {
      refuse(e.status, e.what());
    } catch (const Error& e) {
      auto [status, reason] = answer_for(e, e.code() == ErrorCode::InvalidArgument ? 400 : 500);
      refuse(status, std::move(reason));
    } catch (const std::exception& e) {
      refuse(500, e.what());
    }
  }

  // The status and one-line reason for a failure: 507 and a fixed reason
  // when the disk is full (the details, such as the temporary file, go to
  // the log), else `status` and the error's message.
  std::pair<int, std::string> answer_for(const Error& e, int status) {
    if (dynamic_cast<const DiskFull*>(&e)) {
      log_message(LogLevel::Warning, method_ + " " + log_target_ + ": " + e.what());
      return {507, (put_name_.empty() ? std::string() : put_name_ + ": ") + kDiskFullReason};
    }
    return {status, e.what()};
  }

  void begin_request(std::string method, std::string target) {
    started_ = std::chrono::steady_clock::now();
    method_ = std::move(method);
    log_target_ = std::move(target);
    put_name_.clear();
    bytes_sent_ = 0;
    status_ = 0;
  }

  void handle() {
    auto& req = parser_->get();
    Target target = parse_target(req.target());
    switch (req.method()) {
      case http::verb::get:
      case http::verb::head:
        return with_empty_body([this, target = std::move(target)] {
          if (target.endpoint == "version") return send_version();
          if (target.endpoint == "files") return send_file(target);
          if (target.endpoint == "list") return send_list(target);
          throw RequestError(400, "unknown endpoint \"" + target.endpoint + "\", expected \"files\" or \"list\"");
        });
      case http::verb::put:
        if (target.endpoint != "files") throw RequestError(400, "PUT can be only performed on \"/files/...\"");
        return begin_put(target);
      case http::verb::delete_:
        if (target.endpoint != "files") throw RequestError(400, "DELETE can be only performed on \"/files/...\"");
        return with_empty_body([this, target = std::move(target)] { do_delete(target); });
      default:
        throw RequestError(405, "method " + std::string(req.method_string()) + " is not supported");
    }
  }

  // Runs `then` once the request has no unread body left (a body sent with
  // GET or DELETE is read and dropped).
  template <typename F>
  void with_empty_body(F then) {
    if (parser_->is_done()) return then();
    if (!fits_drain()) throw RequestError(413, "this request must not have a body");
    after_body_ = [this, then = std::move(then)]() mutable {
      try {
        then();
      } catch (const RequestError& e) {
        send_error(e.status, e.what());
      } catch (const Error& e) {
        send_error(e.code() == ErrorCode::InvalidArgument ? 400 : 500, e.what());
      } catch (const std::exception& e) {
        send_error(500, e.what());
      }
    };
    read_body_chunk();
  }

  bool fits_drain() const {
    auto remaining = parser_->content_length_remaining();
    return remaining && *remaining <= kMaxDrain;
  }

  // Answers an error; drops a small unread body first so the client reads
  // the answer, closes the connection after a big one.
  void refuse(int status, std::string reason) {
    receiver_.reset();
    if (!parser_ || parser_->is_done()) return send_error(status, std::move(reason));
    if (!fits_drain() || expects_continue_) {
      // (A client waiting for "100 Continue" will not send the body at all.)
      keep_alive_ = false;
      linger_ = !expects_continue_;
      return send_error(status, std::move(reason));
    }
    after_body_ = [this, status, reason = std::move(reason)]() mutable { send_error(status, std::move(reason)); };
    read_body_chunk();
  }

  void read_body_chunk() {
    if (parser_->is_done()) return on_body_done();
    if (!chunk_) chunk_ = std::make_unique<char[]>(kChunk);
    auto& body = parser_->get().body();
    body.data = chunk_.get();
    body.size = kChunk;
    stream_.expires_after(ctx_.options.transfer_timeout);
    http::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&Session::on_body_chunk, shared_from_this()));
  }

  void on_body_chunk(beast::error_code ec, std::size_t) {
    if (ec == http::error::need_buffer) ec = {};
    if (ec) {
      receiver_.reset();  // nothing of a cut-off upload is kept
      if (ec == http::error::partial_message || ec == http::error::end_of_stream) {
        keep_alive_ = false;
        return send_error(400, "the request body ended before its Content-Length (truncated upload)");
      }
      log_message(LogLevel::Info, method_ + " " + log_target_ + " aborted while reading the body: " + ec.message());
      return close();
    }
    std::size_t got = kChunk - parser_->get().body().size;
    if (receiver_ && got) {
      try {
        receiver_->write(std::string_view(chunk_.get(), got));
      } catch (const Error& e) {
        receiver_.reset();  // removes the temporary file
        auto [status, reason] = answer_for(e, e.code() == ErrorCode::Protocol ? 400 : 500);
        return refuse(status, std::move(reason));
      }
    }
    read_body_chunk();
  }

  void on_body_done() {
    auto then = std::move(after_body_);
    after_body_ = nullptr;
    if (then) return then();
    finish_put();
  }

  // ---- PUT -------------------------------------------------------------------
  void begin_put(const Target& target) {
    auto& req = parser_->get();
    check_file_name(target.path);
    Version version = *query_version(target, true);
    auto length = parser_->content_length();
    if (!length) {
      keep_alive_ = false;
      linger_ = true;
      throw RequestError(411, "Content-Length is required");
    }
    if (ctx_.options.max_upload_size && *length > ctx_.options.max_upload_size)
      throw RequestError(413, "the body (" + std::to_string(*length) + " bytes) exceeds the maximum upload size of " +
                                  std::to_string(ctx_.options.max_upload_size) + " bytes");
    std::string encoding = header_value(req, protocol::kContentEncoding);
    bool gzip_body = false;
    if (encoding == "gzip" || encoding == "x-gzip")
      gzip_body = true;
    else if (!encoding.empty() && encoding != "identity")
      throw RequestError(415, "unsupported Content-Encoding \"" + encoding + "\" (only gzip)");

    expected_sha_.reset();
    expected_size_.reset();
    if (auto it = req.find(beast::string_view(protocol::kSha256Checksum.data(), protocol::kSha256Checksum.size()));
        it != req.end()) {
      std::string value(it->value());
      if (!protocol::is_sha256_hex(value))
        throw RequestError(400, "SHA256-Checksum is not 64 hex digits: \"" + value + "\"");
      for (auto& c : value) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      expected_sha_ = value;
    }
    if (auto it = req.find(beast::string_view(protocol::kLogicalSize.data(), protocol::kLogicalSize.size()));
        it != req.end()) {
      auto value = protocol::parse_uint(std::string(it->value()));
      if (!value) throw RequestError(400, "Logical-Size is not a non-negative integer: \"" + std::string(it->value()) + "\"");
      expected_size_ = *value;
    }
    put_name_ = target.path;
    put_version_ = version;
    receiver_ = std::make_unique<UploadReceiver>(ctx_.storage.begin_upload(), gzip_body, ctx_.options.gzip_level);
    after_body_ = nullptr;
    if (expects_continue_ && !parser_->is_done()) {
      // libcurl asks before sending a big body; say yes.
      static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      expects_continue_ = false;
      stream_.expires_after(ctx_.options.transfer_timeout);
      net::async_write(stream_, net::buffer(kContinue.data(), kContinue.size()),
                       [self = shared_from_this()](beast::error_code ec, std::size_t) {
                         if (ec) return self->abort_response(ec);
                         self->read_body_chunk();
                       });
      return;
    }
    read_body_chunk();
  }

  void finish_put() {
    if (!receiver_) return send_error(500, "internal error: no upload in progress");
    try {
      receiver_->finish();
    } catch (const Error& e) {
      receiver_.reset();
      auto [status, reason] = answer_for(e, e.code() == ErrorCode::Protocol ? 400 : 500);
      return send_error(status, std::move(reason));
    }
    if (ctx_.options.extensions) {
      if (expected_sha_ && *expected_sha_ != receiver_->sha256()) {
        std::string reason = put_name_ + ": SHA256-Checksum " + *expected_sha_ +
                             " does not match the content (its SHA-256 is " + receiver_->sha256() + ")";
        receiver_.reset();
        return send_error(400, reason);
      }
      if (expected_size_ && *expected_size_ != receiver_->logical_size()) {
        std::string reason = put_name_ + ": Logical-Size " + std::to_string(*expected_size_) +
                             " does not match the content (" + std::to_string(receiver_->logical_size()) + " bytes)";
        receiver_.reset();
        return send_error(400, reason);
      }
    }
    FileRecord record{put_name_, put_version_, receiver_->sha256(), receiver_->logical_size()};
    auto upload = receiver_->release();
    receiver_.reset();
    ctx_.storage.put(std::move(record), std::move(upload), committed_handler());
  }

  // Completion of a storage write: runs on the writer thread, hops back
  // onto this connection's strand. The work guard keeps the io_context
  // running while a write is queued (also during shutdown).
  CommitCallback committed_handler() {
    auto work = std::make_shared<net::executor_work_guard<net::any_io_executor>>(stream_.get_executor());
    // The references move into the posted handler: the writer thread must
    // not keep the session (or the io_context) alive after the answer.
    return [self = shared_from_this(), work = std::move(work)](CommitResult result) mutable {
      auto executor = self->stream_.get_executor();
      net::post(executor, [self = std::move(self), work = std::move(work), result = std::move(result)]() mutable {
        self->on_committed(std::move(result));
        work->reset();
      });
    };
  }

  void on_committed(CommitResult result) {
    if (result.status != 200) return send_error(result.status, result.reason);
    auto res = make_response(http::status::ok);
    res.set(http::field::content_type, "text/plain");
    res.set(beast::string_view(protocol::kLastModified.data(), protocol::kLastModified.size()),
            protocol::format_http_date(result.version));
    send_string(std::move(res));
  }

  // ---- DELETE ----------------------------------------------------------------
  void do_delete(const Target& target) {
    check_file_name(target.path);
    Version version = *query_version(target, true);
    ctx_.storage.remove(target.path, version, committed_handler());
  }

  // ---- GET / HEAD --------------------------------------------------------------
  void send_version() {
    auto res = make_response(http::status::ok);
    res.set(http::field::content_type, std::string(protocol::kJsonContentType));
    res.body() = ctx_.version_body;
    send_string(std::move(res));
  }

  void send_list(const Target& target) {
    auto& req = parser_->get();
    const std::string& dir = target.path;
    check_directory_name(dir);
    Version cutoff = query_version(target, false).value_or(static_cast<Version>(std::time(nullptr)));
    Index& index = ctx_.storage.index();
    if (dir != "/" && index.find(dir)) throw RequestError(400, dir + ": is a file, not a directory");
    if (!index.directory_exists(dir)) throw RequestError(400, dir + ": no such directory");
    bool json = ctx_.options.extensions && accepts_json(header_value(req, protocol::kAccept));
    bool recursive = true;
    if (auto it = target.query.find("recursive"); it != target.query.end())
      recursive = !(it->second == "0" || it->second == "false" || it->second == "no");
    auto res = make_response(http::status::ok);
    if (json) {
      protocol::Listing listing;
      listing.directory = dir;
      index.list(
          dir, cutoff, recursive,
          [&](const FileRecord& r, std::string_view relative) {
            listing.files.push_back(protocol::ListEntry{std::string(relative), r.version, r.size, r.sha256});
          },
          [&](std::string_view sub) { listing.directories.emplace_back(sub); });
      res.set(http::field::content_type, std::string(protocol::kJsonContentType));
      res.body() = protocol::make_json_list(listing);
    } else {
      std::string body;
      // The plain listing is version 2's: every file below, at any depth.
      index.list(
          dir, cutoff, true,
          [&](const FileRecord&, std::string_view relative) {
            body.append(relative);
            body += '\n';
          },
          [](std::string_view) {});
      res.set(http::field::content_type, "text/plain");
      res.body() = std::move(body);
    }
    send_string(std::move(res));
  }

  void send_file(const Target& target) {
    auto& req = parser_->get();
    check_file_name(target.path);
    auto found = ctx_.storage.open(target.path);
    if (!found) throw RequestError(404, target.path + ": file not found");
    const FileRecord& record = found->record;
    const std::uint64_t stored_size = found->small_blob ? found->small_blob->size() : found->blob.stored_size;
    if (blob_fd_ >= 0) ::close(blob_fd_);
    blob_fd_ = found->blob.fd;  // -1 for a small blob served from memory
    const bool ext = ctx_.options.extensions;
    const bool gzip = !ext || accepts_gzip(header_value(req, protocol::kAcceptEncoding));

    auto set_headers = [&](auto& res) {
      res.set(http::field::content_type, "application/octet-stream");
      res.set(beast::string_view(protocol::kLastModified.data(), protocol::kLastModified.size()),
              protocol::format_http_date(record.version));
      res.set(beast::string_view(protocol::kLogicalSize.data(), protocol::kLogicalSize.size()),
              std::to_string(record.size));
      if (ext) {
        res.set(beast::string_view(protocol::kSha256Checksum.data(), protocol::kSha256Checksum.size()),
                record.sha256);
        res.set(http::field::vary, "Accept-Encoding");
      }
      if (gzip) res.set(http::field::content_encoding, "gzip");
    };
    const std::uint64_t length = gzip ? stored_size : record.size;

    if (!is_head_ && gzip && found->small_blob && req.version() == 11) {
      // The hot path (a small file to a gzip client): the header is written
      // by hand and the cached blob goes out as it is, in one write.
      std::string& h = raw_header_;
      h.clear();
      h += "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nLast-Modified: ";
      h += protocol::format_http_date(record.version);
      h += "\r\nLogical-Size: ";
      h += std::to_string(record.size);
      if (ext) {
        h += "\r\nSHA256-Checksum: ";
        h += record.sha256;
        h += "\r\nVary: Accept-Encoding";
      }
      h += "\r\nContent-Encoding: gzip\r\nContent-Length: ";
      h += std::to_string(stored_size);
      if (!keep_alive_) h += "\r\nConnection: close";
      h += "\r\n\r\n";
      raw_body_ = found->small_blob;
      close_blob();
      status_ = 200;
      std::array<net::const_buffer, 2> buffers{net::buffer(raw_header_), net::buffer(*raw_body_)};
      stream_.expires_after(ctx_.options.transfer_timeout);
      net::async_write(stream_, buffers, [self = shared_from_this()](beast::error_code ec, std::size_t n) {
        self->bytes_sent_ += n;
        self->raw_body_.reset();
        if (ec) return self->abort_response(ec);
        self->finish_response();
      });
      return;
    }
    if (is_head_ || (gzip && found->small_blob)) {
      auto res = make_response(http::status::ok);
      set_headers(res);
      if (!is_head_) res.body() = *found->small_blob;
      close_blob();
      res.content_length(length);
      return send_string(std::move(res), /*prepared=*/true);
    }
    plain_source_.reset();
    if (found->small_blob && record.size > (1u << 20)) {
      // A small blob of a big file (very compressible): stream it below.
      plain_source_ = found->small_blob;
    } else if (found->small_blob) {
      // Plain content of a small blob: decompress it from memory.
      auto res = make_response(http::status::ok);
      set_headers(res);
      res.body() = gzip_decompress(*found->small_blob);
      if (res.body().size() != record.size)
        throw Error(ErrorCode::Io, target.path + ": the stored blob does not match its logical size");
      res.content_length(length);
      return send_string(std::move(res), /*prepared=*/true);
    }

    header_res_.emplace(http::status::ok, 11);
    header_res_->keep_alive(keep_alive_);
    set_headers(*header_res_);
    header_res_->content_length(length);
    status_ = 200;
    if (gzip) {
      file_offset_ = 0;
      file_remaining_ = stored_size;
      stream_.expires_after(ctx_.options.transfer_timeout);
      http::async_write(stream_, *header_res_, beast::bind_front_handler(&Session::on_file_header, shared_from_this()));
      return;
    }
    // Plain content for a client without gzip: decompress chunk by chunk.
    plain_res_.emplace(http::status::ok, 11);
    plain_res_->base() = header_res_->base();
    plain_res_->body().data = nullptr;
    plain_res_->body().more = true;
    plain_sr_.emplace(*plain_res_);
    decoder_ = std::make_unique<GzipDecoder>();
    plain_expected_ = record.size;
    plain_sent_ = 0;
    file_offset_ = 0;
    plain_eof_ = false;
    stream_.expires_after(ctx_.options.transfer_timeout);
    http::async_write_header(stream_, *plain_sr_, beast::bind_front_handler(&Session::on_plain_write, shared_from_this()));
  }

  void close_blob() {
    if (blob_fd_ >= 0) ::close(blob_fd_);
    blob_fd_ = -1;
  }

  // sendfile(2) of the stored blob after the header.
  void on_file_header(beast::error_code ec, std::size_t n) {
    bytes_sent_ += n;
    if (ec) return abort_response(ec);
    send_file_chunk();
  }

  void send_file_chunk() {
    int sock = stream_.socket().native_handle();
    beast::error_code ec;
    stream_.socket().native_non_blocking(true, ec);
    while (file_remaining_ > 0) {
      ssize_t n = ::sendfile(sock, blob_fd_, &file_offset_, std::min<std::uint64_t>(file_remaining_, 1 << 30));
      if (n > 0) {
        file_remaining_ -= static_cast<std::uint64_t>(n);
        bytes_sent_ += static_cast<std::uint64_t>(n);
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        // Wait until the socket can take more; a client that stops
        // reading is cut off after the transfer timeout.
        if (!timer_) timer_.emplace(stream_.get_executor());
        timer_->expires_after(ctx_.options.transfer_timeout);
        timer_->async_wait([self = shared_from_this()](beast::error_code tec) {
          if (!tec) self->stream_.socket().cancel();
        });
        stream_.socket().async_wait(tcp::socket::wait_write, [self = shared_from_this()](beast::error_code wec) {
          self->timer_->cancel();
          if (wec) return self->abort_response(wec);
          self->send_file_chunk();
        });
        return;
      }
      log_message(LogLevel::Warning, method_ + " " + log_target_ + ": sendfile failed: " +
                                         (n < 0 ? std::string(std::strerror(errno)) : std::string("blob shrank")));
      keep_alive_ = false;
      close_blob();
      return finish_response();
    }
    close_blob();
    finish_response();
  }

  void on_plain_write(beast::error_code ec, std::size_t n) {
    bytes_sent_ += n;
    if (ec == http::error::need_buffer) ec = {};
    if (ec) return abort_response(ec);
    if (plain_sr_->is_done()) {
      close_blob();
      plain_source_.reset();
      decoder_.reset();
      if (plain_sent_ != plain_expected_) {
        log_message(LogLevel::Error, log_target_ + ": the blob decompressed to " + std::to_string(plain_sent_) +
                                         " bytes, the index says " + std::to_string(plain_expected_));
        keep_alive_ = false;
      }
      return finish_response();
    }
    plain_out_.clear();
    if (!chunk_) chunk_ = std::make_unique<char[]>(kChunk);
    try {
      // Small reads keep the decompressed output (and memory) bounded.
      while (plain_out_.empty() && !plain_eof_) {
        ssize_t got;
        if (plain_source_) {  // a cached blob
          got = static_cast<ssize_t>(
              std::min<std::size_t>(8 * 1024, plain_source_->size() - static_cast<std::size_t>(file_offset_)));
          std::memcpy(chunk_.get(), plain_source_->data() + file_offset_, static_cast<std::size_t>(got));
        } else {
          got = ::pread(blob_fd_, chunk_.get(), 8 * 1024, file_offset_);
        }
        if (got < 0) throw_errno(log_target_ + ": cannot read the blob");
        if (got == 0) {
          decoder_->finish([](std::string_view) {});
          plain_eof_ = true;
          break;
        }
        file_offset_ += got;
        decoder_->write(std::string_view(chunk_.get(), static_cast<std::size_t>(got)),
                        [this](std::string_view out) { plain_out_.append(out); });
      }
    } catch (const std::exception& e) {
      log_message(LogLevel::Error, std::string("stored blob is unreadable: ") + e.what());
      keep_alive_ = false;
      return abort_response(beast::error_code{});
    }
    plain_sent_ += plain_out_.size();
    auto& body = plain_res_->body();
    if (plain_out_.empty()) {
      body.data = nullptr;
      body.size = 0;
      body.more = false;
    } else {
      body.data = plain_out_.data();
      body.size = plain_out_.size();
      body.more = true;
    }
    stream_.expires_after(ctx_.options.transfer_timeout);
    http::async_write(stream_, *plain_sr_, beast::bind_front_handler(&Session::on_plain_write, shared_from_this()));
  }

  // ---- answers ---------------------------------------------------------------
  http::response<http::string_body> make_response(http::status status) {
    http::response<http::string_body> res{status, 11};
    res.keep_alive(keep_alive_);
    return res;
  }

  void send_error(int status, std::string reason) {
    std::string line = protocol::sanitize_reason(reason);
    log_message(LogLevel::Debug, method_ + " " + log_target_ + ": " + std::to_string(status) + " " + line);
    http::response<http::string_body> res{static_cast<http::status>(status), 11};
    res.keep_alive(keep_alive_);
    res.set(http::field::content_type, "text/plain");
    res.set(beast::string_view(protocol::kXException.data(), protocol::kXException.size()), line);
    if (!is_head_) res.body() = line + "\n";
    send_string(std::move(res));
  }

  void send_string(http::response<http::string_body> res, bool prepared = false) {
    if (!prepared) {
      res.prepare_payload();
      if (is_head_) res.body().clear();
    }
    status_ = res.result_int();
    string_res_.emplace(std::move(res));
    stream_.expires_after(ctx_.options.transfer_timeout);
    http::async_write(stream_, *string_res_, [self = shared_from_this()](beast::error_code ec, std::size_t n) {
      self->bytes_sent_ += n;
      if (ec) return self->abort_response(ec);
      self->finish_response();
    });
  }

  void log_request() {
    if (!log_enabled(LogLevel::Info)) return;
    auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started_).count();
    char tail[96];
    std::snprintf(tail, sizeof tail, " %d %llu %.1fms", status_, static_cast<unsigned long long>(bytes_sent_), ms);
    log_message(LogLevel::Info, method_ + " " + log_target_ + tail);
  }

  void finish_response() {
    log_request();
    string_res_.reset();
    header_res_.reset();
    plain_sr_.reset();
    plain_res_.reset();
    if (plain_out_.capacity() > kChunk * 4) std::string().swap(plain_out_);
    if (!keep_alive_ || ctx_.stopping) return close();
    read_header();
  }

  void abort_response(beast::error_code ec) {
    if (ec) log_message(LogLevel::Info, method_ + " " + log_target_ + " " + std::to_string(status_) +
                                            " aborted while sending: " + ec.message());
    close_blob();
    close();
  }

  void close() {
    beast::error_code ec;
    if (linger_ && stream_.socket().is_open()) {
      // We answered before reading the whole body: stop sending, but read
      // and drop what still comes for a while, so the client gets to read
      // our answer instead of a connection reset.
      linger_ = false;
      stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
      linger_until_ = std::chrono::steady_clock::now() + std::chrono::seconds(10);
      return linger();
    }
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.close();
  }

  void linger() {
    if (!chunk_) chunk_ = std::make_unique<char[]>(kChunk);
    stream_.expires_after(std::chrono::seconds(2));
    stream_.async_read_some(net::buffer(chunk_.get(), kChunk), [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec || std::chrono::steady_clock::now() > self->linger_until_) return self->close();
      self->linger();
    });
  }

  beast::tcp_stream stream_;
  Context& ctx_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::buffer_body>> parser_;
  std::unique_ptr<char[]> chunk_;
  bool idle_ = false;
  bool keep_alive_ = true;
  bool is_head_ = false;
  bool expects_continue_ = false;
  bool linger_ = false;  // close() drains the unread request first
  std::chrono::steady_clock::time_point linger_until_;
  std::function<void()> after_body_;

  // for the log line
  std::chrono::steady_clock::time_point started_;
  std::string method_;
  std::string log_target_;
  std::uint64_t bytes_sent_ = 0;
  int status_ = 0;

  // PUT
  std::unique_ptr<UploadReceiver> receiver_;
  std::string put_name_;
  Version put_version_ = 0;
  std::optional<std::string> expected_sha_;
  std::optional<std::uint64_t> expected_size_;

  // responses
  std::optional<http::response<http::string_body>> string_res_;
  std::optional<http::response<http::empty_body>> header_res_;
  std::optional<http::response<http::buffer_body>> plain_res_;
  std::optional<http::response_serializer<http::buffer_body>> plain_sr_;
  std::optional<net::steady_timer> timer_;
  std::string raw_header_;
  std::shared_ptr<const std::string> raw_body_;
  std::shared_ptr<const std::string> plain_source_;  // plain streaming from a cached blob
  int blob_fd_ = -1;
  off_t file_offset_ = 0;
  std::uint64_t file_remaining_ = 0;
  std::unique_ptr<GzipDecoder> decoder_;
  std::string plain_out_;
  std::uint64_t plain_expected_ = 0;
  std::uint64_t plain_sent_ = 0;
  bool plain_eof_ = false;
};

// Accepts on the first io_context and hands each connection to the next
// io_context of the pool in turn (one thread per io_context: a connection
// never needs a strand and threads do not contend for one queue).
class Listener : public std::enable_shared_from_this<Listener> {
 public:
  Listener(std::vector<std::unique_ptr<net::io_context>>& pool, tcp::acceptor& acceptor, Context& ctx)
      : pool_(pool), acceptor_(acceptor), ctx_(ctx) {}
  void accept() {
    auto& target = *pool_[next_++ % pool_.size()];
    acceptor_.async_accept(target.get_executor(), beast::bind_front_handler(&Listener::on_accept, shared_from_this()));
  }

 private:
  void on_accept(beast::error_code ec, tcp::socket socket) {
    if (ec == net::error::operation_aborted || !acceptor_.is_open()) return;
    if (ec) {
      log_message(LogLevel::Warning, "accept failed: " + ec.message());
      if (ec == net::error::no_descriptors) {
        // Out of file descriptors: back off a little instead of spinning.
        auto timer = std::make_shared<net::steady_timer>(*pool_[0], std::chrono::milliseconds(100));
        timer->async_wait([self = shared_from_this(), timer](beast::error_code) { self->accept(); });
        return;
      }
    } else {
      std::make_shared<Session>(std::move(socket), ctx_)->start();
    }
    accept();
  }

  std::vector<std::unique_ptr<net::io_context>>& pool_;
  tcp::acceptor& acceptor_;
  Context& ctx_;
  std::size_t next_ = 0;
};

}  // namespace

int run_server(const ServerOptions& options) {
  // sendfile() on a socket the client has closed must not kill us.
  std::signal(SIGPIPE, SIG_IGN);

  Storage storage(options.data_dir);
  const auto& rec = storage.recovery();
  if (rec.temporaries || rec.orphan_blobs)
    log_message(LogLevel::Warning, "start-up clean-up: removed " + std::to_string(rec.temporaries) +
                                       " interrupted upload(s) and " + std::to_string(rec.orphan_blobs) +
                                       " unreferenced blob(s)");
  if (rec.missing_blobs)
    log_message(LogLevel::Error, std::to_string(rec.missing_blobs) +
                                     " blob(s) referenced by the index are missing; run --check for details");

  Context ctx(options, storage);
  if (options.extensions)
    for (auto ext : {protocol::kExtChecksumVerify, protocol::kExtChecksumHeader, protocol::kExtPlainContent,
                     protocol::kExtJsonList})
      ctx.extensions.emplace_back(ext);
  ctx.version_body = protocol::make_version_response(ctx.extensions);

  unsigned workers = options.workers ? options.workers : std::max(2u, std::thread::hardware_concurrency());
  std::vector<std::unique_ptr<net::io_context>> pool;
  std::vector<net::executor_work_guard<net::io_context::executor_type>> keep_running;
  for (unsigned i = 0; i < workers; ++i) {
    pool.push_back(std::make_unique<net::io_context>(1));
    keep_running.push_back(net::make_work_guard(*pool.back()));
  }
  net::io_context& ioc = *pool.front();

  beast::error_code ec;
  auto address = net::ip::make_address(options.address, ec);
  if (ec) throw Error(ErrorCode::InvalidArgument, "invalid listen address \"" + options.address + "\": " + ec.message());
  tcp::endpoint endpoint{address, options.port};
  tcp::acceptor acceptor(ioc);
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec)
    throw Error(ErrorCode::Io, "cannot listen on " + options.address + ":" + std::to_string(options.port) + ": " +
                                   ec.message());
  auto local = acceptor.local_endpoint();
  std::string host = local.address().to_string();
  if (local.address().is_v6()) host = "[" + host + "]";
  std::make_shared<Listener>(pool, acceptor, ctx)->accept();

  // Shutdown: stop accepting, close idle connections, let the others finish
  // their request; give up on stragglers after 30 s.
  std::mutex stop_mutex;
  std::condition_variable stop_cv;
  bool finished = false;
  std::thread watchdog;
  net::signal_set signals(ioc, SIGINT, SIGTERM);
  signals.async_wait([&](beast::error_code sec, int signal) {
    if (sec) return;
    log_message(LogLevel::Info, std::string("received ") + (signal == SIGINT ? "SIGINT" : "SIGTERM") + ", shutting down");
    ctx.stopping = true;
    beast::error_code ignored;
    acceptor.close(ignored);
    for (auto& guard : keep_running) guard.reset();  // each io_context ends when its connections are done
    {
      std::lock_guard lock(ctx.sessions_mutex);
      for (auto& [raw, weak] : ctx.sessions)
        if (auto session = weak.lock()) session->close_if_idle();
    }
    watchdog = std::thread([&] {
      std::unique_lock lock(stop_mutex);
      if (!stop_cv.wait_for(lock, std::chrono::seconds(30), [&] { return finished; })) {
        log_message(LogLevel::Warning, "shutdown: requests still running after 30 s; stopping anyway");
        for (auto& context : pool) context->stop();
      }
    });
  });

  std::printf("filetracker-server: listening on http://%s:%u\n", host.c_str(), static_cast<unsigned>(local.port()));
  std::fflush(stdout);
  log_message(LogLevel::Info, "serving " + options.data_dir.string() + " on http://" + host + ":" +
                                  std::to_string(local.port()) + " with " + std::to_string(workers) + " worker(s)" +
                                  (options.extensions ? "" : ", extensions off"));

  std::vector<std::thread> threads;
  for (unsigned i = 1; i < workers; ++i) threads.emplace_back([&pool, i] { pool[i]->run(); });
  ioc.run();
  for (auto& t : threads) t.join();
  // Only after a forced stop can writes still be queued: apply them while
  // the io_context they answer through still exists.
  storage.stop_writer();
  {
    std::lock_guard lock(stop_mutex);
    finished = true;
  }
  stop_cv.notify_all();
  if (watchdog.joinable()) watchdog.join();
  log_message(LogLevel::Info, "stopped");
  return 0;
}

}  // namespace ft::server
