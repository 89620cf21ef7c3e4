#include "filetracker/name_pattern.hpp"

#include "filetracker/error.hpp"
#include "filetracker/name.hpp"

namespace ft {

namespace {

constexpr std::size_t kMaxPatternBytes = 4096;

// The code point at text[i] and its length; a byte that starts no valid
// sequence (a name stored by an older server) reads as U+DC00 + byte, a
// surrogate that no pattern character equals.
char32_t decode_at(std::string_view text, std::size_t i, std::size_t& length) {
  length = utf8_sequence_length(text.substr(i));
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(text[i + k]); };
  switch (length) {
    case 1:
      return b(0);
    case 2:
      return (char32_t(b(0) & 0x1f) << 6) | (b(1) & 0x3f);
    case 3:
      return (char32_t(b(0) & 0x0f) << 12) | (char32_t(b(1) & 0x3f) << 6) | (b(2) & 0x3f);
    case 4:
      return (char32_t(b(0) & 0x07) << 18) | (char32_t(b(1) & 0x3f) << 12) | (char32_t(b(2) & 0x3f) << 6) |
             (b(3) & 0x3f);
    default:
      length = 1;
      return 0xdc00 + b(0);
  }
}

void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xc0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3f));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xe0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (c & 0x3f));
  } else {
    out += static_cast<char>(0xf0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3f));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (c & 0x3f));
  }
}

