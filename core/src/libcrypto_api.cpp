#include "libcrypto_api.hpp"

#include "shared_library.hpp"

#ifndef FT_LIBCRYPTO_SONAME
#define FT_LIBCRYPTO_SONAME "libcrypto.so.3"
#endif

namespace ft {

const LibCrypto& libcrypto() {
  // A throwing initialiser leaves the static unmade: the next call tries
  // again and says the same thing.
  static const LibCrypto loaded = [] {
    static const SharedLibrary library(FT_LIBCRYPTO_SONAME, "SHA-256 checksums");
    LibCrypto api;
    FT_LIBCRYPTO_FUNCTIONS(FT_RESOLVE_FUNCTION)
    return api;
  }();
  return loaded;
}

}  // namespace ft
