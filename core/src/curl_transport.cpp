#include "curl_transport.hpp"

#include <cstring>
#include <exception>

#include "filetracker/error.hpp"
#include "libcurl_api.hpp"
#include "upload_source.hpp"

namespace ft {

namespace {

// GET and HEAD follow redirects: a server migrating from an older one
// (filetracker-server --fallback-url, or the Python server's) answers a name
// it does not have with a 307 to the old server. Writes never follow one.
bool follows_redirects(const HttpRequest& request) { return request.method == "GET" || request.method == "HEAD"; }
bool is_redirect(long status) { return status == 301 || status == 302 || status == 303 || status == 307 || status == 308; }

// One request in flight: what the C callbacks share.
struct Exchange {
  const HttpRequest& request;
  HttpResponse response;
  std::exception_ptr failure;  // thrown by a callback of the caller
  bool cancelled = false;
  bool body_too_big = false;
  std::uint64_t uploaded = 0;
};

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto* exchange = static_cast<Exchange*>(user);
  auto& response = exchange->response;
  std::string_view line = protocol::trim(std::string_view(data, size * count));
  if (line.empty()) {
    // The end of a header block; the final one once the status is >= 200
    // and it is not a redirect libcurl follows.
    const bool followed = follows_redirects(exchange->request) && is_redirect(response.status) &&
                          response.header("Location") != nullptr;
    if (response.status >= 200 && !followed && exchange->request.on_headers) {
      try {
        exchange->request.on_headers(response);
      } catch (...) {
        exchange->failure = std::current_exception();
        return 0;
      }
    }
  } else if (line.substr(0, 5) == "HTTP/") {
    // A new status line (after "100 Continue", or a followed redirect):
    // forget what came before.
    response.headers.clear();
    response.body.clear();
    response.body_bytes = 0;
    auto space = line.find(' ');
    if (space != std::string_view::npos) {
      auto code = protocol::parse_uint(line.substr(space + 1, 3));
      response.status = code ? static_cast<long>(*code) : 0;
    }
  } else if (auto colon = line.find(':'); colon != std::string_view::npos) {
    response.headers.emplace_back(std::string(protocol::trim(line.substr(0, colon))),
                                  std::string(protocol::trim(line.substr(colon + 1))));
  }
  return size * count;
}

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto* exchange = static_cast<Exchange*>(user);
  const HttpRequest& request = exchange->request;
  auto& response = exchange->response;
  std::size_t n = size * count;
  response.body_bytes += n;
  if (response.ok() && request.body_sink) {
    try {
      request.body_sink(response, std::string_view(data, n));
    } catch (...) {
      exchange->failure = std::current_exception();
      return 0;  // makes curl stop with CURLE_WRITE_ERROR
    }
    return n;
  }
  std::size_t limit = response.ok() ? request.max_body : kMaxErrorBody;
  if (response.body.size() + n > limit) {
    if (response.ok()) {
      exchange->body_too_big = true;
      return 0;
    }
    return n;  // an error body: keep its start, drop the rest
  }
  response.body.append(data, n);
  return n;
}

std::size_t on_read(char* buffer, std::size_t size, std::size_t count, void* user) {
  auto* exchange = static_cast<Exchange*>(user);
  const HttpRequest& request = exchange->request;
  try {
    std::size_t n = request.upload->read(buffer, size * count);
    exchange->uploaded += n;
    // The body must be exactly as long as announced: a file that changed
    // between the hashing pass and now must not go out under its old hash.
    if (exchange->uploaded > request.upload_size || (n == 0 && exchange->uploaded != request.upload_size))
      throw Error(ErrorCode::Io, request.name + ": the file changed while it was being uploaded");
    return n;
  } catch (...) {
    exchange->failure = std::current_exception();
    return CURL_READFUNC_ABORT;
  }
}

