#include "filetracker/checksum.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <vector>

#include "filetracker/error.hpp"
#include "libcrypto_api.hpp"

namespace ft {

struct Sha256::Impl {
  EVP_MD_CTX* ctx = nullptr;
  Impl() : ctx(libcrypto().EVP_MD_CTX_new()) {
    if (!ctx || libcrypto().EVP_DigestInit_ex(ctx, libcrypto().EVP_sha256(), nullptr) != 1) throw std::bad_alloc();
  }
  ~Impl() { libcrypto().EVP_MD_CTX_free(ctx); }
};

Sha256::Sha256() : impl_(std::make_unique<Impl>()) {}
Sha256::~Sha256() = default;
Sha256::Sha256(Sha256&&) noexcept = default;
Sha256& Sha256::operator=(Sha256&&) noexcept = default;

void Sha256::update(const void* data, std::size_t size) { libcrypto().EVP_DigestUpdate(impl_->ctx, data, size); }

std::string Sha256::hex_digest() {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  libcrypto().EVP_DigestFinal_ex(impl_->ctx, digest, &length);
  libcrypto().EVP_DigestInit_ex(impl_->ctx, libcrypto().EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(length * 2);
  for (unsigned i = 0; i < length; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 15];
  }
  return out;
}

std::string sha256_hex(std::string_view data) {
  Sha256 sha;
  sha.update(data);
  return sha.hex_digest();
}

std::string sha256_file(const std::filesystem::path& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw_errno(path.string());
  try {
    std::string digest = sha256_fd(fd, path.string());
    ::close(fd);
    return digest;
  } catch (...) {
    ::close(fd);
    throw;
  }
}

std::string sha256_stream(std::istream& in, const std::string& what) {
  Sha256 sha;
  std::vector<char> buffer(1 << 17);
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    if (in.gcount() > 0) sha.update(buffer.data(), static_cast<std::size_t>(in.gcount()));
  }
  if (in.bad()) throw Error(ErrorCode::Io, what + ": read error");
  return sha.hex_digest();
}

std::string sha256_fd(int fd, const std::string& what) {
  Sha256 sha;
  std::vector<char> buffer(1 << 17);
  for (off_t offset = 0;;) {
    ssize_t n = ::pread(fd, buffer.data(), buffer.size(), offset);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_errno(what);
    }
    if (n == 0) break;
    sha.update(buffer.data(), static_cast<std::size_t>(n));
    offset += n;
  }
  return sha.hex_digest();
}

}  // namespace ft
