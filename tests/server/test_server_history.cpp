// Version history (--keep-versions, --keep-for; extension "history",
// docs/protocol.md), end to end against the real server on loopback:
// retention by count and by age, shared blobs, restore, DELETE then
// history, the admin-only purge, --check over kept versions, and a kill -9
// in the middle of pruning that loses nothing still kept.
#include <QDir>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QThread>
#include <QtTest>

#include <atomic>
#include <ctime>
#include <map>
#include <thread>
#include <vector>

#include "access_file.hpp"
#include "filetracker/protocol.hpp"
#include "process.hpp"
#include "raw_http.hpp"
#include "test_server.hpp"
#include "wire.hpp"

using namespace test;

namespace {

struct Kept {
  qint64 version = 0;
  qint64 size = 0;
  QByteArray sha256;
  bool current = false;
};

// GET /history/NAME: the versions, newest first (empty on any error; the
// status in *status).
QList<Kept> history(quint16 port, const QByteArray& name, const RawHeaders& headers = {}, int* status = nullptr) {
  RawResponse r = rawRequest(port, "GET", "/history" + name, headers);
  if (status) *status = r.status;
  QList<Kept> out;
  if (r.status != 200) return out;
  const QJsonObject o = QJsonDocument::fromJson(r.body).object();
  for (const auto& v : o.value("versions").toArray()) {
    const QJsonObject e = v.toObject();
    out.push_back(Kept{qint64(e.value("version").toDouble()), qint64(e.value("size").toDouble()),
                       e.value("sha256").toString().toLatin1(), e.value("current").toBool()});
  }
  return out;
}

QList<qint64> versionsOf(const QList<Kept>& kept) {
  QList<qint64> out;
  for (const auto& k : kept) out << k.version;
  return out;
}

// The content of one version through GET /history/NAME?last_modified=DATE.
QByteArray versionContent(quint16 port, const QByteArray& name, qint64 version, int* status = nullptr) {
  RawResponse r = rawRequest(port, "GET", "/history" + name + lastModifiedQuery(version), {{"Accept-Encoding", "gzip"}});
  if (status) *status = r.status;
  if (r.status != 200) return {};
  return r.header("content-encoding") == "gzip" ? gunzip(r.body) : r.body;
}

QByteArray text(const char* s) { return QByteArray(s); }

qint64 parseDate(const QByteArray& date) { return ft::protocol::parse_http_date(date.toStdString()).value_or(0); }

}  // namespace

class TestServerHistory : public QObject {
  Q_OBJECT

 private slots:
  void advertisedOnlyWhenOn() {
    TestServer on({}, {"--keep-versions", "3"});
    QVERIFY(on.start());
    QVERIFY(rawRequest(on.port(), "GET", "/version").body.contains("\"history\""));
    TestServer off;
    QVERIFY(off.start());
    QVERIFY(!rawRequest(off.port(), "GET", "/version").body.contains("\"history\""));
    // Off: a newer PUT leaves nothing behind (today's behaviour).
    QCOMPARE(put(off.port(), "/o/a", "one", 100).status, 200);
    QCOMPARE(put(off.port(), "/o/a", "two", 200).status, 200);
    QCOMPARE(versionsOf(history(off.port(), "/o/a")), QList<qint64>({200}));
    QCOMPARE(countBlobs(off.dataDir()), 1);
  }

  void badDurationRefused() {
    QTemporaryDir dir;
    for (const char* bad : {"7x", "-1d", "0", "", "1.5h", "d", "99999999999999w"}) {
      ProcessResult r = runProcess(TestServer::binary(), {"-d", dir.path(), "-p", "0", "--keep-for", bad});
      QCOMPARE(r.code, 2);
      QVERIFY2(r.err.contains("--keep-for: not a duration"), r.err.constData());
    }
    ProcessResult r = runProcess(TestServer::binary(), {"-d", dir.path(), "-p", "0", "--keep-versions", "-3"});
    QVERIFY(r.code != 0);
  }

