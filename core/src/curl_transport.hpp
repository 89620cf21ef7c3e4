// The remote store's HTTP transport: one libcurl easy handle and the
// synchronous exchange run on it. Sets up the handle (URL, protocols,
// timeouts, stall detection), feeds the caller's callbacks with the answer's
// headers and body, pulls an upload body, reports progress, honours a cancel
// flag, and maps libcurl's failures to one-line ft::Error messages
// ("/a.txt: cannot connect to http://h:1: Connection refused"). An HTTP
// error status is not a failure here: the caller gets the answer and words
// it (http_error.hpp). The request and answer types are in http_exchange.hpp.
#pragma once

#include <memory>
#include <string>

#include "filetracker/remote_data_store.hpp"
#include "http_exchange.hpp"

namespace ft {

class CurlTransport {
 public:
  // Throws Error(Network) when libcurl cannot make a handle. `auth`: the
  // credentials and CA file of every request (see RemoteAuth).
  explicit CurlTransport(RemoteAuth auth = {});
  ~CurlTransport();
  CurlTransport(const CurlTransport&) = delete;
  CurlTransport& operator=(const CurlTransport&) = delete;

  // Runs `request` against `base_url` + request.target and returns the final
  // answer, whatever its status. Consecutive calls reuse the connection.
  // Throws what a callback threw; Error(Cancelled); Error(Network) worded
  // for the failure (cannot connect, cannot resolve, timed out, cut off,
  // connection lost, no answer); Error(InvalidArgument) for a malformed URL;
  // Error(Protocol) for a 2xx body over request.max_body.
  HttpResponse perform(const std::string& base_url, const RemoteTimeouts& timeouts, const HttpRequest& request);

 private:
  struct Handle;
  std::unique_ptr<Handle> handle_;
  RemoteAuth auth_;
};

}  // namespace ft