int on_seek(void* user, curl_off_t offset, int origin) {
  auto* exchange = static_cast<Exchange*>(user);
  if (offset != 0 || origin != SEEK_SET) return CURL_SEEKFUNC_CANTSEEK;
  try {
    exchange->request.upload->rewind();
    exchange->uploaded = 0;
  } catch (...) {
    return CURL_SEEKFUNC_FAIL;
  }
  return CURL_SEEKFUNC_OK;
}

int on_progress(void* user, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow) {
  auto* exchange = static_cast<Exchange*>(user);
  const HttpRequest& request = exchange->request;
  if (request.cancel && request.cancel->load()) {
    exchange->cancelled = true;
    return 1;
  }
  if (request.on_tick) {
    try {
      request.on_tick(static_cast<std::uint64_t>(dlnow));
    } catch (...) {
      exchange->failure = std::current_exception();
      return 1;
    }
  }
  if (request.progress && *request.progress) {
    const TransferProgress& progress = *request.progress;
    try {
      if (request.phase == TransferPhase::Uploading)
        progress(TransferPhase::Uploading, static_cast<std::uint64_t>(ulnow), static_cast<std::uint64_t>(ultotal));
      else
        progress(request.phase, static_cast<std::uint64_t>(dlnow), static_cast<std::uint64_t>(dltotal));
    } catch (...) {
      // A progress display must never break a transfer.
    }
  }
  return 0;
}

// libcurl's failure as a one-line message about `subject`.
[[noreturn]] void throw_curl_failure(CURLcode rc, long os_errno, const char* errbuf, const std::string& subject,
                                     const std::string& base_url) {
  std::string detail = errbuf[0] ? errbuf : libcurl().curl_easy_strerror(rc);
  switch (rc) {
    case CURLE_COULDNT_CONNECT:
      throw Error(ErrorCode::Network, subject + ": cannot connect to " + base_url + ": " +
                                          (os_errno ? std::strerror(static_cast<int>(os_errno)) : detail));
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
      throw Error(ErrorCode::Network, subject + ": cannot resolve the server's host name in " + base_url);
    case CURLE_OPERATION_TIMEDOUT:
      throw Error(ErrorCode::Network, subject + ": " + base_url + " timed out (" + detail + ")");
    case CURLE_PARTIAL_FILE:
      throw Error(ErrorCode::Network, subject + ": the download was cut off (" + detail + ")");
    case CURLE_GOT_NOTHING:
      throw Error(ErrorCode::Network, subject + ": " + base_url + " closed the connection without answering");
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
      throw Error(ErrorCode::Network, subject + ": connection to " + base_url + " lost (" + detail + ")");
    case CURLE_URL_MALFORMAT:
      throw Error(ErrorCode::InvalidArgument, subject + ": invalid server URL " + base_url);
    default:
      throw Error(ErrorCode::Network, subject + ": " + detail);
  }
}

}  // namespace

struct CurlTransport::Handle {
  CURL* curl = nullptr;
  char errbuf[CURL_ERROR_SIZE] = {};
};

CurlTransport::CurlTransport(RemoteAuth auth) : handle_(std::make_unique<Handle>()), auth_(std::move(auth)) {
  // Loads libcurl on the first transport of the process (libcurl_api.hpp).
  handle_->curl = libcurl().curl_easy_init();
  if (!handle_->curl) throw Error(ErrorCode::Network, "cannot initialise libcurl");
}

CurlTransport::~CurlTransport() { libcurl().curl_easy_cleanup(handle_->curl); }

