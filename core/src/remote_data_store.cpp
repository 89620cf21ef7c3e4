#include "filetracker/remote_data_store.hpp"

#include <curl/curl.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <exception>
#include <fstream>
#include <future>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "filetracker/atomic_file.hpp"
#include "filetracker/checksum.hpp"
#include "filetracker/download_body.hpp"
#include "filetracker/error.hpp"
#include "filetracker/gzip.hpp"
#include "filetracker/name.hpp"
#include "filetracker/upload_body.hpp"

namespace ft {

namespace {

constexpr std::size_t kReadChunk = 1 << 16;
// Uploads up to this size are compressed once, into memory, during the
// hashing pass; bigger ones are compressed twice (once to learn the
// Content-Length the protocol requires, once while sending) so memory stays
// bounded whatever the file size.
constexpr std::uint64_t kInMemoryCompressLimit = 8u << 20;
// Error bodies are read for diagnostics only; never keep more than this.
constexpr std::size_t kMaxErrorBody = 64 << 10;
// Plain and JSON listings are kept in memory; refuse absurd ones.
constexpr std::size_t kMaxListingBody = std::size_t{1} << 30;

Version now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
    s.remove_suffix(1);
  return s;
}

void ensure_curl_initialised() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// A file read with plain POSIX calls; closes itself.
class InputFile {
 public:
  explicit InputFile(const std::filesystem::path& path) : path_(path) {
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) throw_errno(path.string());
    struct stat st {};
    if (::fstat(fd_, &st) != 0) throw_errno(path.string());
    if (S_ISDIR(st.st_mode)) throw Error(ErrorCode::Io, path.string() + ": is a directory");
  }
  // Takes ownership of an open descriptor; `label` names it in errors.
  InputFile(int fd, std::filesystem::path label) : path_(std::move(label)), fd_(fd) {}
  ~InputFile() {
    if (fd_ >= 0) ::close(fd_);
  }
  InputFile(const InputFile&) = delete;
  InputFile& operator=(const InputFile&) = delete;

  // Returns 0 at the end of the file.
  std::size_t read(char* buffer, std::size_t size) {
    for (;;) {
      ssize_t n = ::read(fd_, buffer, size);
      if (n >= 0) return static_cast<std::size_t>(n);
      if (errno != EINTR) throw_errno(path_.string() + ": read failed");
    }
  }
  void rewind() {
    if (::lseek(fd_, 0, SEEK_SET) != 0) throw_errno(path_.string() + ": cannot seek");
  }
  int fd() const { return fd_; }

 private:
  std::filesystem::path path_;
  int fd_ = -1;
};

// What an upload sends: either bytes already in memory, or a file read (and
// gzip-compressed, when asked) chunk by chunk while curl pulls it.
class UploadSource {
 public:
  // In-memory body.
  explicit UploadSource(std::string body) : memory_(std::move(body)), in_memory_(true) {}
  // Streamed body from `path`.
  UploadSource(const std::filesystem::path& path, bool compress) : compress_(compress) {
    file_ = std::make_unique<InputFile>(path);
    if (compress_) encoder_ = std::make_unique<GzipEncoder>();
  }
  // Streamed body from an open file, sent as it is.
  explicit UploadSource(std::unique_ptr<InputFile> file) : file_(std::move(file)) { file_->rewind(); }

  std::size_t read(char* out, std::size_t size) {
    if (in_memory_) {
      std::size_t n = std::min(size, memory_.size() - memory_pos_);
      std::memcpy(out, memory_.data() + memory_pos_, n);
      memory_pos_ += n;
      return n;
    }
    if (!compress_) return file_->read(out, size);
    while (pending_pos_ == pending_.size() && !finished_) {
      pending_.clear();
      pending_pos_ = 0;
      char chunk[kReadChunk];
      std::size_t n = file_->read(chunk, sizeof chunk);
      auto sink = [this](std::string_view produced) { pending_.append(produced); };
      if (n == 0) {
        encoder_->finish(sink);
        finished_ = true;
      } else {
        encoder_->write(std::string_view(chunk, n), sink);
      }
    }
    std::size_t n = std::min(size, pending_.size() - pending_pos_);
    std::memcpy(out, pending_.data() + pending_pos_, n);
    pending_pos_ += n;
    return n;
  }

  // Back to the first byte (curl asks when it resends on a fresh connection).
  void rewind() {
    if (in_memory_) {
      memory_pos_ = 0;
      return;
    }
    file_->rewind();
    if (compress_) encoder_ = std::make_unique<GzipEncoder>();
    pending_.clear();
    pending_pos_ = 0;
    finished_ = false;
  }

 private:
  std::string memory_;
  std::size_t memory_pos_ = 0;
  bool in_memory_ = false;
  bool compress_ = false;
  std::unique_ptr<InputFile> file_;
  std::unique_ptr<GzipEncoder> encoder_;
  std::string pending_;
  std::size_t pending_pos_ = 0;
  bool finished_ = false;
};

