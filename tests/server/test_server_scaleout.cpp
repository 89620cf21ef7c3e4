// The scale-out backend (issue 19), end to end: real filetracker-server
// processes on one PostgreSQL index and one S3 bucket (installer/services.sh:
// PostgreSQL 15 and OpenStack Swift's s3api on loopback), driven over HTTP.
// Skipped (QSKIP) when FILETRACKER_TEST_POSTGRESQL / FILETRACKER_TEST_S3 are
// not set. Every test has a store of its own (a schema and a key prefix).
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include <atomic>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "access_file.hpp"
#include "content.hpp"
#include "filetracker/protocol.hpp"
#include "process.hpp"
#include "raw_http.hpp"
#include "scaleout_backend.hpp"
#include "tcp_relay.hpp"
#include "test_server.hpp"
#include "wire.hpp"

using namespace test;

namespace {

qint64 lastModified(const RawResponse& r) {
  return ft::protocol::parse_http_date(r.header("last-modified").toStdString()).value_or(-1);
}

// Waits (up to `ms`) until GET /health answers `status`.
bool waitForHealth(quint16 port, int status, int ms = 15000) {
  QDeadlineTimer deadline(ms);
  while (!deadline.hasExpired()) {
    if (rawRequest(port, "GET", "/health").status == status) return true;
    QThread::msleep(100);
  }
  return false;
}

}  // namespace

