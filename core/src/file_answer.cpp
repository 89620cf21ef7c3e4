#include "file_answer.hpp"

#include <string>

#include "filetracker/error.hpp"
#include "http_exchange.hpp"

namespace ft {

namespace {

[[noreturn]] void throw_bad_version(const HttpResponse& response, std::string_view name) {
  const std::string* header = response.header(protocol::kLastModified);
  if (!header) throw Error(ErrorCode::Protocol, std::string(name) + ": the server sent no Last-Modified");
  throw Error(ErrorCode::Protocol, std::string(name) + ": the server sent an invalid Last-Modified: " + *header);
}

}  // namespace

Version required_version(const HttpResponse& response, std::string_view name) {
  const std::string* header = response.header(protocol::kLastModified);
  auto version = header ? protocol::parse_http_date(*header) : std::nullopt;
  if (!version) throw_bad_version(response, name);
  return *version;
}

protocol::FileHeaders read_file_answer(const HttpResponse& response, std::string_view name) {
  protocol::FileHeaders headers = protocol::decode_file_headers(response.header_lookup());
  if (!headers.version) throw_bad_version(response, name);
  if (const std::string* size = response.header(protocol::kLogicalSize); size && !headers.logical_size)
    throw Error(ErrorCode::Protocol, std::string(name) + ": the server sent an invalid size: " + *size);
  return headers;
}

}  // namespace ft
