// Asking a busy server again: a 503 with Retry-After (the server's
// --max-uploads slots are all taken; nothing of the request was stored) is
// retried a few times, each after the wait the server names, within the
// bounds of RemoteTimeouts. Every request of the remote store may be sent
// again: GET, HEAD and a versioned DELETE are idempotent, and a PUT names its
// version (the same content again changes nothing) and has a body that can
// be re-read from its first byte (UploadSource::rewind).
#pragma once

#include <atomic>
#include <chrono>
#include <optional>
#include <string>

#include "filetracker/remote_data_store.hpp"
#include "http_exchange.hpp"

namespace ft {

class BusyRetry {
 public:
  explicit BusyRetry(const RemoteTimeouts& timeouts) : timeouts_(timeouts) {}

  // True when `response` is a busy answer that will be asked again (an
  // attempt is left and its wait is within the cap). Does not count.
  bool will_retry(const HttpResponse& response) const { return wait_for(response).has_value(); }

  // The wait before the next attempt, counting it; nullopt: `response` is
  // the answer.
  std::optional<std::chrono::milliseconds> next(const HttpResponse& response);

  // Sleeps `wait`, waking early to throw Error(Cancelled) ("SUBJECT:
  // cancelled") once `cancel` is true.
  static void sleep(std::chrono::milliseconds wait, const std::atomic<bool>* cancel, const std::string& subject);

 private:
  std::optional<std::chrono::milliseconds> wait_for(const HttpResponse& response) const;

  const RemoteTimeouts& timeouts_;
  int retries_ = 0;
};

// The wait a Retry-After value names (delta-seconds or an HTTP-date, RFC
// 9110 10.2.3); nullopt when it is neither.
std::optional<std::chrono::milliseconds> parse_retry_after(const std::string& value);

}  // namespace ft
