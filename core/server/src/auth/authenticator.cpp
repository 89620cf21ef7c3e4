#include "filetracker/server/authenticator.hpp"

#include <sodium.h>

#include <mutex>

#include "filetracker/protocol.hpp"
#include "filetracker/server/secret_hash.hpp"

namespace ft::server {
namespace {

constexpr std::size_t kMaxCredentials = 4096;  // longer headers are rejected unread

// Strips a case-insensitive scheme ("Basic ") and the spaces after it.
std::optional<std::string_view> after_scheme(std::string_view header, std::string_view scheme) {
  if (header.size() <= scheme.size() || !protocol::iequals(header.substr(0, scheme.size()), scheme) ||
      header[scheme.size()] != ' ')
    return std::nullopt;
  header.remove_prefix(scheme.size());
  while (!header.empty() && header.front() == ' ') header.remove_prefix(1);
  while (!header.empty() && header.back() == ' ') header.remove_suffix(1);
  return header;
}

}  // namespace

Authenticator::Authenticator(std::vector<AccessEntry> entries) : entries_(std::move(entries)) {
  for (const auto& e : entries_) by_name_.emplace(e.principal.name, &e);
  dummy_hash_ = hash_secret(generate_secret());
  randombytes_buf(key_, sizeof key_);
}

Authenticator::Digest Authenticator::digest(std::string_view name, std::string_view secret) const {
  unsigned char out[32];
  crypto_generichash_state state;
  crypto_generichash_init(&state, key_, sizeof key_, sizeof out);
  crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(name.data()), name.size());
  const unsigned char separator = 0;
  crypto_generichash_update(&state, &separator, 1);
  crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(secret.data()), secret.size());
  crypto_generichash_final(&state, out, sizeof out);
  return Digest(reinterpret_cast<const char*>(out), sizeof out);
}

Authenticator::Result Authenticator::authenticate(std::optional<std::string_view> authorization,
                                                 bool may_verify) const {
  Result result;
  if (!authorization) return result;
  result.kind = Result::Kind::Rejected;
  if (authorization->size() > kMaxCredentials) return result;
  if (auto basic = after_scheme(*authorization, "Basic")) {
    std::string decoded(basic->size(), '\0');
    std::size_t length = 0;
    if (sodium_base642bin(reinterpret_cast<unsigned char*>(decoded.data()), decoded.size(), basic->data(),
                          basic->size(), nullptr, &length, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0)
      return result;
    decoded.resize(length);
    std::size_t colon = decoded.find(':');
    if (colon == std::string::npos) return result;
    return verify(std::string_view(decoded).substr(0, colon), std::string_view(decoded).substr(colon + 1), may_verify);
  }
  if (auto token = after_scheme(*authorization, "Bearer")) {
    std::size_t dot = token->find('.');
    if (dot == std::string_view::npos) return result;
    return verify(token->substr(0, dot), token->substr(dot + 1), may_verify);
  }
  return result;
}

Authenticator::Result Authenticator::verify(std::string_view name, std::string_view secret, bool may_verify) const {
  Result result;
  result.kind = Result::Kind::Rejected;
  result.claimed_name = protocol::sanitize_reason(name.substr(0, 64));
  auto it = by_name_.find(name);
  const AccessEntry* entry = it == by_name_.end() ? nullptr : it->second;
  Digest presented = digest(name, secret);
  if (entry) {
    std::shared_lock lock(cache_mutex_);
    auto cached = verified_.find(entry->principal.name);
    if (cached != verified_.end() && sodium_memcmp(cached->second.data(), presented.data(), presented.size()) == 0) {
      result.kind = Result::Kind::Verified;
      result.principal = std::shared_ptr<const Principal>(shared_from_this(), &entry->principal);
      return result;
    }
  }
  if (!may_verify) return result;
  // Not verified before: pay for one Argon2id (also for an unknown name,
  // so that the answer takes as long).
  bool ok = verify_secret(entry ? entry->hash : dummy_hash_, secret) && entry;
  if (!ok) return result;
  {
    std::unique_lock lock(cache_mutex_);
    verified_[entry->principal.name] = presented;
  }
  result.kind = Result::Kind::Verified;
  result.principal = std::shared_ptr<const Principal>(shared_from_this(), &entry->principal);
  return result;
}

}  // namespace ft::server
