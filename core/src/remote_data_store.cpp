// The DataStore operations of the remote store: upload, HEAD, download,
// stream, delete and list, each one request (or two) on the store's
// transport. The transport (curl_transport), what goes up (upload_source,
// upload_body, upload_spool), what comes down (remote_download,
// body_verifier, download_body, download_stream_buf) and the wording of
// errors (http_error, file_answer) live in their own files.
#include "filetracker/remote_data_store.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <set>

#include "busy_retry.hpp"
#include "curl_transport.hpp"
#include "download_body.hpp"
#include "download_stream_buf.hpp"
#include "fd_io.hpp"
#include "file_answer.hpp"
#include "filetracker/error.hpp"
#include "filetracker/name.hpp"
#include "http_error.hpp"
#include "input_file.hpp"
#include "remote_download.hpp"
#include "upload_body.hpp"
#include "upload_source.hpp"
#include "upload_spool.hpp"

namespace ft {

namespace {

// Uploads up to this size are compressed once, into memory, during the
// hashing pass; bigger ones go to a spool file (or are compressed twice) so
// memory stays bounded whatever the file size.
constexpr std::uint64_t kInMemoryCompressLimit = 8u << 20;
// From here on a file is deflated on several threads (ParallelGzipEncoder):
// below it the pool's hand-offs cost more than they save.
constexpr std::uint64_t kParallelDeflateFrom = 16u << 20;
// Plain and JSON listings are kept in memory; refuse absurd ones.
constexpr std::size_t kMaxListingBody = std::size_t{1} << 30;

// Does the server advertise "history" (versioned downloads then ask
// /history)? A versioned download works without it (plain /files, the
// current version only), so a /version that fails or says something else
// is not the download's error: false, and the download reports what is wrong.
bool keeps_history(RemoteDataStore& store) {
  try {
    return store.server_info().has(protocol::kExtHistory);
  } catch (const Error& e) {
    if (e.code() == ErrorCode::Cancelled) throw;
    return false;
  }
}

constexpr std::size_t kStreamCopyChunk = 1 << 16;

Version now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

std::unique_ptr<DataStore> make_remote_data_store(std::string_view url) {
  return std::make_unique<RemoteDataStore>(std::string(url));
}

RemoteDataStore::RemoteDataStore(std::string base_url, RemoteTimeouts timeouts)
    : base_url_(std::move(base_url)), timeouts_(timeouts), auth_(RemoteAuth::from_environment()) {
  while (!base_url_.empty() && base_url_.back() == '/') base_url_.pop_back();
  auto scheme_end = base_url_.find("://");
  std::string scheme = scheme_end == std::string::npos ? "" : protocol::to_lower(base_url_.substr(0, scheme_end));
  // User info ("user:password@") comes out of the URL: into auth_, never into a message.
  if (scheme_end != std::string::npos) {
    std::size_t host_start = scheme_end + 3;
    std::size_t authority_end = base_url_.find_first_of("/?#", host_start);
    if (authority_end == std::string::npos) authority_end = base_url_.size();
    std::size_t at = base_url_.rfind('@', authority_end - 1);
    if (at != std::string::npos && at >= host_start && at < authority_end) {
      std::string_view userinfo(base_url_.data() + host_start, at - host_start);
      std::size_t colon = userinfo.find(':');
      auto user = protocol::decode_path(userinfo.substr(0, colon));
      auto password = colon == std::string_view::npos ? std::optional<std::string>("")
                                                      : protocol::decode_path(userinfo.substr(colon + 1));
      base_url_.erase(host_start, at + 1 - host_start);
      if (!user || !password)
        throw Error(ErrorCode::InvalidArgument, "invalid server URL \"" + base_url_ +
                                                    "\": the user name or password has a malformed %-escape");
      auth_.user = std::move(*user);
      auth_.password = std::move(*password);
      auth_.token.clear();  // the URL's credentials win
    }
  }
  if ((scheme != "http" && scheme != "https") || base_url_.size() <= scheme_end + 3)
    throw Error(ErrorCode::InvalidArgument,
                "invalid server URL \"" + base_url_ + "\": expected http://HOST[:PORT]");
}

void RemoteDataStore::set_auth(RemoteAuth auth) {
  auth_ = std::move(auth);
  transport_.reset();  // the next request makes a transport with these
}

void RemoteDataStore::set_ca_file(std::string path) {
  auth_.ca_file = std::move(path);
  transport_.reset();
}

RemoteAuth RemoteAuth::from_environment() {
  RemoteAuth auth;
  auto env = [](const char* name) -> std::string {
    const char* value = std::getenv(name);
    return value ? value : "";
  };
  auth.token = env("FILETRACKER_TOKEN");
  auth.user = env("FILETRACKER_USER");
  auth.password = env("FILETRACKER_PASSWORD");
  auth.ca_file = env("FILETRACKER_CACERT");
  return auth;
}

std::string RemoteAuth::principal() const {
  if (!token.empty()) return token.substr(0, token.find('.'));
  return user;
}

RemoteDataStore::~RemoteDataStore() = default;

HttpResponse RemoteDataStore::perform(HttpRequest& request) {
  if (!transport_) transport_ = std::make_unique<CurlTransport>(auth_);  // lazily: a cached get never needs libcurl
  request.cancel = cancel_;
  request.progress = &progress_;
  BusyRetry busy(timeouts_);
  for (;;) {
    ++requests_sent_;
    HttpResponse response = transport_->perform(base_url_, timeouts_, request);
    const auto wait = busy.next(response);
    if (!wait) return response;
    BusyRetry::sleep(*wait, cancel_, request.name.empty() ? base_url_ : request.name);
    if (request.upload) request.upload->rewind();  // the whole body again, from its first byte
  }
}

HttpResponse RemoteDataStore::perform_simple(std::string_view name, const std::string& method,
                                             const std::string& target) {
  HttpRequest request;
  request.name = std::string(name);
  request.method = method;
  request.target = target;
  return perform(request);
}

const protocol::ServerInfo& RemoteDataStore::server_info() {
  if (!server_info_) {
    HttpResponse response = perform_simple(base_url_, "GET", std::string(protocol::kVersionTarget));
    if (response.status != 200 && response.status != 404) {
      const std::string* reason = response.header(protocol::kXException);
      throw Error(ErrorCode::Http,
                  protocol::describe_http_error(base_url_ + "/version", static_cast<int>(response.status),
                                                reason ? std::string_view(*reason) : std::string_view()),
                  static_cast<int>(response.status));
    }
    server_info_ = protocol::parse_version_response(static_cast<int>(response.status), response.body);
  }
  return *server_info_;
}

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
  char buffer[kStreamCopyChunk];
  while (in) {
    in.read(buffer, sizeof buffer);
    write_all(fd, std::string_view(buffer, static_cast<std::size_t>(in.gcount())), pattern, "write failed");
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
      int fd = open_upload_spool(expected);
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
        write_all(spool->fd(), produced, label, "cannot write the compressed upload to a temporary file");
    };
    options.hash_in_parallel = compress && !in_memory;
    options.parallel_deflate = compress && expected > kParallelDeflateFrom;
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
  HttpRequest request;
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

