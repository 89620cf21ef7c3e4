// The one-line error for an answer with an HTTP error status, the way the
// remote store reports it: "/a/b.txt: HTTP 404: file not found", with the
// server's X-Exception reason when it sent one.
#pragma once

#include <string_view>

namespace ft {

struct HttpResponse;

// Throws Error(NotFound) for 404, Error(Http) otherwise, both carrying the
// status. A reason that starts with the file's name (as servers often
// write it) loses that prefix: the message names the file already.
[[noreturn]] void throw_http_error(std::string_view name, const HttpResponse& response);

}  // namespace ft
