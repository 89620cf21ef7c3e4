// Hostile input, round 2 (issue 10), end to end against the real
// filetracker-server on loopback: each class of defect the second round of
// hostile testing found, as rows of requests that must be refused with the
// right status and a whole one-line reason, storing nothing; plus the
// upload cap (--max-uploads), gzip bodies that inflate past what they may,
// and start-up that does not scan the blobs (orphans go in the background
// or by --check --repair).
#include <QDir>
#include <QFile>
#include <QtTest>

#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>

#include "content.hpp"
#include "filetracker/gzip.hpp"
#include "filetracker/protocol.hpp"
#include "process.hpp"
#include "raw_http.hpp"
#include "test_server.hpp"
#include "wire.hpp"

using namespace test;

namespace {

// CPU seconds (user + system) the process has used so far.
double cpuSeconds(qint64 pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  auto close = text.rfind(')');
  if (close == std::string::npos) return -1;
  std::istringstream fields(text.substr(close + 2));
  std::string skip;
  for (int i = 0; i < 11; ++i) fields >> skip;  // state .. cmajflt
  long long utime = 0, stime = 0;
  fields >> utime >> stime;
  return double(utime + stime) / double(sysconf(_SC_CLK_TCK));
}

// `members` gzip members of `each` zero bytes, concatenated (valid gzip):
// a small body that inflates to members * each bytes.
QByteArray gzipBomb(int members, int each) {
  const QByteArray one = QByteArray::fromStdString(ft::gzip_compress(std::string(each, '\0'), 9));
  return one.repeated(members);
}

}  // namespace

class TestServerHardening : public QObject {
  Q_OBJECT
  std::unique_ptr<TestServer> server_;
  quint16 port() const { return server_->port(); }

 private slots:
  void initTestCase() {
    server_ = std::make_unique<TestServer>();
    QVERIFY(server_->start());
  }
  void cleanupTestCase() { server_.reset(); }