  void retentionByCount() {
    TestServer server({}, {"--keep-versions", "2"});
    QVERIFY(server.start());
    const quint16 port = server.port();
    for (int i = 1; i <= 5; ++i)
      QCOMPARE(put(port, "/c/a.txt", "content " + QByteArray::number(i), i * 100).status, 200);
    const QList<Kept> kept = history(port, "/c/a.txt");
    QCOMPARE(versionsOf(kept), QList<qint64>({500, 400, 300}));
    QVERIFY(kept[0].current);
    QVERIFY(!kept[1].current && !kept[2].current);
    QCOMPARE(kept[1].sha256, sha256Hex("content 4"));
    QCOMPARE(kept[2].size, qint64(9));
    QCOMPARE(versionContent(port, "/c/a.txt", 300), text("content 3"));
    QCOMPARE(versionContent(port, "/c/a.txt", 500), text("content 5"));  // the current one, too
    int status = 0;
    versionContent(port, "/c/a.txt", 200, &status);
    QCOMPARE(status, 404);
    // HEAD of a version: the headers GET sends.
    RawConnection c(port);
    RawResponse head = c.request("HEAD", "/history/c/a.txt" + lastModifiedQuery(400));
    QCOMPARE(head.status, 200);
    QCOMPARE(head.header("last-modified"), httpDate(400));
    QCOMPARE(head.header("sha256-checksum"), sha256Hex("content 4"));
    QVERIFY(head.body.isEmpty());
    // The plain protocol is unchanged: the current version only.
    QCOMPARE(content(port, "/c/a.txt"), text("content 5"));
    QCOMPARE(rawRequest(port, "GET", "/list/c").body, text("a.txt\n"));
    QCOMPARE(countBlobs(server.dataDir()), 3);  // the blobs of versions 100 and 200 went
    server.stop();
    QString out;
    QCOMPARE(runCheck(server.dataDir(), &out), 0);
    QVERIFY2(out.contains("1 file(s), 2 kept version(s), 3 blob(s), 0 problem(s)"), qPrintable(out));
    // A lower bound at the next start applies to what is kept already.
    server.setExtraArgs({"--keep-versions", "1"});
    QVERIFY(server.restart());
    QElapsedTimer waited;
    waited.start();
    while (history(server.port(), "/c/a.txt").size() != 2 && waited.elapsed() < 10000) QThread::msleep(20);
    QCOMPARE(versionsOf(history(server.port(), "/c/a.txt")), QList<qint64>({500, 400}));
    QTRY_COMPARE_WITH_TIMEOUT(countBlobs(server.dataDir()), 2, 5000);
  }

  void retentionByAge() {
    TestServer server({}, {"--keep-for", "2s"});
    QVERIFY(server.start());
    const quint16 port = server.port();
    for (int i = 1; i <= 4; ++i) QCOMPARE(put(port, "/age/a", "age " + QByteArray::number(i), i * 100).status, 200);
    // Just superseded: all kept (no count bound).
    QCOMPARE(versionsOf(history(port, "/age/a")), QList<qint64>({400, 300, 200, 100}));
    QCOMPARE(countBlobs(server.dataDir()), 4);
    // Older than 2 s: pruned by the server on its own (it looks every second).
    QElapsedTimer waited;
    waited.start();
    while (history(port, "/age/a").size() > 1 && waited.elapsed() < 15000) QThread::msleep(100);
    QCOMPARE(versionsOf(history(port, "/age/a")), QList<qint64>({400}));
    // (The blobs go right after the commit that removed the rows.)
    QTRY_COMPARE_WITH_TIMEOUT(countBlobs(server.dataDir()), 1, 5000);
    QCOMPARE(content(port, "/age/a"), text("age 4"));
  }

