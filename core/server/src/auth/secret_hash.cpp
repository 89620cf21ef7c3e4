#include "filetracker/server/secret_hash.hpp"

#include <sodium.h>

#include <stdexcept>

#include "filetracker/error.hpp"

namespace ft::server {
namespace {

void init_sodium() {
  static const int status = sodium_init();
  if (status < 0) throw Error(ErrorCode::Io, "libsodium failed to initialize");
}

}  // namespace

std::string hash_secret(std::string_view secret) {
  init_sodium();
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, secret.data(), secret.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    throw Error(ErrorCode::Io, "cannot hash the secret (out of memory)");
  return out;
}

bool verify_secret(const std::string& hash, std::string_view secret) {
  init_sodium();
  return crypto_pwhash_str_verify(hash.c_str(), secret.data(), secret.size()) == 0;
}

bool is_secret_hash(std::string_view text) {
  init_sodium();
  if (!text.starts_with("$argon2id$") || text.size() >= crypto_pwhash_STRBYTES) return false;
  std::string copy(text);
  // -1: not a hash libsodium understands; 0 or 1: valid (1: weaker or
  // stronger parameters than today's, still verifiable).
  return crypto_pwhash_str_needs_rehash(copy.c_str(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != -1;
}

std::string generate_secret() {
  init_sodium();
  unsigned char bytes[24];
  randombytes_buf(bytes, sizeof bytes);
  char out[sodium_base64_ENCODED_LEN(sizeof bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
  sodium_bin2base64(out, sizeof out, bytes, sizeof bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return out;
}

}  // namespace ft::server
