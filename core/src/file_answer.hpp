// What core's remote store accepts in the server's answer about a file
// (HEAD or GET /files/P, and the Last-Modified of a PUT's answer): the
// headers decoded by protocol::decode_file_headers, then checked, with what
// is refused worded as one-line errors naming the file.
#pragma once

#include <string_view>

#include "filetracker/name.hpp"
#include "filetracker/protocol.hpp"

namespace ft {

struct HttpResponse;

// The version an answer's Last-Modified names. Throws Error(Protocol) naming
// `name` when it is missing or not a date.
Version required_version(const HttpResponse& response, std::string_view name);

// The decoded headers of a 2xx answer about `name`; `version` is always set.
// Throws Error(Protocol) for a missing or invalid Last-Modified and for a
// Logical-Size that is not a number.
protocol::FileHeaders read_file_answer(const HttpResponse& response, std::string_view name);

}  // namespace ft
