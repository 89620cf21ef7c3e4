#include "auth/failure_throttle.hpp"

#include <algorithm>

namespace ft::server {

FailureThrottle::Verdict FailureThrottle::record_failure(const std::string& address) {
  const auto now = Clock::now();
  std::lock_guard lock(mutex_);
  if (states_.size() >= kMaxAddresses) {
    std::erase_if(states_, [&](const auto& entry) { return now - entry.second.last > kForget; });
    if (states_.size() >= kMaxAddresses) {
      auto oldest = std::min_element(states_.begin(), states_.end(),
                                     [](const auto& a, const auto& b) { return a.second.last < b.second.last; });
      states_.erase(oldest);
    }
  }
  State& state = states_[address];
  if (state.failures && now - state.last > kForget) state.failures = 0;
  state.failures = std::min(state.failures + 1, 64u);
  state.last = now;
  auto delay = kFirstDelay;
  for (unsigned i = 1; i < state.failures && delay < kMaxDelay; ++i) delay *= 2;
  delay = std::min(delay, kMaxDelay);
  state.until = now + delay;
  return {state.failures, delay};
}

bool FailureThrottle::cooling_down(const std::string& address) {
  std::lock_guard lock(mutex_);
  if (states_.empty()) return false;
  auto it = states_.find(address);
  return it != states_.end() && Clock::now() < it->second.until;
}


}  // namespace ft::server
