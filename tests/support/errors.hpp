// Catching the ft::Error a call throws, for assertions on its code and text.
#pragma once

#include <optional>
#include <string>
#include <utility>

#include "filetracker/error.hpp"

namespace test {

// Runs fn and returns the ft::Error it throws (nullopt when it throws none).
template <typename Fn>
std::optional<ft::Error> error_of(Fn&& fn) {
  try {
    std::forward<Fn>(fn)();
  } catch (const ft::Error& e) {
    return e;
  }
  return std::nullopt;
}

// The code of the ft::Error fn throws (its text in *message), or
// ErrorCode(-1) when it throws none: QCOMPARE(code_of(...), ErrorCode::X).
template <typename Fn>
ft::ErrorCode code_of(Fn&& fn, std::string* message = nullptr) {
  const auto error = error_of(std::forward<Fn>(fn));
  if (!error) return static_cast<ft::ErrorCode>(-1);
  if (message) *message = error->what();
  return error->code();
}

}  // namespace test
