// The HTTP front end of filetracker-server (Boost.Beast on Asio): protocol
// version 2 plus our extensions, HTTP/1.1 keep-alive, a pool of worker
// threads, streamed bodies, timeouts, clean shutdown on SIGTERM/SIGINT.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "filetracker/server/history_policy.hpp"
#include "filetracker/server/principal.hpp"
#include "filetracker/server/storage_backends.hpp"

namespace ft::server {

struct ServerOptions {
  std::filesystem::path data_dir;
  std::string address = "127.0.0.1";
  std::uint16_t port = 9999;
  unsigned workers = 0;  // 0: one per CPU (at least 2)
  // false: behave like the deployed Python server (always gzip, no
  // SHA256-Checksum on GET/HEAD, no JSON listing, checksums trusted,
  // /version advertises no extension).
  bool extensions = true;
  std::uint64_t max_upload_size = 0;  // bytes of request body, and of the content a gzip body inflates to; 0: no limit
  unsigned max_uploads = 1024;         // PUT bodies received at once (more get 503 + Retry-After); 0: no limit
  std::chrono::seconds idle_timeout{60};     // keep-alive connection with no request
  std::chrono::seconds transfer_timeout{60}; // no progress while receiving or sending a body
  int gzip_level = 6;                        // for plain (uncompressed) uploads
  // For plain uploads longer than kBigBody: deflating is then the slowest
  // stage of the upload by far (issue 18: ~2/3 of a 1 GiB PUT at level 6,
  // SHA-256 ~1 %), and level 1 deflates it several times faster.
  static constexpr std::uint64_t kBigBody = 16 << 20;
  int big_gzip_level = 1;
  // Threads that deflate those big plain uploads (a pool shared by all of
  // them, while each connection's thread receives and hashes: the upload
  // takes as long as its slowest stage, not their sum). 0: one per CPU;
  // 1: on the connection's own thread, as before.
  unsigned deflate_threads = 0;
  // Blobs stored (gzip) in at most this many bytes live inside the index:
  // a small PUT is one index commit. 0: every blob is a file. (Storage)
  std::uint64_t inline_max_size = 64 * 1024;
  // Access control (--auth FILE, --anonymous LEVEL): empty auth_file lets
  // everyone in as `anonymous`; with a file, requests without credentials
  // get `anonymous` (nullopt: none with a file, admin without one).
  std::filesystem::path auth_file;
  std::optional<AccessLevel> anonymous;
  // TLS (--tls-cert, --tls-key: PEM files, re-read on SIGHUP). Without
  // tls_port, `port` serves HTTPS only; with it, `port` serves plain HTTP
  // and tls_port HTTPS.
  std::filesystem::path tls_cert;
  std::filesystem::path tls_key;
  std::optional<std::uint16_t> tls_port;
  // Live migration (--fallback-url, --fallback-mode, --fallback-timeout):
  // GET/HEAD of a name missing here goes to the old server at this URL
  // (empty: off), answered with a 307 there (Redirect) or fetched, stored
  // here and answered (Pull). See core/server/src/fallback/fallback.hpp.
  std::string fallback_url;
  enum class FallbackMode { Redirect, Pull } fallback_mode = FallbackMode::Redirect;
  std::chrono::seconds fallback_timeout{30};  // connecting to, or no progress from, the old server
  // Scale-out (--index, --blobs, --blob-cache-size, --blob-grace-period):
  // shared engines instead of the data directory's (which then holds only
  // this server's spool and hot-blob cache).
  StorageBackends backends;
  // Version history (--keep-versions, --keep-for; history_policy.hpp).
  // On (and extensions on): /version advertises "history".
  HistoryPolicy history;
};

// Opens the storage, listens, prints
//   "filetracker-server: listening on http://ADDR:PORT"
// (https:// for TLS; one line per listener, all in one write) on stdout, serves until SIGTERM/SIGINT, lets in-flight requests finish.
// Returns the process exit code. Throws Error on a failure to start.
int run_server(const ServerOptions& options);

}  // namespace ft::server
