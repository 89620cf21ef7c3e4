// A request's header as the handlers see it: no HTTP library, no I/O. The
// connection implements it over its parser (beast_request.hpp); a test or
// another transport can implement it too. It is valid while the handler that
// received it runs.
//
// Access control will add the authenticated principal here, so that every
// handler receives it with the request.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace ft::server {

enum class Method { Get, Head, Put, Delete, Other };

class Request {
 public:
  virtual Method method() const = 0;
  virtual std::string_view method_name() const = 0;  // as sent, for messages: "PATCH"
  virtual std::string_view target() const = 0;       // the raw request target: path and query
  // A header's value (nullopt when absent; a header sent empty is "").
  virtual std::optional<std::string_view> header(std::string_view name) const = 0;
  // Every value of a header sent more than once, in order (empty when absent).
  virtual std::vector<std::string_view> header_values(std::string_view name) const = 0;
  // The declared body length; nullopt without Content-Length (none, or chunked).
  virtual std::optional<std::uint64_t> content_length() const = 0;

 protected:
  ~Request() = default;
};

}  // namespace ft::server
