// Concurrent writers against the real server: the highest version wins
// whatever the arrival order, equal versions with other content become the
// next version (never two contents for one version), and
// contention never produces a 5xx.
#include <QRandomGenerator>
#include <QSet>
#include <QtTest>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

#include "filetracker/protocol.hpp"
#include "raw_http.hpp"
#include "scaleout_backend.hpp"
#include "test_server.hpp"
#include "wire.hpp"

using namespace test;

class TestServerConcurrency : public QObject {
  Q_OBJECT
  std::unique_ptr<TestServer> server_;

 private slots:
  void initTestCase() {
    // The second CTest entry runs these over PostgreSQL + S3.
    if (scaleoutRequested() && !scaleoutAvailable()) QSKIP(scaleoutMissingReason());
    server_ = std::make_unique<TestServer>(QString(), QStringList{"--workers", "4"});
    QVERIFY(server_->start());
  }
  void cleanupTestCase() { server_.reset(); }

  void highestVersionWins_data() {
    QTest::addColumn<int>("writers");
    QTest::addColumn<quint32>("seed");
    QTest::newRow("16 writers") << 16 << 1u;
    QTest::newRow("48 writers") << 48 << 2u;
    QTest::newRow("48 writers, other order") << 48 << 3u;
  }
  void highestVersionWins() {
    QFETCH(int, writers);
    QFETCH(quint32, seed);
    const quint16 port = server_->port();
    const QByteArray name = "/race/" + QByteArray::number(seed);
    std::vector<int> order(writers);
    for (int i = 0; i < writers; ++i) order[i] = i;
    std::shuffle(order.begin(), order.end(), std::mt19937(seed));
    auto payload = [&](int i) { return "version " + QByteArray::number(i) + " " + QByteArray(i * 37, char('a' + i % 26)); };

    std::vector<int> status(writers, 0);
    std::vector<QByteArray> answered(writers);
    std::vector<std::thread> threads;
    std::atomic<bool> go{false};
    for (int k = 0; k < writers; ++k) {
      threads.emplace_back([&, k] {
        const int i = order[k];
        RawConnection c(port);
        while (!go) std::this_thread::yield();
        RawResponse r = c.request("PUT", filesTarget(name, 1000 + i), {}, payload(i));
        status[k] = r.status;
        answered[k] = r.header("last-modified");
      });
    }
    go = true;
    for (auto& t : threads) t.join();
    for (int k = 0; k < writers; ++k) {
      QCOMPARE(status[k], 200);
      // Each writer is told the version stored after its request: its own or a newer one.
      QVERIFY(ft::protocol::parse_http_date(answered[k].toStdString()).value_or(0) >= 1000 + order[k]);
    }
    RawResponse g = getGzip(port, name);
    QCOMPARE(g.status, 200);
    QCOMPARE(g.header("last-modified"), httpDate(1000 + writers - 1));
    QCOMPARE(gunzip(g.body), payload(writers - 1));
  }

  void equalVersions() {
    // Equal versions in parallel, each with its own content. One content per
    // version: the first one applied is stored as 500, the second as 501 (the
    // stored version + 1); the rest are then older than the stored version and
    // change nothing (told 501). The content under 501 is whole, and it is one
    // of the writers told 501.
    const quint16 port = server_->port();
    const int writers = 24;
    std::vector<std::thread> threads;
    std::vector<int> status(writers);
    std::vector<qint64> answered(writers);
    auto payload = [](int i) { return "writer " + QByteArray::number(i) + QByteArray(1000 * i, 'x'); };
    for (int i = 0; i < writers; ++i)
      threads.emplace_back([&, i] {
        RawResponse r = put(port, "/race/equal", payload(i), 500);
        status[i] = r.status;
        answered[i] = ft::protocol::parse_http_date(r.header("last-modified").toStdString()).value_or(-1);
      });
    for (auto& t : threads) t.join();
    for (int s : status) QCOMPARE(s, 200);
    QCOMPARE(std::count(answered.begin(), answered.end(), qint64(500)), std::ptrdiff_t(1));
    QCOMPARE(std::count(answered.begin(), answered.end(), qint64(501)), std::ptrdiff_t(writers - 1));
    const QByteArray got = content(port, "/race/equal");
    bool whole = false;
    for (int i = 0; i < writers; ++i)
      if (answered[i] == 501 && got == payload(i)) whole = true;
    QVERIFY(whole);
  }

