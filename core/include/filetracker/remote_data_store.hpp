// The remote store: a DataStore over HTTP (protocol v2, libcurl, synchronous).
//
// Speaks docs/protocol.md to any version-2 server (and, for the basic
// file operations, to a version-1 one). It asks GET /version once, the first
// time a call depends on the answer, and uses our extensions only when the
// server advertises them.
//
// Transfers stream, in bounded memory whatever the file size. An upload needs
// its SHA-256 and its Content-Length before the first byte goes out, so one
// pass over the file hashes it and gzip-compresses it: into memory for small
// files, into an unnamed temp file for large ones (or, without room for that,
// only counting the bytes, then compressing again on the fly while sending;
// see set_spool_uploads). A download is decoded and hashed on the fly into an
// ft::AtomicFile, so a failed, cut-off or corrupt download leaves nothing
// behind. get_stream streams: a worker thread runs the transfer on its own
// libcurl handle and hands decoded chunks to the reader through a bounded
// queue (see get_stream).
//
// One RemoteDataStore keeps one libcurl handle (and so one kept-alive
// connection); it is meant to be used by one thread at a time.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "filetracker/data_store.hpp"
#include "filetracker/find_query.hpp"
#include "filetracker/protocol.hpp"

namespace ft {

// Internal (core/src): the libcurl transport and what it carries.
class CurlTransport;
struct HttpRequest;
struct HttpResponse;

// Makes the HTTP store for a server base URL such as "http://127.0.0.1:9999".
std::unique_ptr<DataStore> make_remote_data_store(std::string_view url);

struct RemoteTimeouts {
  // Establishing the TCP connection (and DNS).
  long connect_ms = 10'000;
  // A transfer that moves no byte for this long is abandoned.
  long stall_seconds = 60;
  // Hard limit for a whole request; 0 = none (large files take as long as they take).
  long total_ms = 0;
  // A busy server (503 with Retry-After, e.g. all of its --max-uploads
  // upload slots taken) is asked again up to this many times, each after
  // the wait it names (plus up to a quarter more, so clients told the same
  // wait do not all come back at once). A wait over `busy_max_wait_ms` is
  // not waited for: the 503 is the answer.
  int busy_retries = 4;
  long busy_max_wait_ms = 10'000;
};

// What a transfer is doing, for progress displays.
enum class TransferPhase {
  Hashing,      // first pass over a file to upload (SHA-256 and compressed size)
  Uploading,    // bytes on the wire, compressed
  Downloading,  // bytes on the wire, as the server sends them
};

// `done`/`total` count bytes; `total` is 0 when unknown.
using TransferProgress = std::function<void(TransferPhase phase, std::uint64_t done, std::uint64_t total)>;

// Who the client is and whom it trusts. Credentials go out with every
// request, unasked (as the Python client sends them): a Bearer token when
// set, else HTTP Basic with user and password, else whatever ~/.netrc has
// for the host (libcurl reads it).
struct RemoteAuth {
  std::string user;
  std::string password;
  std::string token;       // "NAME.SECRET" (filetracker-server passwd prints it)
  bool netrc = true;       // without token and user: look the host up in ~/.netrc
  std::string ca_file;     // https: trust the CAs in this PEM file instead of the system's
  // FILETRACKER_TOKEN, FILETRACKER_USER and FILETRACKER_PASSWORD, FILETRACKER_CACERT.
  static RemoteAuth from_environment();
  // Who the server will see, for messages: the user, the token's name, or "".
  std::string principal() const;
};

// A file in a remote listing. Without the server's JSON listing (and with
// `with_metadata == false`), version and size are 0 and sha256 is empty.
struct RemoteEntry {
  std::string name;  // absolute, unversioned: "/d/a.txt"
  Version version = 0;
  std::uint64_t size = 0;
  std::string sha256;
  bool operator==(const RemoteEntry&) const = default;
};

struct RemoteListing {
  std::string directory;                // the listed directory, absolute
  std::vector<RemoteEntry> files;       // sorted by name
  std::vector<std::string> directories;  // one-level listing only: absolute, sorted
};

class RemoteDataStore : public DataStore {
 public:
  // `base_url`: "http://host:port" (a path prefix is allowed, a trailing '/'
  // is ignored). Throws Error(InvalidArgument) for a URL that is not http(s).
  // Credentials in the URL ("http://judge:s%40cret@host:9999", percent-
  // decoded) win over the environment (RemoteAuth::from_environment); they
  // are taken out of base_url(), so no message ever shows them.
  explicit RemoteDataStore(std::string base_url, RemoteTimeouts timeouts = {});
  ~RemoteDataStore() override;
  RemoteDataStore(const RemoteDataStore&) = delete;
  RemoteDataStore& operator=(const RemoteDataStore&) = delete;