// An unnamed temporary file on a disk-backed file system with room for
// `bytes`, to hold the compressed form of a large upload so it is compressed
// once. Returns -1 when there is no such place (then the upload compresses
// twice instead; memory stays bounded either way).
int open_spool_file(std::uint64_t bytes) {
  std::vector<std::string> candidates;
  if (const char* tmpdir = std::getenv("TMPDIR"); tmpdir && *tmpdir) candidates.emplace_back(tmpdir);
  candidates.emplace_back("/var/tmp");
  candidates.emplace_back("/tmp");
  for (const auto& dir : candidates) {
    struct statfs fs {};
    struct statvfs vfs {};
    if (::statfs(dir.c_str(), &fs) != 0 || ::statvfs(dir.c_str(), &vfs) != 0) continue;
    if (fs.f_type == TMPFS_MAGIC || fs.f_type == RAMFS_MAGIC) continue;  // that would be memory
    std::uint64_t available = static_cast<std::uint64_t>(vfs.f_bavail) * vfs.f_frsize;
    if (available < bytes + bytes / 8 + (64u << 20)) continue;
    int fd = ::open(dir.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd >= 0) return fd;
    std::string pattern = dir + "/filetracker-spool-XXXXXX";
    fd = ::mkstemp(pattern.data());
    if (fd >= 0) {
      ::unlink(pattern.c_str());
      return fd;
    }
  }
  return -1;
}

void write_fd(int fd, std::string_view data, const char* what) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_errno(std::string(what) + ": cannot write the compressed upload to a temporary file");
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
}

}  // namespace

// ---------------------------------------------------------------------------

struct RemoteDataStore::Curl {
  CURL* handle = nullptr;
  char errbuf[CURL_ERROR_SIZE] = {};
  Curl() {
    ensure_curl_initialised();
    handle = curl_easy_init();
    if (!handle) throw Error(ErrorCode::Network, "cannot initialise libcurl");
  }
  ~Curl() { curl_easy_cleanup(handle); }
};

struct RemoteDataStore::Response {
  long status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // names lowercased
  std::string body;                                           // error bodies, small answers
  std::uint64_t body_bytes = 0;

  const std::string* header(std::string_view lowercase_name) const {
    for (const auto& [k, v] : headers)
      if (k == lowercase_name) return &v;
    return nullptr;
  }
  bool ok() const { return status >= 200 && status < 300; }
};

struct RemoteDataStore::Request {
  std::string name;  // what error messages are about
  std::string method = "GET";
  std::string target;
  std::vector<std::string> headers;
  UploadSource* upload = nullptr;
  std::uint64_t upload_size = 0;
  // Receives the body of a 2xx answer chunk by chunk (the first call sees
  // the status and headers). Null: the body is kept in Response::body, up to
  // `max_body` bytes.
  std::function<void(const Response&, std::string_view)> body_sink;
  std::size_t max_body = kMaxErrorBody;
  TransferPhase phase = TransferPhase::Downloading;
  // Called once the headers of the final answer (any status) are in; may throw
  // to abort the transfer.
  std::function<void(const Response&)> on_headers;
  // Called with the bytes received so far each time curl reports progress;
  // may throw to abort the transfer.
  std::function<void(std::uint64_t)> on_tick;
  // false: curl's own stall check is off (the caller's on_tick does it).
  bool curl_stall_check = true;
  const std::atomic<bool>* cancel = nullptr;
  const TransferProgress* progress = nullptr;

  // Filled during the transfer.
  Response response;
  std::exception_ptr failure;
  bool cancelled = false;
  bool body_too_big = false;
  std::uint64_t uploaded = 0;
};

// The C callbacks curl calls; a friend of RemoteDataStore so they can reach
// its private request types.
struct RemoteDataStoreCallbacks {
  using Request = RemoteDataStore::Request;

  static std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
    auto* request = static_cast<Request*>(user);
    std::string_view line = trim(std::string_view(data, size * count));
    if (line.empty()) {
      // The end of a header block; the final one once the status is >= 200.
      if (request->response.status >= 200 && request->on_headers) {
        try {
          request->on_headers(request->response);
        } catch (...) {
          request->failure = std::current_exception();
          return 0;
        }
      }
    } else if (line.substr(0, 5) == "HTTP/") {
      // A new status line (e.g. after "100 Continue"): forget what came before.
      request->response.headers.clear();
      auto space = line.find(' ');
      if (space != std::string_view::npos) {
        auto code = protocol::parse_uint(line.substr(space + 1, 3));
        request->response.status = code ? static_cast<long>(*code) : 0;
      }
    } else if (auto colon = line.find(':'); colon != std::string_view::npos) {
      request->response.headers.emplace_back(lower(trim(line.substr(0, colon))),
                                             std::string(trim(line.substr(colon + 1))));
    }
    return size * count;
  }

  static std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
    auto* request = static_cast<Request*>(user);
    std::size_t n = size * count;
    auto& response = request->response;
    response.body_bytes += n;
    if (response.ok() && request->body_sink) {
      try {
        request->body_sink(response, std::string_view(data, n));
      } catch (...) {
        request->failure = std::current_exception();
        return 0;  // makes curl stop with CURLE_WRITE_ERROR
      }
      return n;
    }
    std::size_t limit = response.ok() ? request->max_body : kMaxErrorBody;
    if (response.body.size() + n > limit) {
      if (response.ok()) {
        request->body_too_big = true;
        return 0;
      }
      return n;  // an error body: keep its start, drop the rest
    }
    response.body.append(data, n);
    return n;
  }

  static std::size_t on_read(char* buffer, std::size_t size, std::size_t count, void* user) {
    auto* request = static_cast<Request*>(user);
    try {
      std::size_t n = request->upload->read(buffer, size * count);
      request->uploaded += n;
      // The body must be exactly as long as announced: a file that changed
      // between the hashing pass and now must not go out under its old hash.
      if (request->uploaded > request->upload_size || (n == 0 && request->uploaded != request->upload_size))
        throw Error(ErrorCode::Io, request->name + ": the file changed while it was being uploaded");
      return n;
    } catch (...) {
      request->failure = std::current_exception();
      return CURL_READFUNC_ABORT;
    }
  }

  static int on_seek(void* user, curl_off_t offset, int origin) {
    auto* request = static_cast<Request*>(user);
    if (offset != 0 || origin != SEEK_SET) return CURL_SEEKFUNC_CANTSEEK;
    try {
      request->upload->rewind();
      request->uploaded = 0;
    } catch (...) {
      return CURL_SEEKFUNC_FAIL;
    }
    return CURL_SEEKFUNC_OK;
  }

  static int on_progress(void* user, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow) {
    auto* request = static_cast<Request*>(user);
    if (request->cancel && request->cancel->load()) {
      request->cancelled = true;
      return 1;
    }
    if (request->on_tick) {
      try {
        request->on_tick(static_cast<std::uint64_t>(dlnow));
      } catch (...) {
        request->failure = std::current_exception();
        return 1;
      }
    }
    if (request->progress && *request->progress) {
      const TransferProgress& progress = *request->progress;
      try {
        if (request->phase == TransferPhase::Uploading)
          progress(TransferPhase::Uploading, static_cast<std::uint64_t>(ulnow), static_cast<std::uint64_t>(ultotal));
        else
          progress(request->phase, static_cast<std::uint64_t>(dlnow), static_cast<std::uint64_t>(dltotal));
      } catch (...) {
        // A progress display must never break a transfer.
      }
    }
    return 0;
  }
};

