#include "shared_library.hpp"

#include <dlfcn.h>

#include "filetracker/error.hpp"

namespace ft {

namespace {

std::string last_dl_error() {
  const char* why = dlerror();
  return why ? why : "unknown error";
}

}  // namespace

SharedLibrary::SharedLibrary(const std::string& soname, const std::string& needed_for)
    : soname_(soname), needed_for_(needed_for) {
  // RTLD_NOW: a missing symbol of the library's own dependencies shows here,
  // once, not in the middle of a transfer. RTLD_LOCAL: its symbols serve only
  // the calls made through this object.
  handle_ = dlopen(soname.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle_)
    throw Error(ErrorCode::Unsupported,
                "cannot load " + soname + " (needed for " + needed_for + "): " + last_dl_error());
}

// Never dlclose()d: the libraries are opened once per process (static
// instances), and libcurl and OpenSSL register exit handlers that must still
// find their code when the process ends.
SharedLibrary::~SharedLibrary() = default;

void* SharedLibrary::symbol(const char* name) const {
  dlerror();
  void* address = dlsym(handle_, name);
  if (!address)
    throw Error(ErrorCode::Unsupported,
                "cannot use " + soname_ + " (needed for " + needed_for_ + "): " + last_dl_error());
  return address;
}

}  // namespace ft
