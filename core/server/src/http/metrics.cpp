#include "http/metrics.hpp"

#include <cstdio>

namespace ft::server {
namespace {

constexpr std::array<std::string_view, 5> kMethodNames = {"GET", "HEAD", "PUT", "DELETE", "other"};

std::size_t method_index(std::string_view method) {
  for (std::size_t i = 0; i + 1 < kMethodNames.size(); ++i)
    if (method == kMethodNames[i]) return i;
  return kMethodNames.size() - 1;
}

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.9g", v);
  return buf;
}

void header(std::string& out, const char* name, const char* type, const char* help) {
  out += "# HELP ";
  out += name;
  out += ' ';
  out += help;
  out += "\n# TYPE ";
  out += name;
  out += ' ';
  out += type;
  out += '\n';
}

void histogram(std::string& out, const char* name, const char* help, const Histogram& h) {
  header(out, name, "histogram", help);
  const Histogram::Snapshot s = h.snapshot();
  for (std::size_t i = 0; i < s.cumulative.size(); ++i) {
    out += name;
    out += "_bucket{le=\"";
    out += i < s.bounds.size() ? number(s.bounds[i]) : "+Inf";
    out += "\"} " + std::to_string(s.cumulative[i]) + '\n';
  }
  out += std::string(name) + "_sum " + number(s.sum) + '\n';
  out += std::string(name) + "_count " + std::to_string(s.count) + '\n';
}

void value(std::string& out, const char* name, const char* type, const char* help, std::int64_t v) {
  header(out, name, type, help);
  out += std::string(name) + ' ' + std::to_string(v) + '\n';
}

}  // namespace

void ServerMetrics::request_done(std::string_view method, int status, std::uint64_t bytes_in,
                                 std::uint64_t bytes_out, double seconds) {
  const std::size_t s = status > 0 && status < static_cast<int>(kStatuses) ? static_cast<std::size_t>(status) : 0;
  requests_[method_index(method)][s].fetch_add(1, std::memory_order_relaxed);
  bytes_in_.fetch_add(bytes_in, std::memory_order_relaxed);
  bytes_out_.fetch_add(bytes_out, std::memory_order_relaxed);
  latency_.observe(seconds);
}

std::string ServerMetrics::render(const Storage& storage) const {
  std::string out;
  header(out, "filetracker_http_requests_total", "counter", "HTTP requests answered, by method and status.");
  for (std::size_t m = 0; m < kMethods; ++m)
    for (std::size_t s = 0; s < kStatuses; ++s)
      if (auto n = requests_[m][s].load(std::memory_order_relaxed))
        out += "filetracker_http_requests_total{method=\"" + std::string(kMethodNames[m]) + "\",status=\"" +
               std::to_string(s) + "\"} " + std::to_string(n) + '\n';
  value(out, "filetracker_http_received_bytes_total", "counter", "Request body bytes received.",
        static_cast<std::int64_t>(bytes_in_.load()));
  value(out, "filetracker_http_sent_bytes_total", "counter", "Response bytes sent (headers and bodies).",
        static_cast<std::int64_t>(bytes_out_.load()));
  histogram(out, "filetracker_http_request_duration_seconds",
            "Time from a request's header to the end of its answer.", latency_);
  value(out, "filetracker_uploads_in_flight", "gauge", "PUT requests being received or committed.",
        uploads_in_flight_.load());
  const Storage::WriteStats& w = storage.write_stats();
  histogram(out, "filetracker_write_batch_size", "Writes (PUT, DELETE) committed together in one batch.",
            w.batch_size);
  histogram(out, "filetracker_write_commit_duration_seconds",
            "Time to make one batch durable: blob fsyncs, renames, index commit.", w.commit_seconds);
  if (w.totals_known) {
    value(out, "filetracker_stored_files", "gauge", "Files stored.", w.files.load());
    value(out, "filetracker_stored_bytes", "gauge", "Logical (uncompressed) bytes of the files stored.",
          w.bytes.load());
  }
  header(out, "filetracker_fallback_requests_total", "counter",
         "Requests for names missing here that went to the old server (--fallback-url), by result.");
  const std::pair<const char*, const std::atomic<std::uint64_t>*> fallback[] = {
      {"redirected", &fallback_redirected}, {"pulled", &fallback_pulled}, {"joined", &fallback_joined},
      {"missing", &fallback_missing},       {"failed", &fallback_failed}};
  for (const auto& [result, counter] : fallback)
    out += std::string("filetracker_fallback_requests_total{result=\"") + result + "\"} " +
           std::to_string(counter->load()) + '\n';
  return out;
}

}  // namespace ft::server