  void sharedBlobs() {
    TestServer server({}, {"--keep-versions", "5"});
    QVERIFY(server.start());
    const quint16 port = server.port();
    QCOMPARE(put(port, "/d/a", "alpha", 100).status, 200);
    QCOMPARE(put(port, "/d/a", "beta", 200).status, 200);
    QCOMPARE(put(port, "/d/a", "alpha", 300).status, 200);  // old content again: no new blob
    QCOMPARE(put(port, "/d/b", "beta", 100).status, 200);   // another name with kept content
    QCOMPARE(countBlobs(server.dataDir()), 2);
    QList<Kept> kept = history(port, "/d/a");
    QCOMPARE(versionsOf(kept), QList<qint64>({300, 200, 100}));
    QCOMPARE(kept[0].sha256, kept[2].sha256);
    // The unchanged content at a newer version: the version moves on, no
    // version is added (an unchanged re-upload costs nothing and pushes no
    // real version out of the bound).
    QCOMPARE(put(port, "/d/a", "alpha", 400).status, 200);
    QCOMPARE(versionsOf(history(port, "/d/a")), QList<qint64>({400, 200, 100}));
    QCOMPARE(countBlobs(server.dataDir()), 2);
    // A blob stays while any kept version refers to it.
    QCOMPARE(rawRequest(port, "DELETE", filesTarget("/d/b", 1000)).status, 200);
    QCOMPARE(versionContent(port, "/d/a", 200), text("beta"));
    server.stop();
    QString out;
    QCOMPARE(runCheck(server.dataDir(), &out), 0);
  }

  void restoreMakesANewerVersion() {
    TestServer server({}, {"--keep-versions", "5"});
    QVERIFY(server.start());
    const quint16 port = server.port();
    QCOMPARE(put(port, "/r/a", "first", 100).status, 200);
    QCOMPARE(put(port, "/r/a", "second", 200).status, 200);
    const qint64 before = std::time(nullptr);
    RawResponse r = rawRequest(port, "POST", "/history/r/a" + lastModifiedQuery(100));
    QCOMPARE(r.status, 200);
    const qint64 restored = parseDate(r.header("last-modified"));
    QVERIFY2(restored >= before, r.header("last-modified").constData());  // max(now, current + 1)
    QCOMPARE(content(port, "/r/a"), text("first"));
    QCOMPARE(getGzip(port, "/r/a").header("last-modified"), httpDate(restored));
    QCOMPARE(versionsOf(history(port, "/r/a")), QList<qint64>({restored, 200, 100}));
    QCOMPARE(countBlobs(server.dataDir()), 2);
    // A current version in the future: the restore is current + 1.
    const qint64 future = before + 100000;
    QCOMPARE(put(port, "/r/a", "third", future).status, 200);
    r = rawRequest(port, "POST", "/history/r/a" + lastModifiedQuery(200));
    QCOMPARE(r.status, 200);
    QCOMPARE(r.header("last-modified"), httpDate(future + 1));
    QCOMPARE(content(port, "/r/a"), text("second"));
    // Restoring the current version changes nothing.
    r = rawRequest(port, "POST", "/history/r/a" + lastModifiedQuery(future + 1));
    QCOMPARE(r.status, 200);
    QCOMPARE(r.header("last-modified"), httpDate(future + 1));
    // Not kept, no version given, a file never stored.
    r = rawRequest(port, "POST", "/history/r/a" + lastModifiedQuery(150));
    QCOMPARE(r.status, 404);
    QCOMPARE(r.header("x-exception"), QByteArray("/r/a@150: no such version is kept"));
    QCOMPARE(rawRequest(port, "POST", "/history/r/a").status, 400);
    QCOMPARE(rawRequest(port, "GET", "/history/r/none").status, 404);
    // POST elsewhere is still refused.
    QCOMPARE(rawRequest(port, "POST", "/files/r/a", {}, "x").status, 405);
  }

