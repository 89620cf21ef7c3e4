// The part of libcurl core uses, opened on first use (shared_library.hpp says
// why). Call it as libcurl().curl_easy_perform(h); the names and types are
// libcurl's own, taken from <curl/curl.h>, so a call reads as the plain one.
#pragma once

#include <curl/curl.h>

namespace ft {

#define FT_LIBCURL_FUNCTIONS(X) \
  X(curl_global_init)           \
  X(curl_easy_init)             \
  X(curl_easy_cleanup)          \
  X(curl_easy_reset)            \
  X(curl_easy_setopt)           \
  X(curl_easy_perform)          \
  X(curl_easy_getinfo)          \
  X(curl_easy_strerror)         \
  X(curl_slist_append)          \
  X(curl_slist_free_all)

struct LibCurl {
#define FT_LIBCURL_FIELD(name) decltype(&::name) name = nullptr;
  FT_LIBCURL_FUNCTIONS(FT_LIBCURL_FIELD)
#undef FT_LIBCURL_FIELD
};

// libcurl, loaded and curl_global_init()ed the first time (thread-safe).
// Throws Error(Unsupported) in one line when it cannot be loaded, and again on
// every later call.
const LibCurl& libcurl();

}  // namespace ft
