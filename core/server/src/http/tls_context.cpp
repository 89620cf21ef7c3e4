#include "http/tls_context.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "filetracker/error.hpp"
#include "filetracker/server/log.hpp"

namespace ssl = boost::asio::ssl;

namespace ft::server {
namespace {

std::string openssl_reason() {
  unsigned long code = ERR_get_error();
  std::string reason;
  while (code) {
    char buffer[256];
    ERR_error_string_n(code, buffer, sizeof buffer);
    reason = buffer;  // the last one is the most specific
    code = ERR_get_error();
  }
  return reason.empty() ? "unknown OpenSSL error" : reason;
}

}  // namespace

std::shared_ptr<ssl::context> TlsContext::load(const std::filesystem::path& cert, const std::filesystem::path& key) {
  auto context = std::make_shared<ssl::context>(ssl::context::tls_server);
  SSL_CTX* native = context->native_handle();
  ERR_clear_error();
  // TLS 1.2 and 1.3 only; no compression, no renegotiation by the client.
  SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION);
  SSL_CTX_set_options(native, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  if (SSL_CTX_use_certificate_chain_file(native, cert.c_str()) != 1)
    throw Error(ErrorCode::InvalidArgument, "--tls-cert " + cert.string() + ": " + openssl_reason());
  if (SSL_CTX_use_PrivateKey_file(native, key.c_str(), SSL_FILETYPE_PEM) != 1) {
    if (ERR_GET_REASON(ERR_peek_last_error()) == X509_R_KEY_VALUES_MISMATCH)
      throw Error(ErrorCode::InvalidArgument, "--tls-key " + key.string() + " does not belong to --tls-cert " +
                                                  cert.string() + ": " + openssl_reason());
    throw Error(ErrorCode::InvalidArgument, "--tls-key " + key.string() + ": " + openssl_reason());
  }
  if (SSL_CTX_check_private_key(native) != 1)
    throw Error(ErrorCode::InvalidArgument,
                "--tls-key " + key.string() + " does not belong to --tls-cert " + cert.string() + ": " + openssl_reason());
  return context;
}

TlsContext::TlsContext(std::filesystem::path cert, std::filesystem::path key)
    : cert_(std::move(cert)), key_(std::move(key)), context_(load(cert_, key_)) {}

std::shared_ptr<ssl::context> TlsContext::current() const {
  std::lock_guard lock(mutex_);
  return context_;
}

bool TlsContext::reload() {
  try {
    auto fresh = load(cert_, key_);
    {
      std::lock_guard lock(mutex_);
      context_ = std::move(fresh);
    }
    log_message(LogLevel::Info, "reloaded the TLS certificate " + cert_.string());
    return true;
  } catch (const std::exception& e) {
    log_message(LogLevel::Error, std::string("TLS certificate not reloaded, keeping the previous one: ") + e.what());
    return false;
  }
}

}  // namespace ft::server