  void deleteKeepsOlderVersions() {
    TestServer server({}, {"--keep-versions", "5"});
    QVERIFY(server.start());
    const quint16 port = server.port();
    QCOMPARE(put(port, "/del/a", "old", 100).status, 200);
    QCOMPARE(put(port, "/del/a", "current", 200).status, 200);
    QCOMPARE(rawRequest(port, "DELETE", filesTarget("/del/a", 300)).status, 200);
    // The current version is gone; the older one stays until the bounds prune it.
    int status = 0;
    content(port, "/del/a", &status);
    QCOMPARE(status, 404);
    QCOMPARE(rawRequest(port, "GET", "/list/").body, QByteArray());
    QList<Kept> kept = history(port, "/del/a");
    QCOMPARE(versionsOf(kept), QList<qint64>({100}));
    QVERIFY(!kept[0].current);
    QCOMPARE(countBlobs(server.dataDir()), 1);
    // Restoring brings the file back, newer than anything it had.
    RawResponse r = rawRequest(port, "POST", "/history/del/a" + lastModifiedQuery(100));
    QCOMPARE(r.status, 200);
    QCOMPARE(content(port, "/del/a"), text("old"));
    QCOMPARE(rawRequest(port, "GET", "/list/").body, text("del/a\n"));
    // A directory of that name in between: the restore is refused.
    QCOMPARE(rawRequest(port, "DELETE", filesTarget("/del/a", 2000000000)).status, 200);
    QCOMPARE(put(port, "/del/a/inner", "x", 100).status, 200);
    r = rawRequest(port, "POST", "/history/del/a" + lastModifiedQuery(100));
    QCOMPARE(r.status, 409);
  }

