#include "http/connection.hpp"

#include <cstdio>
#include <limits>
#include <type_traits>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include "filetracker/protocol.hpp"
#include "filetracker/server/log.hpp"

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace ft::server {
namespace {

// Body bytes per read. Allocated when a body starts and released when it
// ends: a connection waiting for its next request, or for the rest of a
// stalled upload's body, should cost a few KiB, not a 64 KiB buffer.
constexpr std::size_t kChunk = 16 * 1024;
// The read buffer grows to hold a big header (up to kMaxHeader); between
// requests it shrinks back when it grew past this.
constexpr std::size_t kIdleBuffer = 4 * 1024;
// A body nobody wants (a GET's, or a refused PUT's) is read and dropped, so
// the client sees the answer, when it is at most this big; a bigger one
// closes the connection.
constexpr std::uint64_t kMaxDrain = 1 << 20;
constexpr std::size_t kMaxHeader = 16 * 1024;

}  // namespace

template <typename Stream>
constexpr bool kTls = !std::is_same_v<Stream, beast::tcp_stream>;

template <typename Stream>
HttpConnection<Stream>::HttpConnection(Stream stream, ConnectionContext& context, std::shared_ptr<void> keep)
    : keep_(std::move(keep)),
      stream_(std::move(stream)),
      context_(context),
      blob_sender_(stream_, context.options.transfer_timeout,
                   [this](typename BlobSender<Stream>::Result result) { on_file_sent(std::move(result)); }) {}

template <typename Stream>
HttpConnection<Stream>::~HttpConnection() {
  context_.registry.remove(this);
}

template <typename Stream>
void HttpConnection<Stream>::start() {
  context_.registry.add(this, this->weak_from_this());
  beast::error_code ec;
  auto& socket = beast::get_lowest_layer(stream_).socket();
  socket.set_option(tcp::no_delay(true), ec);
  auto peer = socket.remote_endpoint(ec);
  client_address_ = ec ? std::string("unknown") : peer.address().to_string();
  if constexpr (kTls<Stream>) {
    // The handshake has the idle timeout: a client that connects and says nothing is dropped.
    beast::get_lowest_layer(stream_).expires_after(context_.options.idle_timeout);
    idle_ = true;
    stream_.async_handshake(net::ssl::stream_base::server, [self = this->shared_from_this()](beast::error_code hec) {
      self->idle_ = false;
      if (hec) {
        log_message(LogLevel::Debug, "TLS handshake with " + self->client_address_ + " failed: " + hec.message());
        return beast::get_lowest_layer(self->stream_).close();
      }
      self->read_header();
    });
    return;
  }
  net::dispatch(stream_.get_executor(), beast::bind_front_handler(&HttpConnection::read_header, this->shared_from_this()));
}

// Server shutdown: a connection waiting for its next request closes now;
// one in the middle of a request closes after answering it.
template <typename Stream>
void HttpConnection<Stream>::close_if_idle() {
  net::post(stream_.get_executor(), [self = this->shared_from_this()] {
    if (self->idle_) self->close();
  });
}

// ---- reading a request -------------------------------------------------------

template <typename Stream>
void HttpConnection<Stream>::read_header() {
  if (context_.stopping) return close();
  chunk_.reset();
  if (buffer_.size() == 0 && buffer_.capacity() > kIdleBuffer) buffer_.shrink_to_fit();
  // Room for a whole small request: Beast reads at most what the buffer
  // has room for (512 bytes when it has none), and a 1 KiB PUT would take
  // three reads, each a recvmsg, an epoll_wait and a timer update.
  if (buffer_.capacity() < kIdleBuffer) buffer_.reserve(kIdleBuffer);
  parser_.emplace();
  parser_->header_limit(kMaxHeader);
  parser_->body_limit(std::numeric_limits<std::uint64_t>::max());  // --max-upload-size is checked on the header
  idle_ = true;
  beast::get_lowest_layer(stream_).expires_after(context_.options.idle_timeout);
  http::async_read_header(stream_, buffer_, *parser_,
                          beast::bind_front_handler(&HttpConnection::on_header, this->shared_from_this()));
}

template <typename Stream>
void HttpConnection<Stream>::on_header(beast::error_code ec, std::size_t) {
  idle_ = false;
  if (ec) {
    if (ec.category() == http::make_error_code(http::error::bad_target).category() &&
        ec != http::error::end_of_stream && ec != http::error::partial_message) {
      begin_request("-", "-");
      keep_alive_ = false;
      return send_failure(Failure(400, "malformed HTTP request: " + ec.message()));
    }
    return close();  // the client went away or stayed silent too long
  }
  auto& req = parser_->get();
  begin_request(std::string(req.method_string()), std::string(req.target()));
  auto length = parser_->content_length();
  request_.reset(req, length ? std::optional<std::uint64_t>(*length) : std::nullopt);
  keep_alive_ = req.keep_alive();
  is_head_ = req.method() == http::verb::head;
  expects_continue_ = protocol::iequals(req[http::field::expect], "100-continue");
  try {
    routed_.emplace(context_.router.route(request_));
    auto admission = context_.gatekeeper.admit(request_, routed_->target, client_address_);
    if (!admission.principal) return refuse_after(std::move(*admission.refusal), admission.delay);
    principal_name_ = admission.principal->name;
    request_.set_principal(std::move(admission.principal));
    if (routed_->route->receive) return receive_body();
    // No handler wants the body: drop it first, then answer.
    if (parser_->is_done()) return answer();
    if (!fits_drain()) throw RequestError(413, "this request must not have a body");
    after_body_ = AfterBody::Answer;
    read_body_chunk();
  } catch (...) {
    refuse(failure(std::current_exception()));
  }
}

template <typename Stream>
void HttpConnection<Stream>::begin_request(std::string method, std::string target) {
  started_ = std::chrono::steady_clock::now();
  method_ = std::move(method);
  log_target_ = std::move(target);
  principal_name_.clear();
  routed_.reset();
  refusal_.reset();
  bytes_sent_ = 0;
  bytes_received_ = 0;
  status_ = 0;
}

template <typename Stream>
void HttpConnection<Stream>::read_body_chunk() {
  if (parser_->is_done()) return on_body_done();
  if (!chunk_) chunk_ = std::make_unique<char[]>(kChunk);
  auto& body = parser_->get().body();
  body.data = chunk_.get();
  body.size = kChunk;
  beast::get_lowest_layer(stream_).expires_after(context_.options.transfer_timeout);
  http::async_read(stream_, buffer_, *parser_,
                   beast::bind_front_handler(&HttpConnection::on_body_chunk, this->shared_from_this()));
}

template <typename Stream>
void HttpConnection<Stream>::on_body_chunk(beast::error_code ec, std::size_t) {
  if (ec == http::error::need_buffer) ec = {};
  if (ec) {
    body_.reset();  // nothing of a cut-off upload is kept
    if (ec == http::error::partial_message || ec == http::error::end_of_stream) {
      keep_alive_ = false;
      return send_failure(Failure(400, "the request body ended before its Content-Length (truncated upload)"));
    }
    log_message(LogLevel::Info, method_ + " " + log_target_ + " aborted while reading the body: " + ec.message());
    return close();
  }
  std::size_t got = kChunk - parser_->get().body().size;
  bytes_received_ += got;
  if (body_ && got) {
    try {
      body_->write(std::string_view(chunk_.get(), got));
    } catch (...) {
      return refuse(failure(std::current_exception()));
    }
  }
  read_body_chunk();
}

template <typename Stream>
void HttpConnection<Stream>::on_body_done() {
  chunk_.reset();
  switch (after_body_) {
    case AfterBody::Answer: return answer();
    case AfterBody::FinishUpload: return finish_upload();
    case AfterBody::Refuse: return send_failure(*refusal_);
  }
}

template <typename Stream>
bool HttpConnection<Stream>::fits_drain() const {
  auto remaining = parser_->content_length_remaining();
  return remaining && *remaining <= kMaxDrain;
}

// ---- handling it ---------------------------------------------------------------

template <typename Stream>
void HttpConnection<Stream>::receive_body() {
  body_ = routed_->route->receive(request_, routed_->target);
  after_body_ = AfterBody::FinishUpload;
  if (expects_continue_ && !parser_->is_done()) {
    // libcurl asks before sending a big body; say yes.
    static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
    expects_continue_ = false;
    beast::get_lowest_layer(stream_).expires_after(context_.options.transfer_timeout);
    net::async_write(stream_, net::buffer(kContinue.data(), kContinue.size()),
                     [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                       if (ec) return self->abort_response(ec);
                       self->read_body_chunk();
                     });
    return;
  }
  read_body_chunk();
}

template <typename Stream>
void HttpConnection<Stream>::answer() {
  try {
    deliver(routed_->route->answer(request_, routed_->target));
  } catch (...) {
    refuse(failure(std::current_exception()));
  }
}

template <typename Stream>
void HttpConnection<Stream>::finish_upload() {
  try {
    Answer result = body_->finish();
    body_.reset();
    deliver(std::move(result));
  } catch (...) {
    refuse(failure(std::current_exception()));
  }
}

template <typename Stream>
void HttpConnection<Stream>::deliver(Answer answer) {
  if (answer.now) return send_reply(std::move(*answer.now));
  answer.pending->start(reply_later());
}

// The callback of a reply that comes later (a storage write, completed on
// the writer thread): hops back onto this connection's executor. The work
// guard keeps the io_context running meanwhile (also during shutdown).
template <typename Stream>
ReplyCallback HttpConnection<Stream>::reply_later() {
  auto work = std::make_shared<net::executor_work_guard<net::any_io_executor>>(stream_.get_executor());
  // The references move into the posted handler: the writer thread must
  // not keep the connection (or the io_context) alive after the answer.
  return [self = this->shared_from_this(), work = std::move(work)](Reply reply) mutable {
    auto executor = self->stream_.get_executor();
    net::post(executor, [self = std::move(self), work = std::move(work), reply = std::move(reply)]() mutable {
      self->send_reply(std::move(reply));
      work->reset();
    });
  };
}

template <typename Stream>
Failure HttpConnection<Stream>::failure(const std::exception_ptr& error) {
  Failure f = failure_for(error, routed_ ? std::string_view(routed_->target.path) : std::string_view());
  if (!f.log_detail.empty()) log_message(LogLevel::Warning, method_ + " " + log_target_ + ": " + f.log_detail);
  return f;
}

// Answers a failure; drops a small unread body first so the client reads
// the answer, closes the connection after a big one.
template <typename Stream>
void HttpConnection<Stream>::refuse(Failure f) {
  body_.reset();  // removes an upload's temporary file
  if (f.close_connection) {
    keep_alive_ = false;
    linger_ = true;
  }
  if (!parser_ || parser_->is_done()) return send_failure(f);
  if (!fits_drain() || expects_continue_) {
    // (A client waiting for "100 Continue" will not send the body at all.)
    keep_alive_ = false;
    linger_ = !expects_continue_;
    return send_failure(f);
  }
  refusal_.emplace(std::move(f));
  after_body_ = AfterBody::Refuse;
  read_body_chunk();
}

// A failed authentication is answered late (the throttle's delay), without
// holding up the thread: other connections go on meanwhile.
template <typename Stream>
void HttpConnection<Stream>::refuse_after(Failure f, std::chrono::milliseconds delay) {
  if (delay.count() <= 0) return refuse(std::move(f));
  if (!refusal_timer_) refusal_timer_.emplace(stream_.get_executor());
  refusal_timer_->expires_after(delay);
  refusal_timer_->async_wait([self = this->shared_from_this(), f = std::move(f)](beast::error_code ec) mutable {
    if (ec) return self->close();
    self->refuse(std::move(f));
  });
}

// ---- writing the answer ------------------------------------------------------

template <typename Stream>
void HttpConnection<Stream>::send_reply(Reply reply) {
  if (auto* text = std::get_if<TextReply>(&reply)) return send_text(std::move(*text));
  send_file(std::move(std::get<FileReply>(reply)));
}

template <typename Stream>
void HttpConnection<Stream>::send_text(TextReply reply) {
  http::response<http::string_body> res{static_cast<http::status>(reply.status), 11};
  res.keep_alive(keep_alive_);
  res.set(http::field::content_type, std::move(reply.content_type));
  for (auto& [name, value] : reply.headers) res.set(name, std::move(value));
  res.body() = std::move(reply.body);
  res.prepare_payload();
  if (is_head_) res.body().clear();
  status_ = res.result_int();
  text_response_.emplace(std::move(res));
  beast::get_lowest_layer(stream_).expires_after(context_.options.transfer_timeout);
  http::async_write(stream_, *text_response_, [self = this->shared_from_this()](beast::error_code ec, std::size_t n) {
    self->bytes_sent_ += n;
    if (ec) return self->abort_response(ec);
    self->finish_response();
  });
}

template <typename Stream>
void HttpConnection<Stream>::send_file(FileReply reply) {
  try {
    status_ = 200;
    blob_sender_.send(std::move(reply), keep_alive_, is_head_, this->shared_from_this());
  } catch (...) {
    send_failure(failure(std::current_exception()));
  }
}

template <typename Stream>
void HttpConnection<Stream>::on_file_sent(typename BlobSender<Stream>::Result result) {
  bytes_sent_ += result.bytes;
  if (!result.problem.empty()) log_message(result.problem_level, method_ + " " + log_target_ + ": " + result.problem);
  if (!result.keep_alive) keep_alive_ = false;
  if (!result.complete) return abort_response(result.error);
  finish_response();
}

template <typename Stream>
void HttpConnection<Stream>::send_failure(const Failure& f) {
  log_message(LogLevel::Debug, method_ + " " + log_target_ + ": " + std::to_string(f.status) + " " + f.reason);
  send_text(failure_reply(f, is_head_));
}

template <typename Stream>
void HttpConnection<Stream>::finish_response() {
  log_request();
  count_request();
  text_response_.reset();
  if (!keep_alive_ || context_.stopping) return close();
  read_header();
}

template <typename Stream>
void HttpConnection<Stream>::abort_response(beast::error_code ec) {
  if (status_) count_request();
  if (ec)
    log_message(LogLevel::Info, method_ + " " + log_target_ + " " + std::to_string(status_) +
                                    " aborted while sending: " + ec.message());
  close();
}

template <typename Stream>
void HttpConnection<Stream>::log_request() {
  if (!log_enabled(LogLevel::Info)) return;
  auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started_).count();
  char tail[96];
  std::snprintf(tail, sizeof tail, " %d %llu %.1fms", status_, static_cast<unsigned long long>(bytes_sent_), ms);
  if (principal_name_.empty()) return log_message(LogLevel::Info, method_ + " " + log_target_ + tail);
  log_message(LogLevel::Info, method_ + " " + log_target_ + tail + " by " + principal_name_);
}

