#include "fallback/upstream_client.hpp"

#include "curl_transport.hpp"
#include "filetracker/error.hpp"
#include "http_exchange.hpp"

namespace ft::server {
namespace {

constexpr std::size_t kMaxListing = 512u << 20;

// "HTTP 500: <X-Exception>" of an answer we did not expect.
std::string describe_answer(const HttpResponse& response) {
  std::string text = "HTTP " + std::to_string(response.status);
  if (const std::string* reason = response.header(protocol::kXException); reason && !reason->empty())
    text += ": " + *reason;
  return text;
}

}  // namespace

UpstreamClient::UpstreamClient(std::string base_url, std::chrono::seconds timeout, const std::atomic<bool>* cancel)
    : base_url_(std::move(base_url)), timeout_(timeout), cancel_(cancel), transport_(std::make_unique<CurlTransport>()) {
  while (!base_url_.empty() && base_url_.back() == '/') base_url_.pop_back();
}

UpstreamClient::~UpstreamClient() = default;

void UpstreamClient::fail(std::string_view what, const std::exception& e) const {
  if (const auto* failure = dynamic_cast<const UpstreamFailure*>(&e)) throw *failure;
  const auto* error = dynamic_cast<const Error*>(&e);
  // CurlTransport words a timeout "... timed out (...)": the one failure
  // that is the old server's slowness, not its absence.
  const bool timed_out = error && error->code() == ErrorCode::Network &&
                         std::string_view(e.what()).find(" timed out") != std::string_view::npos;
  if (error && error->code() == ErrorCode::Cancelled)
    throw UpstreamFailure(503, std::string(what) + ": the server is shutting down");
  // Core's messages name the file and the URL already.
  const std::string text = e.what();
  throw UpstreamFailure(timed_out ? 504 : 502,
                        (text.rfind(std::string(what), 0) == 0 ? text : std::string(what) + ": " + text) +
                            " (the old server, --fallback-url)");
}

std::optional<protocol::FileHeaders> UpstreamClient::get_file(
    std::string_view name, const std::function<void(const protocol::FileHeaders&, std::uint64_t)>& on_headers,
    const std::function<void(std::string_view)>& sink) {
  HttpRequest request;
  request.name = std::string(name);
  request.target = "/files" + protocol::encode_path(name);
  // Our server sends the blob as stored only to a client that takes gzip;
  // the Python server always does.
  request.headers.push_back("Accept-Encoding: gzip");
  request.cancel = cancel_;
  protocol::FileHeaders headers;
  request.on_headers = [&](const HttpResponse& response) {
    if (response.status != 200) return;
    headers = protocol::decode_file_headers(response.header_lookup());
    std::uint64_t length = 0;
    if (const std::string* cl = response.header("Content-Length"))
      length = protocol::parse_uint(protocol::trim(*cl)).value_or(0);
    on_headers(headers, length);
  };
  request.body_sink = [&](const HttpResponse&, std::string_view chunk) { sink(chunk); };
  RemoteTimeouts timeouts{static_cast<long>(timeout_.count() * 1000), static_cast<long>(timeout_.count()), 0};
  HttpResponse response;
  try {
    response = transport_->perform(base_url_, timeouts, request);
  } catch (const std::exception& e) {
    // What the callbacks threw about the content (bad gzip, more than its
    // Logical-Size, refused headers) is not a transport failure: the caller
    // words it.
    const auto* error = dynamic_cast<const Error*>(&e);
    if (error && (error->code() == ErrorCode::Network || error->code() == ErrorCode::Cancelled)) fail(name, e);
    throw;
  }
  if (response.status == 404) return std::nullopt;
  if (response.status != 200)
    throw UpstreamFailure(502, std::string(name) + ": the old server (" + base_url_ + ") answered " +
                                   describe_answer(response));
  return headers;
}

std::optional<Version> UpstreamClient::head_file(std::string_view name) {
  HttpRequest request;
  request.name = std::string(name);
  request.method = "HEAD";
  request.target = "/files" + protocol::encode_path(name);
  request.cancel = cancel_;
  const long ms = static_cast<long>(timeout_.count() * 1000);
  RemoteTimeouts timeouts{ms, static_cast<long>(timeout_.count()), ms};
  HttpResponse response;
  try {
    response = transport_->perform(base_url_, timeouts, request);
  } catch (const std::exception& e) {
    fail(name, e);
  }
  if (response.status == 404) return std::nullopt;
  if (response.status != 200)
    throw UpstreamFailure(502, std::string(name) + ": the old server (" + base_url_ + ") answered " +
                                   describe_answer(response));
  auto headers = protocol::decode_file_headers(response.header_lookup());
  if (!headers.version)
    throw UpstreamFailure(502, std::string(name) + ": the old server (" + base_url_ + ") sent no valid Last-Modified");
  return headers.version;
}

std::optional<UpstreamClient::ListAnswer> UpstreamClient::list(std::string_view target_tail, bool want_json) {
  HttpRequest request;
  request.name = "/list" + std::string(target_tail);
  request.target = request.name;
  if (want_json) request.headers.push_back("Accept: " + std::string(protocol::kJsonContentType));
  request.max_body = kMaxListing;
  request.cancel = cancel_;
  RemoteTimeouts timeouts{static_cast<long>(timeout_.count() * 1000), static_cast<long>(timeout_.count()), 0};
  HttpResponse response;
  try {
    response = transport_->perform(base_url_, timeouts, request);
  } catch (const std::exception& e) {
    fail(request.name, e);
  }
  if (response.status == 400 || response.status == 404) return std::nullopt;
  if (response.status != 200)
    throw UpstreamFailure(502, request.name + ": the old server (" + base_url_ + ") answered " +
                                   describe_answer(response));
  ListAnswer answer;
  const std::string* type = response.header("Content-Type");
  answer.json = want_json && type && type->find("json") != std::string::npos;
  answer.body = std::move(response.body);
  return answer;
}

}  // namespace ft::server