  const std::string& base_url() const { return base_url_; }

  // GET /version, asked once and remembered. A server that answers 404
  // speaks protocol version 1.
  const protocol::ServerInfo& server_info();

  // Called during transfers (from the calling thread). Empty: no reports.
  void set_progress_callback(TransferProgress callback) { progress_ = std::move(callback); }
  // When the flag becomes true, the running transfer stops with
  // Error(Cancelled) and leaves nothing behind. nullptr: not cancellable.
  void set_cancel_flag(const std::atomic<bool>* flag) { cancel_ = flag; }
  void set_timeouts(const RemoteTimeouts& timeouts) { timeouts_ = timeouts; }
  const RemoteAuth& auth() const { return auth_; }
  void set_auth(RemoteAuth auth);
  // https: trust the CAs of this PEM file (--cacert) instead of the system's.
  void set_ca_file(std::string path);
  // Large compressed uploads are compressed once into an unnamed temp file
  // on a disk-backed file system (TMPDIR, /var/tmp or /tmp) when one has
  // room; false (or no room): compressed twice, once to learn the length the
  // protocol needs up front and once while sending. Memory stays bounded
  // either way. Default true.
  void set_spool_uploads(bool spool) { spool_uploads_ = spool; }

  // ---- DataStore ----
  // Copies the stream to a temporary file first (an upload needs its length).
  std::string add_stream(std::string_view name, std::istream& in) override;
  // `compress_hint`: gzip on the client (true) or send the plain bytes and
  // let the server compress (false).
  std::string add_file(std::string_view name, const std::filesystem::path& file,
                       bool compress_hint = true) override;
  bool exists(std::string_view name) override;
  Version file_version(std::string_view name) override;
  // Throws Error(Protocol) when the server does not say (see Head::size).
  std::uint64_t file_size(std::string_view name) override;
  // Streams the content as it arrives: returns once the response headers are
  // in (so the versioned name is known; HTTP errors, a version mismatch and
  // connection failures throw from here, worded as get_file words them). A
  // worker thread with its own libcurl handle receives and gunzips the body
  // into a bounded queue (a few MiB), so a slow reader throttles the network
  // and memory stays bounded; the stall timeout counts only time spent
  // waiting for the server, not for the reader. At the end of the body the
  // Logical-Size and SHA-256 (when sent) are checked: a cut-off, corrupt or
  // mismatching body makes the stream's buffer throw ft::Error from
  // underflow() after the bytes received so far, which std::istream turns
  // into badbit (and rethrows when badbit is in exceptions(), so a caller can
  // get the one-line message). Destroying the stream early cancels the
  // transfer and joins the worker (within about a second). The cancel flag
  // (set_cancel_flag) is honoured by the worker; the progress callback is
  // not called for streams. The store may be used, or destroyed, while a
  // stream is open.
  Stream get_stream(std::string_view name) override;
  std::string get_file(std::string_view name, const std::filesystem::path& destination) override;
  // Without a version in `name`, deletes whatever is stored now.
  void delete_file(std::string_view name) override;
  // Every file on the server (a recursive listing of "/").
  std::vector<FileInfo> list_files() override;

