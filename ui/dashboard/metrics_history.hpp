// What the server dashboard draws: one point per pair of consecutive
// /metrics scrapes (rates are the counters' increase over the time between
// them; p50/p99 latency come from the histogram buckets' increase), kept for
// the longest time window the dashboard offers. Counters that go back (a
// restarted server) start a new run instead of a negative rate.
#pragma once

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

#include "filetracker/prometheus_text.hpp"

namespace ft::ui {

struct DashboardPoint {
  qint64 msecs = 0;                 // the later scrape's time (ms since the epoch, UTC)
  QList<double> requestsPerSecond;  // by MetricsHistory::methods()
  double bytesInPerSecond = 0;
  double bytesOutPerSecond = 0;
  double clientErrorsPerSecond = 0;  // answered 4xx
  double serverErrorsPerSecond = 0;  // answered 5xx
  std::optional<double> p50Seconds;  // nothing answered between the scrapes: none
  std::optional<double> p99Seconds;
};

// The gauges of the latest scrape (-1: the server did not report it).
struct DashboardGauges {
  qint64 files = -1;
  qint64 bytes = -1;
  qint64 uploadsInFlight = -1;
};

class MetricsHistory {
 public:
  // The methods the server counts requests by (its "method" label).
  static const QStringList& methods();

  // A scrape taken at `msecs`; true when it made a new point.
  bool add(qint64 msecs, const std::vector<prometheus::Sample>& samples);
  void clear();
  const std::vector<DashboardPoint>& points() const { return points_; }
  const DashboardGauges& gauges() const { return gauges_; }
  int scrapeCount() const { return scrapes_; }
  // Points older than this before the newest are dropped.
  void setMaxAgeMsecs(qint64 msecs) { maxAge_ = msecs; }

  // The points since `sinceMsecs` as CSV (a header line, then one line per
  // point; times in ISO 8601 UTC, latency in milliseconds, empty when none).
  QByteArray toCsv(qint64 sinceMsecs = 0) const;

 private:
  struct Scrape {
    qint64 msecs = 0;
    QList<double> requests;  // by method, cumulative
    double bytesIn = 0, bytesOut = 0, clientErrors = 0, serverErrors = 0;
    std::vector<prometheus::Bucket> latency;
  };
  std::optional<Scrape> last_;
  std::vector<DashboardPoint> points_;
  DashboardGauges gauges_;
  int scrapes_ = 0;
  qint64 maxAge_ = 6 * 3600 * 1000LL;
};

}  // namespace ft::ui
