// The Prometheus text parser and the dashboard arithmetic
// (core/include/filetracker/prometheus_text.hpp): on the real server's
// /metrics after known traffic, on the format's corner cases, and the
// histogram quantile against values worked out by hand.
#include <QTest>

#include <cmath>
#include <limits>
#include <sstream>
#include <stdexcept>

#include "filetracker/prometheus_text.hpp"
#include "filetracker/remote_data_store.hpp"
#include "raw_http.hpp"
#include "test_server.hpp"

using namespace ft::prometheus;

class TestPrometheusText : public QObject {
  Q_OBJECT

 private slots:
  // Known traffic, then the real /metrics: the counters say exactly that.
  void realMetricsOfKnownTraffic() {
    if (TestServer::binary().isEmpty()) QSKIP("FILETRACKER_SERVER_BIN is not set");
    TestServer server;
    QVERIFY(server.start());
    auto store = ft::make_remote_data_store(server.url().toStdString());
    for (int i = 0; i < 2; ++i) {
      std::istringstream in(std::string(1000 + i, 'x'));
      store->add_stream("/m/" + std::to_string(i) + ".txt", in);
    }
    RawConnection c(server.port());
    for (int i = 0; i < 3; ++i) QCOMPARE(c.request("GET", "/files/missing.txt").status, 404);
    const RawResponse metrics = c.request("GET", "/metrics");
    QCOMPARE(metrics.status, 200);
    QVERIFY(metrics.header("content-type").startsWith("text/plain; version=0.0.4"));
    const std::vector<Sample> samples = parse_text(std::string_view(metrics.body.constData(), size_t(metrics.body.size())));
    QVERIFY(samples.size() > 20);
    QCOMPARE(sum_of(samples, "filetracker_http_requests_total", {{"method", "GET"}, {"status", "404"}}), 3.0);
    QCOMPARE(sum_of(samples, "filetracker_http_requests_total", {{"method", "PUT"}, {"status", "200"}}), 2.0);
    QCOMPARE(sum_of(samples, "filetracker_stored_files"), 2.0);
    QCOMPARE(sum_of(samples, "filetracker_stored_bytes"), 2001.0);
    QCOMPARE(sum_of(samples, "filetracker_uploads_in_flight"), 0.0);
    QVERIFY(sum_of(samples, "filetracker_http_received_bytes_total") > 0);
    QVERIFY(sum_of(samples, "filetracker_http_sent_bytes_total") > 0);
    QVERIFY(!has(samples, "filetracker_no_such_metric"));
    // Every answered request is in the latency histogram: +Inf = _count = all requests.
    const auto buckets = histogram_buckets(samples, "filetracker_http_request_duration_seconds");
    QCOMPARE(buckets.size(), size_t(17));
    QVERIFY(std::isinf(buckets.back().upper_bound));
    const double requests = sum_of(samples, "filetracker_http_requests_total");
    QCOMPARE(buckets.back().count, requests);
    QCOMPARE(sum_of(samples, "filetracker_http_request_duration_seconds_count"), requests);
    for (size_t i = 1; i < buckets.size(); ++i) QVERIFY(buckets[i].count >= buckets[i - 1].count);
    // The quantile of everything since the start lies within the bounds.
    std::vector<Bucket> start = buckets;
    for (Bucket& b : start) b.count = 0;
    const auto p99 = histogram_quantile(0.99, start, buckets);
    QVERIFY(p99.has_value());
    QVERIFY(*p99 > 0 && *p99 <= 60);
    // A second scrape: 2 more GETs between them, nothing else.
    QCOMPARE(c.request("GET", "/files/missing.txt").status, 404);
    const RawResponse again = c.request("GET", "/metrics");
    const auto later = parse_text(std::string_view(again.body.constData(), size_t(again.body.size())));
    // (the first /metrics GET and one 404)
    QCOMPARE(sum_of(later, "filetracker_http_requests_total", {{"method", "GET"}}) -
                 sum_of(samples, "filetracker_http_requests_total", {{"method", "GET"}}),
             2.0);
  }

