// A Prometheus-style histogram with fixed bucket bounds: observe() from any
// thread without a lock (one atomic increment per bucket hit); a scrape
// reads a snapshot that may mix observations made while it reads, as
// Prometheus clients allow.
#pragma once

#include <atomic>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <vector>

namespace ft::server {

class Histogram {
 public:
  // `bounds`: the upper bounds of the buckets, increasing; +Inf is added.
  explicit Histogram(std::initializer_list<double> bounds)
      : bounds_(bounds), counts_(std::make_unique<std::atomic<std::uint64_t>[]>(bounds_.size() + 1)) {}

  void observe(double value) {
    std::size_t i = 0;
    while (i < bounds_.size() && value > bounds_[i]) ++i;
    counts_[i].fetch_add(1, std::memory_order_relaxed);
    count_.fetch_add(1, std::memory_order_relaxed);
    // The sum in millionths: atomic without a CAS loop on a double.
    sum_micro_.fetch_add(static_cast<std::uint64_t>(value * 1e6 + 0.5), std::memory_order_relaxed);
  }

  struct Snapshot {
    std::vector<double> bounds;
    std::vector<std::uint64_t> cumulative;  // per bound, then +Inf (= count)
    std::uint64_t count = 0;
    double sum = 0;
  };
  Snapshot snapshot() const {
    Snapshot s;
    s.bounds = bounds_;
    std::uint64_t running = 0;
    for (std::size_t i = 0; i <= bounds_.size(); ++i) {
      running += counts_[i].load(std::memory_order_relaxed);
      s.cumulative.push_back(running);
    }
    s.count = running;
    s.sum = static_cast<double>(sum_micro_.load(std::memory_order_relaxed)) / 1e6;
    return s;
  }

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> counts_;
  std::atomic<std::uint64_t> count_{0};
  std::atomic<std::uint64_t> sum_micro_{0};
};

}  // namespace ft::server
