#include "s3_client.hpp"

#include <curl/curl.h>
#include <unistd.h>

#include <cerrno>
#include <memory>
#include <mutex>
#include <vector>

#include "filetracker/error.hpp"
#include "filetracker/server/backend_unavailable.hpp"

namespace ft::server {
namespace {

// RFC 3986: unreserved characters stay, everything else is %XX (curl signs
// the path and query exactly as written, so they must be canonical).
std::string encode(std::string_view text, bool keep_slash) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || (keep_slash && c == '/')) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::string xml_unescape(std::string text) {
  static const std::pair<const char*, const char*> entities[] = {
      {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&apos;", "'"}, {"&amp;", "&"}};
  for (const auto& [from, to] : entities) {
    std::string f(from);
    for (std::size_t pos = 0; (pos = text.find(f, pos)) != std::string::npos; pos += 1) text.replace(pos, f.size(), to);
  }
  return text;
}

// The text of every <tag>...</tag> in `xml`, in order.
std::vector<std::string> xml_values(const std::string& xml, const std::string& tag) {
  std::vector<std::string> out;
  const std::string open = "<" + tag + ">", close = "</" + tag + ">";
  for (std::size_t pos = 0; (pos = xml.find(open, pos)) != std::string::npos;) {
    pos += open.size();
    auto end = xml.find(close, pos);
    if (end == std::string::npos) break;
    out.push_back(xml_unescape(xml.substr(pos, end - pos)));
    pos = end + close.size();
  }
  return out;
}

std::string first_value(const std::string& xml, const std::string& tag) {
  auto v = xml_values(xml, tag);
  return v.empty() ? std::string() : v.front();
}

struct CurlDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
CURL* thread_handle() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  thread_local std::unique_ptr<CURL, CurlDeleter> handle(curl_easy_init());
  if (!handle) throw Error(ErrorCode::Io, "S3: cannot create a curl handle");
  curl_easy_reset(handle.get());
  return handle.get();
}

struct Transfer {
  CURL* curl = nullptr;
  int upload_fd = -1;
  std::uint64_t upload_offset = 0, upload_left = 0;
  int download_fd = -1;
  std::string body;  // error bodies and XML answers
  std::string etag;
  int write_errno = 0;
};

size_t on_read(char* buffer, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  std::size_t want = std::min<std::uint64_t>(size * n, t->upload_left);
  if (want == 0) return 0;
  ssize_t got = ::pread(t->upload_fd, buffer, want, static_cast<off_t>(t->upload_offset));
  if (got <= 0) return CURL_READFUNC_ABORT;
  t->upload_offset += static_cast<std::uint64_t>(got);
  t->upload_left -= static_cast<std::uint64_t>(got);
  return static_cast<size_t>(got);
}

size_t on_write(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const std::size_t total = size * n;
  long status = 0;
  curl_easy_getinfo(t->curl, CURLINFO_RESPONSE_CODE, &status);
  if (t->download_fd >= 0 && status == 200) {
    std::size_t done = 0;
    while (done < total) {
      ssize_t w = ::write(t->download_fd, data + done, total - done);
      if (w < 0) {
        if (errno == EINTR) continue;
        t->write_errno = errno;
        return 0;
      }
      done += static_cast<std::size_t>(w);
    }
    return total;
  }
  if (t->body.size() < (16u << 20)) t->body.append(data, total);
  return total;
}

size_t on_header(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  std::string_view line(data, size * n);
  if (line.size() > 5 && (line.substr(0, 5) == "ETag:" || line.substr(0, 5) == "etag:")) {
    std::string value(line.substr(5));
    while (!value.empty() && (value.front() == ' ')) value.erase(0, 1);
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' ')) value.pop_back();
    t->etag = value;
  }
  return size * n;
}

}  // namespace