  HttpResponse response = perform(request);
  if (!response.ok()) throw_http_error(display_name, response);
  return versioned_name(unversioned, required_version(response, display_name));
}

// ---- HEAD ------------------------------------------------------------------

RemoteDataStore::Head RemoteDataStore::head(std::string_view name) {
  SplitName split = parse_name(name);
  HttpResponse response = perform_simple(name, "HEAD", protocol::files_target(split.name));
  if (!response.ok()) throw_http_error(name, response);
  protocol::FileHeaders headers = read_file_answer(response, name);
  Head head;
  head.version = *headers.version;
  head.size = headers.logical_size;
  head.sha256 = std::move(headers.sha256);
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

std::uint64_t RemoteDataStore::file_size(std::string_view name) {
  Head h = head(name);
  if (!h.size)
    throw Error(ErrorCode::Protocol,
                std::string(name) + ": the server did not say how large the file is (no Logical-Size)");
  return *h.size;
}

// ---- Download ----------------------------------------------------------------

std::string RemoteDataStore::get_file(std::string_view name, const std::filesystem::path& destination) {
  SplitName split = parse_name(name);
  const std::string subject(name);

  std::unique_ptr<DownloadBody> body;
  Version remote_version = 0;
  // Sees the headers once, before the first byte of the body.
  auto start = [&](const HttpResponse& response) {
    DownloadAnswer answer = read_download_answer(response, split, subject);
    remote_version = answer.version;
    body = std::make_unique<DownloadBody>(destination, std::move(answer.body));
  };

  // A version that may not be the current one: the server's history has it.
  std::optional<Version> kept;
  if (split.version && keeps_history(*this)) kept = split.version;
  HttpRequest request = make_download_request(subject, split.name, kept);
  request.body_sink = [&](const HttpResponse& response, std::string_view data) {
    if (!body) start(response);
    feed_body(body->verifier(), data, subject);
  };

  HttpResponse response = perform(request);
  if (!response.ok()) throw_http_error(subject, response);
  if (!body) start(response);  // an empty body never reaches the sink
  finish_body(body->verifier(), subject);
  body->commit();
  return versioned_name(split.name, remote_version);
}

DataStore::Stream RemoteDataStore::get_stream(std::string_view name) {
  const bool from_history = parse_name(name).version && keeps_history(*this);
  return open_download_stream(base_url_, timeouts_, auth_, cancel_, name, from_history);
}

// ---- Version history (extension "history") -------------------------------------

void RemoteDataStore::require_history(std::string_view name) {
  if (!server_info().has(protocol::kExtHistory))
    throw Error(ErrorCode::Unsupported,
                std::string(name) + ": the server keeps no version history (filetracker-server --keep-versions)");
}

protocol::History RemoteDataStore::history(std::string_view name) {
  SplitName split = parse_name(name);
  require_history(name);
  HttpRequest request;
  request.name = std::string(name);
  request.target = protocol::history_target(split.name);
  request.max_body = kMaxListingBody;
  HttpResponse response = perform(request);
  if (!response.ok()) throw_http_error(name, response);
  try {
    return protocol::parse_history(response.body);
  } catch (const Error& e) {
    throw Error(e.code(), std::string(name) + ": " + e.what());
  }
}

std::string RemoteDataStore::restore(std::string_view versioned) {
  SplitName split = parse_name(versioned);
  if (!split.version)
    throw Error(ErrorCode::InvalidArgument, std::string(versioned) + ": name the version to restore (NAME@VERSION)");
  require_history(versioned);
  HttpResponse response = perform_simple(versioned, "POST", protocol::history_target(split.name, split.version));
  if (!response.ok()) throw_http_error(versioned, response);
  const std::string* date = response.header(protocol::kLastModified);
  auto version = date ? protocol::parse_http_date(*date) : std::nullopt;
  if (!version)
    throw Error(ErrorCode::Protocol, std::string(versioned) + ": the server's answer has no valid Last-Modified");
  return versioned_name(split.name, *version);
}

std::size_t RemoteDataStore::purge_history(std::string_view name) {
  std::string unversioned = name == "/" ? std::string("/") : parse_name(name).name;
  require_history(name);
  HttpResponse response = perform_simple(name, "DELETE", protocol::history_target(unversioned));
  if (!response.ok()) throw_http_error(name, response);
  auto json = response.body.find("\"removed\":");
  if (json == std::string::npos)
    throw Error(ErrorCode::Protocol, std::string(name) + ": the server's answer does not say what was removed");
  return static_cast<std::size_t>(std::strtoull(response.body.c_str() + json + 10, nullptr, 10));
}

// ---- Delete --------------------------------------------------------------------

void RemoteDataStore::delete_file(std::string_view name) {
  SplitName split = parse_name(name);
  if (server_info().protocol_version < 2)
    throw Error(ErrorCode::Unsupported, std::string(name) + ": the server (protocol version 1) cannot delete files");
  Version version = split.version ? *split.version : now_seconds();
  HttpResponse response = perform_simple(name, "DELETE", protocol::files_target(split.name, version));
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

std::vector<std::string> RemoteDataStore::list_names(std::string_view directory, std::optional<Version> cutoff) {
  std::string dir = normalise_directory(directory);
  if (server_info().protocol_version < 2)
    throw Error(ErrorCode::Unsupported, dir + ": the server (protocol version 1) cannot list files");
  HttpRequest request;
  request.name = dir;
  request.target = protocol::list_target(dir, cutoff);
  request.max_body = kMaxListingBody;
  HttpResponse response = perform(request);
  if (!response.ok()) throw_http_error(dir, response);
  std::vector<std::string> names;
  for (auto& relative : protocol::parse_plain_list(response.body)) names.push_back(join_path(dir, relative));
  std::sort(names.begin(), names.end());
  return names;
}

RemoteListing RemoteDataStore::list(std::string_view directory, bool recursive, bool with_metadata,
                                    std::optional<Version> cutoff) {
  std::string dir = normalise_directory(directory);
  const auto& info = server_info();
  if (info.protocol_version < 2)
    throw Error(ErrorCode::Unsupported, dir + ": the server (protocol version 1) cannot list files");
  RemoteListing listing;
  listing.directory = dir;

  if (info.has(protocol::kExtJsonList)) {
    HttpRequest request;
    request.name = dir;
    request.target = protocol::list_target(dir, cutoff, recursive);
    request.headers.push_back(std::string(protocol::kAccept) + ": " + std::string(protocol::kJsonContentType));
    request.max_body = kMaxListingBody;
    HttpResponse response = perform(request);
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
    for (auto& full : list_names(dir, cutoff)) {
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
          entry.size = h.size.value_or(0);
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

RemoteDataStore::FindResult RemoteDataStore::find(std::string_view directory, const FindQuery& query,
                                                  const std::function<void(const RemoteEntry&)>& found) {
  std::string dir = normalise_directory(directory);
  FindFilter filter(query, dir);  // a bad pattern fails before any request
  const auto& info = server_info();
  if (info.protocol_version < 2)
    throw Error(ErrorCode::Unsupported, dir + ": the server (protocol version 1) cannot list files");
  auto check_cancel = [&] {
    if (cancel_ && cancel_->load()) throw Error(ErrorCode::Cancelled, dir + ": find cancelled");
  };
  FindResult result;
  if (info.has(protocol::kExtFind)) {
    result.server_side = true;
    std::string after;
    do {
      check_cancel();
      HttpRequest request;
      request.name = dir;
      request.target = protocol::find_target(dir, query, after);
      request.headers.push_back(std::string(protocol::kAccept) + ": " + std::string(protocol::kJsonContentType));
      request.max_body = kMaxListingBody;
      HttpResponse response = perform(request);
      if (!response.ok()) throw_http_error(dir, response);
      protocol::Listing page;
      try {
        page = protocol::parse_json_list(response.body);
      } catch (const Error& e) {
        throw Error(ErrorCode::Protocol, dir + ": " + e.what());
      }
      // Pages must move forward, or a broken server would keep us here.
      if (!page.next.empty() && page.next <= after)
        throw Error(ErrorCode::Protocol, dir + ": the find listing went back to " + quoted_name(page.next));
      for (auto& f : page.files) {
        ++result.matches;
        found(RemoteEntry{join_path(dir, f.name), f.version, f.size, std::move(f.sha256)});
      }
      after = std::move(page.next);
    } while (!after.empty());
    return result;
  }

  // Plain version 2 (or a JSON listing without find): list only the glob's
  // literal directory when it lies below `dir`; its absence means no match.
  const std::string& literal = filter.pattern().literal_directory();
  const bool deeper = literal.size() > dir.size() && (dir == "/" || (literal.compare(0, dir.size(), dir) == 0 &&
                                                                     literal[dir.size()] == '/'));
  const bool disjoint = !deeper && literal != dir &&
                        !(dir.size() > literal.size() &&
                          (literal == "/" || (dir.compare(0, literal.size(), literal) == 0 && dir[literal.size()] == '/')));
  if (disjoint) {
    list_names(dir);  // still: a missing directory is an error, as with the extension
    return result;
  }
  const std::string scan = deeper ? literal : dir;
  auto below_dir = [&](const std::string& name) {
    return dir == "/" || (name.size() > dir.size() && name.compare(0, dir.size(), dir) == 0 && name[dir.size()] == '/');
  };
  std::vector<RemoteEntry> entries;
  try {
    if (info.has(protocol::kExtJsonList)) {
      entries = list(scan, true, true).files;
    } else {
      for (auto& name : list_names(scan)) entries.push_back(RemoteEntry{std::move(name), 0, 0, {}});
    }
  } catch (const Error& e) {
    if (!deeper || e.code() != ErrorCode::Http || e.http_status() != 400) throw;
    list_names(dir);  // no such literal directory: no match, if `dir` itself exists
    return result;
  }
  const bool have_metadata = info.has(protocol::kExtJsonList);
  for (auto& entry : entries) {
    if (!below_dir(entry.name) || !filter.name_matches(entry.name)) continue;
    if (!have_metadata) {
      check_cancel();
      try {
        Head h = head(entry.name);
        entry.version = h.version;
        entry.size = h.size.value_or(0);
        entry.sha256 = h.sha256;
      } catch (const Error& e) {
        if (e.code() == ErrorCode::NotFound) continue;  // deleted since the listing
        throw;
      }
    }
    if (!filter.bounds_match(entry.version, entry.size)) continue;
    ++result.matches;
    found(entry);
  }
  return result;
}

std::vector<FileInfo> RemoteDataStore::list_files() {
  std::vector<FileInfo> out;
  for (auto& entry : list("/", true, true).files)
    out.push_back({versioned_name(entry.name, entry.version), entry.version, entry.size});
  return out;
}

}  // namespace ft
