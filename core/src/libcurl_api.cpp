#include "libcurl_api.hpp"

#include "shared_library.hpp"

#ifndef FT_LIBCURL_SONAME
#define FT_LIBCURL_SONAME "libcurl.so.4"
#endif

namespace ft {

const LibCurl& libcurl() {
  // A throwing initialiser leaves the static unmade: the next call tries
  // again and says the same thing.
  static const LibCurl loaded = [] {
    static const SharedLibrary library(FT_LIBCURL_SONAME, "network access");
    LibCurl api;
    FT_LIBCURL_FUNCTIONS(FT_RESOLVE_FUNCTION)
    api.curl_global_init(CURL_GLOBAL_DEFAULT);
    return api;
  }();
  return loaded;
}

}  // namespace ft
