#include "libarchive_api.hpp"

#include "shared_library.hpp"

#ifndef FT_LIBARCHIVE_SONAME
#define FT_LIBARCHIVE_SONAME "libarchive.so.13"
#endif

namespace ft {

const LibArchive& libarchive() {
  // A throwing initialiser leaves the static unmade: the next call tries
  // again and says the same thing.
  static const LibArchive loaded = [] {
    static const SharedLibrary library(FT_LIBARCHIVE_SONAME, "archives");
    LibArchive api;
    FT_LIBARCHIVE_FUNCTIONS(FT_RESOLVE_FUNCTION)
    return api;
  }();
  return loaded;
}

}  // namespace ft
