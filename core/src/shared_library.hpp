// A system library opened on first use (dlopen) rather than at start-up.
//
// libcurl and libarchive each pull in a dozen or more shared libraries
// (TLS, HTTP/2, IDN, LDAP, Kerberos, compressors, XML...). Linking them makes
// every program start pay for loading them, even a `filetracker get name@v`
// answered from the cache or a `filetracker cache ls` that never touches the
// network. So core does not link them: libcurl_api.hpp and libarchive_api.hpp
// open them through this class the first time a request or an archive needs
// them, by the soname the build was made against. libcrypto_api.hpp does the
// same for OpenSSL's libcrypto (SHA-256), the largest library left: its
// relocations alone cost a cached get about as much as all of `cp`.
#pragma once

#include <string>

namespace ft {

class SharedLibrary {
 public:
  // Opens `soname` (e.g. "libcurl.so.4"). Throws Error(Unsupported) worded in
  // one line: "cannot load libcurl.so.4 (needed for network access): <why>".
  SharedLibrary(const std::string& soname, const std::string& needed_for);
  ~SharedLibrary();
  SharedLibrary(const SharedLibrary&) = delete;
  SharedLibrary& operator=(const SharedLibrary&) = delete;

  // The address of `name`; throws Error(Unsupported) when the library lacks it
  // (an older version than the one built against).
  void* symbol(const char* name) const;

  // symbol() cast to the type of the function it names, e.g.
  // resolve(api.curl_easy_init, "curl_easy_init").
  template <typename Function>
  void resolve(Function*& into, const char* name) const {
    into = reinterpret_cast<Function*>(symbol(name));
  }

 private:
  std::string soname_;
  std::string needed_for_;
  void* handle_;
};

}  // namespace ft

// For an X-macro list of function names: fills the field of the same name in
// a local `api` from a local `library` (see libcurl_api.cpp).
#define FT_RESOLVE_FUNCTION(name) library.resolve(api.name, #name);
