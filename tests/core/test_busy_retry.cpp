// The remote store asks a busy server again: the real server with a small
// --max-uploads, its upload slots held by stalled uploads (raw PUTs that
// send their headers and a little body, then nothing), answers 503 with
// Retry-After; the client waits as told and sends the whole request again,
// a bounded number of times. The server's /metrics counts each 503, so the
// tests see how many attempts were made.
#include <QtTest>

#include <atomic>
#include <future>
#include <optional>

#include "busy_retry.hpp"
#include "errors.hpp"
#include "files.hpp"
#include "filetracker/error.hpp"
#include "filetracker/protocol.hpp"
#include "filetracker/remote_data_store.hpp"
#include "raw_http.hpp"
#include "temp_dirs.hpp"
#include "test_server.hpp"

namespace {

const QByteArray kBusyPuts = "filetracker_http_requests_total{method=\"PUT\",status=\"503\"}";

double metric(quint16 port, const QByteArray& series) {
  RawResponse r = rawRequest(port, "GET", "/metrics");
  for (const QByteArray& line : r.body.split('\n'))
    if (line.startsWith(series + ' ')) return line.mid(series.size() + 1).toDouble();
  return 0;  // not counted yet
}

// A PUT that takes an upload slot and keeps it until destroyed.
std::unique_ptr<RawConnection> stalledUpload(TestServer& server, const QByteArray& name) {
  auto c = std::make_unique<RawConnection>(server.port());
  const QByteArray date = QByteArray::fromStdString(ft::protocol::format_http_date(10)).toPercentEncoding();
  c->sendRaw("PUT /files" + name + "?last_modified=" + date + " HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n" + QByteArray(1000, 'x'));
  return c;
}

int uploadsInProgress(TestServer& server) {
  return QDir(server.dataDir() + QStringLiteral("/blobs/tmp")).entryList(QDir::Files).size();
}

}  // namespace