// ---------------------------------------------------------------------------

std::unique_ptr<DataStore> make_remote_data_store(std::string_view url) {
  return std::make_unique<RemoteDataStore>(std::string(url));
}

RemoteDataStore::RemoteDataStore(std::string base_url, RemoteTimeouts timeouts)
    : base_url_(std::move(base_url)), timeouts_(timeouts) {
  while (!base_url_.empty() && base_url_.back() == '/') base_url_.pop_back();
  auto scheme_end = base_url_.find("://");
  std::string scheme = scheme_end == std::string::npos ? "" : lower(base_url_.substr(0, scheme_end));
  if ((scheme != "http" && scheme != "https") || base_url_.size() <= scheme_end + 3)
    throw Error(ErrorCode::InvalidArgument,
                "invalid server URL \"" + base_url_ + "\": expected http://HOST[:PORT]");
}

RemoteDataStore::~RemoteDataStore() = default;

RemoteDataStore::Response RemoteDataStore::perform(Request& request) {
  if (!curl_) curl_ = std::make_unique<Curl>();  // lazily: a cached get never needs libcurl
  request.cancel = cancel_;
  request.progress = &progress_;
  return perform_on(*curl_, base_url_, timeouts_, request);
}

RemoteDataStore::Response RemoteDataStore::perform_on(Curl& curl, const std::string& base_url,
                                                      const RemoteTimeouts& timeouts, Request& request) {
  CURL* h = curl.handle;
  // Reset keeps the connection cache: consecutive requests reuse the socket.
  curl_easy_reset(h);
  request.response = Response{};
  request.uploaded = 0;
  curl.errbuf[0] = '\0';
  std::string url = base_url + request.target;
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, curl.errbuf);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, timeouts.connect_ms);
  if (timeouts.stall_seconds > 0 && request.curl_stall_check) {
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, timeouts.stall_seconds);
  }
  if (timeouts.total_ms > 0) curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, timeouts.total_ms);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, &RemoteDataStoreCallbacks::on_header);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &request);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &RemoteDataStoreCallbacks::on_body);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &request);
  curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, &RemoteDataStoreCallbacks::on_progress);
  curl_easy_setopt(h, CURLOPT_XFERINFODATA, &request);

  curl_slist* headers = nullptr;
  for (const auto& header : request.headers) headers = curl_slist_append(headers, header.c_str());
  if (request.method == "HEAD") {
    curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
  } else if (request.method == "PUT") {
    curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(h, CURLOPT_READFUNCTION, &RemoteDataStoreCallbacks::on_read);
    curl_easy_setopt(h, CURLOPT_READDATA, &request);
    curl_easy_setopt(h, CURLOPT_SEEKFUNCTION, &RemoteDataStoreCallbacks::on_seek);
    curl_easy_setopt(h, CURLOPT_SEEKDATA, &request);
    curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(request.upload_size));
    // No "Expect: 100-continue" round trip: servers of the seed never answer it.
    headers = curl_slist_append(headers, "Expect:");
  } else if (request.method != "GET") {
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  }
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);

  CURLcode rc = curl_easy_perform(h);
  long os_errno = 0;
  curl_easy_getinfo(h, CURLINFO_OS_ERRNO, &os_errno);
  long status = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, nullptr);
  curl_slist_free_all(headers);
  if (status) request.response.status = status;

  if (request.failure) std::rethrow_exception(request.failure);
  const std::string& subject = request.name.empty() ? base_url : request.name;
  if (request.cancelled || rc == CURLE_ABORTED_BY_CALLBACK) throw Error(ErrorCode::Cancelled, subject + ": cancelled");
  if (request.body_too_big)
    throw Error(ErrorCode::Protocol, subject + ": the server's answer is unreasonably large");
  if (rc == CURLE_OK) return std::move(request.response);

  std::string detail = curl.errbuf[0] ? curl.errbuf : curl_easy_strerror(rc);
  switch (rc) {
    case CURLE_COULDNT_CONNECT:
      throw Error(ErrorCode::Network, subject + ": cannot connect to " + base_url + ": " +
                                          (os_errno ? std::strerror(static_cast<int>(os_errno)) : detail));
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
      throw Error(ErrorCode::Network, subject + ": cannot resolve the server's host name in " + base_url);
    case CURLE_OPERATION_TIMEDOUT:
      throw Error(ErrorCode::Network, subject + ": " + base_url + " timed out (" + detail + ")");
    case CURLE_PARTIAL_FILE:
      throw Error(ErrorCode::Network, subject + ": the download was cut off (" + detail + ")");
    case CURLE_GOT_NOTHING:
      throw Error(ErrorCode::Network, subject + ": " + base_url + " closed the connection without answering");
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
      throw Error(ErrorCode::Network, subject + ": connection to " + base_url + " lost (" + detail + ")");
    case CURLE_URL_MALFORMAT:
      throw Error(ErrorCode::InvalidArgument, subject + ": invalid server URL " + base_url);
    default:
      throw Error(ErrorCode::Network, subject + ": " + detail);
  }
}