S3Location parse_s3_spec(const std::string& spec) {
  auto bad = [&](const std::string& why) {
    return Error(ErrorCode::InvalidArgument,
                 "--blobs " + spec + ": " + why + " (expected s3://BUCKET[/PREFIX]?endpoint=URL&region=R)");
  };
  if (spec.rfind("s3://", 0) != 0) throw bad("not an s3:// URL");
  std::string rest = spec.substr(5), query;
  if (auto q = rest.find('?'); q != std::string::npos) {
    query = rest.substr(q + 1);
    rest = rest.substr(0, q);
  }
  S3Location loc;
  auto slash = rest.find('/');
  loc.bucket = rest.substr(0, slash);
  if (slash != std::string::npos) {
    loc.prefix = rest.substr(slash + 1);
    while (!loc.prefix.empty() && loc.prefix.back() == '/') loc.prefix.pop_back();
    if (!loc.prefix.empty()) loc.prefix += '/';
  }
  if (loc.bucket.size() < 3) throw bad("the bucket name must have at least 3 characters");
  for (char c : loc.bucket)
    if (!(std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '-' ||
          c == '.'))
      throw bad("the bucket name may hold only a-z, 0-9, '-' and '.'");
  std::size_t pos = 0;
  while (pos < query.size()) {
    auto amp = query.find('&', pos);
    std::string param = query.substr(pos, amp == std::string::npos ? std::string::npos : amp - pos);
    auto eq = param.find('=');
    std::string name = param.substr(0, eq), value = eq == std::string::npos ? "" : param.substr(eq + 1);
    if (name == "endpoint") loc.endpoint = value;
    else if (name == "region") loc.region = value;
    else if (!name.empty()) throw bad("unknown parameter " + name);
    if (amp == std::string::npos) break;
    pos = amp + 1;
  }
  while (!loc.endpoint.empty() && loc.endpoint.back() == '/') loc.endpoint.pop_back();
  if (loc.endpoint.rfind("http://", 0) != 0 && loc.endpoint.rfind("https://", 0) != 0)
    throw bad("endpoint= must be an http:// or https:// URL");
  if (loc.region.empty()) loc.region = "us-east-1";
  for (char c : loc.region)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-')) throw bad("bad region");
  return loc;
}

S3Client::S3Client(S3Location location, std::string access_key, std::string secret)
    : location_(std::move(location)), access_key_(std::move(access_key)), secret_(std::move(secret)) {
  if (access_key_.empty() || secret_.empty())
    throw Error(ErrorCode::InvalidArgument, "S3: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
  sigv4_ = "aws:amz:" + location_.region + ":s3";
}

std::string S3Client::url(const std::string& key, const std::string& query) const {
  std::string u = location_.endpoint + "/" + location_.bucket;
  if (!key.empty()) u += "/" + encode(location_.prefix + key, true);  // else: a request on the bucket
  if (!query.empty()) u += "?" + query;
  return u;
}

S3Client::Response S3Client::request(const char* method, const std::string& key, const std::string& query,
                                     const Upload* upload, const std::string* body, int download_fd,
                                     const char* what) {
  CURL* curl = thread_handle();
  Transfer t;
  t.curl = curl;
  t.download_fd = download_fd;
  const std::string target = url(key, query);
  char errbuf[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(curl, CURLOPT_URL, target.c_str());
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_AWS_SIGV4, sigv4_.c_str());
  curl_easy_setopt(curl, CURLOPT_USERNAME, access_key_.c_str());
  curl_easy_setopt(curl, CURLOPT_PASSWORD, secret_.c_str());
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, 3000L);
  // A stalled transfer (no byte for 20 s) counts as unreachable.
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, 20L);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_write);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &t);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &t);
  struct curl_slist* headers = nullptr;
  // curl signs this header but does not add it.
  headers = curl_slist_append(headers, "x-amz-content-sha256: UNSIGNED-PAYLOAD");
  const std::string m(method);
  if (upload) {
    t.upload_fd = upload->fd;
    t.upload_offset = upload->offset;
    t.upload_left = upload->size;
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, on_read);
    curl_easy_setopt(curl, CURLOPT_READDATA, &t);
    curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(upload->size));
  } else if (m == "POST") {
    curl_easy_setopt(curl, CURLOPT_POST, 1L);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body ? body->data() : "");
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body ? body->size() : 0));
    headers = curl_slist_append(headers, "Content-Type: application/xml");
  } else if (m == "HEAD") {
    curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
  } else if (m != "GET") {
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method);
  }
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  CURLcode rc = curl_easy_perform(curl);
  curl_slist_free_all(headers);
  Response r;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &r.status);
  const std::string where = std::string("S3 ") + what + (key.empty() ? "" : " " + location_.prefix + key);
  if (t.write_errno) throw_errno(where + ": cannot write what was read", t.write_errno);
  if (rc != CURLE_OK) {
    std::string reason = errbuf[0] ? errbuf : curl_easy_strerror(rc);
    throw BackendUnavailable(where + ": " + location_.endpoint + " unreachable: " + reason);
  }
  r.body = std::move(t.body);
  r.etag = std::move(t.etag);
  if (r.status >= 500)
    throw BackendUnavailable(where + ": HTTP " + std::to_string(r.status) + " from " + location_.endpoint);
  return r;
}