  // Each row: a request that must be refused with `status`, an X-Exception
  // containing `reason` (its end, so a message cut short fails), and
  // nothing stored under `name`.
  void refused_data() {
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<RawHeaders>("headers");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("reason");
    QTest::addColumn<QByteArray>("name");  // must not be stored ("" for names that cannot be)
    const QByteArray d = lastModifiedQuery(1000);
    const QByteArray content = "some content";
    const QByteArray gz = gzip(content);
    auto at = [](const QByteArray& date) { return "?last_modified=" + date; };

    // Dates whose version does not fit (years 1 to 9999).
    QTest::newRow("year 10000") << QByteArray("PUT") << "/files/h/y1" + at("Sat,+01+Jan+10000+00:00:00+GMT") << RawHeaders{} << content
                                << 400 << QByteArray("year 1900 to 9999") << QByteArray("/h/y1");
    QTest::newRow("year of 19 digits (overflowed the version)") << QByteArray("PUT") << "/files/h/y2" + at("Thu,+01+Jan+9999999999999999999+00:00:00+GMT") << RawHeaders{} << content << 400
        << QByteArray("year 1900 to 9999") << QByteArray("/h/y2");
    QTest::newRow("year 292277026596 (wrapped to a negative year)") << QByteArray("PUT") << "/files/h/y3" + at("01+Jan+292277026596+00:00:00+GMT") << RawHeaders{} << content << 400
        << QByteArray("year 1900 to 9999") << QByteArray("/h/y3");
    QTest::newRow("year 1899") << QByteArray("PUT") << "/files/h/y4" + at("31+Dec+1899+23:59:59+GMT") << RawHeaders{} << content << 400
                            << QByteArray("year 1900 to 9999") << QByteArray("/h/y4");
    QTest::newRow("last second of 9999, then -0100") << QByteArray("PUT") << "/files/h/y5" + at("31+Dec+9999+23:59:59+-0100")
                                                     << RawHeaders{} << content << 400
                                                     << QByteArray("year 1900 to 9999") << QByteArray("/h/y5");
    QTest::newRow("DELETE, year 99999") << QByteArray("DELETE") << "/files/h/y6" + at("01+Jan+99999+00:00:00+GMT") << RawHeaders{}
                                        << QByteArray() << 400 << QByteArray("year 1900 to 9999") << QByteArray();

    // Names that are not UTF-8: one rule, refused at PUT.
    QTest::newRow("byte ff") << QByteArray("PUT") << "/files/h/a%FFb" + d << RawHeaders{} << content << 400
                             << QByteArray("\"/h/a\\xffb\": it is not valid UTF-8") << QByteArray();
    QTest::newRow("lone continuation byte") << QByteArray("PUT") << "/files/h/%80" + d << RawHeaders{} << content << 400
                                            << QByteArray("it is not valid UTF-8") << QByteArray();
    QTest::newRow("overlong slash") << QByteArray("PUT") << "/files/h/%C0%AF" + d << RawHeaders{} << content << 400
                                    << QByteArray("it is not valid UTF-8") << QByteArray();
    QTest::newRow("UTF-16 surrogate") << QByteArray("PUT") << "/files/h/%ED%A0%80" + d << RawHeaders{} << content << 400
                                      << QByteArray("it is not valid UTF-8") << QByteArray();
    QTest::newRow("above U+10FFFF") << QByteArray("PUT") << "/files/h/%F4%90%80%80" + d << RawHeaders{} << content << 400
                                    << QByteArray("it is not valid UTF-8") << QByteArray();
    QTest::newRow("truncated sequence") << QByteArray("PUT") << "/files/h/%C5" + d << RawHeaders{} << content << 400
                                        << QByteArray("it is not valid UTF-8") << QByteArray();
    QTest::newRow("Latin-1 directory") << QByteArray("PUT") << "/files/%E9t%E9/x" + d << RawHeaders{} << content << 400
                                       << QByteArray("it is not valid UTF-8") << QByteArray();

    // Control bytes in a name never cut the message short.
    QTest::newRow("NUL in the name") << QByteArray("PUT") << "/files/h/a%00b" + d << RawHeaders{} << content << 400
                                     << QByteArray("\"/h/a\\x00b\": it contains a NUL character") << QByteArray();
    QTest::newRow("ESC in the name") << QByteArray("PUT") << "/files/h/a%1Bb" + d << RawHeaders{} << content << 400
                                     << QByteArray("\"/h/a\\x1bb\": it contains a control character") << QByteArray();
    QTest::newRow("DEL in the name") << QByteArray("PUT") << "/files/h/a%7Fb" + d << RawHeaders{} << content << 400
                                     << QByteArray("\"/h/a\\x7fb\": it contains a control character") << QByteArray();
    QTest::newRow("NUL in an empty component") << QByteArray("PUT") << "/files/h//%00" + d << RawHeaders{} << content << 400
                                               << QByteArray("\\x00\": it contains a NUL character") << QByteArray();

    // Conflicting duplicates of headers that must have one value.
    QTest::newRow("two SHA256-Checksums") << QByteArray("PUT") << "/files/h/dup1" + d
        << RawHeaders{{"SHA256-Checksum", sha256Hex(content)}, {"SHA256-Checksum", sha256Hex("other")}} << content
        << 400 << QByteArray("SHA256-Checksum is sent 2 times with different values") << QByteArray("/h/dup1");
    QTest::newRow("two Logical-Sizes") << QByteArray("PUT") << "/files/h/dup2" + d
                                       << RawHeaders{{"Logical-Size", "12"}, {"Logical-Size", "13"}} << content << 400
                                       << QByteArray("Logical-Size is sent 2 times with different values")
                                       << QByteArray("/h/dup2");
    QTest::newRow("two Content-Encodings") << QByteArray("PUT") << "/files/h/dup3" + d
                                           << RawHeaders{{"Content-Encoding", "gzip"}, {"Content-Encoding", "identity"}}
                                           << gz << 400
                                           << QByteArray("Content-Encoding is sent 2 times with different values")
                                           << QByteArray("/h/dup3");

    QTest::newRow("two Content-Lengths") << QByteArray("PUT") << "/files/h/dup4" + d
                                         << RawHeaders{{"Content-Length", "12"}, {"Content-Length", "5"}} << content
                                         << 400 << QByteArray("malformed HTTP request: bad Content-Length")
                                         << QByteArray("/h/dup4");
    QTest::newRow("a list in Content-Length") << QByteArray("PUT") << "/files/h/dup5" + d
                                              << RawHeaders{{"Content-Length", "12, 5"}} << content << 400
                                              << QByteArray("malformed HTTP request: bad Content-Length")
                                              << QByteArray("/h/dup5");

    // Gzip bodies that inflate past what they may: a lying Logical-Size.
    QTest::newRow("gzip longer than its Logical-Size") << QByteArray("PUT") << "/files/h/lie" + d << RawHeaders{{"Content-Encoding", "gzip"}, {"Logical-Size", "5"}} << gz << 400
        << QByteArray("Logical-Size 5 does not match the content (it is longer)") << QByteArray("/h/lie");
    QTest::newRow("plain longer than its Logical-Size") << QByteArray("PUT") << "/files/h/lie2" + d << RawHeaders{{"Logical-Size", "5"}} << content << 400
        << QByteArray("Logical-Size 5 does not match the content (it is longer)") << QByteArray("/h/lie2");
  }
  void refused() {
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, target);
    QFETCH(RawHeaders, headers);
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QFETCH(QByteArray, reason);
    QFETCH(QByteArray, name);
    RawConnection c(port());
    // RawConnection::build adds Content-Length; headers sent twice stay twice.
    RawResponse r = c.request(method, target, headers, body);
    QCOMPARE(r.status, status);
    const QByteArray exception = r.header("x-exception");
    QVERIFY2(exception.contains(reason), exception.constData());
    QVERIFY(!exception.contains('\n'));
    QVERIFY2(r.body.startsWith(exception), r.body.constData());  // the body says the same, whole
    if (!name.isEmpty()) {
      int st = 0;
      test::content(port(), name, &st);
      QCOMPARE(st, 404);
    }
    QCOMPARE(rawRequest(port(), "GET", "/version").status, 200);
    QCOMPARE(QDir(server_->dataDir() + "/blobs/tmp").entryList(QDir::Files).size(), 0);
  }

  // What the rules still accept, so that they refuse no more than they must.
  void accepted_data() {
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<QByteArray>("name");
    QTest::addColumn<RawHeaders>("headers");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<qint64>("version");
    const QByteArray content = "some content";
    const QByteArray gz = gzip(content);
    const QByteArray d = lastModifiedQuery(1000);
    QTest::newRow("UTF-8 name") << "/files/h/za%C5%BC%C3%B3%C5%82%C4%87/%F0%9F%98%80" + d
                                << QByteArray("/h/za\xc5\xbc\xc3\xb3\xc5\x82\xc4\x87/\xf0\x9f\x98\x80") << RawHeaders{}
                                << content << qint64(1000);
    QTest::newRow("GZIP in capitals") << "/files/h/caps" + d << QByteArray("/h/caps")
                                      << RawHeaders{{"Content-Encoding", "GZIP"}} << gz << qint64(1000);
    QTest::newRow("X-Gzip mixed case") << "/files/h/xgz" + d << QByteArray("/h/xgz")
                                       << RawHeaders{{"Content-Encoding", "X-Gzip"}} << gz << qint64(1000);
    QTest::newRow("the same Logical-Size twice") << "/files/h/same" + d << QByteArray("/h/same")
                                                 << RawHeaders{{"Logical-Size", "12"}, {"Logical-Size", " 12"}}
                                                 << content << qint64(1000);
    QTest::newRow("year 9999, last second") << QByteArray("/files/h/last?last_modified=Fri,+31+Dec+9999+23:59:59+GMT")
                                            << QByteArray("/h/last") << RawHeaders{} << content
                                            << qint64(253402300799);
    QTest::newRow("year 1900") << QByteArray("/files/h/first?last_modified=Mon,+01+Jan+1900+00:00:00+GMT")
                               << QByteArray("/h/first") << RawHeaders{} << content << qint64(-2208988800);
  }
  void accepted() {
    QFETCH(QByteArray, target);
    QFETCH(QByteArray, name);
    QFETCH(RawHeaders, headers);
    QFETCH(QByteArray, body);
    QFETCH(qint64, version);
    RawConnection c(port());
    RawResponse r = c.request("PUT", target, headers, body);
    QVERIFY2(r.status == 200, r.header("x-exception").constData());
    QCOMPARE(r.header("last-modified"), httpDate(version));
    QCOMPARE(test::content(port(), ft::protocol::encode_path(name.toStdString()).c_str()), QByteArray("some content"));
  }

  // A gzip bomb with a lying Logical-Size costs the server about nothing:
  // inflating stops as soon as the content passes the declared size
  // (inflating all of it, 1 GiB, takes a second or more of CPU).
  void gzipBombStopsEarly() {
    const QByteArray bomb = gzipBomb(64, 16 << 20);  // ~1 MiB body, 1 GiB content
    const double before = cpuSeconds(server_->pid());
    RawConnection c(port());
    RawResponse r = c.request("PUT", "/files/h/bomb" + lastModifiedQuery(10),
                              {{"Content-Encoding", "gzip"}, {"Logical-Size", "1000"}}, bomb);
    QCOMPARE(r.status, 400);
    QVERIFY2(r.header("x-exception").contains("Logical-Size 1000 does not match the content (it is longer)"),
             r.header("x-exception").constData());
    const double used = cpuSeconds(server_->pid()) - before;
    QVERIFY2(used < 0.5, qPrintable(QString("the server used %1 s of CPU on the bomb").arg(used)));
  }

  // --max-upload-size bounds the inflated content too, not only the body.
  void inflatedSizeBoundedByMaxUploadSize() {
    TestServer limited({}, {"--max-upload-size", "100000"});
    QVERIFY(limited.start());
    const QByteArray bomb = gzipBomb(1, 10 << 20);  // 10 KiB body, 10 MiB content
    QVERIFY(bomb.size() < 100000);
    RawConnection c(limited.port());
    RawResponse r = c.request("PUT", "/files/h/inflated" + lastModifiedQuery(10), {{"Content-Encoding", "gzip"}}, bomb);
    QCOMPARE(r.status, 413);
    QVERIFY2(r.header("x-exception").contains("the content exceeds the maximum upload size of 100000 bytes"),
             r.header("x-exception").constData());
    int status = 0;
    test::content(limited.port(), "/h/inflated", &status);
    QCOMPARE(status, 404);
    // Content of exactly the limit is fine.
    RawResponse ok = c.request("PUT", "/files/h/fits" + lastModifiedQuery(10), {{"Content-Encoding", "gzip"}},
                               gzipBomb(1, 100000));
    QCOMPARE(ok.status, 200);
  }

  // --max-uploads N: the N+1st upload in progress gets 503 with Retry-After
  // before any of it is stored; a slot is free again once an upload ends.
  void maxUploads() {
    TestServer capped({}, {"--max-uploads", "2"});
    QVERIFY(capped.start());
    const QByteArray head = " HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n";
    auto stalled = std::make_unique<RawConnection>(capped.port());
    stalled->sendRaw("PUT /files/cap/a" + lastModifiedQuery(10) + head + QByteArray(1000, 'a'));
    RawConnection second(capped.port());
    second.sendRaw("PUT /files/cap/b" + lastModifiedQuery(10) + head + QByteArray(1000, 'b'));
    QTRY_COMPARE(QDir(capped.dataDir() + "/blobs/tmp").entryList(QDir::Files).size(), 2);
    RawResponse refused = put(capped.port(), "/cap/c", "c", 10);
    QCOMPARE(refused.status, 503);
    QCOMPARE(refused.header("retry-after"), QByteArray("1"));
    QVERIFY2(refused.header("x-exception").contains("--max-uploads"), refused.header("x-exception").constData());
    int status = 0;
    test::content(capped.port(), "/cap/c", &status);
    QCOMPARE(status, 404);
    // Reads are not uploads: still served.
    QCOMPARE(rawRequest(capped.port(), "GET", "/version").status, 200);
    // One stalled client goes away: its slot is free.
    stalled.reset();
    QTRY_COMPARE(QDir(capped.dataDir() + "/blobs/tmp").entryList(QDir::Files).size(), 1);
    QCOMPARE(put(capped.port(), "/cap/c", "c", 10).status, 200);
    QCOMPARE(test::content(capped.port(), "/cap/c"), QByteArray("c"));
  }

  // Start-up removes interrupted uploads only (it does not walk the blobs);
  // a blob no file refers to goes in the background sweep, and
  // --check --repair removes one in a stopped store.
  void orphansWithoutStartUpScan() {
    TestServer server;
    QVERIFY(server.start());
    QCOMPARE(put(server.port(), "/o/kept", "kept", 10).status, 200);
    server.stop();
    auto plant = [&](const QByteArray& text) {
      const QByteArray sha = sha256Hex(text);
      QDir().mkpath(server.dataDir() + "/blobs/" + sha.left(2));
      QFile f(server.dataDir() + "/blobs/" + sha.left(2) + "/" + sha);
      if (!f.open(QIODevice::WriteOnly)) return QString();
      f.write(gzip(text));
      return f.fileName();
    };
    const QString orphan = plant("orphan one");
    QVERIFY(!orphan.isEmpty());
    QString out;
    QCOMPARE(runCheck(server.dataDir(), &out), 1);
    QVERIFY2(out.contains(sha256Hex("orphan one") + ": stored but no file refers to it"), qPrintable(out));

    // --check --repair: removed, reported, and the store is consistent.
    ProcessResult repaired = runProcess(TestServer::binary(), {"--check", "--repair", "-d", server.dataDir()});
    QVERIFY2(repaired.code == 0, (repaired.out + repaired.err).constData());
    QVERIFY2(repaired.out.contains("repaired: removed blob " + sha256Hex("orphan one") + ": no file refers to it"),
             repaired.out.constData());
    QVERIFY(!QFile::exists(orphan));
    QCOMPARE(runCheck(server.dataDir(), &out), 0);

    // The background sweep of a running server.
    const QString second = plant("orphan two");
    QVERIFY(!second.isEmpty());
    QVERIFY(server.start());
    QTRY_VERIFY_WITH_TIMEOUT(!QFile::exists(second), 10000);
    QCOMPARE(test::content(server.port(), "/o/kept"), QByteArray("kept"));
    QTRY_VERIFY(server.log().contains("background clean-up: removed 1 blob(s) no file refers to"));
    server.stop();
    QCOMPARE(runCheck(server.dataDir(), &out), 0);
  }
};

QTEST_GUILESS_MAIN(TestServerHardening)
#include "test_server_hardening.moc"