RemoteDataStore::Response RemoteDataStore::perform_simple(std::string_view name, const std::string& method,
                                                          const std::string& target,
                                                          std::vector<std::string> headers) {
  Request request;
  request.name = std::string(name);
  request.method = method;
  request.target = target;
  request.headers = std::move(headers);
  return perform(request);
}

void RemoteDataStore::throw_http_error(std::string_view name, const Response& response) {
  const std::string* header = response.header(lower(protocol::kXException));
  std::string_view reason = header ? std::string_view(*header) : std::string_view();
  // Servers often start the reason with the name; the message names it already.
  if (const std::string prefix = std::string(split_name(name).name) + ": ";
      reason.size() > prefix.size() && reason.substr(0, prefix.size()) == prefix)
    reason.remove_prefix(prefix.size());
  std::string message = protocol::describe_http_error(name, static_cast<int>(response.status), reason);
  int status = static_cast<int>(response.status);
  throw Error(status == 404 ? ErrorCode::NotFound : ErrorCode::Http, message, status);
}

const protocol::ServerInfo& RemoteDataStore::server_info() {
  if (!server_info_) {
    Response response = perform_simple(base_url_, "GET", std::string(protocol::kVersionTarget));
    if (response.status != 200 && response.status != 404) {
      const std::string* reason = response.header(lower(protocol::kXException));
      throw Error(ErrorCode::Http,
                  protocol::describe_http_error(base_url_ + "/version", static_cast<int>(response.status),
                                                reason ? std::string_view(*reason) : std::string_view()),
                  static_cast<int>(response.status));
    }
    server_info_ = protocol::parse_version_response(static_cast<int>(response.status), response.body);
  }
  return *server_info_;
}

namespace {

Version required_last_modified(const std::string* header, std::string_view name) {
  if (!header) throw Error(ErrorCode::Protocol, std::string(name) + ": the server sent no Last-Modified");
  auto version = protocol::parse_http_date(*header);
  if (!version)
    throw Error(ErrorCode::Protocol, std::string(name) + ": the server sent an invalid Last-Modified: " + *header);
  return *version;
}

}  // namespace

// ---- Upload ----------------------------------------------------------------

std::string RemoteDataStore::add_file(std::string_view name, const std::filesystem::path& file, bool compress_hint) {
  SplitName split = parse_name(name);
  Version version = split.version ? *split.version : now_seconds();
  return upload(split.name, version, file, compress_hint, name);
}

std::string RemoteDataStore::add_stream(std::string_view name, std::istream& in) {
  parse_name(name);
  // The protocol needs Content-Length up front: spool to an unnamed-ish temp file.
  std::error_code ec;
  auto dir = std::filesystem::temp_directory_path(ec);
  if (ec) dir = "/tmp";
  std::string pattern = (dir / "filetracker-upload-XXXXXX").string();
  int fd = ::mkstemp(pattern.data());
  if (fd < 0) throw_errno(pattern + ": cannot create temporary file");
  struct Cleanup {
    std::string path;
    int fd;
    ~Cleanup() {
      if (fd >= 0) ::close(fd);
      ::unlink(path.c_str());
    }
  } cleanup{pattern, fd};
  char buffer[kReadChunk];
  while (in) {
    in.read(buffer, sizeof buffer);
    std::streamsize n = in.gcount();
    for (std::streamsize off = 0; off < n;) {
      ssize_t w = ::write(fd, buffer + off, static_cast<std::size_t>(n - off));
      if (w < 0) {
        if (errno == EINTR) continue;
        throw_errno(pattern + ": write failed");
      }
      off += w;
    }
  }
  if (in.bad()) throw Error(ErrorCode::Io, std::string(name) + ": reading the stream to upload failed");
  return add_file(name, pattern, true);
}

