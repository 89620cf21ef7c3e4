// Turns a request's Authorization header into a principal of the access
// file. Two forms:
//
//   Authorization: Basic base64(NAME:SECRET)   (what the deployed Python
//                  client sends for http://NAME:SECRET@host/ URLs)
//   Authorization: Bearer NAME.SECRET          (the token `passwd` prints)
//
// A secret is verified against its Argon2id hash once; the verified pair is
// then remembered as a keyed BLAKE2b digest (never the secret itself), so
// later requests cost a microsecond, not an Argon2id. The digest is compared
// in constant time; an unknown name is verified against a dummy hash, so
// the answer's timing does not tell which names exist. An Authenticator is
// immutable apart from its cache: a reloaded access file makes a new one.
#pragma once

#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "filetracker/server/access_file.hpp"
#include "filetracker/server/principal.hpp"

namespace ft::server {

class Authenticator : public std::enable_shared_from_this<Authenticator> {
 public:
  explicit Authenticator(std::vector<AccessEntry> entries);
  Authenticator(const Authenticator&) = delete;
  Authenticator& operator=(const Authenticator&) = delete;

  struct Result {
    enum class Kind { NoCredentials, Verified, Rejected } kind = Kind::NoCredentials;
    std::shared_ptr<const Principal> principal;  // Verified: keeps this Authenticator alive
    std::string claimed_name;                    // Rejected: the name tried (may be empty), for the log
  };
  // `authorization`: the header's value, nullopt when absent. Thread-safe.
  // `may_verify` false: only credentials verified before are accepted; the
  // rest are Rejected without an Argon2id (a client address that is being
  // throttled must not cost the server a hash per guess).
  Result authenticate(std::optional<std::string_view> authorization, bool may_verify = true) const;

  std::size_t size() const { return entries_.size(); }

 private:
  using Digest = std::string;  // 32 bytes
  Digest digest(std::string_view name, std::string_view secret) const;
  Result verify(std::string_view name, std::string_view secret, bool may_verify) const;

  std::vector<AccessEntry> entries_;
  std::unordered_map<std::string_view, const AccessEntry*> by_name_;
  std::string dummy_hash_;  // verified against for unknown names
  unsigned char key_[32];   // random per Authenticator: digests are useless elsewhere
  mutable std::shared_mutex cache_mutex_;
  mutable std::unordered_map<std::string, Digest> verified_;  // name -> digest of its verified secret
};

}  // namespace ft::server
