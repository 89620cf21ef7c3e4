#include "store/bandwidth_limiter.hpp"

#include <algorithm>
#include <cmath>

namespace ft::ui {

BandwidthLimiter::BandwidthLimiter() { clock_.start(); }

qint64 BandwidthLimiter::capacity() const { return std::max<qint64>(rate_ / 4, 4096); }

void BandwidthLimiter::setRate(qint64 bytesPerSecond) {
  rate_ = std::max<qint64>(0, bytesPerSecond);
  // A new limit starts with an empty bucket: no burst above it.
  tokens_ = 0;
  lastNs_ = clock_.nsecsElapsed();
}

void BandwidthLimiter::refill() {
  const qint64 now = clock_.nsecsElapsed();
  tokens_ = std::min(double(capacity()), tokens_ + double(now - lastNs_) * double(rate_) / 1e9);
  lastNs_ = now;
}

qint64 BandwidthLimiter::take(qint64 want, qint64 least) {
  if (rate_ <= 0 || want <= 0) return std::max<qint64>(want, 0);
  refill();
  if (tokens_ < double(std::min(std::max<qint64>(least, 1), capacity()))) return 0;
  const qint64 got = std::min(want, qint64(tokens_));
  tokens_ -= double(got);
  return got;
}

int BandwidthLimiter::millisecondsUntil(qint64 bytes) {
  if (rate_ <= 0) return 0;
  refill();
  const double missing = double(std::min(bytes, capacity())) - tokens_;
  if (missing <= 0) return 0;
  return std::max(1, int(std::ceil(missing * 1000.0 / double(rate_))));
}

}  // namespace ft::ui