HttpResponse CurlTransport::perform(const std::string& base_url, const RemoteTimeouts& timeouts,
                                    const HttpRequest& request) {
  const LibCurl& lib = libcurl();
  CURL* h = handle_->curl;
  // Reset keeps the connection cache: consecutive requests reuse the socket.
  lib.curl_easy_reset(h);
  Exchange exchange{request, {}, {}, false, false, 0};
  handle_->errbuf[0] = '\0';
  std::string url = base_url + request.target;
  lib.curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  lib.curl_easy_setopt(h, CURLOPT_ERRORBUFFER, handle_->errbuf);
  lib.curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  lib.curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  lib.curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, timeouts.connect_ms);
  if (timeouts.stall_seconds > 0 && request.curl_stall_check) {
    lib.curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1L);
    lib.curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, timeouts.stall_seconds);
  }
  if (timeouts.total_ms > 0) lib.curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, timeouts.total_ms);
  lib.curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, &on_header);
  lib.curl_easy_setopt(h, CURLOPT_HEADERDATA, &exchange);
  lib.curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &on_body);
  lib.curl_easy_setopt(h, CURLOPT_WRITEDATA, &exchange);
  lib.curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
  lib.curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, &on_progress);
  lib.curl_easy_setopt(h, CURLOPT_XFERINFODATA, &exchange);
  // Credentials with every request, unasked (no 401 round trip).
  if (!auth_.token.empty()) {
    lib.curl_easy_setopt(h, CURLOPT_HTTPAUTH, CURLAUTH_BEARER);
    lib.curl_easy_setopt(h, CURLOPT_XOAUTH2_BEARER, auth_.token.c_str());
  } else if (!auth_.user.empty()) {
    lib.curl_easy_setopt(h, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
    lib.curl_easy_setopt(h, CURLOPT_USERNAME, auth_.user.c_str());
    lib.curl_easy_setopt(h, CURLOPT_PASSWORD, auth_.password.c_str());
  } else if (auth_.netrc) {
    lib.curl_easy_setopt(h, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
    lib.curl_easy_setopt(h, CURLOPT_NETRC, static_cast<long>(CURL_NETRC_OPTIONAL));
  }
  if (!auth_.ca_file.empty()) lib.curl_easy_setopt(h, CURLOPT_CAINFO, auth_.ca_file.c_str());

  curl_slist* headers = nullptr;
  for (const auto& header : request.headers) headers = lib.curl_slist_append(headers, header.c_str());
  if (follows_redirects(request)) {
    // Credentials are not sent to another host (CURLOPT_UNRESTRICTED_AUTH off).
    lib.curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
    lib.curl_easy_setopt(h, CURLOPT_MAXREDIRS, 5L);
    lib.curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  }
  if (request.method == "HEAD") {
    lib.curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
  } else if (request.method == "PUT") {
    lib.curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
    lib.curl_easy_setopt(h, CURLOPT_READFUNCTION, &on_read);
    lib.curl_easy_setopt(h, CURLOPT_READDATA, &exchange);
    lib.curl_easy_setopt(h, CURLOPT_SEEKFUNCTION, &on_seek);
    lib.curl_easy_setopt(h, CURLOPT_SEEKDATA, &exchange);
    lib.curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(request.upload_size));
    // No "Expect: 100-continue" round trip: servers of the seed never answer it.
    headers = lib.curl_slist_append(headers, "Expect:");
  } else if (request.method != "GET") {
    lib.curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  }
  lib.curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);

  CURLcode rc = lib.curl_easy_perform(h);
  long os_errno = 0;
  lib.curl_easy_getinfo(h, CURLINFO_OS_ERRNO, &os_errno);
  long status = 0;
  lib.curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  lib.curl_easy_setopt(h, CURLOPT_HTTPHEADER, nullptr);
  lib.curl_slist_free_all(headers);
  if (status) exchange.response.status = status;

  if (exchange.failure) std::rethrow_exception(exchange.failure);
  const std::string& subject = request.name.empty() ? base_url : request.name;
  if (exchange.cancelled || rc == CURLE_ABORTED_BY_CALLBACK) throw Error(ErrorCode::Cancelled, subject + ": cancelled");
  if (exchange.body_too_big)
    throw Error(ErrorCode::Protocol, subject + ": the server's answer is unreasonably large");
  if (rc == CURLE_OK) return std::move(exchange.response);
  throw_curl_failure(rc, os_errno, handle_->errbuf, subject, base_url);
}

}  // namespace ft
