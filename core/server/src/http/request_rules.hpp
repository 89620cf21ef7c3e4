// How the server reads a request's target and headers: target parsing, name
// checks, the `last_modified` parameter, Accept and Accept-Encoding. No HTTP
// library; the handlers use it.
#pragma once

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "filetracker/name.hpp"
#include "http/request.hpp"

namespace ft::server {

// A client's mistake: answered with `status` and X-Exception `reason`.
// `close_connection`: the request's body cannot be found in the stream (no
// Content-Length), so the connection ends after the answer.
struct RequestError : std::runtime_error {
  RequestError(int status, const std::string& reason, bool close_connection = false)
      : std::runtime_error(reason), status(status), close_connection(close_connection) {}
  int status;
  bool close_connection;
  int retry_after = 0;  // > 0: a Retry-After header (seconds), e.g. with 503
};

struct Target {
  std::string endpoint;  // first path segment: "files", "list", "version", ...
  std::string path;      // the rest, decoded, with a leading '/': "/a/b.txt"; "/" when empty
  std::map<std::string, std::string> query;
};

// "/files/a%20b/c.txt?last_modified=..." -> {"files", "/a b/c.txt", {...}}.
// A trailing '/' is ignored. Throws RequestError(400) on a malformed
// escape or a ".." segment.
Target parse_target(std::string_view target);

// Throws RequestError(400) unless `path` is a valid unversioned file name
// (also rejecting empty and "." components and control characters).
void check_file_name(std::string_view path);
// Same for a directory to list; "/" is valid.
void check_directory_name(std::string_view path);

// The `last_modified` query parameter. Throws RequestError(400) when it is
// missing and required, or not an RFC 2822 date.
std::optional<Version> query_version(const Target& target, bool required);

// A header that must have one value (SHA256-Checksum, Logical-Size,
// Content-Encoding): nullopt when absent; throws RequestError(400) when it
// is sent more than once with different values (which one would be meant?).
std::optional<std::string_view> single_header(const Request& request, std::string_view name);

// Does an Accept-Encoding header value accept gzip (q > 0)?
bool accepts_gzip(std::string_view accept_encoding);
// Does an Accept header value ask for application/json?
bool accepts_json(std::string_view accept);

}  // namespace ft::server