namespace {
[[noreturn]] void refused(const std::string& where, long status, const std::string& body) {
  std::string code = first_value(body, "Code"), message = first_value(body, "Message");
  std::string reason = where + ": HTTP " + std::to_string(status);
  if (!code.empty()) reason += ": " + code;
  if (!message.empty()) reason += ": " + message;
  for (char& c : reason)
    if (c == '\n' || c == '\r') c = ' ';
  throw Error(ErrorCode::Io, reason);
}
}  // namespace

void S3Client::put(const std::string& key, int fd, std::uint64_t size) {
  Upload up{fd, 0, size};
  auto r = request("PUT", key, "", &up, nullptr, -1, "PUT");
  if (r.status != 200) refused("S3 PUT " + location_.prefix + key, r.status, r.body);
}

void S3Client::put_multipart(const std::string& key, int fd, std::uint64_t size, std::uint64_t part_size) {
  auto start = request("POST", key, "uploads=", nullptr, nullptr, -1, "multipart start");
  if (start.status != 200) refused("S3 multipart start " + location_.prefix + key, start.status, start.body);
  const std::string upload_id = first_value(start.body, "UploadId");
  if (upload_id.empty()) throw Error(ErrorCode::Io, "S3 multipart start " + location_.prefix + key + ": no UploadId");
  const std::string id = encode(upload_id, false);
  try {
    std::string complete = "<CompleteMultipartUpload>";
    int number = 1;
    for (std::uint64_t offset = 0; offset < size; offset += part_size, ++number) {
      Upload up{fd, offset, std::min(part_size, size - offset)};
      // Query parameters sorted by name: curl signs them as written.
      auto r = request("PUT", key, "partNumber=" + std::to_string(number) + "&uploadId=" + id, &up, nullptr, -1,
                       "multipart part");
      if (r.status != 200) refused("S3 multipart part " + location_.prefix + key, r.status, r.body);
      complete += "<Part><PartNumber>" + std::to_string(number) + "</PartNumber><ETag>" + r.etag + "</ETag></Part>";
    }
    complete += "</CompleteMultipartUpload>";
    auto done = request("POST", key, "uploadId=" + id, nullptr, &complete, -1, "multipart complete");
    // A 200 may still carry an <Error> (the upload failed late).
    if (done.status != 200 || done.body.find("<Error>") != std::string::npos)
      refused("S3 multipart complete " + location_.prefix + key, done.status, done.body);
  } catch (...) {
    try {
      request("DELETE", key, "uploadId=" + id, nullptr, nullptr, -1, "multipart abort");
    } catch (...) {
    }
    throw;
  }
}

bool S3Client::get(const std::string& key, int fd) {
  auto r = request("GET", key, "", nullptr, nullptr, fd, "GET");
  if (r.status == 404) return false;
  if (r.status != 200) refused("S3 GET " + location_.prefix + key, r.status, r.body);
  return true;
}

void S3Client::remove(const std::string& key) {
  auto r = request("DELETE", key, "", nullptr, nullptr, -1, "DELETE");
  if (r.status != 204 && r.status != 200 && r.status != 404) refused("S3 DELETE " + location_.prefix + key, r.status, r.body);
}

void S3Client::list(const std::string& start, const std::function<void(const std::string&)>& visit) {
  std::string token;
  const std::string prefix = location_.prefix + start;
  for (;;) {
    // Parameters sorted by name, values percent-encoded (curl signs them as written).
    std::string query;
    if (!token.empty()) query += "continuation-token=" + encode(token, false) + "&";
    query += "list-type=2&prefix=" + encode(prefix, false);
    auto r = request("GET", "", query, nullptr, nullptr, -1, "list");
    if (r.status != 200) refused("S3 list " + prefix, r.status, r.body);
    for (const auto& key : xml_values(r.body, "Key"))
      if (key.size() >= location_.prefix.size()) visit(key.substr(location_.prefix.size()));
    if (first_value(r.body, "IsTruncated") != "true") return;
    token = first_value(r.body, "NextContinuationToken");
    if (token.empty()) throw Error(ErrorCode::Io, "S3 list " + prefix + ": truncated without a continuation token");
  }
}

void S3Client::check() {
  auto r = request("GET", "", "list-type=2&max-keys=1", nullptr, nullptr, -1, "bucket check");
  if (r.status != 200) refused("S3 bucket " + location_.bucket, r.status, r.body);
}

}  // namespace ft::server