std::string RemoteDataStore::upload(std::string_view unversioned, Version version, const std::filesystem::path& file,
                                    bool compress, std::string_view display_name) {
  const auto& info = server_info();
  bool v1 = info.protocol_version < 2;
  if (v1) compress = false;  // version 1 knows no gzip

  // Pass 1: checksum, logical size and (when compressing) the compressed
  // form: kept in memory for small files, spooled to an unnamed temp file for
  // large ones, or, without room for that, only counted (and then compressed
  // again while sending).
  std::string sha;
  std::uint64_t logical_size = 0;
  std::uint64_t compressed_size = 0;
  std::string compressed_in_memory;
  std::unique_ptr<InputFile> spool;
  bool in_memory = false;
  {
    InputFile input(file);
    struct stat st {};
    std::uint64_t expected = ::stat(file.c_str(), &st) == 0 ? static_cast<std::uint64_t>(st.st_size) : 0;
    in_memory = compress && expected <= kInMemoryCompressLimit;
    if (compress && !in_memory && spool_uploads_) {
      int fd = open_spool_file(expected);
      if (fd >= 0) spool = std::make_unique<InputFile>(fd, "temporary spool file");
    }
    const std::string label(display_name);
    UploadBodyOptions options;
    options.label = label;
    options.source = file.string();
    options.compress = compress;
    options.compressed = [&](std::string_view produced) {
      if (in_memory)
        compressed_in_memory.append(produced);
      else if (spool)
        write_fd(spool->fd(), produced, label.c_str());
    };
    options.hash_in_parallel = compress && !in_memory;
    options.cancel = cancel_;
    if (progress_ && !in_memory)
      options.progress = [this](std::uint64_t done, std::uint64_t total) {
        progress_(TransferPhase::Hashing, done, total);
      };
    options.total = expected;
    UploadBodyDigest digest = prepare_upload_body(input.fd(), options);
    sha = std::move(digest.sha256);
    logical_size = digest.logical_size;
    compressed_size = digest.compressed_size;
  }

  std::unique_ptr<UploadSource> source;
  Request request;
  request.name = std::string(display_name);
  request.method = "PUT";
  request.phase = TransferPhase::Uploading;
  if (v1) {
    request.target = "/files" + protocol::encode_path(unversioned);
    request.headers.push_back(std::string(protocol::kLastModified) + ": " + protocol::format_http_date(version));
  } else {
    request.target = protocol::files_target(unversioned, version);
  }
  request.headers.push_back("Content-Type: application/octet-stream");
  request.headers.push_back(std::string(protocol::kSha256Checksum) + ": " + sha);
  request.headers.push_back(std::string(protocol::kLogicalSize) + ": " + std::to_string(logical_size));
  if (compress) {
    request.headers.push_back(std::string(protocol::kContentEncoding) + ": gzip");
    request.upload_size = compressed_size;
    if (in_memory)
      source = std::make_unique<UploadSource>(std::move(compressed_in_memory));
    else if (spool)
      source = std::make_unique<UploadSource>(std::move(spool));
    else
      source = std::make_unique<UploadSource>(file, true);
  } else {
    request.upload_size = logical_size;
    source = std::make_unique<UploadSource>(file, false);
  }
  request.upload = source.get();

  Response response = perform(request);
  if (!response.ok()) throw_http_error(display_name, response);
  Version stored = required_last_modified(response.header("last-modified"), display_name);
  return versioned_name(unversioned, stored);
}

// ---- HEAD ------------------------------------------------------------------

RemoteDataStore::Head RemoteDataStore::head(std::string_view name) {
  SplitName split = parse_name(name);
  Response response = perform_simple(name, "HEAD", protocol::files_target(split.name));
  if (!response.ok()) throw_http_error(name, response);
  Head head;
  head.version = required_last_modified(response.header("last-modified"), name);
  const std::string* size = response.header("logical-size");
  if (!size) size = response.header("content-length");
  if (size) {
    auto parsed = protocol::parse_uint(*size);
    if (!parsed) throw Error(ErrorCode::Protocol, std::string(name) + ": the server sent an invalid size: " + *size);
    head.size = *parsed;
  }
  if (const std::string* sha = response.header("sha256-checksum"); sha && protocol::is_sha256_hex(*sha))
    head.sha256 = lower(*sha);
  return head;
}

bool RemoteDataStore::exists(std::string_view name) {
  SplitName split = parse_name(name);
  try {
    Head h = head(name);
    return !split.version || *split.version == h.version;
  } catch (const Error& e) {
    if (e.code() == ErrorCode::NotFound) return false;
    throw;
  }
}

Version RemoteDataStore::file_version(std::string_view name) { return head(name).version; }

std::uint64_t RemoteDataStore::file_size(std::string_view name) { return head(name).size; }

// ---- Download ----------------------------------------------------------------