  void purgeIsAdminOnly() {
    TestAccessFile access;
    QVERIFY(access.add("boss", "boss-secret", "admin"));
    QVERIFY(access.add("web", "web-secret", "write"));
    QVERIFY(access.add("judge", "judge-secret", "read"));
    QVERIFY(access.add("tests-admin", "ta-secret", "admin", {"/p/"}));
    TestServer server({}, {"--keep-versions", "5", "--auth", access.path()});
    QVERIFY(server.start());
    const quint16 port = server.port();
    const RawHeaders boss{{"Authorization", basicAuth("boss", "boss-secret")}};
    const RawHeaders web{{"Authorization", basicAuth("web", "web-secret")}};
    const RawHeaders judge{{"Authorization", basicAuth("judge", "judge-secret")}};
    const RawHeaders prefixed{{"Authorization", basicAuth("tests-admin", "ta-secret")}};
    for (int i = 1; i <= 3; ++i) {
      QCOMPARE(put(port, "/p/a", "a" + QByteArray::number(i), i * 100, web).status, 200);
      QCOMPARE(put(port, "/q/b", "b" + QByteArray::number(i), i * 100, web).status, 200);
    }
    // Reading the history is reading; restoring is writing.
    QCOMPARE(history(port, "/p/a", judge).size(), 3);
    int status = 0;
    history(port, "/p/a", {}, &status);
    QCOMPARE(status, 401);
    QCOMPARE(rawRequest(port, "POST", "/history/p/a" + lastModifiedQuery(100), judge).status, 403);
    // Purging: admins only; every name's: an admin without prefixes.
    RawResponse r = rawRequest(port, "DELETE", "/history/p/a", web);
    QCOMPARE(r.status, 403);
    QCOMPARE(history(port, "/p/a", judge).size(), 3);
    QCOMPARE(rawRequest(port, "DELETE", "/history/", prefixed).status, 403);
    QCOMPARE(rawRequest(port, "DELETE", "/history/q/b", prefixed).status, 403);
    r = rawRequest(port, "DELETE", "/history/p/a", prefixed);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.body, QByteArray("{\"removed\":2}"));
    QCOMPARE(versionsOf(history(port, "/p/a", judge)), QList<qint64>({300}));
    r = rawRequest(port, "DELETE", "/history/", boss);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.body, QByteArray("{\"removed\":2}"));
    QCOMPARE(versionsOf(history(port, "/q/b", judge)), QList<qint64>({300}));
    QCOMPARE(countBlobs(server.dataDir()), 2);  // the current files' blobs
  }

  void checkCoversKeptVersions() {
    // Blob files (not inline in the index), so the test can remove one.
    TestServer server({}, {"--keep-versions", "3", "--inline-max-size", "0"});
    QVERIFY(server.start());
    QCOMPARE(put(server.port(), "/k/a", "kept only", 100).status, 200);
    QCOMPARE(put(server.port(), "/k/a", "current", 200).status, 200);
    server.stop();
    QString out;
    QCOMPARE(runCheck(server.dataDir(), &out), 0);
    QVERIFY2(out.contains("1 file(s), 1 kept version(s), 2 blob(s), 0 problem(s)"), qPrintable(out));
    const QByteArray sha = sha256Hex("kept only");
    QVERIFY(QFile::remove(server.dataDir() + "/blobs/" + sha.left(2) + "/" + sha));
    QCOMPARE(runCheck(server.dataDir(), &out), 1);
    QVERIFY2(out.contains("problem: kept version /k/a@100: its blob " + sha + " is missing"), qPrintable(out));
  }

  void killDuringPruningLosesNothingKept() {
    // A big backlog for the pruning: 40 names with 30 versions each, kept
    // by age only; then a restart with --keep-versions 2 prunes 27 of each
    // name in chunks, and is killed (-9) once the first chunk is logged.
    TestServer server({}, {"--keep-for", "1h"});
    QVERIFY(server.start());
    const int names = 40, versions = 30;
    auto body = [](int n, int v) { return "name " + QByteArray::number(n) + " version " + QByteArray::number(v); };
    std::atomic<int> failures{0};
    std::vector<std::thread> writers;
    const quint16 port = server.port();
    for (int t = 0; t < 4; ++t)
      writers.emplace_back([&, t] {
        for (int v = 1; v <= versions; ++v)
          for (int n = t; n < names; n += 4)
            if (put(port, "/kill/" + QByteArray::number(n), body(n, v), v * 100).status != 200) ++failures;
      });
    for (auto& w : writers) w.join();
    QCOMPARE(failures.load(), 0);
    QCOMPARE(history(port, "/kill/0").size(), versions);
    server.stop();

    server.setExtraArgs({"--keep-versions", "2"});
    QVERIFY(server.start());
    QElapsedTimer waited;
    waited.start();
    while (!server.log().contains("version history: pruned") && waited.elapsed() < 20000) QThread::msleep(1);
    server.kill9();
    const bool finished = server.log().contains("within the bounds");
    QVERIFY2(server.log().contains("version history: pruned"), qPrintable(server.log()));
    // The index is consistent whatever the moment of the kill (blobs of
    // rows already gone may be left: --repair removes them, a problem only
    // when something refers to a missing blob).
    QString out;
    int check = runCheck(server.dataDir(), &out);
    QVERIFY2(!out.contains("missing"), qPrintable(out));
    QVERIFY2(check == 0 || out.contains("stored but no file refers to it"), qPrintable(out));
    // How far the pruning got: more kept versions than the bound allows
    // means the kill landed in the middle of it.
    const QRegularExpressionMatch kept = QRegularExpression(" (\\d+) kept version\\(s\\)").match(out);
    QVERIFY2(kept.hasMatch(), qPrintable(out));
    qInfo("killed with %s of %d kept versions left (the bound allows %d)", qPrintable(kept.captured(1)),
          names * (versions - 1), names * 2);
    if (finished)
      qWarning("the pruning finished before the kill; the kill landed after it");
    else
      QVERIFY(kept.captured(1).toInt() > names * 2);

    // Restarted: every version still within the bounds is intact.
    QVERIFY(server.start());
    waited.restart();
    while (!server.log().contains("within the bounds") && waited.elapsed() < 20000) QThread::msleep(20);
    for (int n = 0; n < names; ++n) {
      const QByteArray name = "/kill/" + QByteArray::number(n);
      QCOMPARE(versionsOf(history(server.port(), name)), QList<qint64>({versions * 100, (versions - 1) * 100,
                                                                          (versions - 2) * 100}));
      QCOMPARE(content(server.port(), name), body(n, versions));
      for (int v = versions - 2; v < versions; ++v)
        QCOMPARE(versionContent(server.port(), name, v * 100), body(n, v));
    }
    waited.restart();
    while (countBlobs(server.dataDir()) != names * 3 && waited.elapsed() < 20000) QThread::msleep(50);  // orphan sweep
    QCOMPARE(countBlobs(server.dataDir()), names * 3);
    server.stop();
    QCOMPARE(runCheck(server.dataDir(), &out), 0);
    QVERIFY2(out.contains(QString::number(names * 2) + " kept version(s)"), qPrintable(out));
  }
};

QTEST_GUILESS_MAIN(TestServerHistory)
#include "test_server_history.moc"