class TestBusyRetry : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    if (TestServer::binary().isEmpty()) QSKIP("FILETRACKER_SERVER_BIN is not set");
    QVERIFY(dir_.isValid());
  }

  void retryAfterValues_data() {
    QTest::addColumn<QString>("value");
    QTest::addColumn<int>("ms");  // -1: not a Retry-After value
    QTest::newRow("seconds") << "1" << 1000;
    QTest::newRow("zero") << "0" << 0;
    QTest::newRow("spaces") << " 3 " << 3000;
    QTest::newRow("huge: a day, no overflow") << "99999999999999999999" << -1;  // not a uint64
    QTest::newRow("a week: capped at a day") << "604800" << 86400000;
    QTest::newRow("negative") << "-1" << -1;
    QTest::newRow("fraction") << "1.5" << -1;
    QTest::newRow("words") << "soon" << -1;
    QTest::newRow("empty") << "" << -1;
    QTest::newRow("a date in the past") << "Thu, 01 Jan 2015 00:00:00 GMT" << 0;
  }
  void retryAfterValues() {
    QFETCH(QString, value);
    QFETCH(int, ms);
    const auto wait = ft::parse_retry_after(value.toStdString());
    if (ms < 0) {
      QVERIFY(!wait);
    } else {
      QVERIFY(wait);
      QCOMPARE(int(wait->count()), ms);
    }
  }

  void retryAfterFutureDate() {
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(
        std::chrono::system_clock::now().time_since_epoch()).count();
    const auto wait = ft::parse_retry_after(ft::protocol::format_http_date(now + 5));
    QVERIFY(wait);
    QVERIFY2(wait->count() >= 3000 && wait->count() <= 5000, qPrintable(QString::number(wait->count())));
  }

  // All slots taken: the PUT is refused (503, Retry-After: 1), waits, asks
  // again; once a stalled upload goes away its slot is free and the next
  // attempt stores the file.
  void putWaitsForAFreeSlot() {
    TestServer server({}, {QStringLiteral("--max-uploads"), QStringLiteral("1")});
    QVERIFY(server.start());
    auto stalled = stalledUpload(server, "/busy/stalled");
    QTRY_COMPARE(uploadsInProgress(server), 1);
    const QString local = dir_.filePath(QStringLiteral("a.txt"));
    QVERIFY(test::writeFile(local, "stored after a retry\n"));
    auto done = std::async(std::launch::async, [&] {
      ft::RemoteDataStore store(server.url().toStdString());
      return store.add_file("/busy/a.txt", local.toStdString());
    });
    // Refused at least once while the slot was held...
    QTRY_VERIFY_WITH_TIMEOUT(metric(server.port(), kBusyPuts) >= 1, 15000);
    QVERIFY(done.wait_for(std::chrono::milliseconds(0)) == std::future_status::timeout);  // still trying
    // ...then the slot is free and the retry stores it.
    stalled.reset();
    QVERIFY(done.wait_for(std::chrono::seconds(30)) == std::future_status::ready);
    const std::string name = done.get();  // rethrows what add_file threw
    QVERIFY2(name.rfind("/busy/a.txt@", 0) == 0, name.c_str());
    QCOMPARE(test::content(server.port(), "/busy/a.txt"), QByteArray("stored after a retry\n"));
    const double refused = metric(server.port(), kBusyPuts);
    QVERIFY(refused >= 1 && refused <= 5);  // no more attempts than the bound
    QCOMPARE(metric(server.port(), "filetracker_http_requests_total{method=\"PUT\",status=\"200\"}"), 1.0);
  }

  // The slots stay taken: after its retries the client gives up with the
  // server's one-line reason, having sent 1 + busy_retries requests.
  void giveUpAfterTheRetries() {
    TestServer server({}, {QStringLiteral("--max-uploads"), QStringLiteral("1")});
    QVERIFY(server.start());
    auto stalled = stalledUpload(server, "/busy/stalled");
    QTRY_COMPARE(uploadsInProgress(server), 1);
    const QString local = dir_.filePath(QStringLiteral("b.txt"));
    QVERIFY(test::writeFile(local, "never stored\n"));
    ft::RemoteTimeouts timeouts;
    timeouts.busy_retries = 2;
    ft::RemoteDataStore store(server.url().toStdString(), timeouts);
    QElapsedTimer clock;
    clock.start();
    const auto error = test::error_of([&] { store.add_file("/busy/b.txt", local.toStdString()); });
    QVERIFY(error);
    QVERIFY2(clock.elapsed() >= 2000, qPrintable(QString::number(clock.elapsed())));  // waited as told, twice
    QVERIFY2(QString::fromUtf8(error->what()).contains(QStringLiteral("--max-uploads")),
             error->what());
    QVERIFY2(!QString::fromUtf8(error->what()).contains(QLatin1Char('\n')), error->what());
    // Counted once the answer is sent: the client may read /metrics first.
    QTRY_COMPARE(metric(server.port(), kBusyPuts), 3.0);
    int status = 0;
    test::content(server.port(), "/busy/b.txt", &status);
    QCOMPARE(status, 404);
  }

  // A wait longer than the client's cap is not waited for: one attempt.
  void waitOverTheCapIsNotWaited() {
    TestServer server({}, {QStringLiteral("--max-uploads"), QStringLiteral("1")});
    QVERIFY(server.start());
    auto stalled = stalledUpload(server, "/busy/stalled");
    QTRY_COMPARE(uploadsInProgress(server), 1);
    const QString local = dir_.filePath(QStringLiteral("c.txt"));
    QVERIFY(test::writeFile(local, "c\n"));
    ft::RemoteTimeouts timeouts;
    timeouts.busy_max_wait_ms = 500;  // the server asks for 1 s
    ft::RemoteDataStore store(server.url().toStdString(), timeouts);
    QVERIFY(test::error_of([&] { store.add_file("/busy/c.txt", local.toStdString()); }));
    QCOMPARE(metric(server.port(), kBusyPuts), 1.0);
  }

  // A cancel during the wait ends it at once, with nothing stored.
  void cancelDuringTheWait() {
    TestServer server({}, {QStringLiteral("--max-uploads"), QStringLiteral("1")});
    QVERIFY(server.start());
    auto stalled = stalledUpload(server, "/busy/stalled");
    QTRY_COMPARE(uploadsInProgress(server), 1);
    const QString local = dir_.filePath(QStringLiteral("d.txt"));
    QVERIFY(test::writeFile(local, "d\n"));
    std::atomic<bool> cancel{false};
    auto done = std::async(std::launch::async, [&] {
      ft::RemoteTimeouts timeouts;
      timeouts.busy_retries = 100;
      ft::RemoteDataStore store(server.url().toStdString(), timeouts);
      store.set_cancel_flag(&cancel);
      return test::error_of([&] { store.add_file("/busy/d.txt", local.toStdString()); });
    });
    QTRY_VERIFY_WITH_TIMEOUT(metric(server.port(), kBusyPuts) >= 1, 15000);
    cancel = true;
    QVERIFY(done.wait_for(std::chrono::seconds(5)) == std::future_status::ready);
    const auto error = done.get();
    QVERIFY(error);
    QCOMPARE(error->code(), ft::ErrorCode::Cancelled);
  }

 private:
  QTemporaryDir dir_{test::tempTemplate(QStringLiteral("ft-busy"))};
};

QTEST_GUILESS_MAIN(TestBusyRetry)
#include "test_busy_retry.moc"
