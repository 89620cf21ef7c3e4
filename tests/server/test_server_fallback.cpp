// Live migration end to end: a second real filetracker-server stands in for
// the old one, and ours runs with --fallback-url (307 redirects, or pulling
// names it does not have). A scripted FakeHttpServer is the old server where
// it must misbehave (corrupt or cut-off answers, stalls) or where a fetch
// must be held until every concurrent request has joined it.
#include <QtTest>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpServer>

#include <atomic>
#include <csignal>
#include <chrono>
#include <filesystem>
#include <thread>
#include <vector>

#include "access_file.hpp"
#include "content.hpp"
#include "fake_http_server.hpp"
#include "process.hpp"
#include "raw_http.hpp"
#include "temp_dirs.hpp"
#include "test_server.hpp"
#include "wire.hpp"

using namespace test;
namespace fs = std::filesystem;

namespace {

constexpr qint64 kOldVersion = 1500000000;  // 2017: what the old server stores

double sample(const QByteArray& text, const QByteArray& series) {
  for (const QByteArray& line : text.split('\n'))
    if (line.startsWith(series + ' ')) return line.mid(series.size() + 1).toDouble();
  return -1;
}

double metric(quint16 port, const QByteArray& series) {
  RawResponse r = rawRequest(port, "GET", "/metrics");
  return r.status == 200 ? sample(r.body, series) : -1;
}

double fallbackCount(quint16 port, const char* result) {
  return metric(port, QByteArray("filetracker_fallback_requests_total{result=\"") + result + "\"}");
}

double getsAnswered(quint16 port, int status) {
  return std::max(0.0, metric(port, "filetracker_http_requests_total{method=\"GET\",status=\"" +
                                        QByteArray::number(status) + "\"}"));
}

QStringList fallbackArgs(const QString& url, const char* mode, int timeout = 5) {
  return {"--fallback-url", url, "--fallback-mode", mode, "--fallback-timeout", QString::number(timeout)};
}

// A port nothing listens on.
quint16 closedPort() {
  QTcpServer probe;
  if (!probe.listen(QHostAddress::LocalHost, 0)) return 0;
  quint16 port = probe.serverPort();
  probe.close();
  return port;
}

// Every blob file and upload temporary below DATA/blobs.
int filesBelowBlobs(const QString& dataDir) {
  int n = 0;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(fs::path(dataDir.toStdString()) / "blobs", ec), end; it != end;
       it.increment(ec))
    if (it->is_regular_file()) ++n;
  return n;
}

// The old server's answer to GET /files/NAME, as our server sends it.
QByteArray goodAnswer(const QByteArray& content, qint64 version) {
  return FakeHttpServer::reply(200,
                               {{"Content-Type", "application/octet-stream"},
                                {"Content-Encoding", "gzip"},
                                {"Last-Modified", httpDate(version)},
                                {"Logical-Size", QByteArray::number(content.size())},
                                {"SHA256-Checksum", sha256Hex(content)}},
                               gzip(content));
}

}  // namespace