  void mixedLoadNeverFails() {
    // PUT / GET / HEAD / DELETE / list from many threads over few names and
    // shared contents: never a 5xx, and the store stays consistent.
    const quint16 port = server_->port();
    std::atomic<int> serverErrors{0}, noAnswer{0}, done{0};
    std::mutex m;
    QByteArray firstProblem;
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
      threads.emplace_back([&, t] {
        QRandomGenerator rng(quint32(100 + t));
        RawConnection c(port);
        for (int i = 0; i < 60; ++i) {
          const QByteArray name = "/mixed/f" + QByteArray::number(rng.bounded(4));
          const QByteArray body = "shared content " + QByteArray::number(rng.bounded(3));  // deduplicated blobs
          const qint64 version = 100 + rng.bounded(20);
          RawResponse r;
          switch (rng.bounded(5)) {
            case 0: case 1: r = c.request("PUT", filesTarget(name, version), {}, body); break;
            case 2:
              r = c.request("GET", "/files" + name, {{"Accept-Encoding", "gzip"}});
              // What comes back is whole and matches its own checksum header.
              if (r.status == 200 && sha256Hex(gunzip(r.body)) != r.header("sha256-checksum")) {
                ++serverErrors;
                std::lock_guard lock(m);
                firstProblem = "GET returned content that does not match its SHA256-Checksum";
              }
              break;
            case 3: r = c.request("DELETE", filesTarget(name, version)); break;
            default: r = c.request("GET", "/list/mixed"); break;
          }
          if (r.status >= 500 || r.status == 0) {
            (r.status ? serverErrors : noAnswer)++;
            std::lock_guard lock(m);
            if (firstProblem.isEmpty()) firstProblem = QByteArray::number(r.status) + " " + r.header("x-exception");
          }
          ++done;
        }
      });
    }
    for (auto& t : threads) t.join();
    QVERIFY2(serverErrors == 0 && noAnswer == 0, firstProblem.constData());
    QCOMPARE(done.load(), 8 * 60);
    // Reads agree with the index afterwards (no stale cached record).
    RawResponse list = rawRequest(port, "GET", "/list/mixed", {{"Accept", "application/json"}});
    QCOMPARE(list.status, 200);
    auto listing = ft::protocol::parse_json_list(list.body.toStdString());
    QSet<QByteArray> listed;
    for (const auto& e : listing.files) {
      const QByteArray name = "/mixed/" + QByteArray::fromStdString(e.name);
      listed.insert(name);
      RawResponse g = getGzip(port, name);
      QCOMPARE(g.status, 200);
      QCOMPARE(g.header("sha256-checksum"), QByteArray::fromStdString(e.sha256));
      QCOMPARE(g.header("last-modified"), httpDate(e.version));
    }
    for (int i = 0; i < 4; ++i) {
      const QByteArray name = "/mixed/f" + QByteArray::number(i);
      if (!listed.contains(name)) QCOMPARE(getGzip(port, name).status, 404);
    }
    // Index and blobs agree after all that.
    server_->stop();
    if (!server_->storeName().isEmpty()) {  // over PostgreSQL + S3 (--check reads a local store only)
      QCOMPARE(referenceMismatches(server_->storeName()), QStringLiteral("0"));
    } else {
      QString out;
      QCOMPARE(runCheck(server_->dataDir(), &out), 0);
      QVERIFY2(out.contains(" 0 problem(s)"), qPrintable(out));
    }
    QVERIFY(server_->start());
  }
};

QTEST_GUILESS_MAIN(TestServerConcurrency)
#include "test_server_concurrency.moc"
