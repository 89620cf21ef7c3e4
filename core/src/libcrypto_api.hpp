// The part of OpenSSL's libcrypto core uses (SHA-256), opened on first use
// (shared_library.hpp says why). Call it as libcrypto().EVP_sha256(); the
// names and types are OpenSSL's own, taken from <openssl/evp.h>.
#pragma once

#include <openssl/evp.h>

namespace ft {

#define FT_LIBCRYPTO_FUNCTIONS(X) \
  X(EVP_sha256)                   \
  X(EVP_MD_CTX_new)               \
  X(EVP_MD_CTX_free)              \
  X(EVP_DigestInit_ex)            \
  X(EVP_DigestUpdate)             \
  X(EVP_DigestFinal_ex)

struct LibCrypto {
#define FT_LIBCRYPTO_FIELD(name) decltype(&::name) name = nullptr;
  FT_LIBCRYPTO_FUNCTIONS(FT_LIBCRYPTO_FIELD)
#undef FT_LIBCRYPTO_FIELD
};

// libcrypto, loaded the first time (thread-safe). Throws Error(Unsupported)
// in one line when it cannot be loaded, and again on every later call.
const LibCrypto& libcrypto();

}  // namespace ft