  void formatCornerCases() {
    const auto s = parse_text(
        "# HELP a_total Some help with \\\\ in it.\n"
        "# TYPE a_total counter\n"
        "\n"
        "a_total{method=\"GET\",path=\"/a \\\"b\\\"\\\\c\\nd\"} 12 1700000000000\n"
        "  b_gauge -3.5e-2\r\n"
        "c{le=\"+Inf\",} +Inf\n"
        "d NaN\n"
        "e{} -Inf\n");
    QCOMPARE(s.size(), size_t(5));
    QCOMPARE(s[0].name, std::string("a_total"));
    QCOMPARE(*s[0].label("method"), std::string("GET"));
    QCOMPARE(*s[0].label("path"), std::string("/a \"b\"\\c\nd"));
    QVERIFY(s[0].label("status") == nullptr);
    QCOMPARE(s[0].value, 12.0);
    QCOMPARE(s[1].value, -0.035);
    QVERIFY(std::isinf(s[2].value) && s[2].value > 0);
    QVERIFY(std::isnan(s[3].value));
    QVERIFY(std::isinf(s[4].value) && s[4].value < 0);
    QCOMPARE(sum_of(s, "a_total", {{"method", "PUT"}}), 0.0);
  }

  void malformedLinesSayWhere_data() {
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("reason");
    QTest::newRow("no value") << QByteArray("ok 1\nbad\n") << QStringLiteral("line 2: no number");
    QTest::newRow("not a number") << QByteArray("x 12abc\n") << QStringLiteral("line 1: no number");
    QTest::newRow("bad name") << QByteArray("9x 1\n") << QStringLiteral("line 1: a metric name");
    QTest::newRow("unquoted label") << QByteArray("x{a=b} 1\n") << QStringLiteral("line 1: label a has no quoted value");
    QTest::newRow("open label") << QByteArray("x{a=\"b} 1\n") << QStringLiteral("line 1: unterminated");
    QTest::newRow("bad escape") << QByteArray("x{a=\"\\t\"} 1\n") << QStringLiteral("line 1: unknown escape");
    QTest::newRow("trailing text") << QByteArray("x 1 2 3\n") << QStringLiteral("line 1: unexpected text");
    QTest::newRow("labels unclosed") << QByteArray("x{a=\"1\" 1\n") << QStringLiteral("line 1: expected ','");
  }
  void malformedLinesSayWhere() {
    QFETCH(QByteArray, text);
    QFETCH(QString, reason);
    try {
      parse_text(std::string_view(text.constData(), size_t(text.size())));
      QFAIL("no error");
    } catch (const std::runtime_error& e) {
      QVERIFY2(QString::fromUtf8(e.what()).startsWith(reason), e.what());
    }
  }

  // 100 observations between the scrapes: 50 <= 0.1 s, 40 in (0.1, 1], 10 in (1, +Inf).
  void quantileInterpolates() {
    const std::vector<Bucket> before{{0.1, 10}, {1, 20}, {std::numeric_limits<double>::infinity(), 20}};
    const std::vector<Bucket> after{{0.1, 60}, {1, 110}, {std::numeric_limits<double>::infinity(), 120}};
    // rank 50 is the 50th of the first bucket's 50: its upper bound.
    QCOMPARE(*histogram_quantile(0.5, before, after), 0.1);
    // rank 25: half-way through (0, 0.1].
    QCOMPARE(*histogram_quantile(0.25, before, after), 0.05);
    // rank 70: 20 of the 40 in (0.1, 1] → 0.1 + 0.9 * 0.5.
    QVERIFY(std::abs(*histogram_quantile(0.7, before, after) - 0.55) < 1e-12);
    // rank 99 is in +Inf: the highest finite bound.
    QCOMPARE(*histogram_quantile(0.99, before, after), 1.0);
    // Nothing observed, a restart (counts went back), mismatched buckets: none.
    QVERIFY(!histogram_quantile(0.5, after, after));
    QVERIFY(!histogram_quantile(0.5, after, before));
    QVERIFY(!histogram_quantile(0.5, std::vector<Bucket>(before.begin(), before.end() - 1), after));
    QVERIFY(!histogram_quantile(1.5, before, after));
  }
};

QTEST_GUILESS_MAIN(TestPrometheusText)
#include "test_prometheus_text.moc"
