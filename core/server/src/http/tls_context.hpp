// The server's TLS settings (--tls-cert, --tls-key): an OpenSSL context for
// TLS 1.2 and newer, made from PEM files, replaced as a whole on SIGHUP.
// Each new connection takes the context current at its accept and keeps it
// (a reload never touches an established connection).
#pragma once

#include <filesystem>
#include <memory>
#include <mutex>
#include <utility>  // before Asio 1.74: its awaitable.hpp needs std::exchange
#include <boost/asio/ssl/context.hpp>

namespace ft::server {

class TlsContext {
 public:
  // Loads the certificate chain and the key. Throws Error(InvalidArgument)
  // naming the file and OpenSSL's reason when either is unusable or they do
  // not match.
  TlsContext(std::filesystem::path cert, std::filesystem::path key);

  std::shared_ptr<boost::asio::ssl::context> current() const;
  // SIGHUP: loads the files again; on failure logs an error and keeps the
  // current context. Returns whether it took.
  bool reload();

 private:
  static std::shared_ptr<boost::asio::ssl::context> load(const std::filesystem::path& cert,
                                                          const std::filesystem::path& key);
  std::filesystem::path cert_;
  std::filesystem::path key_;
  mutable std::mutex mutex_;
  std::shared_ptr<boost::asio::ssl::context> context_;
};

}  // namespace ft::server
