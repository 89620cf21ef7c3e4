// What the remote store sends and what it gets back, independent of the
// HTTP library that carries it (curl_transport.hpp runs the exchange): a
// request with the callbacks that stream its body in and out, and the answer
// as far as it is kept.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "filetracker/protocol.hpp"
#include "filetracker/remote_data_store.hpp"

namespace ft {

class UploadSource;

// Error bodies are read for diagnostics only; never more than this is kept.
inline constexpr std::size_t kMaxErrorBody = 64 << 10;

// The server's answer, as far as the exchange keeps it.
struct HttpResponse {
  long status = 0;
  // The final header block (after any "100 Continue"), names as sent.
  std::vector<std::pair<std::string, std::string>> headers;
  // The body of an error answer (its start), or of a 2xx answer that has no
  // HttpRequest::body_sink.
  std::string body;
  std::uint64_t body_bytes = 0;

  // Header `name` (any case); null when absent.
  const std::string* header(std::string_view name) const;
  // The same lookup, for protocol::decode_file_headers.
  // REQUIRES: the response outlives the returned function.
  protocol::HeaderLookup header_lookup() const;
  bool ok() const { return status >= 200 && status < 300; }
};

struct HttpRequest {
  std::string name;                  // what error messages are about (empty: the server URL)
  std::string method = "GET";        // GET, HEAD, PUT or another verb without a body
  std::string target;                // path and query, appended to the base URL
  std::vector<std::string> headers;  // "Name: value"
  // PUT: the body, exactly `upload_size` bytes (more or fewer fails the
  // transfer: a file that changed while it was read must not go out).
  UploadSource* upload = nullptr;
  std::uint64_t upload_size = 0;
  // Receives the body of a 2xx answer chunk by chunk; may throw to abort the
  // transfer (the exception comes out of perform()). Null: the body is kept in
  // HttpResponse::body, up to `max_body` bytes (more: Error(Protocol)).
  std::function<void(const HttpResponse&, std::string_view)> body_sink;
  std::size_t max_body = kMaxErrorBody;
  TransferPhase phase = TransferPhase::Downloading;
  // Called once the headers of the final answer (any status) are in; may
  // throw to abort the transfer.
  std::function<void(const HttpResponse&)> on_headers;
  // Called with the bytes received so far each time libcurl reports
  // progress; may throw to abort the transfer.
  std::function<void(std::uint64_t)> on_tick;
  // false: libcurl's own stall check is off (the caller's on_tick does it).
  bool curl_stall_check = true;
  // When it becomes true, the transfer stops with Error(Cancelled).
  const std::atomic<bool>* cancel = nullptr;
  // Progress display; what it throws is ignored.
  const TransferProgress* progress = nullptr;
};

}  // namespace ft
