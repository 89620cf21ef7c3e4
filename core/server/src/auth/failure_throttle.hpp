// Slows down guessing: each failed authentication from a client address
// doubles the delay before its next 401 (250 ms, 500 ms, 1 s, ... at most
// 16 s). Only 10 minutes without a failure forget them: a success does not
// (else a guesser holding any valid account could reset its own count). Thread-safe; bounded memory (the oldest addresses
// are forgotten first when 10,000 are tracked).
#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>

namespace ft::server {

class FailureThrottle {
 public:
  using Clock = std::chrono::steady_clock;
  struct Verdict {
    unsigned failures;                 // in a row from this address, this one included
    std::chrono::milliseconds delay;   // to wait before answering this failure
  };
  Verdict record_failure(const std::string& address);
  // Is the address within the delay of its last failure? (Its guesses then
  // get no Argon2id: only credentials verified before count.)
  bool cooling_down(const std::string& address);

  static constexpr std::chrono::milliseconds kFirstDelay{250};
  static constexpr std::chrono::milliseconds kMaxDelay{16000};
  static constexpr std::chrono::minutes kForget{10};
  static constexpr std::size_t kMaxAddresses = 10000;

 private:
  struct State {
    unsigned failures = 0;
    Clock::time_point last;
    Clock::time_point until;  // last + its delay
  };
  std::mutex mutex_;
  std::unordered_map<std::string, State> states_;
};

}  // namespace ft::server
