#include "dashboard/metrics_history.hpp"

#include <QDateTime>

#include <algorithm>

namespace ft::ui {
namespace {

constexpr const char* kRequests = "filetracker_http_requests_total";
constexpr const char* kLatency = "filetracker_http_request_duration_seconds";

qint64 gauge(const std::vector<prometheus::Sample>& samples, const char* name) {
  return prometheus::has(samples, name) ? qint64(prometheus::sum_of(samples, name)) : -1;
}

// Requests answered with a status in [from, to).
double statusSum(const std::vector<prometheus::Sample>& samples, int from, int to) {
  double total = 0;
  for (const prometheus::Sample& s : samples) {
    if (s.name != kRequests) continue;
    const std::string* status = s.label("status");
    if (!status) continue;
    const int code = QString::fromStdString(*status).toInt();
    if (code >= from && code < to) total += s.value;
  }
  return total;
}

QString number(double v) { return QString::number(v, 'g', 10); }

}  // namespace

const QStringList& MetricsHistory::methods() {
  static const QStringList kMethods{QStringLiteral("GET"), QStringLiteral("HEAD"), QStringLiteral("PUT"),
                                    QStringLiteral("DELETE"), QStringLiteral("other")};
  return kMethods;
}

bool MetricsHistory::add(qint64 msecs, const std::vector<prometheus::Sample>& samples) {
  ++scrapes_;
  gauges_ = {gauge(samples, "filetracker_stored_files"), gauge(samples, "filetracker_stored_bytes"),
             gauge(samples, "filetracker_uploads_in_flight")};
  Scrape now;
  now.msecs = msecs;
  for (const QString& m : methods()) now.requests << prometheus::sum_of(samples, kRequests, {{"method", m.toStdString()}});
  now.bytesIn = prometheus::sum_of(samples, "filetracker_http_received_bytes_total");
  now.bytesOut = prometheus::sum_of(samples, "filetracker_http_sent_bytes_total");
  now.clientErrors = statusSum(samples, 400, 500);
  now.serverErrors = statusSum(samples, 500, 600);
  now.latency = prometheus::histogram_buckets(samples, kLatency);

  bool made = false;
  if (last_ && msecs > last_->msecs) {
    const Scrape& was = *last_;
    bool reset = now.bytesIn < was.bytesIn || now.bytesOut < was.bytesOut;
    for (int i = 0; i < now.requests.size(); ++i) reset = reset || now.requests[i] < was.requests[i];
    if (!reset) {
      const double seconds = double(msecs - was.msecs) / 1000.0;
      DashboardPoint p;
      p.msecs = msecs;
      for (int i = 0; i < now.requests.size(); ++i) p.requestsPerSecond << (now.requests[i] - was.requests[i]) / seconds;
      p.bytesInPerSecond = (now.bytesIn - was.bytesIn) / seconds;
      p.bytesOutPerSecond = (now.bytesOut - was.bytesOut) / seconds;
      p.clientErrorsPerSecond = (now.clientErrors - was.clientErrors) / seconds;
      p.serverErrorsPerSecond = (now.serverErrors - was.serverErrors) / seconds;
      p.p50Seconds = prometheus::histogram_quantile(0.5, was.latency, now.latency);
      p.p99Seconds = prometheus::histogram_quantile(0.99, was.latency, now.latency);
      points_.push_back(std::move(p));
      made = true;
      const qint64 oldest = msecs - maxAge_;
      const auto keep = std::find_if(points_.begin(), points_.end(), [oldest](const DashboardPoint& q) { return q.msecs >= oldest; });
      points_.erase(points_.begin(), keep);
    }
  }
  last_ = std::move(now);
  return made;
}

void MetricsHistory::clear() {
  last_.reset();
  points_.clear();
  gauges_ = {};
  scrapes_ = 0;
}

QByteArray MetricsHistory::toCsv(qint64 sinceMsecs) const {
  QStringList header{QStringLiteral("time")};
  for (const QString& m : methods()) header << m + QStringLiteral(" requests/s");
  header << QStringLiteral("bytes in/s") << QStringLiteral("bytes out/s") << QStringLiteral("4xx/s")
         << QStringLiteral("5xx/s") << QStringLiteral("p50 ms") << QStringLiteral("p99 ms");
  QByteArray out = header.join(QLatin1Char(',')).toUtf8() + '\n';
  for (const DashboardPoint& p : points_) {
    if (p.msecs < sinceMsecs) continue;
    QStringList row{QDateTime::fromMSecsSinceEpoch(p.msecs, Qt::UTC).toString(Qt::ISODateWithMs)};
    for (double r : p.requestsPerSecond) row << number(r);
    row << number(p.bytesInPerSecond) << number(p.bytesOutPerSecond) << number(p.clientErrorsPerSecond)
        << number(p.serverErrorsPerSecond) << (p.p50Seconds ? number(*p.p50Seconds * 1000) : QString())
        << (p.p99Seconds ? number(*p.p99Seconds * 1000) : QString());
    out += row.join(QLatin1Char(',')).toUtf8() + '\n';
  }
  return out;
}

}  // namespace ft::ui