namespace {

// What the headers of a 2xx answer to GET /files promise about the body.
DownloadBody::Expectation expectation_of(const std::string* encoding, const std::string* sha,
                                         const std::string* size, const std::string& subject) {
  DownloadBody::Expectation expect;
  if (encoding) {
    std::string e = lower(*encoding);
    if (e == "gzip" || e == "x-gzip")
      expect.gzip = true;
    else if (!e.empty() && e != "identity")
      throw Error(ErrorCode::Protocol, subject + ": unsupported Content-Encoding: " + *encoding);
  }
  if (sha && protocol::is_sha256_hex(*sha)) expect.sha256 = lower(*sha);
  if (size) expect.logical_size = protocol::parse_uint(*size);
  return expect;
}

// The Last-Modified of an answer, checked against the version asked for.
Version checked_version(const std::string* last_modified, const SplitName& split, const std::string& subject) {
  Version remote_version = required_last_modified(last_modified, subject);
  if (split.version && *split.version != remote_version)
    throw Error(ErrorCode::NotFound,
                subject + ": version " + std::to_string(*split.version) + " is not available; the server has " +
                    std::to_string(remote_version),
                404);
  return remote_version;
}

// Throws when the received body does not match what the headers promised.
void check_received(const std::string& subject, DownloadBody::Mismatch mismatch,
                    const DownloadBody::Expectation& expected, std::uint64_t logical_size, const std::string& sha256) {
  switch (mismatch) {
    case DownloadBody::Mismatch::Size:
      throw Error(ErrorCode::Network, subject + ": the download was cut off: got " + std::to_string(logical_size) +
                                          " of " + std::to_string(*expected.logical_size) + " bytes");
    case DownloadBody::Mismatch::Checksum:
      throw Error(ErrorCode::ChecksumMismatch,
                  subject + ": the downloaded content does not match its SHA-256 checksum (expected " +
                      expected.sha256 + ", got " + sha256 + ")");
    case DownloadBody::Mismatch::None:
      break;
  }
}

}  // namespace

std::string RemoteDataStore::get_file(std::string_view name, const std::filesystem::path& destination) {
  SplitName split = parse_name(name);
  std::string subject(name);

  std::unique_ptr<DownloadBody> body;
  Version remote_version = 0;
  bool started = false;

  // Sees the headers once, before the first byte of the body.
  auto start = [&](const Response& response) {
    started = true;
    remote_version = checked_version(response.header("last-modified"), split, subject);
    body = std::make_unique<DownloadBody>(
        destination, expectation_of(response.header("content-encoding"), response.header("sha256-checksum"),
                                    response.header("logical-size"), subject));
  };

  Request request;
  request.name = subject;
  request.target = protocol::files_target(split.name);
  request.headers.push_back(std::string(protocol::kAcceptEncoding) + ": gzip");
  request.phase = TransferPhase::Downloading;
  request.body_sink = [&](const Response& response, std::string_view data) {
    if (!started) start(response);
    try {
      body->write(data);
    } catch (const Error& e) {
      if (e.code() == ErrorCode::Protocol) throw Error(ErrorCode::Protocol, subject + ": " + e.what());
      throw;
    }
  };

  Response response = perform(request);
  if (!response.ok()) throw_http_error(subject, response);
  if (!started) start(response);  // an empty body never reaches the sink
  try {
    body->finish();
  } catch (const Error& e) {
    throw Error(ErrorCode::Network, subject + ": the download was cut off (" + e.what() + ")");
  }
  check_received(subject, body->mismatch(), body->expectation(), body->logical_size(), body->sha256());
  body->commit();
  return versioned_name(split.name, remote_version);
}

// ---- Streamed download -----------------------------------------------------------

// The reader's end of a streamed download. A worker thread runs the GET on
// its own curl handle, gunzips and hashes the body, and queues the plain
// bytes; underflow() hands them out. The queue holds at most about
// kStreamQueueLimit bytes: the worker blocks (and curl stops reading the
// socket, so TCP throttles the server) until the reader catches up.
class RemoteDataStore::StreamBuf : public std::streambuf {
 public:
  static constexpr std::size_t kStreamQueueLimit = 4u << 20;
  static constexpr std::size_t kMaxPiece = 256u << 10;

  StreamBuf(std::string base_url, RemoteTimeouts timeouts, const std::atomic<bool>* cancel, std::string subject,
            SplitName split)
      : subject_(std::move(subject)) {
    worker_ = std::thread([this, base_url = std::move(base_url), timeouts, cancel, split = std::move(split)] {
      run(base_url, timeouts, cancel, split);
    });
  }

  ~StreamBuf() override {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    changed_.notify_all();
    worker_.join();
  }
  StreamBuf(const StreamBuf&) = delete;
  StreamBuf& operator=(const StreamBuf&) = delete;

