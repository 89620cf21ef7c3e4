// What core's two downloads share: get_file (into a file, through
// DownloadBody) and get_stream (to a reader, through DownloadStreamBuf). The
// GET request, what its answer's headers promise, and core's one-line words
// for a body that does not keep the promise.
#pragma once

#include <string>
#include <string_view>

#include "body_verifier.hpp"
#include "filetracker/name.hpp"
#include "http_exchange.hpp"

namespace ft {

// GET /files/<unversioned>, gzip welcome; errors name `subject`. With
// `kept_version` (the server has the "history" extension): GET
// /history/<unversioned>?last_modified=..., that version even when it is
// not the current one.
HttpRequest make_download_request(const std::string& subject, std::string_view unversioned,
                                  std::optional<Version> kept_version = std::nullopt);

struct DownloadAnswer {
  Version version = 0;   // Last-Modified
  BodyExpectation body;  // what the body must be
};
// Reads the headers of a 2xx answer to the request for `asked`. Throws
// Error(NotFound) when the server has another version than the one asked
// for, Error(Protocol) for what read_file_answer refuses and for a
// Content-Encoding nobody can decode.
DownloadAnswer read_download_answer(const HttpResponse& response, const SplitName& asked, const std::string& subject);

// One received chunk into `verifier`. Throws Error(Protocol,
// "<subject>: the content is not valid gzip") for a corrupt body.
void feed_body(BodyVerifier& verifier, std::string_view received, const std::string& subject);

// The end of the body: returns when it is complete and correct, else throws
//   Error(Network, "<subject>: the download was cut off ...") when the gzip
//     stream or the announced length stopped short,
//   Error(ChecksumMismatch, ...) for more bytes than announced or another SHA-256.
void finish_body(BodyVerifier& verifier, const std::string& subject);

}  // namespace ft
