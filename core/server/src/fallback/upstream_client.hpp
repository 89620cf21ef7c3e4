// The old server as the fallback sees it (--fallback-url): GET, HEAD and
// /list over one libcurl handle (core's CurlTransport, so connections are
// reused and failures are worded like the client's). One per fetch thread.
// Every request has the --fallback-timeout for connecting and for making
// no progress, so an old server that is down or hangs is an error, not a
// wait.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "filetracker/name.hpp"
#include "filetracker/protocol.hpp"

namespace ft {
class CurlTransport;
}

namespace ft::server {

// The old server failed us: answered with `status` (502 Bad Gateway: it is
// unreachable, answered an error, or sent bad content; 504 Gateway Timeout:
// it did not answer in time) and the reason as X-Exception.
struct UpstreamFailure : std::runtime_error {
  UpstreamFailure(int status, const std::string& reason) : std::runtime_error(reason), status(status) {}
  int status;
};

class UpstreamClient {
 public:
  UpstreamClient(std::string base_url, std::chrono::seconds timeout, const std::atomic<bool>* cancel);
  ~UpstreamClient();
  UpstreamClient(const UpstreamClient&) = delete;
  UpstreamClient& operator=(const UpstreamClient&) = delete;

  const std::string& base_url() const { return base_url_; }

  // GET /files/NAME asking for gzip. On a 200, `on_headers` gets the file's
  // headers (it may throw to refuse them), then `sink` gets the body chunk
  // by chunk as sent. Returns the headers; nullopt when the old server does
  // not have the name (404). Throws UpstreamFailure, or what the callbacks threw.
  std::optional<protocol::FileHeaders> get_file(
      std::string_view name, const std::function<void(const protocol::FileHeaders&, std::uint64_t body_length)>& on_headers,
      const std::function<void(std::string_view)>& sink);
  // HEAD /files/NAME: its version; nullopt on 404. Throws UpstreamFailure.
  std::optional<Version> head_file(std::string_view name);

  struct ListAnswer {
    bool json = false;  // the body is our JSON listing (else version 2's plain one)
    std::string body;
  };
  // GET /list/... with `target_tail` (the encoded directory and query, as the
  // client sent them). nullopt when the old server says there is no such
  // directory (400 or 404). Throws UpstreamFailure.
  std::optional<ListAnswer> list(std::string_view target_tail, bool want_json);

 private:
  [[noreturn]] void fail(std::string_view what, const std::exception& e) const;

  std::string base_url_;
  std::chrono::seconds timeout_;
  const std::atomic<bool>* cancel_;
  std::unique_ptr<CurlTransport> transport_;
};

}  // namespace ft::server
