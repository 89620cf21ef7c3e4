#include "http_exchange.hpp"

namespace ft {

const std::string* HttpResponse::header(std::string_view name) const {
  for (const auto& [k, v] : headers)
    if (protocol::iequals(k, name)) return &v;
  return nullptr;
}

protocol::HeaderLookup HttpResponse::header_lookup() const {
  return [this](std::string_view name) -> std::optional<std::string> {
    if (const std::string* value = header(name)) return *value;
    return std::nullopt;
  };
}

}  // namespace ft
