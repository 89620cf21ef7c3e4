// Secrets of the access file, kept only as slow salted hashes: libsodium's
// crypto_pwhash_str (Argon2id, its "interactive" cost: 64 MiB, about a
// tenth of a second), so a stolen access file does not give the secrets
// away. The server verifies a secret once and then caches the result
// (authenticator.hpp); it never hashes per request.
#pragma once

#include <string>
#include <string_view>

namespace ft::server {

// "$argon2id$v=19$m=65536,t=2,p=1$SALT$HASH". Throws Error on failure (out of memory).
std::string hash_secret(std::string_view secret);
// Does `secret` match `hash`? Takes as long as hashing; false for a malformed hash.
bool verify_secret(const std::string& hash, std::string_view secret);
// Is `text` a hash that verify_secret() can check (Argon2id, well-formed)?
bool is_secret_hash(std::string_view text);
// 24 random bytes as URL-safe base64 without padding (32 characters; no '.').
std::string generate_secret();

}  // namespace ft::server
