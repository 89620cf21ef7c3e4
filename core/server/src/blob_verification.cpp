#include "blob_verification.hpp"

#include <unistd.h>

#include "filetracker/checksum.hpp"
#include "filetracker/error.hpp"
#include "filetracker/gzip.hpp"

namespace ft::server {

void verify_blob_content(const std::string& what, const std::string& sha, std::optional<std::uint64_t> logical_size,
                         const std::function<void(const std::function<void(std::string_view)>& feed)>& read,
                         std::vector<std::string>& problems) {
  Sha256 hash;
  std::uint64_t size = 0;
  GzipDecoder decoder;
  try {
    read([&](std::string_view gzip_bytes) {
      decoder.write(gzip_bytes, [&](std::string_view chunk) {
        hash.update(chunk);
        size += chunk.size();
      });
    });
    decoder.finish([](std::string_view) {});
    std::string actual = hash.hex_digest();
    if (actual != sha) problems.push_back(what + ": its content has SHA-256 " + actual);
    if (logical_size && *logical_size != size)
      problems.push_back(what + ": its content has " + std::to_string(size) + " bytes, the index says " +
                         std::to_string(*logical_size));
  } catch (const std::exception& e) {
    problems.push_back(what + ": " + e.what());
  }
}

void verify_blob_file(const std::string& what, const std::string& sha, std::optional<std::uint64_t> logical_size,
                      int fd, std::vector<std::string>& problems) {
  verify_blob_content(
      what, sha, logical_size,
      [&](const std::function<void(std::string_view)>& feed) {
        std::string buf(1 << 16, '\0');
        for (;;) {
          ssize_t n = ::read(fd, buf.data(), buf.size());
          if (n < 0) throw_errno(what + ": cannot read");
          if (n == 0) break;
          feed(std::string_view(buf.data(), static_cast<std::size_t>(n)));
        }
      },
      problems);
}

}  // namespace ft::server
