// A request's header as the handlers see it: no HTTP library, no I/O. The
// connection implements it over its parser (beast_request.hpp); a test or
// another transport can implement it too. It is valid while the handler that
// received it runs.
//
// The connection sets the request's principal (who sent it, what it may
// do; access control: gatekeeper.hpp) before any handler runs.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "filetracker/server/principal.hpp"

namespace ft::server {

enum class Method { Get, Head, Put, Delete, Post, Other };

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

  // Who sent it. REQUIRES: set_principal() was called (the connection does,
  // before routing to a handler).
  const Principal& principal() const { return *principal_; }
  void set_principal(std::shared_ptr<const Principal> principal) { principal_ = std::move(principal); }

 protected:
  ~Request() = default;

 private:
  std::shared_ptr<const Principal> principal_;
};

}  // namespace ft::server
