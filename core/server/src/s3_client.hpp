// A small S3 client on libcurl: path-style requests signed with libcurl's
// own AWS SigV4 (CURLOPT_AWS_SIGV4), the few calls the blob store needs.
// Thread-safe: each thread keeps its own curl handle (and its connections).
#pragma once

#include <cstdint>
#include <functional>
#include <string>

namespace ft::server {

struct S3Location {
  std::string endpoint;  // http(s)://host:port, no trailing slash
  std::string region;
  std::string bucket;
  std::string prefix;    // "" or "a/b/" (with the trailing slash)
};
// s3://BUCKET[/PREFIX]?endpoint=URL&region=R. Throws Error(InvalidArgument).
S3Location parse_s3_spec(const std::string& spec);

class S3Client {
 public:
  // Throws Error(InvalidArgument) without credentials.
  S3Client(S3Location location, std::string access_key, std::string secret);

  // Network failures, timeouts and 5xx throw BackendUnavailable; other
  // refusals Error(Io); each with one line naming the call and the key.
  // `key` is below the prefix.
  void put(const std::string& key, int fd, std::uint64_t size);
  void put_multipart(const std::string& key, int fd, std::uint64_t size, std::uint64_t part_size);
  // Writes the object to fd (at its current offset). false: no such object.
  bool get(const std::string& key, int fd);
  void remove(const std::string& key);  // a missing object is not an error
  // Keys (below the prefix) that start with `start`, in order.
  void list(const std::string& start, const std::function<void(const std::string& key)>& visit);
  // Throws when the bucket does not answer a listing.
  void check();
  const S3Location& location() const { return location_; }

 private:
  struct Response {
    long status = 0;
    std::string body;
    std::string etag;
  };
  struct Upload {
    int fd = -1;
    std::uint64_t offset = 0, size = 0;
  };
  Response request(const char* method, const std::string& key, const std::string& query, const Upload* upload,
                   const std::string* body, int download_fd, const char* what);
  std::string url(const std::string& key, const std::string& query) const;

  S3Location location_;
  std::string access_key_, secret_;
  std::string sigv4_;
};

}  // namespace ft::server