  // Waits for the answer's headers; returns the versioned name or throws what
  // get_file would throw for the same answer.
  std::string wait_for_headers() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [this] { return headers_ready_ || done_; });
    if (http_error_) {
      Response response = *http_error_;
      lock.unlock();
      throw_http_error(subject_, response);
    }
    if (!headers_ready_ && error_) std::rethrow_exception(error_);
    if (!headers_ready_) throw Error(ErrorCode::Protocol, subject_ + ": the server's answer has no headers");
    return versioned_name_;
  }

 protected:
  int_type underflow() override {
    if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
    std::unique_lock lock(mutex_);
    current_.clear();
    setg(nullptr, nullptr, nullptr);
    changed_.wait(lock, [this] { return !queue_.empty() || done_; });
    if (!queue_.empty()) {
      current_ = std::move(queue_.front());
      queue_.pop_front();
      queued_ -= current_.size();
      lock.unlock();
      changed_.notify_all();
      setg(current_.data(), current_.data(), current_.data() + current_.size());
      return traits_type::to_int_type(*gptr());
    }
    // Everything received was handed out; a failure now means the content is
    // incomplete or wrong: say so rather than end as if complete.
    if (error_) std::rethrow_exception(error_);
    return traits_type::eof();
  }

 private:
  // Thrown inside the worker when the reader went away.
  struct Stopped {};

  void push(std::string_view data) {
    while (!data.empty()) {
      std::string_view piece = data.substr(0, kMaxPiece);
      data.remove_prefix(piece.size());
      std::unique_lock lock(mutex_);
      if (queued_ >= kStreamQueueLimit) {
        changed_.wait(lock, [this] { return stop_ || queued_ < kStreamQueueLimit; });
        waited_for_reader_ = true;
      }
      if (stop_) throw Stopped{};
      queue_.emplace_back(piece);
      queued_ += piece.size();
      lock.unlock();
      changed_.notify_all();
    }
  }

  void run(const std::string& base_url, const RemoteTimeouts& timeouts, const std::atomic<bool>* cancel,
           const SplitName& split) {
    try {
      Curl curl;
      Request request;
      request.name = subject_;
      request.target = protocol::files_target(split.name);
      request.headers.push_back(std::string(protocol::kAcceptEncoding) + ": gzip");
      request.phase = TransferPhase::Downloading;
      request.cancel = cancel;
      // A reader that pauses must not look like a stalled server: count only
      // the time spent waiting for the network.
      request.curl_stall_check = false;
      auto last_data = std::chrono::steady_clock::now();
      std::uint64_t last_bytes = 0;
      request.on_tick = [&](std::uint64_t received) {
        auto now = std::chrono::steady_clock::now();
        {
          std::lock_guard lock(mutex_);
          if (stop_) throw Stopped{};
          if (waited_for_reader_) {
            waited_for_reader_ = false;
            last_data = now;
          }
        }
        if (received != last_bytes) {
          last_bytes = received;
          last_data = now;
        } else if (timeouts.stall_seconds > 0 && now - last_data > std::chrono::seconds(timeouts.stall_seconds)) {
          throw Error(ErrorCode::Network, subject_ + ": " + base_url + " timed out (no data for " +
                                              std::to_string(timeouts.stall_seconds) + " s)");
        }
      };

      std::optional<DownloadBody::Expectation> expected;
      std::unique_ptr<GzipDecoder> decoder;
      Sha256 hasher;
      std::uint64_t logical_size = 0;
      auto deliver = [&](std::string_view plain) {
        hasher.update(plain);
        logical_size += plain.size();
        push(plain);
      };

      request.on_headers = [&](const Response& response) {
        if (!response.ok()) {
          {
            std::lock_guard lock(mutex_);
            http_error_ = response;
          }
          changed_.notify_all();
          throw Stopped{};  // the caller throws; the error body is not needed
        }
        Version version = checked_version(response.header("last-modified"), split, subject_);
        expected = expectation_of(response.header("content-encoding"), response.header("sha256-checksum"),
                                  response.header("logical-size"), subject_);
        if (expected->gzip) decoder = std::make_unique<GzipDecoder>();
        {
          std::lock_guard lock(mutex_);
          versioned_name_ = versioned_name(split.name, version);
          headers_ready_ = true;
        }
        changed_.notify_all();
      };
      request.body_sink = [&](const Response&, std::string_view data) {
        if (!expected) throw Error(ErrorCode::Protocol, subject_ + ": the body came before the headers");
        if (!decoder) return deliver(data);
        try {
          decoder->write(data, deliver);
        } catch (const Error& e) {
          if (e.code() == ErrorCode::Protocol) throw Error(ErrorCode::Protocol, subject_ + ": " + e.what());
          throw;
        }
      };

      Response response = perform_on(curl, base_url, timeouts, request);
      if (!response.ok()) {  // on_headers saw no final header block: still an HTTP error
        {
          std::lock_guard lock(mutex_);
          http_error_ = response;
        }
        throw Stopped{};
      }
      if (!expected) request.on_headers(response);
      if (decoder) {
        try {
          decoder->finish(deliver);
        } catch (const Error& e) {
          throw Error(ErrorCode::Network, subject_ + ": the download was cut off (" + e.what() + ")");
        }
      }
      std::string sha = hasher.hex_digest();
      DownloadBody::Mismatch mismatch = DownloadBody::Mismatch::None;
      if (expected->logical_size && *expected->logical_size != logical_size)
        mismatch = DownloadBody::Mismatch::Size;
      else if (!expected->sha256.empty() && expected->sha256 != sha)
        mismatch = DownloadBody::Mismatch::Checksum;
      check_received(subject_, mismatch, *expected, logical_size, sha);
    } catch (const Stopped&) {
      // The reader went away or the caller reports an HTTP error: nothing to say.
    } catch (...) {
      std::lock_guard lock(mutex_);
      error_ = std::current_exception();
    }
    {
      std::lock_guard lock(mutex_);
      done_ = true;
    }
    changed_.notify_all();
  }

  const std::string subject_;
  std::thread worker_;

  std::mutex mutex_;
  std::condition_variable changed_;  // any change below (both directions)
  std::deque<std::string> queue_;
  std::size_t queued_ = 0;
  bool headers_ready_ = false;
  bool done_ = false;
  bool stop_ = false;
  bool waited_for_reader_ = false;
  std::string versioned_name_;
  std::optional<Response> http_error_;
  std::exception_ptr error_;

  // The reader's side only.
  std::string current_;
};

