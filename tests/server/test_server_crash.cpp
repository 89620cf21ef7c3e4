// kill -9 of the server in the middle of uploads, then a restart: every
// upload that got its 200 is intact, nothing else (no partial file) is
// visible, leftovers are cleaned up and the --check mode finds no problem.
#include <QRandomGenerator>
#include <QtTest>

#include <atomic>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "raw_http.hpp"
#include "scaleout_backend.hpp"
#include "test_server.hpp"
#include "wire.hpp"

using namespace test;

namespace {

// Deterministic content of upload (thread, index): sizes from 100 B to 3 MiB.
QByteArray payloadFor(int thread, int index) {
  QRandomGenerator rng(quint32(thread * 100003 + index));
  static const int sizes[] = {100, 1024, 20 * 1024, 300 * 1024, 3 * 1024 * 1024};
  const int size = sizes[rng.bounded(5)];
  QByteArray out(size, Qt::Uninitialized);
  // Half random (incompressible), half text.
  for (int i = 0; i < size; ++i) out[i] = i < size / 2 ? char(rng.bounded(256)) : char('a' + i % 23);
  return out;
}

struct Expected {
  QByteArray sha;
  qint64 version;
};

}  // namespace

class TestServerCrash : public QObject {
  Q_OBJECT

 private slots:
  void killDuringUploads() {
    TestServer server;
    QVERIFY(server.start());
    std::map<QByteArray, Expected> acked;      // got their 200
    std::map<QByteArray, Expected> attempted;  // every upload sent (maybe in part)
    std::mutex m;

    for (int cycle = 0; cycle < 2; ++cycle) {
      const quint16 port = server.port();
      std::atomic<bool> stop{false};
      std::atomic<int> acks{0};
      // jthreads: a failed check below returns early; they are told to stop
      // and joined then (a joinable std::thread would std::terminate).
      std::vector<std::jthread> threads;
      for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t](std::stop_token quit) {
          const int thread = cycle * 10 + t;
          for (int i = 0; !stop && !quit.stop_requested() && i < 100000; ++i) {
            const QByteArray name = "/crash/t" + QByteArray::number(thread) + "/f" + QByteArray::number(i);
            const QByteArray data = payloadFor(thread, i);
            const qint64 version = 1000000 + i;
            const bool gz = i % 3 == 0;
            {
              std::lock_guard lock(m);
              attempted[name] = {sha256Hex(data), version};
            }
            RawHeaders headers;
            if (gz) headers.emplace_back("Content-Encoding", "gzip");
            RawResponse r = put(port, name, gz ? gzip(data) : data, version, headers);
            if (r.status == 200) {
              std::lock_guard lock(m);
              acked[name] = {sha256Hex(data), version};
              ++acks;
            } else if (r.status == 0) {
              break;  // the server is gone
            }
          }
        });
      }
      // Let uploads run, then kill the server in the middle of them.
      QTRY_VERIFY_WITH_TIMEOUT(acks >= 20, 30000);
      QTest::qWait(300);
      server.kill9();
      stop = true;
      for (auto& t : threads) t.join();

      QVERIFY(server.restart());
      // Every acknowledged upload is intact.
      for (const auto& [name, e] : acked) {
        RawResponse g = getGzip(server.port(), name);
        QVERIFY2(g.status == 200, name.constData());
        QCOMPARE(sha256Hex(gunzip(g.body)), e.sha);
        QCOMPARE(g.header("last-modified"), httpDate(e.version));
      }
      // Nothing else is visible except whole uploads that were committed
      // when the answer was lost.
      const QList<QByteArray> listed = rawRequest(server.port(), "GET", "/list/crash").body.split('\n');
      int unacked = 0;
      for (const QByteArray& line : listed) {
        if (line.isEmpty()) continue;
        const QByteArray name = "/crash/" + line;
        QVERIFY2(attempted.count(name), name.constData());
        if (!acked.count(name)) ++unacked;
        QCOMPARE(sha256Hex(content(server.port(), name)), attempted[name].sha);
      }
      QVERIFY(unacked <= 4);  // at most one in flight per thread
      QCOMPARE(QDir(uploadSpoolDir(server.dataDir())).entryList(QDir::Files).size(), 0);
      qInfo("cycle %d: %d acknowledged uploads survived, %d committed without an answer", cycle, int(acked.size()),
            unacked);
    }
    server.stop();
    QString out;
    QCOMPARE(runCheck(server.dataDir(), &out), 0);
    QVERIFY2(out.contains(" 0 problem(s)"), qPrintable(out));
  }

  void checkReportsDamage() {
    // --check must actually find problems: remove a blob and add a stray one.
    // Blob files (--inline-max-size 0): damage to blobs kept in the index is
    // test_server_inline's checkFindsDamagedInlineBlobs.
    if (scaleoutRequested()) QSKIP("damages blob files of a local store (the S3 store's --check: test_server_scaleout)");
    TestServer server({}, {"--inline-max-size", "0"});
    QVERIFY(server.start());
    QCOMPARE(put(server.port(), "/damage/a", "content a", 10).status, 200);
    QCOMPARE(put(server.port(), "/damage/b", "content b", 10).status, 200);
    server.stop();
    QString out;
    QCOMPARE(runCheck(server.dataDir(), &out), 0);
    const QByteArray shaA = sha256Hex("content a");
    const QString blobA = server.dataDir() + "/blobs/" + shaA.left(2) + "/" + shaA;
    QVERIFY(QFile::exists(blobA));
    QVERIFY(QFile::remove(blobA));
    const QByteArray stray = sha256Hex("stray");
    QFile strayFile(server.dataDir() + "/blobs/" + stray.left(2) + "/" + stray);
    QVERIFY(strayFile.open(QIODevice::WriteOnly));
    strayFile.write(gzip("stray"));
    strayFile.close();
    // A blob whose content does not match its name.
    const QByteArray shaB = sha256Hex("content b");
    QFile blobB(server.dataDir() + "/blobs/" + shaB.left(2) + "/" + shaB);
    QVERIFY(blobB.open(QIODevice::WriteOnly | QIODevice::Truncate));
    blobB.write(gzip("tampered"));
    blobB.close();
    QCOMPARE(runCheck(server.dataDir(), &out), 1);
    QVERIFY2(out.contains(shaA + ": missing"), qPrintable(out));
    QVERIFY2(out.contains(stray + ": stored but no file refers to it"), qPrintable(out));
    QVERIFY2(out.contains(shaB + ": its content has SHA-256"), qPrintable(out));
  }

  void checkWhileServing() {
    // A running server's upload in progress is no leftover, and blobs come
    // and go under its feet: --check refuses (exit 2, one line) while a
    // server holds the directory's lock, and checks once it is gone.
    TestServer server;
    QVERIFY(server.start());
    QCOMPARE(put(server.port(), "/live/a", "a", 10).status, 200);
    {
      RawConnection upload(server.port());
      QVERIFY(upload.connected());
      upload.sendRaw("PUT /files/live/big" + lastModifiedQuery(10) +
                     " HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n" + QByteArray(64 * 1024, 'x'));
      QTRY_COMPARE(QDir(uploadSpoolDir(server.dataDir())).entryList(QDir::Files).size(), 1);
      QString out;
      QCOMPARE(runCheck(server.dataDir(), &out), 2);
      QVERIFY2(out.contains("a filetracker-server is running on this directory; stop it before --check"),
               qPrintable(out));
      QCOMPARE(out.count('\n'), 1);
      QVERIFY2(!out.contains("problem"), qPrintable(out));
      // The check did not disturb the server.
      QCOMPARE(content(server.port(), "/live/a"), QByteArray("a"));
    }
    server.stop();
    QString out;
    QCOMPARE(runCheck(server.dataDir(), &out), 0);
    QVERIFY2(out.contains("1 file(s), 1 blob(s), 0 problem(s)"), qPrintable(out));
  }
};

QTEST_GUILESS_MAIN(TestServerCrash)
#include "test_server_crash.moc"
