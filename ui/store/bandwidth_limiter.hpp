// The transfer queue's optional bandwidth limit (issue 15): one token bucket
// shared by every upload and download of a store, so the limit holds for
// the queue as a whole however many transfers run at once. The bucket holds
// a quarter of a second's worth of bytes: short bursts stay small, and the
// rate over a second is the limit within a few percent.
// Used on the store's thread only (the GUI thread): no locking.
#pragma once

#include <QElapsedTimer>
#include <QtGlobal>

namespace ft::ui {

class BandwidthLimiter {
 public:
  BandwidthLimiter();

  // Bytes per second; 0: unlimited.
  void setRate(qint64 bytesPerSecond);
  qint64 rate() const { return rate_; }
  bool limited() const { return rate_ > 0; }

  // Takes up to `want` bytes' worth of tokens and returns how many it got:
  // all of `want` when unlimited; 0 when fewer than `least` are there.
  qint64 take(qint64 want, qint64 least = 1);
  // Milliseconds until at least `bytes` (capped at the bucket's size) can be taken.
  int millisecondsUntil(qint64 bytes);

 private:
  void refill();
  qint64 capacity() const;

  qint64 rate_ = 0;
  double tokens_ = 0;
  qint64 lastNs_ = 0;
  QElapsedTimer clock_;
};

}  // namespace ft::ui