class TestServerScaleout : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    if (!scaleoutAvailable()) QSKIP(scaleoutMissingReason());
  }

  void twoServersShareOneStore() {
    const QString store = uniqueStoreName();
    TestServer a({}, scaleoutArgs(store)), b({}, scaleoutArgs(store));
    QVERIFY(a.start());
    QVERIFY(b.start());
    QCOMPARE(rawRequest(a.port(), "GET", "/health").status, 200);
    QCOMPARE(rawRequest(b.port(), "GET", "/health").status, 200);

    // PUT through A is visible through B at once, with the same headers.
    const QByteArray content = randomBytes(200 * 1024, 7);
    QCOMPARE(put(a.port(), "/shared/one.bin", content, 1420070410).status, 200);
    RawResponse viaB = getGzip(b.port(), "/shared/one.bin");
    QCOMPARE(viaB.status, 200);
    QCOMPARE(gunzip(viaB.body), content);
    QCOMPARE(viaB.header("last-modified"), httpDate(1420070410));
    QCOMPARE(viaB.header("logical-size"), QByteArray::number(content.size()));
    QCOMPARE(viaB.header("sha256-checksum"), sha256Hex(content));
    RawResponse viaA = getGzip(a.port(), "/shared/one.bin");
    QCOMPARE(viaA.header("last-modified"), viaB.header("last-modified"));
    QCOMPARE(viaA.header("content-length"), viaB.header("content-length"));
    QCOMPARE(rawRequest(b.port(), "GET", "/files/shared/one.bin").body, content);

    // A newer version through B replaces it for A at once (no stale cache in A).
    QCOMPARE(put(b.port(), "/shared/one.bin", "newer", 1420070500).status, 200);
    QCOMPARE(test::content(a.port(), "/shared/one.bin"), QByteArray("newer"));
    // An older one through A changes nothing.
    RawResponse older = put(a.port(), "/shared/one.bin", "older", 1420070400);
    QCOMPARE(older.status, 200);
    QCOMPARE(lastModified(older), qint64(1420070500));
    QCOMPARE(test::content(b.port(), "/shared/one.bin"), QByteArray("newer"));

    // Listing is the index's: B lists what A stored.
    QCOMPARE(put(a.port(), "/shared/sub/two.txt", "two", 1420070410).status, 200);
    RawResponse list = rawRequest(b.port(), "GET", "/list/shared/");
    QCOMPARE(list.status, 200);
    QVERIFY2(list.body.contains("one.bin"), list.body.constData());
    QVERIFY2(list.body.contains("sub/two.txt"), list.body.constData());

    // DELETE through B, gone through A.
    QCOMPARE(rawRequest(b.port(), "DELETE", filesTarget("/shared/sub/two.txt", 1420070410)).status, 200);
    int status = 0;
    test::content(a.port(), "/shared/sub/two.txt", &status);
    QCOMPARE(status, 404);
    QCOMPARE(referenceMismatches(store), QStringLiteral("0"));
  }

  void concurrentPutDeleteThroughBothServers() {
    // 100 rounds; in each, at once through two servers:
    //   /race/fixed/N: A PUT(v, "a"), B PUT(v+1, "b"), B DELETE(v)
    //     -> always (v+1, "b"): a higher version is never replaced or deleted;
    //   /race/either/N: A PUT(v, "a"), B DELETE(v)
    //     -> the DELETE found it (200) and it is gone, or did not (404) and it stays.
    const QString store = uniqueStoreName();
    TestServer a({}, scaleoutArgs(store)), b({}, scaleoutArgs(store));
    QVERIFY(a.start());
    QVERIFY(b.start());
    const int rounds = 100;
    const qint64 v = 1500000000;
    int gone = 0, stayed = 0;
    for (int i = 0; i < rounds; ++i) {
      const QByteArray fixed = "/race/fixed/" + QByteArray::number(i);
      const QByteArray either = "/race/either/" + QByteArray::number(i);
      const QByteArray a1 = "a" + QByteArray::number(i), b1 = "b" + QByteArray::number(i);
      int s[5] = {0, 0, 0, 0, 0};
      std::vector<std::thread> threads;
      threads.emplace_back([&] { s[0] = put(a.port(), fixed, a1, v).status; });
      threads.emplace_back([&] { s[1] = put(b.port(), fixed, b1, v + 1).status; });
      threads.emplace_back([&] {
        s[2] = rawRequest(b.port(), "DELETE", filesTarget(fixed, v)).status;
      });
      threads.emplace_back([&] { s[3] = put(a.port(), either, a1, v).status; });
      threads.emplace_back([&] {
        s[4] = rawRequest(b.port(), "DELETE", filesTarget(either, v)).status;
      });
      for (auto& t : threads) t.join();
      QCOMPARE(s[0], 200);
      QCOMPARE(s[1], 200);
      QVERIFY2(s[2] == 200 || s[2] == 404, qPrintable(QString::number(s[2])));
      QCOMPARE(s[3], 200);
      QVERIFY2(s[4] == 200 || s[4] == 404, qPrintable(QString::number(s[4])));
      for (quint16 port : {a.port(), b.port()}) {
        RawResponse g = getGzip(port, fixed);
        QCOMPARE(g.status, 200);
        QCOMPARE(gunzip(g.body), b1);
        QCOMPARE(lastModified(g), v + 1);
        RawResponse e = getGzip(port, either);
        if (s[4] == 200) {
          QCOMPARE(e.status, 404);
        } else {
          QCOMPARE(e.status, 200);
          QCOMPARE(gunzip(e.body), a1);
          QCOMPARE(lastModified(e), v);
        }
      }
      (s[4] == 200 ? gone : stayed)++;
    }
    qInfo("either-name: %d deleted after the PUT, %d PUT after the DELETE", gone, stayed);
    QCOMPARE(referenceMismatches(store), QStringLiteral("0"));
    QCOMPARE(psql(store, "SELECT count(*) FROM files WHERE name LIKE '/race/fixed/%'"), QString::number(rounds));
  }

  void s3UnreachableAnswers503ThenRecovers() {
    TcpRelay relay(s3Port());
    QVERIFY(relay.port() != 0);
    const QString store = uniqueStoreName();
    // Every blob in S3 (no small ones inside PostgreSQL), none cached: each request needs S3.
    TestServer server({}, scaleoutArgs(store, 0, relay.port()) << "--blob-cache-size" << "0" << "--inline-max-size"
                                                               << "0");
    QVERIFY(server.start());
    QCOMPARE(put(server.port(), "/s3/before", "stored before", 1420070410).status, 200);

    relay.cut();
    RawResponse health = rawRequest(server.port(), "GET", "/health");
    QCOMPARE(health.status, 503);
    QVERIFY2(health.header("x-exception").contains("S3"), health.header("x-exception").constData());
    RawResponse p = put(server.port(), "/s3/during", "not stored", 1420070410);
    QCOMPARE(p.status, 503);
    QVERIFY(!p.header("x-exception").isEmpty());
    QVERIFY(!p.header("x-exception").contains('\n'));
    QCOMPARE(rawRequest(server.port(), "GET", "/files/s3/before").status, 503);  // no cache: needs S3
    // Nothing half-written: the index has no row for the refused PUT.
    QCOMPARE(psql(store, "SELECT count(*) FROM files WHERE name = '/s3/during'"), QStringLiteral("0"));
    QCOMPARE(rawRequest(server.port(), "HEAD", "/files/s3/during").status, 404);

    QVERIFY(relay.resume());
    QVERIFY(waitForHealth(server.port(), 200));
    QCOMPARE(test::content(server.port(), "/s3/before"), QByteArray("stored before"));
    QCOMPARE(put(server.port(), "/s3/after", "stored after", 1420070410).status, 200);
    QCOMPARE(test::content(server.port(), "/s3/after"), QByteArray("stored after"));
    QCOMPARE(referenceMismatches(store), QStringLiteral("0"));
  }

  void postgresqlUnreachableAnswers503ThenRecovers() {
    TcpRelay relay(postgresqlPort());
    QVERIFY(relay.port() != 0);
    const QString store = uniqueStoreName();
    TestServer server({}, scaleoutArgs(store, relay.port(), 0));
    QVERIFY(server.start());
    QCOMPARE(put(server.port(), "/pg/before", "stored before", 1420070410).status, 200);

    relay.cut();
    RawResponse health = rawRequest(server.port(), "GET", "/health");
    QCOMPARE(health.status, 503);
    QVERIFY2(health.header("x-exception").contains("PostgreSQL"), health.header("x-exception").constData());
    QCOMPARE(rawRequest(server.port(), "GET", "/files/pg/before").status, 503);
    RawResponse p = put(server.port(), "/pg/during", "not stored", 1420070410);
    QCOMPARE(p.status, 503);
    QVERIFY(!p.header("x-exception").contains('\n'));
    QCOMPARE(rawRequest(server.port(), "GET", "/list/pg/").status, 503);

    QVERIFY(relay.resume());
    QVERIFY(waitForHealth(server.port(), 200));
    QCOMPARE(test::content(server.port(), "/pg/before"), QByteArray("stored before"));
    QCOMPARE(rawRequest(server.port(), "HEAD", "/files/pg/during").status, 404);  // nothing half-written
    QCOMPARE(put(server.port(), "/pg/after", "stored after", 1420070410).status, 200);
    QCOMPARE(test::content(server.port(), "/pg/after"), QByteArray("stored after"));
    QCOMPARE(referenceMismatches(store), QStringLiteral("0"));
  }

  void outagesUnderLoadLoseNothingAcknowledged() {
    // Four clients PUT all along while S3 and then PostgreSQL go away and
    // come back (TcpRelay cuts, no restart): every answer is a 200 or a 503
    // with a one-line reason; both outages show 503s, service comes back by
    // itself; every acknowledged file reads back whole, a refused one is
    // absent (or, when only the answer was lost, whole); the references agree.
    TcpRelay pgRelay(postgresqlPort()), s3Relay(s3Port());
    QVERIFY(pgRelay.port() != 0);
    QVERIFY(s3Relay.port() != 0);
    const QString store = uniqueStoreName();
    TestServer server({}, scaleoutArgs(store, pgRelay.port(), s3Relay.port())
                              << "--blob-cache-size" << "0" << "--inline-max-size" << "0");
    QVERIFY(server.start());
    std::mutex m;
    std::map<QByteArray, QByteArray> acked, refused;  // name -> content
    std::vector<QByteArray> badAnswers;
    std::atomic<bool> stop{false};
    std::atomic<int> phase{0};  // 0 up, 1 S3 down, 2 up, 3 PostgreSQL down, 4 up
    std::atomic<int> refusedIn[5] = {0, 0, 0, 0, 0}, ackedIn[5] = {0, 0, 0, 0, 0};
    std::vector<std::jthread> clients;
    for (int t = 0; t < 4; ++t)
      clients.emplace_back([&, t](std::stop_token quit) {
        for (int i = 0; !stop && !quit.stop_requested(); ++i) {
          const QByteArray name = "/load/t" + QByteArray::number(t) + "/f" + QByteArray::number(i);
          const QByteArray data = randomBytes(2000 + (i * 131) % 20000, quint32(t * 100000 + i));
          const int during = phase;
          RawResponse r = put(server.port(), name, data, 1420070410);
          std::lock_guard lock(m);
          if (r.status == 200) {
            acked[name] = data;
            ++ackedIn[during];
          } else if (r.status == 503 && !r.header("x-exception").isEmpty() && !r.header("x-exception").contains('\n')) {
            refused[name] = data;
            ++refusedIn[during];
          } else {
            badAnswers.push_back(name + ": " + QByteArray::number(r.status) + " " + r.header("x-exception"));
          }
        }
      });
    auto hold = [&](int next, int ms) {
      QThread::msleep(ms);
      phase = next;
    };
    hold(1, 1500);
    s3Relay.cut();
    hold(2, 2000);
    QVERIFY(s3Relay.resume());
    QVERIFY(waitForHealth(server.port(), 200));
    hold(3, 1500);
    pgRelay.cut();
    hold(4, 2000);
    QVERIFY(pgRelay.resume());
    QVERIFY(waitForHealth(server.port(), 200));
    QThread::msleep(1500);
    stop = true;
    for (auto& c : clients) c.join();
    QVERIFY2(badAnswers.empty(), badAnswers.empty() ? "" : badAnswers.front().constData());
    qInfo("acknowledged per phase (up, S3 down, up, PG down, up): %d %d %d %d %d; refused: %d %d %d %d %d",
          ackedIn[0].load(), ackedIn[1].load(), ackedIn[2].load(), ackedIn[3].load(), ackedIn[4].load(),
          refusedIn[0].load(), refusedIn[1].load(), refusedIn[2].load(), refusedIn[3].load(), refusedIn[4].load());
    QVERIFY(refusedIn[1] > 0);  // S3 down: refused
    QVERIFY(refusedIn[3] > 0);  // PostgreSQL down: refused
    QVERIFY(ackedIn[4] > 0);    // and full service again, without a restart
    for (const auto& [name, data] : acked) QCOMPARE(test::content(server.port(), name), data);
    int committedWithoutAnswer = 0;
    for (const auto& [name, data] : refused) {
      int status = 0;
      const QByteArray got = test::content(server.port(), name, &status);
      QVERIFY2(status == 404 || (status == 200 && got == data), name.constData());
      committedWithoutAnswer += status == 200;
    }
    QVERIFY(committedWithoutAnswer <= 4);  // at most one in flight per client when a commit's answer was cut
    QCOMPARE(referenceMismatches(store), QStringLiteral("0"));
  }

  void kill9MidUploadLosesNothingAcknowledged() {
    // Two servers on one store; A is killed (SIGKILL) while an upload to it
    // is half-way: everything acknowledged before stays readable through B,
    // the cut upload left nothing in the index, A's restart clears its spool,
    // and no blob is left unreferenced once the grace period is over.
    const QString store = uniqueStoreName();
    TestServer a({}, scaleoutArgs(store) << "--blob-grace-period" << "2");
    TestServer b({}, scaleoutArgs(store) << "--blob-grace-period" << "2");
    QVERIFY(a.start());
    QVERIFY(b.start());
    std::vector<QByteArray> contents;
    for (int i = 0; i < 20; ++i) {
      contents.push_back(randomBytes(3000 + 700 * i, 100 + i));
      QCOMPARE(put(a.port(), "/k9/f" + QByteArray::number(i), contents.back(), 1420070410).status, 200);
    }
    RawConnection cut(a.port());
    QVERIFY(cut.connected());
    cut.sendRaw("PUT " + filesTarget("/k9/partial", 1420070410) +
                " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 8000000\r\n\r\n" + randomBytes(1 << 20, 9));
    QTRY_VERIFY_WITH_TIMEOUT(QDir(a.dataDir() + "/spool").entryList(QDir::Files).size() > 0, 10000);
    a.kill9();
    for (int i = 0; i < 20; ++i) QCOMPARE(test::content(b.port(), "/k9/f" + QByteArray::number(i)), contents[i]);
    QCOMPARE(rawRequest(b.port(), "HEAD", "/files/k9/partial").status, 404);
    QVERIFY(a.start());
    QCOMPARE(QDir(a.dataDir() + "/spool").entryList(QDir::Files).size(), 0);
    QCOMPARE(test::content(a.port(), "/k9/f19"), contents[19]);
    QCOMPARE(referenceMismatches(store), QStringLiteral("0"));
    QCOMPARE(psql(store, "SELECT count(*) FROM blobs WHERE refs = 0"), QStringLiteral("0"));
    QCOMPARE(psql(store, "SELECT count(*) FROM files"), QStringLiteral("20"));
  }

  void checkFindsDamageInTheSharedStore() {
    // --check --index --blobs (no -d: no server's directory) is clean on a
    // consistent store, refuses --repair, and finds what psql damages: a
    // wrong reference count, a file whose blob is not in S3.
    const QString store = uniqueStoreName();
    const QStringList backend = scaleoutArgs(store);
    {
      TestServer server({}, backend);
      QVERIFY(server.start());
      QCOMPARE(put(server.port(), "/check/a", "content a", 1420070410).status, 200);
      QCOMPARE(put(server.port(), "/check/b", "content a", 1420070411).status, 200);
      QCOMPARE(put(server.port(), "/check/c", randomBytes(100000, 4), 1420070412).status, 200);
    }
    ProcessResult r = runProcess(TestServer::binary(), QStringList{"--check", "--check-content"} + backend);
    QVERIFY2(r.code == 0, r.out + r.err);
    QVERIFY2(r.out.contains(": 3 file(s), 2 blob(s), 0 problem(s)"), r.out.constData());
    r = runProcess(TestServer::binary(), QStringList{"--check", "--repair"} + backend);
    QCOMPARE(r.code, 2);
    QCOMPARE(r.err.count('\n'), 1);

    const QString shaA = QString::fromLatin1(sha256Hex("content a"));
    const QString missing = QString::fromLatin1(sha256Hex("never stored"));
    QCOMPARE(psql(store, "UPDATE blobs SET refs = 5 WHERE sha256 = '" + shaA + "'"), QString());
    QCOMPARE(psql(store, "INSERT INTO files VALUES ('/check/lost', 1420070410, '" + missing + "', 12);"
                         "INSERT INTO blobs VALUES ('" + missing + "', 1, NULL)"),
             QString());
    r = runProcess(TestServer::binary(), QStringList{"--check"} + backend);
    QCOMPARE(r.code, 1);
    QVERIFY2(r.out.contains("blob " + shaA.toLatin1() + ": 2 file(s) and kept version(s) refer to it but the index "
                            "counts 5"),
             r.out.constData());
    QVERIFY2(r.out.contains("blob " + missing.toLatin1() + ": missing, 1 file(s) refer to it"), r.out.constData());
    QVERIFY2(r.out.contains("2 problem(s)"), r.out.constData());
  }

  void unreferencedBlobGoesAfterTheGracePeriod() {
    const QString store = uniqueStoreName();
    TestServer server({}, scaleoutArgs(store) << "--blob-grace-period" << "2");
    QVERIFY(server.start());
    const QByteArray content = randomBytes(5000, 3);
    const QString sha = QString::fromLatin1(sha256Hex(content));
    QCOMPARE(put(server.port(), "/grace/a", content, 1420070410).status, 200);
    QCOMPARE(put(server.port(), "/grace/b", content, 1420070410).status, 200);  // the same blob
    QCOMPARE(psql(store, "SELECT refs FROM blobs WHERE sha256 = '" + sha + "'"), QStringLiteral("2"));
    QCOMPARE(rawRequest(server.port(), "DELETE", filesTarget("/grace/a", 1420070410)).status,
             200);
    QCOMPARE(rawRequest(server.port(), "DELETE", filesTarget("/grace/b", 1420070410)).status,
             200);
    // Unreferenced now, but kept for the grace period.
    QCOMPARE(psql(store, "SELECT refs FROM blobs WHERE sha256 = '" + sha + "'"), QStringLiteral("0"));
    // A PUT of the same content within the grace period refers to it again and keeps it.
    QCOMPARE(put(server.port(), "/grace/c", content, 1420070410).status, 200);
    QThread::msleep(3500);
    QCOMPARE(test::content(server.port(), "/grace/c"), content);
    QCOMPARE(psql(store, "SELECT refs FROM blobs WHERE sha256 = '" + sha + "'"), QStringLiteral("1"));
    // Gone for good: after the grace period the row (and the object) go.
    QCOMPARE(rawRequest(server.port(), "DELETE", filesTarget("/grace/c", 1420070410)).status,
             200);
    QDeadlineTimer deadline(15000);
    while (!deadline.hasExpired() && psql(store, "SELECT count(*) FROM blobs") != QLatin1String("0"))
      QThread::msleep(200);
    QCOMPARE(psql(store, "SELECT count(*) FROM blobs"), QStringLiteral("0"));
    // And a new PUT of that content uploads it again.
    QCOMPARE(put(server.port(), "/grace/d", content, 1420070410).status, 200);
    server.stop();
    QVERIFY(server.start());  // a fresh server: an empty hot-blob cache would not hide a missing object
    QCOMPARE(test::content(server.port(), "/grace/d"), content);
  }

  // The admin API's live check (issue 20) works through the running
  // server's own engines: on PostgreSQL + S3 too (the offline --check
  // reads only a local data directory).
  void liveCheckOnPostgresqlAndS3() {
    const QString store = uniqueStoreName();
    TestAccessFile access;
    QVERIFY(access.add("op", "op-secret", "admin"));
    TestServer server({}, scaleoutArgs(store) << "--auth" << access.path() << "--blob-cache-size" << "0");
    QVERIFY(server.start());
    const RawHeaders op{{"Authorization", basicAuth("op", "op-secret")}};
    for (int i = 0; i < 5; ++i)
      QCOMPARE(put(server.port(), "/s/f" + QByteArray::number(i), "content " + QByteArray::number(i), 1700000000, op)
                   .status,
               200);
    // A file whose blob S3 does not have (its reference counted, as a
    // server would have done before the blob went missing).
    const QString ghost = QString(64, 'a');
    QCOMPARE(psql(store, "INSERT INTO files VALUES ('/s/ghost', 1700000000, '" + ghost + "', 7); "
                         "INSERT INTO blobs VALUES ('" + ghost + "', 1, NULL);")
                 .startsWith("ERROR"),
             false);
    QCOMPARE(rawRequest(server.port(), "POST", "/admin/check", op, R"({"content":true})").status, 202);
    QJsonObject status;
    QTRY_VERIFY_WITH_TIMEOUT(
        (status = QJsonDocument::fromJson(rawRequest(server.port(), "GET", "/admin/check", op).body).object())
                .value("state") != "running",
        30000);
    QCOMPARE(status.value("state").toString(), QString("done"));
    QCOMPARE(status.value("files").toInt(), 6);
    QCOMPARE(status.value("checked").toInt(), 6);
    const QJsonArray problems = status.value("problems").toArray();
    QCOMPARE(problems.size(), 1);
    QCOMPARE(problems[0].toObject().value("kind").toString(), QString("missing-blob"));
    QCOMPARE(problems[0].toObject().value("name").toString(), QString("/s/ghost"));
  }
};

QTEST_GUILESS_MAIN(TestServerScaleout)
#include "test_server_scaleout.moc"
