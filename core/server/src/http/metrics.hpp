// What GET /metrics reports (Prometheus text format 0.0.4): counters the
// connections and handlers update without locks, plus the storage's write
// statistics, rendered on each scrape. One object per server.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

#include "filetracker/server/histogram.hpp"
#include "filetracker/server/storage.hpp"

namespace ft::server {

class ServerMetrics {
 public:
  // One answered request (also one cut off while its answer was sent).
  void request_done(std::string_view method, int status, std::uint64_t bytes_in, std::uint64_t bytes_out,
                    double seconds);

  // An upload from its header until its commit is answered.
  class UploadInFlight {
   public:
    explicit UploadInFlight(std::atomic<std::int64_t>* gauge) : gauge_(gauge) { gauge_->fetch_add(1); }
    UploadInFlight(UploadInFlight&& other) noexcept : gauge_(other.gauge_) { other.gauge_ = nullptr; }
    UploadInFlight& operator=(UploadInFlight&&) = delete;
    ~UploadInFlight() {
      if (gauge_) gauge_->fetch_sub(1);
    }

   private:
    std::atomic<std::int64_t>* gauge_;
  };
  UploadInFlight upload_started() { return UploadInFlight(&uploads_in_flight_); }

  // Requests for names missing here, answered from the old server (--fallback-url).
  std::atomic<std::uint64_t> fallback_redirected{0};  // answered with a 307
  std::atomic<std::uint64_t> fallback_pulled{0};      // fetched, stored here, answered
  std::atomic<std::uint64_t> fallback_joined{0};      // waited for a fetch another request started
  std::atomic<std::uint64_t> fallback_missing{0};     // missing there too (404)
  std::atomic<std::uint64_t> fallback_failed{0};      // the old server failed or sent bad content

  std::string render(const Storage& storage) const;

 private:
  static constexpr std::size_t kMethods = 5;  // GET, HEAD, PUT, DELETE, other
  static constexpr std::size_t kStatuses = 600;
  std::array<std::array<std::atomic<std::uint64_t>, kStatuses>, kMethods> requests_{};
  std::atomic<std::uint64_t> bytes_in_{0};
  std::atomic<std::uint64_t> bytes_out_{0};
  std::atomic<std::int64_t> uploads_in_flight_{0};
  Histogram latency_{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};
};

}  // namespace ft::server