template <typename Stream>
void HttpConnection<Stream>::count_request() {
  if (!context_.metrics) return;
  context_.metrics->request_done(method_, status_, bytes_received_, bytes_sent_,
                                 std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count());
}

// ---- closing -------------------------------------------------------------------

template <typename Stream>
void HttpConnection<Stream>::close() {
  auto& socket = beast::get_lowest_layer(stream_).socket();
  beast::error_code ec;
  if constexpr (kTls<Stream>) {
    if (linger_ && socket.is_open()) {
      // As below, but the unread request arrives encrypted: read it through TLS.
      linger_ = false;
      linger_until_ = std::chrono::steady_clock::now() + std::chrono::seconds(10);
      return linger();
    }
    // A close_notify first, unless a read is pending (an idle connection
    // at shutdown): then the TCP close is the end.
    if (!tls_shutdown_started_ && !idle_ && socket.is_open()) {
      tls_shutdown_started_ = true;
      beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(2));
      stream_.async_shutdown([self = this->shared_from_this()](beast::error_code) {
        beast::get_lowest_layer(self->stream_).close();
      });
      return;
    }
    beast::get_lowest_layer(stream_).close();
    return;
  }
  if (linger_ && socket.is_open()) {
    // We answered before reading the whole body: stop sending, but read
    // and drop what still comes for a while, so the client gets to read
    // our answer instead of a connection reset.
    linger_ = false;
    socket.shutdown(tcp::socket::shutdown_send, ec);
    linger_until_ = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    return linger();
  }
  socket.shutdown(tcp::socket::shutdown_both, ec);
  beast::get_lowest_layer(stream_).close();
  // What a closed connection held goes now, not when the last handler
  // referring to it is destroyed.
  body_.reset();
}

template <typename Stream>
void HttpConnection<Stream>::linger() {
  if (!chunk_) chunk_ = std::make_unique<char[]>(kChunk);
  beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(2));
  stream_.async_read_some(net::buffer(chunk_.get(), kChunk),
                          [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                            if (ec || std::chrono::steady_clock::now() > self->linger_until_) return self->close();
                            self->linger();
                          });
}

template class HttpConnection<beast::tcp_stream>;
template class HttpConnection<beast::ssl_stream<beast::tcp_stream>>;

}  // namespace ft::server