  // ---- Beyond DataStore ----
  // Version and logical size from one HEAD request. Throws Error(NotFound),
  // and Error(Protocol) when Last-Modified is missing or a size is garbage.
  struct Head {
    Version version = 0;
    // The logical size (protocol::decode_file_headers): Logical-Size, or the
    // Content-Length of an uncompressed answer. nullopt: the server did not
    // say (a gzip answer's Content-Length is not the file's size).
    std::optional<std::uint64_t> size;
    std::string sha256;  // empty unless the server sends SHA256-Checksum
  };
  Head head(std::string_view name);

  // Lists `directory` (every file below it when `recursive`, else its
  // immediate files and subdirectories). Uses the server's JSON listing when
  // advertised; otherwise the plain listing, and then, when
  // `with_metadata`, one HEAD per file for version and size.
  // Throws Error(Http 400) for a missing directory, Error(Unsupported) on a
  // version-1 server.
  // `cutoff`: only versions <= it (the listing's last_modified; default:
  // the server's now). kMaxVersion sees everything stored, also a version
  // ahead of the clock (an upload stored as "the stored version + 1").
  RemoteListing list(std::string_view directory, bool recursive = true, bool with_metadata = true,
                     std::optional<Version> cutoff = std::nullopt);

  // Just the names (plain listing), absolute and sorted.
  std::vector<std::string> list_names(std::string_view directory, std::optional<Version> cutoff = std::nullopt);

  // The files below `directory` that match `query` (find_query.hpp), handed
  // to `found` as they come, in name order. With the server's `find`
  // extension: its pages (docs/protocol.md), a few requests for a million
  // names. Else the JSON listing (json-list) or the plain one, matched
  // here, with one HEAD per name that matches the pattern (for version,
  // size and checksum). The cancel flag (set_cancel_flag) is checked between
  // requests as well: Error(Cancelled). A missing `directory` is
  // Error(Http 400), as for list(); a bad pattern Error(InvalidArgument)
  // before any request.
  struct FindResult {
    std::uint64_t matches = 0;
    bool server_side = false;  // evaluated by the server (the find extension)
  };
  FindResult find(std::string_view directory, const FindQuery& query,
                  const std::function<void(const RemoteEntry& entry)>& found);

  // HTTP requests this store has sent (each retry counts): for summaries
  // such as `filetracker sync`'s "N requests".
  std::uint64_t requests_sent() const { return requests_sent_; }

  // Version history (the server's "history" extension; Error(Unsupported)
  // without it). get_file("/a@V") fetches a kept V as well.
  // The versions of `name` (unversioned), newest first; Error(NotFound)
  // when it has none.
  protocol::History history(std::string_view name);
  // Makes `versioned` ("/a@V", a kept version) current again; returns the
  // versioned name it has now (a new, newer version).
  std::string restore(std::string_view versioned);
  // Removes the kept versions of `name` ("/": of every name; admin only);
  // returns how many went.
  std::size_t purge_history(std::string_view name);

 private:
  // One request on this store's transport, with its cancel flag and progress callback.
  HttpResponse perform(HttpRequest& request);
  HttpResponse perform_simple(std::string_view name, const std::string& method, const std::string& target);
  void require_history(std::string_view name);
  std::string upload(std::string_view unversioned, Version version, const std::filesystem::path& file,
                     bool compress, std::string_view display_name);

  std::string base_url_;
  RemoteTimeouts timeouts_;
  RemoteAuth auth_;
  std::unique_ptr<CurlTransport> transport_;  // made on first use
  std::optional<protocol::ServerInfo> server_info_;
  TransferProgress progress_;
  const std::atomic<bool>* cancel_ = nullptr;
  bool spool_uploads_ = true;
  std::uint64_t requests_sent_ = 0;
};

}  // namespace ft
