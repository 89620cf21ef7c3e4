#include "filetracker/cache_record.hpp"

#include <zlib.h>

#include <cstdint>

#include "filetracker/protocol.hpp"

namespace ft {

namespace {

constexpr std::string_view kMagic = "FTCACHE2";
// Field widths, in the order of the line; each field is preceded by a space.
constexpr std::size_t kShaWidth = 64, kNumberWidth = 20, kNanoWidth = 9, kCrcWidth = 8;

std::uint32_t crc_of(std::string_view text) {
  return static_cast<std::uint32_t>(
      ::crc32(0L, reinterpret_cast<const Bytef*>(text.data()), static_cast<uInt>(text.size())));
}

// Fixed-width, zero-padded decimal (the record is read and written on every
// cached get: no printf/scanf).
void put_decimal(std::string& out, std::uint64_t value, std::size_t width) {
  const std::size_t end = out.size() + width;
  out.resize(end, '0');
  for (std::size_t i = end; value != 0 && i > end - width; value /= 10) out[--i] = static_cast<char>('0' + value % 10);
}

bool parse_digits(std::string_view digits, std::uint64_t& value) {
  value = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return true;
}

// " <width digits>", consumed from `in`.
bool get_decimal(std::string_view& in, std::size_t width, std::uint64_t& value) {
  if (in.size() < width + 1 || in[0] != ' ' || !parse_digits(in.substr(1, width), value)) return false;
  in.remove_prefix(width + 1);
  return true;
}

// " <seconds>.<nanoseconds>"
void put_time(std::string& out, std::int64_t sec, std::int64_t nsec) {
  out += ' ';
  put_decimal(out, static_cast<std::uint64_t>(sec < 0 ? 0 : sec), kNumberWidth);
  out += '.';
  put_decimal(out, static_cast<std::uint64_t>(nsec < 0 ? 0 : nsec), kNanoWidth);
}

bool get_time(std::string_view& in, std::int64_t& sec, std::int64_t& nsec) {
  constexpr std::size_t kWidth = 1 + kNumberWidth + 1 + kNanoWidth;
  std::uint64_t s = 0, ns = 0;
  if (in.size() < kWidth || in[0] != ' ' || in[1 + kNumberWidth] != '.' ||
      !parse_digits(in.substr(1, kNumberWidth), s) || !parse_digits(in.substr(2 + kNumberWidth, kNanoWidth), ns) ||
      s > static_cast<std::uint64_t>(INT64_MAX))
    return false;
  in.remove_prefix(kWidth);
  sec = static_cast<std::int64_t>(s);
  nsec = static_cast<std::int64_t>(ns);
  return true;
}

}  // namespace

CacheRecord CacheRecord::of(const struct stat& st, std::string sha256) {
  CacheRecord r;
  r.sha256 = std::move(sha256);
  r.size = static_cast<std::uint64_t>(st.st_size);
  r.mtime_sec = st.st_mtim.tv_sec;
  r.mtime_nsec = st.st_mtim.tv_nsec;
  r.inode = static_cast<std::uint64_t>(st.st_ino);
  r.ctime_sec = st.st_ctim.tv_sec;
  r.ctime_nsec = st.st_ctim.tv_nsec;
  return r;
}

std::string CacheRecord::format() const {
  std::string out;
  out.reserve(kFormattedSize);
  out += kMagic;
  out += ' ';
  out += sha256.size() == kShaWidth ? sha256 : std::string(kShaWidth, '0');
  out += ' ';
  put_decimal(out, size, kNumberWidth);
  put_time(out, mtime_sec, mtime_nsec);
  out += ' ';
  put_decimal(out, inode, kNumberWidth);
  put_time(out, ctime_sec, ctime_nsec);
  static constexpr char kHex[] = "0123456789abcdef";
  const std::uint32_t crc = crc_of(out);
  out += ' ';
  for (int shift = 28; shift >= 0; shift -= 4) out += kHex[(crc >> shift) & 0xf];
  out += '\n';
  return out;
}

std::optional<CacheRecord> CacheRecord::parse(std::string_view text) {
  if (text.size() != kFormattedSize || text.substr(0, kMagic.size()) != kMagic || text.back() != '\n')
    return std::nullopt;
  const std::string_view body = text.substr(0, text.size() - (1 + kCrcWidth + 1));
  std::uint32_t crc = 0;
  for (char c : text.substr(body.size() + 1, kCrcWidth)) {
    int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    if (digit < 0) return std::nullopt;
    crc = (crc << 4) | static_cast<std::uint32_t>(digit);
  }
  if (text[body.size()] != ' ' || crc != crc_of(body)) return std::nullopt;
  std::string_view in = body.substr(kMagic.size());
  CacheRecord r;
  if (in.size() < kShaWidth + 1 || in[0] != ' ') return std::nullopt;
  r.sha256 = std::string(in.substr(1, kShaWidth));
  if (!protocol::is_sha256_hex(r.sha256)) return std::nullopt;
  in.remove_prefix(kShaWidth + 1);
  if (!get_decimal(in, kNumberWidth, r.size) || !get_time(in, r.mtime_sec, r.mtime_nsec) ||
      !get_decimal(in, kNumberWidth, r.inode) || !get_time(in, r.ctime_sec, r.ctime_nsec) || !in.empty())
    return std::nullopt;
  return r;
}

long cache_seal(std::uint64_t inode, std::uint64_t size, std::int64_t version) {
  // splitmix64 over the three values: any change of one gives another seal.
  auto mix = [](std::uint64_t x) {
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
  };
  const std::uint64_t h = mix(mix(mix(inode ^ 0x66742d6361636865ULL) ^ size) ^ static_cast<std::uint64_t>(version));
  return static_cast<long>(1 + h % 999999999ULL);
}

bool has_cache_seal(const struct stat& st) {
  return st.st_mtim.tv_nsec ==
         cache_seal(static_cast<std::uint64_t>(st.st_ino), static_cast<std::uint64_t>(st.st_size), st.st_mtim.tv_sec);
}

CacheVerdict judge_cached_file(const std::optional<CacheRecord>& record, const struct stat& st) {
  if (has_cache_seal(st)) return CacheVerdict::Intact;
  // No record, or one about another inode (the file was replaced by a writer
  // that keeps no records, such as the deployed client): nothing to compare.
  if (!record || record->inode != static_cast<std::uint64_t>(st.st_ino)) return CacheVerdict::Unrecorded;
  if (st.st_mtim.tv_nsec == 0 && record->mtime_sec != st.st_mtim.tv_sec) {
    // A whole-second mtime other than the recorded version: the file was
    // given a new version in place (the deployed client rewrites a cached
    // file and sets the version so). A write through a hard link sets the
    // mtime to the time of the write, nanoseconds and all.
    return CacheVerdict::Unrecorded;
  }
  if (record->size != static_cast<std::uint64_t>(st.st_size) || record->mtime_sec != st.st_mtim.tv_sec)
    return CacheVerdict::Damaged;
  return CacheVerdict::Suspect;  // same size and version, seal gone (a touch, a copy): read it
}

}  // namespace ft
