// SHA-256 (OpenSSL EVP), incrementally.
#pragma once

#include <cstddef>
#include <filesystem>
#include <istream>
#include <memory>
#include <string>
#include <string_view>

namespace ft {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(Sha256&&) noexcept;
  Sha256& operator=(Sha256&&) noexcept;

  void update(const void* data, std::size_t size);
  void update(std::string_view data) { update(data.data(), data.size()); }
  // Lowercase hex digest; the object is reset afterwards.
  std::string hex_digest();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

std::string sha256_hex(std::string_view data);
// Throws Error(NotFound) when the file does not exist, Error(Io) when it cannot be read.
std::string sha256_file(const std::filesystem::path& path);
// The SHA-256 of everything in the open file `fd`, read with pread from
// offset 0 (the file offset is left alone). Throws Error(Io) naming `what`.
std::string sha256_fd(int fd, const std::string& what);
// The SHA-256 of everything left in `in`. Throws Error(Io) naming `what` on a read error.
std::string sha256_stream(std::istream& in, const std::string& what);

}  // namespace ft