namespace {

// An istream that owns its buffer (declared first so it is built first).
template <class Buf>
class OwningIStream : private std::unique_ptr<Buf>, public std::istream {
 public:
  explicit OwningIStream(std::unique_ptr<Buf> buf)
      : std::unique_ptr<Buf>(std::move(buf)), std::istream(std::unique_ptr<Buf>::get()) {}
};

}  // namespace

DataStore::Stream RemoteDataStore::get_stream(std::string_view name) {
  SplitName split = parse_name(name);
  auto buf = std::make_unique<StreamBuf>(base_url_, timeouts_, cancel_, std::string(name), split);
  Stream stream;
  stream.versioned_name = buf->wait_for_headers();  // throws; ~StreamBuf stops the worker
  stream.stream = std::make_unique<OwningIStream<StreamBuf>>(std::move(buf));
  return stream;
}

// ---- Delete --------------------------------------------------------------------

void RemoteDataStore::delete_file(std::string_view name) {
  SplitName split = parse_name(name);
  if (server_info().protocol_version < 2)
    throw Error(ErrorCode::Unsupported, std::string(name) + ": the server (protocol version 1) cannot delete files");
  Version version = split.version ? *split.version : now_seconds();
  Response response = perform_simple(name, "DELETE", protocol::files_target(split.name, version));
  if (!response.ok()) throw_http_error(name, response);
}

// ---- Listing -------------------------------------------------------------------

namespace {

std::string join_path(std::string_view directory, std::string_view relative) {
  std::string out(directory);
  if (out.empty() || out.back() != '/') out += '/';
  out += relative;
  return out;
}

std::string normalise_directory(std::string_view directory) {
  std::string dir(directory);
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  if (dir.empty()) dir = "/";
  if (dir != "/") check_name(dir, false);
  return dir;
}

}  // namespace

std::vector<std::string> RemoteDataStore::list_names(std::string_view directory) {
  std::string dir = normalise_directory(directory);
  if (server_info().protocol_version < 2)
    throw Error(ErrorCode::Unsupported, dir + ": the server (protocol version 1) cannot list files");
  Request request;
  request.name = dir;
  request.target = protocol::list_target(dir);
  request.max_body = kMaxListingBody;
  Response response = perform(request);
  if (!response.ok()) throw_http_error(dir, response);
  std::vector<std::string> names;
  for (auto& relative : protocol::parse_plain_list(response.body)) names.push_back(join_path(dir, relative));
  std::sort(names.begin(), names.end());
  return names;
}

RemoteListing RemoteDataStore::list(std::string_view directory, bool recursive, bool with_metadata) {
  std::string dir = normalise_directory(directory);
  const auto& info = server_info();
  if (info.protocol_version < 2)
    throw Error(ErrorCode::Unsupported, dir + ": the server (protocol version 1) cannot list files");
  RemoteListing listing;
  listing.directory = dir;

  if (info.has(protocol::kExtJsonList)) {
    Request request;
    request.name = dir;
    request.target = protocol::list_target(dir, std::nullopt, recursive);
    request.headers.push_back(std::string(protocol::kAccept) + ": " + std::string(protocol::kJsonContentType));
    request.max_body = kMaxListingBody;
    Response response = perform(request);
    if (!response.ok()) throw_http_error(dir, response);
    protocol::Listing parsed;
    try {
      parsed = protocol::parse_json_list(response.body);
    } catch (const Error& e) {
      throw Error(ErrorCode::Protocol, dir + ": " + e.what());
    }
    for (auto& f : parsed.files)
      listing.files.push_back({join_path(dir, f.name), f.version, f.size, std::move(f.sha256)});
    for (auto& d : parsed.directories) listing.directories.push_back(join_path(dir, d));
  } else {
    // Plain version 2: every file below `dir`; fold it to one level here.
    std::set<std::string> subdirectories;
    std::size_t prefix = dir == "/" ? 1 : dir.size() + 1;
    for (auto& full : list_names(dir)) {
      std::string_view relative = std::string_view(full).substr(prefix);
      auto slash = relative.find('/');
      if (!recursive && slash != std::string_view::npos) {
        subdirectories.insert(join_path(dir, relative.substr(0, slash)));
        continue;
      }
      RemoteEntry entry;
      entry.name = full;
      if (with_metadata) {
        try {
          Head h = head(full);
          entry.version = h.version;
          entry.size = h.size;
          entry.sha256 = h.sha256;
        } catch (const Error& e) {
          if (e.code() == ErrorCode::NotFound) continue;  // deleted since the listing
          throw;
        }
      }
      listing.files.push_back(std::move(entry));
    }
    listing.directories.assign(subdirectories.begin(), subdirectories.end());
  }
  std::sort(listing.files.begin(), listing.files.end(),
            [](const RemoteEntry& a, const RemoteEntry& b) { return a.name < b.name; });
  std::sort(listing.directories.begin(), listing.directories.end());
  return listing;
}

std::vector<FileInfo> RemoteDataStore::list_files() {
  std::vector<FileInfo> out;
  for (auto& entry : list("/", true, true).files)
    out.push_back({versioned_name(entry.name, entry.version), entry.version, entry.size});
  return out;
}

}  // namespace ft