class TestServerFallback : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    if (TestServer::binary().isEmpty()) QSKIP("FILETRACKER_SERVER_BIN is not set");
  }

  // --fallback-url alone: what the Python server does. A missing name is a
  // 307 to the same path and query there; stored names, PUT and the other
  // endpoints stay here.
  void redirect() {
    TestServer old;
    QVERIFY(old.start());
    QCOMPARE(put(old.port(), "/r/old%20one.txt", "old content", kOldVersion).status, 200);
    TestServer ours({}, fallbackArgs(old.url(), "redirect"));
    QVERIFY(ours.start());
    QCOMPARE(put(ours.port(), "/r/new.txt", "new content", kOldVersion + 10).status, 200);

    RawResponse r = rawRequest(ours.port(), "GET", "/files/r/old%20one.txt?x=1&y=a%2Fb");
    QCOMPARE(r.status, 307);
    QCOMPARE(QString::fromLatin1(r.header("Location")), old.url() + "/files/r/old%20one.txt?x=1&y=a%2Fb");
    r = rawRequest(ours.port(), "HEAD", "/files/r/old%20one.txt");
    QCOMPARE(r.status, 307);
    QCOMPARE(QString::fromLatin1(r.header("Location")), old.url() + "/files/r/old%20one.txt");
    // The Location answers the file.
    QCOMPARE(content(old.port(), "/r/old%20one.txt"), QByteArray("old content"));

    QCOMPARE(content(ours.port(), "/r/new.txt"), QByteArray("new content"));
    QCOMPARE(rawRequest(ours.port(), "GET", "/version").body.contains("\"fallback-redirect\""), true);
    QCOMPARE(fallbackCount(ours.port(), "redirected"), 2.0);
    // PUT is local: the old server never sees it.
    int status = 0;
    content(old.port(), "/r/new.txt", &status);
    QCOMPARE(status, 404);
    // Nothing was stored here by the redirects.
    QCOMPARE(metric(ours.port(), "filetracker_stored_files"), 1.0);
  }

  // The deployed clients follow the 307: our CLI (libcurl) reads the old
  // server's file and version through our server.
  void cliFollowsRedirect() {
    const QString cli = QString::fromLocal8Bit(qgetenv("FILETRACKER_CLI_BIN"));
    if (cli.isEmpty()) QSKIP("FILETRACKER_CLI_BIN is not set");
    TestServer old;
    QVERIFY(old.start());
    QCOMPARE(put(old.port(), "/c/only-old.txt", "from the old server", kOldVersion).status, 200);
    TestServer ours({}, fallbackArgs(old.url(), "redirect"));
    QVERIFY(ours.start());
    QTemporaryDir tmp(tempTemplate("fallback-cli"));
    QVERIFY(tmp.isValid());
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove("FILETRACKER_URL");
    env.insert("HOME", tmp.filePath("home"));
    const QStringList base{"-r", ours.url(), "-c", tmp.filePath("cache")};
    ProcessResult cat = runProcess(cli, base + QStringList{"cat", "/c/only-old.txt"}, env);
    QVERIFY2(cat.code == 0, cat.err.constData());
    QCOMPARE(cat.out, QByteArray("from the old server"));
    ProcessResult version = runProcess(cli, base + QStringList{"version", "/c/only-old.txt"}, env);
    QVERIFY2(version.code == 0, version.err.constData());
    QCOMPARE(version.out.trimmed(), QByteArray::number(kOldVersion));
    QVERIFY(fallbackCount(ours.port(), "redirected") >= 2);
    // A name missing on both sides is the old server's 404, worded as such.
    ProcessResult missing = runProcess(cli, base + QStringList{"cat", "/c/nowhere.txt"}, env);
    QVERIFY(missing.code != 0);
    QVERIFY2(missing.err.contains("not found"), missing.err.constData());
  }

  // --fallback-mode pull: the first GET fetches the file, stores it here with
  // the old server's version and answers it; afterwards it is served from
  // here, even with the old server gone.
  void pullStoresWithVersion() {
    TestServer old;
    QVERIFY(old.start());
    const QByteArray big = mixedBytes(3 << 20, 5);
    QCOMPARE(put(old.port(), "/p/big.bin", big, kOldVersion).status, 200);
    QCOMPARE(put(old.port(), "/p/small.txt", "small", kOldVersion + 1).status, 200);
    TestServer ours({}, fallbackArgs(old.url(), "pull"));
    QVERIFY(ours.start());
    QVERIFY(rawRequest(ours.port(), "GET", "/version").body.contains("\"fallback-pull\""));
    const double oldGetsBefore = getsAnswered(old.port(), 200);

    RawResponse r = getGzip(ours.port(), "/p/big.bin");
    QCOMPARE(r.status, 200);
    QCOMPARE(gunzip(r.body), big);
    QCOMPARE(r.header("Last-Modified"), httpDate(kOldVersion));
    QCOMPARE(r.header("SHA256-Checksum"), sha256Hex(big));
    // HEAD pulls too.
    r = rawRequest(ours.port(), "HEAD", "/files/p/small.txt");
    QCOMPARE(r.status, 200);
    QCOMPARE(r.header("Last-Modified"), httpDate(kOldVersion + 1));
    QCOMPARE(r.header("Logical-Size"), QByteArray("5"));
    QCOMPARE(fallbackCount(ours.port(), "pulled"), 2.0);
    QCOMPARE(metric(ours.port(), "filetracker_stored_files"), 2.0);

    // Served from here now: the old server sees no more requests, and can go.
    for (int i = 0; i < 3; ++i) QCOMPARE(content(ours.port(), "/p/big.bin"), big);
    // One GET per pulled name (+1: the scrape that took oldGetsBefore is counted too).
    QCOMPARE(getsAnswered(old.port(), 200) - oldGetsBefore, 3.0);
    old.stop();
    QCOMPARE(content(ours.port(), "/p/small.txt"), QByteArray("small"));
    // A name missing here while the old server is down: a clear 502, at once.
    const auto t0 = std::chrono::steady_clock::now();
    r = getGzip(ours.port(), "/p/not-pulled");
    QCOMPARE(r.status, 502);
    QVERIFY2(r.header("X-Exception").contains("old server"), r.header("X-Exception").constData());
    QVERIFY(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(4));

    // Stored for good (the normal commit): a restart without fallback keeps
    // both, and the storage check finds index and blobs consistent.
    ours.setExtraArgs({});
    QVERIFY(ours.restart());
    QCOMPARE(content(ours.port(), "/p/big.bin"), big);
    QCOMPARE(rawRequest(ours.port(), "HEAD", "/files/p/small.txt").header("Last-Modified"), httpDate(kOldVersion + 1));
    ours.stop();
    QString out;
    QCOMPARE(runCheck(ours.dataDir(), &out), 0);
  }

  // N concurrent GETs of one missing name: one request reaches the old
  // server. The scripted old server holds the body back until our server's
  // metrics show the other N-1 requests waiting for that fetch, so the test
  // cannot pass without them overlapping.
  void pullSingleFlight() {
    constexpr int kClients = 8;
    const QByteArray data = mixedBytes(200000, 9);
    std::atomic<quint16> oursPort{0};
    FakeHttpServer fake([&](const FakeRequest& request) {
      if (request.target.startsWith("/files/sf/one")) return goodAnswer(data, kOldVersion);
      return FakeHttpServer::reply(404, {{"X-Exception", "not here"}}, {});
    });
    fake.setTrickle(2, 0);
    fake.setBeforePiece([&](int) {
      const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
      while (std::chrono::steady_clock::now() < until && fallbackCount(oursPort, "joined") < kClients - 1)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    });
    TestServer ours({}, fallbackArgs(fake.url(), "pull") + QStringList{"--workers", "4"});
    QVERIFY(ours.start());
    oursPort = ours.port();

    std::vector<std::thread> clients;
    std::vector<QByteArray> got(kClients);
    std::vector<int> statuses(kClients, 0);
    for (int i = 0; i < kClients; ++i)
      clients.emplace_back([&, i] {
        RawResponse r = getGzip(oursPort, "/sf/one");
        statuses[i] = r.status;
        if (r.status == 200) got[i] = gunzip(r.body);
      });
    for (auto& t : clients) t.join();
    for (int i = 0; i < kClients; ++i) {
      QCOMPARE(statuses[i], 200);
      QCOMPARE(got[i], data);
    }
    QCOMPARE(fake.count("GET", "/files/sf/one"), 1);
    QCOMPARE(fallbackCount(ours.port(), "pulled"), 1.0);
    QCOMPARE(fallbackCount(ours.port(), "joined"), double(kClients - 1));
  }

  // What the old server sends must be the file it claims; nothing of a bad
  // answer is stored, and the client gets 502 with the reason.
  void corruptAnswerNotStored_data() {
    QTest::addColumn<QByteArray>("answer");
    QTest::addColumn<QString>("reason");
    const QByteArray data = mixedBytes(100000, 3);
    const QByteArray gz = gzip(data);
    auto answer = [&](QList<QPair<QByteArray, QByteArray>> headers, const QByteArray& body) {
      return FakeHttpServer::reply(200, headers, body);
    };
    const QByteArray date = httpDate(kOldVersion);
    const QByteArray size = QByteArray::number(data.size());
    QTest::newRow("wrong SHA256-Checksum")
        << answer({{"Content-Encoding", "gzip"}, {"Last-Modified", date}, {"Logical-Size", size},
                   {"SHA256-Checksum", sha256Hex("something else")}},
                  gz)
        << "SHA-256";
    QTest::newRow("wrong Logical-Size (shorter)")
        << answer({{"Content-Encoding", "gzip"}, {"Last-Modified", date}, {"Logical-Size", "10"}}, gz)
        << "Logical-Size";
    QTest::newRow("wrong Logical-Size (longer)")
        << answer({{"Content-Encoding", "gzip"}, {"Last-Modified", date}, {"Logical-Size", "200000"}}, gz)
        << "Logical-Size";
    QTest::newRow("gzip cut short (Python server: no checksum)")
        << answer({{"Content-Encoding", "gzip"}, {"Last-Modified", date}, {"Logical-Size", size}},
                  gz.left(gz.size() / 2))
        << "bad content";
    QByteArray flipped = gz;
    flipped[flipped.size() - 6] = char(flipped[flipped.size() - 6] ^ 0x55);  // the CRC-32 in the trailer
    QTest::newRow("gzip trailer CRC wrong")
        << answer({{"Content-Encoding", "gzip"}, {"Last-Modified", date}, {"Logical-Size", size}}, flipped)
        << "bad content";
    QTest::newRow("not gzip at all")
        << answer({{"Content-Encoding", "gzip"}, {"Last-Modified", date}}, QByteArray("plain text, not gzip"))
        << "bad content";
    QTest::newRow("body shorter than Content-Length")
        << answer({{"Content-Encoding", "gzip"}, {"Last-Modified", date}, {"Content-Length", QByteArray::number(gz.size())}},
                  gz.left(1000))
        << "cut off";
    QTest::newRow("no Last-Modified") << answer({{"Content-Encoding", "gzip"}, {"Logical-Size", size}}, gz)
                                      << "Last-Modified";
    QTest::newRow("unknown Content-Encoding")
        << answer({{"Content-Encoding", "br"}, {"Last-Modified", date}}, gz) << "Content-Encoding";
    QTest::newRow("old server error")
        << FakeHttpServer::reply(500, {{"X-Exception", "disk on fire"}}, "oops") << "disk on fire";
  }

  void corruptAnswerNotStored() {
    QFETCH(QByteArray, answer);
    QFETCH(QString, reason);
    std::atomic<bool> good{false};
    const QByteArray data = mixedBytes(100000, 3);
    FakeHttpServer fake([&](const FakeRequest&) { return good ? goodAnswer(data, kOldVersion) : answer; });
    TestServer ours({}, fallbackArgs(fake.url(), "pull"));
    QVERIFY(ours.start());
    RawResponse r = getGzip(ours.port(), "/bad/file.bin");
    QCOMPARE(r.status, 502);
    QVERIFY2(QString::fromLatin1(r.header("X-Exception")).contains(reason), r.header("X-Exception").constData());
    QCOMPARE(metric(ours.port(), "filetracker_stored_files"), 0.0);
    QCOMPARE(fallbackCount(ours.port(), "failed"), 1.0);
    QCOMPARE(filesBelowBlobs(ours.dataDir()), 0);  // no blob, no upload left behind
    // Once the old server answers properly, the same name is pulled.
    good = true;
    r = getGzip(ours.port(), "/bad/file.bin");
    QCOMPARE(r.status, 200);
    QCOMPARE(gunzip(r.body), data);
  }

  // The old server down or hanging: 502 / 504 within --fallback-timeout,
  // never a hang; for every mode and for /list and DELETE.
  void upstreamDown() {
    const QString down = QStringLiteral("http://127.0.0.1:%1").arg(closedPort());
    TestServer ours({}, fallbackArgs(down, "pull", 2));
    QVERIFY(ours.start());
    RawResponse r = getGzip(ours.port(), "/x/y");
    QCOMPARE(r.status, 502);
    QVERIFY2(r.header("X-Exception").contains("cannot connect"), r.header("X-Exception").constData());
    r = rawRequest(ours.port(), "DELETE", "/files/x/y" + lastModifiedQuery(kOldVersion));
    QCOMPARE(r.status, 502);
    r = rawRequest(ours.port(), "GET", "/list/x");
    QCOMPARE(r.status, 502);  // nothing here, nothing known there
    // With something stored here the listing is ours, with a Warning.
    QCOMPARE(put(ours.port(), "/x/here.txt", "here", kOldVersion).status, 200);
    r = rawRequest(ours.port(), "GET", "/list/x");
    QCOMPARE(r.status, 200);
    QCOMPARE(r.body, QByteArray("here.txt\n"));
    QVERIFY(r.header("Warning").contains("only this server's files"));
    QCOMPARE(rawRequest(ours.port(), "GET", "/health").status, 200);  // the old server is not our health

    // An old server that sends half of a body and then nothing.
    FakeHttpServer stalling([](const FakeRequest&) {
      return FakeHttpServer::reply(200, {{"Content-Encoding", "gzip"}, {"Last-Modified", httpDate(kOldVersion)},
                                         {"Content-Length", "100000"}},
                                   gzip("x").left(10));
    });
    stalling.setStallAfterReply(true);
    TestServer slow({}, fallbackArgs(stalling.url(), "pull", 1));
    QVERIFY(slow.start());
    const auto t0 = std::chrono::steady_clock::now();
    r = getGzip(slow.port(), "/s/stalls");
    QCOMPARE(r.status, 504);
    QVERIFY(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(10));
    QCOMPARE(filesBelowBlobs(slow.dataDir()), 0);
    // The other io threads went on meanwhile (the fetch is not on them).
    QCOMPARE(rawRequest(slow.port(), "GET", "/health").status, 200);
  }

  // SIGTERM while a pull waits for a stalled old server: the server stops
  // at once and cleanly (exit 0; without cancelling the fetch it would wait
  // for the old server), the client gets 503, and nothing of the
  // half-fetched file stays.
  void stopWhilePulling() {
    FakeHttpServer stalling([](const FakeRequest&) {
      return FakeHttpServer::reply(200, {{"Content-Encoding", "gzip"}, {"Last-Modified", httpDate(kOldVersion)},
                                         {"Content-Length", "100000"}},
                                   gzip("x").left(10));
    });
    stalling.setStallAfterReply(true);
    TestServer ours({}, fallbackArgs(stalling.url(), "pull", 60));
    QVERIFY(ours.start());
    const quint16 port = ours.port();
    std::atomic<int> status{-1};
    std::thread client([&] { status = getGzip(port, "/s/stalls").status; });
    QTRY_VERIFY_WITH_TIMEOUT(stalling.count("GET", "/files/s/stalls") == 1, 10000);
    const auto t0 = std::chrono::steady_clock::now();
    ::kill(pid_t(ours.pid()), SIGTERM);
    const int code = ours.waitStopped(20000);
    const auto took = std::chrono::steady_clock::now() - t0;
    client.join();
    QCOMPARE(code, 0);
    QVERIFY2(took < std::chrono::seconds(5), "the stop waited for the old server");
    QCOMPARE(status.load(), 503);
    QCOMPARE(filesBelowBlobs(ours.dataDir()), 0);
  }

  // DELETE is local, and a name deleted here never comes back from the old
  // server: not by redirect, not by pull, not in /list, not after a restart.
  void deleteHidesOldCopy_data() {
    QTest::addColumn<QString>("mode");
    QTest::newRow("redirect") << "redirect";
    QTest::newRow("pull") << "pull";
  }
  void deleteHidesOldCopy() {
    QFETCH(QString, mode);
    TestServer old;
    QVERIFY(old.start());
    for (const char* name : {"/d/only-old", "/d/pulled", "/d/newer-there", "/d/kept"})
      QCOMPARE(put(old.port(), name, QByteArray("old ") + name, kOldVersion).status, 200);
    TestServer ours({}, fallbackArgs(old.url(), mode.toLatin1().constData()));
    QVERIFY(ours.start());
    const quint16 port = ours.port();
    if (mode == "pull") QCOMPARE(content(port, "/d/pulled"), QByteArray("old /d/pulled"));

    QCOMPARE(rawRequest(port, "DELETE", "/files/d/only-old" + lastModifiedQuery(kOldVersion + 5)).status, 200);
    if (mode == "pull")
      QCOMPARE(rawRequest(port, "DELETE", "/files/d/pulled" + lastModifiedQuery(kOldVersion + 5)).status, 200);
    // A DELETE older than the old server's version changes nothing (as here).
    RawResponse r = rawRequest(port, "DELETE", "/files/d/newer-there" + lastModifiedQuery(kOldVersion - 5));
    QCOMPARE(r.status, 200);
    QCOMPARE(r.header("Last-Modified"), httpDate(kOldVersion));
    QCOMPARE(rawRequest(port, "DELETE", "/files/d/nowhere" + lastModifiedQuery(kOldVersion)).status, 404);

    auto check = [&] {
      QCOMPARE(getGzip(ours.port(), "/d/only-old").status, 404);
      QCOMPARE(getGzip(ours.port(), "/d/pulled").status, mode == "pull" ? 404 : 307);
      QCOMPARE(getGzip(ours.port(), "/d/newer-there").status, mode == "pull" ? 200 : 307);
      RawResponse list = rawRequest(ours.port(), "GET", "/list/d");
      QCOMPARE(list.status, 200);
      QCOMPARE(list.body, mode == "pull" ? QByteArray("kept\nnewer-there\n") : QByteArray("kept\nnewer-there\npulled\n"));
    };
    check();
    QVERIFY(ours.restart());  // the record of deletions is durable
    check();
    // The old server still has everything: DELETE never went there.
    QCOMPARE(content(old.port(), "/d/only-old"), QByteArray("old /d/only-old"));
    // A PUT here brings the name back (stored here wins).
    QCOMPARE(put(ours.port(), "/d/only-old", "new", kOldVersion + 9).status, 200);
    QCOMPARE(content(ours.port(), "/d/only-old"), QByteArray("new"));
  }

  // /list merges both sides; a name stored here is listed as stored here.
  void mergedList() {
    TestServer old;
    QVERIFY(old.start());
    QCOMPARE(put(old.port(), "/m/a", "old a", kOldVersion).status, 200);
    QCOMPARE(put(old.port(), "/m/b", "old b", kOldVersion).status, 200);
    QCOMPARE(put(old.port(), "/m/sub/c", "old c", kOldVersion).status, 200);
    QCOMPARE(put(old.port(), "/only-old-dir/z", "z", kOldVersion).status, 200);
    TestServer ours({}, fallbackArgs(old.url(), "pull"));
    QVERIFY(ours.start());
    QCOMPARE(put(ours.port(), "/m/b", "new b, longer", kOldVersion + 100).status, 200);
    QCOMPARE(put(ours.port(), "/m/x", "x", kOldVersion + 100).status, 200);

    RawResponse r = rawRequest(ours.port(), "GET", "/list/m");
    QCOMPARE(r.status, 200);
    QCOMPARE(r.body, QByteArray("a\nb\nsub/c\nx\n"));
    r = rawRequest(ours.port(), "GET", "/list/m?recursive=0", {{"Accept", "application/json"}});
    QCOMPARE(r.status, 200);
    const QJsonObject json = QJsonDocument::fromJson(r.body).object();
    QMap<QString, QPair<qint64, qint64>> files;
    for (const auto& value : json["files"].toArray()) {
      const QJsonObject f = value.toObject();
      files[f["name"].toString()] = {f["version"].toInteger(), f["size"].toInteger()};
    }
    const QStringList expected{"a", "b", "x"};
    QCOMPARE(files.keys(), expected);
    QCOMPARE(files["a"], qMakePair(kOldVersion, qint64(5)));          // the old server's
    QCOMPARE(files["b"], qMakePair(kOldVersion + 100, qint64(13)));  // ours wins
    const QVariantList subdirs{QStringLiteral("sub")};
    QCOMPARE(json["directories"].toArray().toVariantList(), subdirs);
    // A directory only the old server has.
    r = rawRequest(ours.port(), "GET", "/list/only-old-dir");
    QCOMPARE(r.status, 200);
    QCOMPARE(r.body, QByteArray("z\n"));
    QCOMPARE(rawRequest(ours.port(), "GET", "/list/nowhere").status, 400);
    // Listing pulls nothing.
    QCOMPARE(metric(ours.port(), "filetracker_stored_files"), 2.0);
  }

  // With access control here, the old server's names are filtered like
  // ours: a principal limited to /tests/ sees none of the others in a merged
  // listing, and cannot pull them.
  void mergedListHonoursAccess() {
    TestServer old;
    QVERIFY(old.start());
    for (const char* name : {"/tests/a.in", "/tests/sub/b.out", "/secret/x", "/root-file"})
      QCOMPARE(put(old.port(), name, QByteArray("old ") + name, kOldVersion).status, 200);
    TestAccessFile access;
    QVERIFY(access.add("judge", "judge-secret", "read", {"/tests/"}));
    QVERIFY(access.add("op", "op-secret", "admin"));
    TestServer ours({}, fallbackArgs(old.url(), "pull") + QStringList{"--auth", access.path()});
    QVERIFY(ours.start());
    const RawHeaders judge{{"Authorization", basicAuth("judge", "judge-secret")}};
    QCOMPARE(put(ours.port(), "/tests/here.in", "here", kOldVersion + 1, {{"Authorization", basicAuth("op", "op-secret")}})
                 .status,
             200);

    RawResponse r = rawRequest(ours.port(), "GET", "/list/", judge);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.body, QByteArray("tests/a.in\ntests/here.in\ntests/sub/b.out\n"));
    RawHeaders judgeJson = judge;
    judgeJson.append(qMakePair(QByteArray("Accept"), QByteArray("application/json")));
    r = rawRequest(ours.port(), "GET", "/list/?recursive=0", judgeJson);
    QCOMPARE(r.status, 200);
    const QJsonObject json = QJsonDocument::fromJson(r.body).object();
    QCOMPARE(json["files"].toArray().size(), 0);
    const QVariantList dirs{QStringLiteral("tests")};
    QCOMPARE(json["directories"].toArray().toVariantList(), dirs);
    // The admin sees both sides.
    r = rawRequest(ours.port(), "GET", "/list/", {{"Authorization", basicAuth("op", "op-secret")}});
    QCOMPARE(r.body, QByteArray("root-file\nsecret/x\ntests/a.in\ntests/here.in\ntests/sub/b.out\n"));

    QCOMPARE(rawRequest(ours.port(), "GET", "/files/secret/x", judge).status, 403);
    r = rawRequest(ours.port(), "GET", "/files/tests/a.in", judge);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.body, QByteArray("old /tests/a.in"));
    QCOMPARE(rawRequest(ours.port(), "GET", "/metrics", judge).status, 403);  // admin only (protocol.md)
    QCOMPARE(rawRequest(ours.port(), "GET", "/health").status, 200);          // open: a load balancer has no credentials
    r = rawRequest(ours.port(), "GET", "/metrics", {{"Authorization", basicAuth("op", "op-secret")}});
    QCOMPARE(sample(r.body, "filetracker_fallback_requests_total{result=\"pulled\"}"), 1.0);
  }

  // Bad flags: a one-line error, exit 2, nothing served.
  void badFlags_data() {
    QTest::addColumn<QStringList>("args");
    QTest::newRow("mode without url") << QStringList{"--fallback-mode", "pull"};
    QTest::newRow("unknown mode") << QStringList{"--fallback-url", "http://127.0.0.1:1", "--fallback-mode", "push"};
    QTest::newRow("not http") << QStringList{"--fallback-url", "ftp://old"};
  }
  void badFlags() {
    QFETCH(QStringList, args);
    QTemporaryDir dir(tempTemplate("fallback-flags"));
    ProcessResult r = runProcess(TestServer::binary(), QStringList{"-d", dir.path(), "-p", "0"} + args);
    QVERIFY2(r.code != 0 && r.code != -1, r.err.constData());
    QVERIFY(!r.err.trimmed().isEmpty());
    QVERIFY(!r.out.contains("listening"));
  }
};

QTEST_GUILESS_MAIN(TestServerFallback)
#include "test_server_fallback.moc"
