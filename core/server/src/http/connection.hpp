// One client connection: reads requests (header, then the body chunk by
// chunk), asks the router which handler answers, writes the answer, keeps
// the connection alive or closes it, and logs one line per request. It owns
// every I/O decision: timeouts (idle between requests, no progress during a
// transfer), reading and dropping a body nobody wants, "100 Continue",
// lingering after refusing a body, closing idle connections at shutdown.
// What a request means is the handlers' business (handlers.hpp), how an
// error is answered failure.hpp's, how a stored file goes out blob_sender.hpp's.
//
// `Stream` is the transport: beast::tcp_stream (plain HTTP) or
// beast::ssl_stream<beast::tcp_stream> (HTTPS: a handshake in start(), an
// SSL shutdown in close(), no sendfile in BlobSender).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>  // before Asio 1.74: its awaitable.hpp needs std::exchange
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include "filetracker/server/http_server.hpp"
#include "http/beast_request.hpp"
#include "http/blob_sender.hpp"
#include "http/connection_registry.hpp"
#include "http/failure.hpp"
#include "http/gatekeeper.hpp"
#include "http/metrics.hpp"
#include "http/router.hpp"

namespace ft::server {

// What every connection shares; owned by run_server().
struct ConnectionContext {
  const ServerOptions& options;
  const Router& router;
  ConnectionRegistry& registry;
  Gatekeeper& gatekeeper;
  std::atomic<bool> stopping{false};  // shutdown: finish the current request, then close
  ServerMetrics* metrics = nullptr;   // set: every request is counted (GET /metrics)
};

template <typename Stream>
class HttpConnection final : public ConnectionRegistry::Entry,
                             public std::enable_shared_from_this<HttpConnection<Stream>> {
 public:
  // `keep`: what the stream needs alive as long as it lives (its TLS context).
  HttpConnection(Stream stream, ConnectionContext& context, std::shared_ptr<void> keep = {});
  ~HttpConnection();
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;

  void start();
  void close_if_idle() override;

 private:
  // What happens once the request body has been read.
  enum class AfterBody { Answer, FinishUpload, Refuse };

  // reading
  void read_header();
  void on_header(boost::beast::error_code ec, std::size_t);
  void begin_request(std::string method, std::string target);
  void read_body_chunk();
  void on_body_chunk(boost::beast::error_code ec, std::size_t);
  void on_body_done();
  bool fits_drain() const;
  // handling
  void receive_body();
  void answer();
  void finish_upload();
  void deliver(Answer answer);
  ReplyCallback reply_later();
  Failure failure(const std::exception_ptr& error);
  void refuse(Failure failure);
  void refuse_after(Failure failure, std::chrono::milliseconds delay);  // a failed authentication
  // writing
  void send_reply(Reply reply);
  void send_text(TextReply reply);
  void send_file(FileReply reply);
  void on_file_sent(typename BlobSender<Stream>::Result result);
  void send_failure(const Failure& failure);
  void finish_response();
  void abort_response(boost::beast::error_code ec);
  void log_request();
  void count_request();
  // closing
  void close();
  void linger();

  std::shared_ptr<void> keep_;
  Stream stream_;
  ConnectionContext& context_;
  bool tls_shutdown_started_ = false;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::buffer_body>> parser_;
  std::unique_ptr<char[]> chunk_;  // body bytes as they arrive
  bool idle_ = false;              // waiting for a request
  bool keep_alive_ = true;
  bool is_head_ = false;
  bool expects_continue_ = false;
  bool linger_ = false;  // close() drains the unread request first
  std::chrono::steady_clock::time_point linger_until_;
  std::string client_address_;  // for access control's throttle and log
  std::optional<boost::asio::steady_timer> refusal_timer_;

  // the request being handled
  BeastRequest request_;
  std::optional<Router::Routed> routed_;
  std::unique_ptr<BodyReceiver> body_;
  AfterBody after_body_ = AfterBody::Answer;
  std::optional<Failure> refusal_;  // AfterBody::Refuse: sent once the body is dropped

  // its log line
  std::chrono::steady_clock::time_point started_;
  std::string method_;
  std::string log_target_;
  std::string principal_name_;  // who sent it (access control), "" for anonymous
  std::uint64_t bytes_sent_ = 0;
  std::uint64_t bytes_received_ = 0;  // of the body
  int status_ = 0;

  // the answer
  std::optional<boost::beast::http::response<boost::beast::http::string_body>> text_response_;
  BlobSender<Stream> blob_sender_;
};

}  // namespace ft::server
