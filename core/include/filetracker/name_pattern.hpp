// A glob over filetracker names (`filetracker find --name`, the server's
// `pattern` listing parameter): the one definition both sides use, so a
// plain-v2 fallback matches exactly what the server would.
//
// The pattern is matched against a file's whole absolute name, resolved
// against the directory searched (`base`):
//   - no '/' in it        the last component, at any depth below base:
//                         "*.out" under /p is "/p/**/*.out"
//   - starts with '/'     absolute: "/problems/*/tests/1*.in"
//   - else                relative to base: "tests/*.in" under /p is "/p/tests/*.in"
// Inside it (characters are UTF-8 code points; case matters):
//   *        any run of characters without '/', also none
//   **       any run of characters, '/' included; as a whole component
//            ("/a/**/x") zero or more directories: "/a/x", "/a/b/c/x"
//   ?        one character other than '/'
//   [abc] [a-z] [!a-z] [^a-z]   one character (not '/') in / not in the set;
//            a ']' right after '[' or '[!' is a member; an unclosed '[' is literal
//   \c       the character c itself
// Matching is linear in name length times pattern length (a set of states,
// no backtracking), so a hostile pattern cannot make it slow.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ft {

class NamePattern {
 public:
  // Throws Error(InvalidArgument) for an empty or over-long (4096 bytes)
  // pattern, one that is not UTF-8 or holds a control character, and a base
  // that is not an absolute directory name.
  NamePattern(std::string_view pattern, std::string_view base = "/");

  bool matches(std::string_view name) const;
  // The deepest directory every match lies below ("/" at worst): the
  // literal part of the pattern up to its last '/' before the first
  // wildcard. An index scans only that directory's range.
  const std::string& literal_directory() const { return literal_directory_; }
  // The absolute pattern as matched ("*.out" under /p: "/p/**/*.out").
  const std::string& resolved() const { return resolved_; }

 private:
  struct Range {
    char32_t lo, hi;
  };
  struct Token {
    enum Kind : std::uint8_t { Literal, AnyOne, Class, Star, DoubleStar, AnyDirs } kind;
    char32_t c = 0;               // Literal
    bool negated = false;         // Class
    std::vector<Range> ranges;    // Class
  };
  bool accepts(const Token& t, char32_t c) const;

  std::vector<Token> tokens_;
  std::string resolved_;
  std::string literal_directory_;
};

}  // namespace ft
