// GET /health and GET /metrics on the real server: health follows the
// blob store's state, and every counter moves by exactly what the requests
// made between two scrapes did.
#include <QtTest>

#include <QRegularExpression>

#include <filesystem>

#include "raw_http.hpp"
#include "test_server.hpp"
#include "wire.hpp"

using namespace test;
namespace fs = std::filesystem;

namespace {

// The value of one sample ("name{labels} value"); -1 when it is missing.
double sample(const QByteArray& text, const QByteArray& series) {
  for (const QByteArray& line : text.split('\n'))
    if (line.startsWith(series + ' ')) return line.mid(series.size() + 1).toDouble();
  return -1;
}

QByteArray scrape(quint16 port) {
  RawResponse r = rawRequest(port, "GET", "/metrics");
  if (r.status != 200) return {};
  return r.body;
}

}  // namespace

class TestServerOperations : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    if (TestServer::binary().isEmpty()) QSKIP("FILETRACKER_SERVER_BIN is not set");
  }

  void health() {
    TestServer server;
    QVERIFY(server.start());
    RawResponse r = rawRequest(server.port(), "GET", "/health");
    QCOMPARE(r.status, 200);
    QCOMPARE(r.body, QByteArray("ok"));
    QCOMPARE(rawRequest(server.port(), "HEAD", "/health").status, 200);

    // The blob store loses its upload directory: no upload could succeed.
    const fs::path tmp = fs::path(server.dataDir().toStdString()) / "blobs" / "tmp";
    fs::remove_all(tmp);
    r = rawRequest(server.port(), "GET", "/health");
    QCOMPARE(r.status, 503);
    QVERIFY2(r.body.startsWith("blob store: "), r.body.constData());
    QVERIFY(r.has("X-Exception"));
    fs::create_directory(tmp);
    QCOMPARE(rawRequest(server.port(), "GET", "/health").status, 200);
  }

  void metricsCountRequests() {
    TestServer server;
    QVERIFY(server.start());
    // Everything on one keep-alive connection: the server counts a request
    // once its answer is sent and reads a connection's next request only
    // after that, so a scrape sees every earlier request of its connection.
    // (From another connection it could come before that bookkeeping.)
    RawConnection c(server.port());
    auto scrapeHere = [&c] {
      RawResponse r = c.request("GET", "/metrics");
      return r.status == 200 ? r.body : QByteArray();
    };
    QVERIFY(c.request("PUT", filesTarget("/before", 100), {}, "stored before").status == 200);
    const QByteArray before = scrapeHere();
    QVERIFY(!before.isEmpty());
    QVERIFY(before.contains("# TYPE filetracker_http_request_duration_seconds histogram"));
    QCOMPARE(sample(before, "filetracker_stored_files"), 1.0);
    QCOMPARE(sample(before, "filetracker_uploads_in_flight"), 0.0);

    const QByteArray body(10000, 'x');
    QCOMPARE(c.request("PUT", filesTarget("/m/a", 200), {}, body).status, 200);
    QCOMPARE(c.request("PUT", filesTarget("/m/b", 200), {}, "bb").status, 200);
    QCOMPARE(c.request("GET", "/files/m/a", {{"Accept-Encoding", "gzip"}}).status, 200);
    QCOMPARE(c.request("GET", "/files/m/missing", {{"Accept-Encoding", "gzip"}}).status, 404);
    QCOMPARE(c.request("DELETE", "/files/before" + lastModifiedQuery(100)).status, 200);
    const QByteArray after = scrapeHere();

    auto delta = [&](const QByteArray& series) { return sample(after, series) - std::max(0.0, sample(before, series)); };
    QCOMPARE(delta("filetracker_http_requests_total{method=\"PUT\",status=\"200\"}"), 2.0);
    // The file and the first scrape (counted once answered).
    QCOMPARE(delta("filetracker_http_requests_total{method=\"GET\",status=\"200\"}"), 2.0);
    QCOMPARE(delta("filetracker_http_requests_total{method=\"GET\",status=\"404\"}"), 1.0);
    QCOMPARE(delta("filetracker_http_requests_total{method=\"DELETE\",status=\"200\"}"), 1.0);
    QCOMPARE(delta("filetracker_http_received_bytes_total"), double(body.size() + 2));
    QVERIFY(delta("filetracker_http_sent_bytes_total") > double(before.size()));
    QCOMPARE(delta("filetracker_http_request_duration_seconds_count"), 6.0);
    QCOMPARE(delta("filetracker_http_request_duration_seconds_bucket{le=\"+Inf\"}"), 6.0);
    QCOMPARE(delta("filetracker_write_batch_size_count"), 3.0);  // each write waited for its answer
    QCOMPARE(delta("filetracker_write_commit_duration_seconds_count"), 3.0);
    QCOMPARE(sample(after, "filetracker_stored_files"), 2.0);
    QCOMPARE(sample(after, "filetracker_stored_bytes"), double(body.size() + 2));

    // Counted from the index after a restart.
    // (The writer counts them just after start-up: until then the gauge is absent.)
    QVERIFY(server.restart());
    double stored = -1;
    for (int i = 0; i < 100 && stored < 0; ++i) {
      stored = sample(scrape(server.port()), "filetracker_stored_bytes");
      if (stored < 0) QTest::qWait(20);
    }
    QCOMPARE(stored, double(body.size() + 2));
  }

  void uploadsInFlight() {
    TestServer server;
    QVERIFY(server.start());
    RawConnection upload(server.port());
    upload.sendRaw("PUT /files/slow" + lastModifiedQuery(5) + " HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nhalf");
    double inFlight = 0;
    for (int i = 0; i < 50 && inFlight != 1; ++i) {
      inFlight = sample(scrape(server.port()), "filetracker_uploads_in_flight");
      if (inFlight != 1) QTest::qWait(20);
    }
    QCOMPARE(inFlight, 1.0);
    upload.sendRaw("-a-body");
    QCOMPARE(upload.readResponse().status, 200);
    QCOMPARE(sample(scrape(server.port()), "filetracker_uploads_in_flight"), 0.0);
  }
};

QTEST_GUILESS_MAIN(TestServerOperations)
#include "test_server_operations.moc"
