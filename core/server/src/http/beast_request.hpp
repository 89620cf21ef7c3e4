// The connection's parsed request header (Boost.Beast) seen as a Request.
#pragma once

#include <boost/beast/http/message.hpp>

#include "http/request.hpp"

namespace ft::server {

class BeastRequest final : public Request {
 public:
  using Header = boost::beast::http::request_header<>;

  // REQUIRES: `header` outlives every use until the next reset().
  void reset(const Header& header, std::optional<std::uint64_t> content_length) {
    header_ = &header;
    content_length_ = content_length;
    set_principal(nullptr);
  }

  Method method() const override {
    switch (header_->method()) {
      case boost::beast::http::verb::get: return Method::Get;
      case boost::beast::http::verb::head: return Method::Head;
      case boost::beast::http::verb::put: return Method::Put;
      case boost::beast::http::verb::delete_: return Method::Delete;
      case boost::beast::http::verb::post: return Method::Post;
      default: return Method::Other;
    }
  }
  std::string_view method_name() const override { return header_->method_string(); }
  std::string_view target() const override { return header_->target(); }
  std::optional<std::string_view> header(std::string_view name) const override {
    auto it = header_->find(name);
    if (it == header_->end()) return std::nullopt;
    return it->value();
  }
  std::vector<std::string_view> header_values(std::string_view name) const override {
    std::vector<std::string_view> out;
    for (auto [it, end] = header_->equal_range(name); it != end; ++it) out.push_back(it->value());
    return out;
  }
  std::optional<std::uint64_t> content_length() const override { return content_length_; }

 private:
  const Header* header_ = nullptr;
  std::optional<std::uint64_t> content_length_;
};

}  // namespace ft::server