std::string escaped(std::string_view literal) {
  std::string out;
  for (char c : literal) {
    if (c == '*' || c == '?' || c == '[' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

}  // namespace

NamePattern::NamePattern(std::string_view pattern, std::string_view base) {
  auto bad = [&](const std::string& why) {
    return Error(ErrorCode::InvalidArgument, "invalid pattern " + quoted_name(pattern) + ": " + why);
  };
  if (pattern.empty()) throw bad("it is empty");
  if (pattern.size() > kMaxPatternBytes) throw bad("it is longer than 4096 bytes");
  if (!is_valid_utf8(pattern)) throw bad("it is not valid UTF-8");
  for (char c : pattern)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) throw bad("it contains a control character");
  std::string dir(base);
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  if (dir.empty() || dir[0] != '/')
    throw Error(ErrorCode::InvalidArgument, "pattern base " + quoted_name(base) + " is not an absolute directory");
  const std::string prefix = dir == "/" ? "" : escaped(dir);
  if (pattern[0] == '/')
    resolved_ = pattern;
  else if (pattern.find('/') == std::string_view::npos)
    resolved_ = prefix + "/**/" + std::string(pattern);
  else
    resolved_ = prefix + "/" + std::string(pattern);

  const std::string_view p = resolved_;
  std::size_t i = 0;
  while (i < p.size()) {
    std::size_t len;
    char32_t c = decode_at(p, i, len);
    Token t{};
    if (c == '*') {
      std::size_t stars = 0;
      while (i + stars < p.size() && p[i + stars] == '*') ++stars;
      const bool whole_component = (i == 0 || p[i - 1] == '/') && i + stars < p.size() && p[i + stars] == '/';
      if (stars >= 2 && whole_component) {
        t.kind = Token::AnyDirs;
        i += stars + 1;  // the '/' belongs to it
      } else {
        t.kind = stars >= 2 ? Token::DoubleStar : Token::Star;
        i += stars;
      }
    } else if (c == '?') {
      t.kind = Token::AnyOne;
      i += 1;
    } else if (c == '\\' && i + 1 < p.size()) {
      std::size_t l2;
      t.kind = Token::Literal;
      t.c = decode_at(p, i + 1, l2);
      i += 1 + l2;
    } else if (c == '[') {
      // Find the closing ']' (a ']' first in the set is a member).
      std::size_t j = i + 1;
      bool negated = false;
      if (j < p.size() && (p[j] == '!' || p[j] == '^')) {
        negated = true;
        ++j;
      }
      std::vector<Range> ranges;
      bool first = true, closed = false;
      while (j < p.size()) {
        std::size_t l1;
        char32_t lo = decode_at(p, j, l1);
        if (lo == ']' && !first) {
          closed = true;
          ++j;
          break;
        }
        if (lo == '\\' && j + 1 < p.size()) {
          j += 1;
          lo = decode_at(p, j, l1);
        }
        j += l1;
        first = false;
        char32_t hi = lo;
        if (j + 1 < p.size() && p[j] == '-' && p[j + 1] != ']') {
          std::size_t l2;
          ++j;
          if (p[j] == '\\' && j + 1 < p.size()) ++j;
          hi = decode_at(p, j, l2);
          j += l2;
        }
        if (hi < lo) std::swap(lo, hi);
        ranges.push_back({lo, hi});
      }
      if (closed) {
        t.kind = Token::Class;
        t.negated = negated;
        t.ranges = std::move(ranges);
        i = j;
      } else {
        t.kind = Token::Literal;  // an unclosed '[' is itself
        t.c = '[';
        i += 1;
      }
    } else {
      t.kind = Token::Literal;
      t.c = c;
      i += len;
    }
    tokens_.push_back(std::move(t));
  }

  // The literal start of the pattern, cut at its last '/'.
  // (A pattern without wildcards names one file: its parent directory.)
  std::string literal;
  for (const auto& t : tokens_) {
    if (t.kind != Token::Literal) break;
    append_utf8(literal, t.c);
  }
  auto slash = literal.rfind('/');
  literal_directory_ = slash == std::string::npos || slash == 0 ? "/" : literal.substr(0, slash);
}

bool NamePattern::accepts(const Token& t, char32_t c) const {
  switch (t.kind) {
    case Token::Literal:
      return c == t.c;
    case Token::AnyOne:
    case Token::Star:
      return c != '/';
    case Token::Class: {
      if (c == '/') return false;
      bool in = false;
      for (const auto& r : t.ranges)
        if (c >= r.lo && c <= r.hi) {
          in = true;
          break;
        }
      return in != t.negated;
    }
    case Token::DoubleStar:
    case Token::AnyDirs:
      return true;
  }
  return false;
}

bool NamePattern::matches(std::string_view name) const {
  // States: 2 * token index + (inside an AnyDirs run); 2 * n accepts.
  const std::size_t n = tokens_.size();
  std::vector<char> now(2 * n + 2, 0), next(2 * n + 2, 0);
  auto close = [&](std::vector<char>& set) {
    // Epsilon moves only go forward: one pass in order suffices.
    for (std::size_t k = 0; k < n; ++k)
      if (set[2 * k]) {
        auto kind = tokens_[k].kind;
        if (kind == Token::Star || kind == Token::DoubleStar || kind == Token::AnyDirs) set[2 * (k + 1)] = 1;
      }
  };
  now[0] = 1;
  close(now);
  std::size_t i = 0;
  while (i < name.size()) {
    std::size_t len;
    const char32_t c = decode_at(name, i, len);
    i += len;
    std::fill(next.begin(), next.end(), 0);
    bool any = false;
    for (std::size_t k = 0; k < n; ++k) {
      const Token& t = tokens_[k];
      if (t.kind == Token::AnyDirs) {
        if (now[2 * k] || now[2 * k + 1]) {
          next[2 * k + 1] = 1;  // inside: any character, '/' too
          if (c == '/') next[2 * (k + 1)] = 1;
          any = true;
        }
        continue;
      }
      if (!now[2 * k] || !accepts(t, c)) continue;
      any = true;
      if (t.kind == Token::Star || t.kind == Token::DoubleStar)
        next[2 * k] = 1;
      else
        next[2 * (k + 1)] = 1;
    }
    if (!any) return false;
    close(next);
    now.swap(next);
  }
  return now[2 * n] != 0;
}

}  // namespace ft
