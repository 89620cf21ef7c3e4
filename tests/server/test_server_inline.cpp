// Small blobs kept inside the SQLite index (--inline-max-size, issue 18):
// the real filetracker-server on loopback. Where a blob went is read from
// the data directory (blob files) and the index itself (inline_blobs);
// damage is planted by editing the index of a stopped server.
#include <QDir>
#include <QDirIterator>
#include <QtTest>

#include "content.hpp"
#include "process.hpp"
#include "raw_http.hpp"
#include "server_index.hpp"
#include "test_server.hpp"
#include "wire.hpp"

using namespace test;

namespace {

QString blobFile(const QString& dataDir, const QByteArray& sha) {
  return dataDir + "/blobs/" + QString::fromLatin1(sha.left(2)) + "/" + QString::fromLatin1(sha);
}

// Blob files only (countBlobs also counts the inline ones).
int countBlobFiles(const QString& dataDir) {
  int n = 0;
  QDirIterator it(dataDir + QStringLiteral("/blobs"), QDir::Files, QDirIterator::Subdirectories);
  while (it.hasNext()) {
    it.next();
    if (it.fileInfo().dir().dirName() != QStringLiteral("tmp")) ++n;
  }
  return n;
}

RawResponse putGzip(quint16 port, const QByteArray& name, const QByteArray& gz, qint64 version) {
  return put(port, name, gz, version, {{"Content-Encoding", "gzip"}});
}

// Everything a client sees of GET (gzip and plain) and HEAD of `name`,
// without the Date header (it differs between any two answers).
QByteArray answersFor(quint16 port, const QByteArray& name) {
  QByteArray out;
  auto add = [&](const QByteArray& what, const RawResponse& r) {
    out += what + " " + QByteArray::number(r.status) + "\n";
    for (auto it = r.headers.cbegin(); it != r.headers.cend(); ++it)
      if (it.key() != "date") out += it.key() + ": " + it.value() + "\n";
    out += "body " + sha256Hex(r.body) + " " + QByteArray::number(r.body.size()) + "\n";
  };
  add("GET gzip", rawRequest(port, "GET", "/files" + name, {{"Accept-Encoding", "gzip"}}));
  add("GET plain", rawRequest(port, "GET", "/files" + name));
  RawConnection head(port);
  head.sendRaw(RawConnection::build("HEAD", "/files" + name, {{"Accept-Encoding", "gzip"}}));
  add("HEAD", head.readResponse(/*isHead=*/true));
  return out;
}

}  // namespace

class TestServerInline : public QObject {
  Q_OBJECT

 private slots:
  // The bound is on the stored (gzip) form: a gzip body is stored as sent,
  // so its size is known here exactly. bound-1 and bound stay in the index,
  // bound+1 is a blob file (from the start: its Content-Length says so), as
  // is a plain body within the bound whose gzip form is not; all read back
  // byte for byte.
  void boundary() {
    // Incompressible content: deflate's stored blocks make the gzip size
    // grow by one with each byte of content.
    const QByteArray c0 = randomBytes(3000, 1), c1 = randomBytes(3001, 2), c2 = randomBytes(3002, 3);
    const QByteArray g0 = gzip(c0), g1 = gzip(c1), g2 = gzip(c2);
    QCOMPARE(g1.size(), g0.size() + 1);
    QCOMPARE(g2.size(), g1.size() + 1);
    TestServer server({}, {"--inline-max-size", QString::number(g1.size())});
    QVERIFY(server.start());
    QCOMPARE(putGzip(server.port(), "/b/below", g0, 10).status, 200);
    QCOMPARE(putGzip(server.port(), "/b/at", g1, 10).status, 200);
    QCOMPARE(putGzip(server.port(), "/b/above", g2, 10).status, 200);
    // A plain upload is compressed by the server; small text stays inline too.
    const QByteArray text = QByteArray("a small text file\n").repeated(40);
    QCOMPARE(put(server.port(), "/b/text", text, 10).status, 200);
    // A plain body of the bound's size whose gzip form is larger: it starts
    // in memory and becomes a blob file once its gzip bytes pass the bound.
    const QByteArray spilled = randomBytes(g1.size(), 4);
    QCOMPARE(put(server.port(), "/b/spilled", spilled, 10).status, 200);

    const auto inlined = inlineBlobs(server.dataDir());
    QCOMPARE(inlined.value(sha256Hex(c0)), g0);
    QCOMPARE(inlined.value(sha256Hex(c1)), g1);
    QVERIFY(!inlined.contains(sha256Hex(c2)));
    QVERIFY(inlined.contains(sha256Hex(text)));
    QCOMPARE(gunzip(inlined.value(sha256Hex(text))), text);
    QCOMPARE(inlined.size(), 3);
    QVERIFY(!QFile::exists(blobFile(server.dataDir(), sha256Hex(c0))));
    QVERIFY(!QFile::exists(blobFile(server.dataDir(), sha256Hex(c1))));
    QVERIFY(QFile::exists(blobFile(server.dataDir(), sha256Hex(c2))));
    QVERIFY(QFile::exists(blobFile(server.dataDir(), sha256Hex(spilled))));
    QCOMPARE(countBlobFiles(server.dataDir()), 2);

    QCOMPARE(getGzip(server.port(), "/b/below").body, g0);
    QCOMPARE(getGzip(server.port(), "/b/at").body, g1);
    QCOMPARE(getGzip(server.port(), "/b/above").body, g2);
    QCOMPARE(content(server.port(), "/b/below"), c0);
    QCOMPARE(content(server.port(), "/b/at"), c1);
    QCOMPARE(content(server.port(), "/b/above"), c2);
    QCOMPARE(content(server.port(), "/b/text"), text);
    QCOMPARE(content(server.port(), "/b/spilled"), spilled);
    // Served again after a restart (from the index, not a cache).
    QVERIFY(server.restart());
    QCOMPARE(getGzip(server.port(), "/b/at").body, g1);
    QCOMPARE(content(server.port(), "/b/text"), text);
    server.stop();
    QString out;
    QCOMPARE(runCheck(server.dataDir(), &out), 0);
    QVERIFY2(out.contains("5 file(s), 5 blob(s), 0 problem(s)"), qPrintable(out));
  }

  // GET and HEAD answer exactly as for a blob file: two servers, one with
  // inline blobs (the default) and one without, given the same uploads.
  void sameAnswersAsBlobFiles() {
    TestServer inlined;
    TestServer files({}, {"--inline-max-size", "0"});
    QVERIFY(inlined.start());
    QVERIFY(files.start());
    const QList<QPair<QByteArray, QByteArray>> uploads = {
        {"/same/empty", QByteArray()},
        {"/same/text", QByteArray("line of text\n").repeated(100)},
        {"/same/random", randomBytes(1024, 9)},
        {"/same/gz", randomBytes(20000, 10)},
    };
    for (const auto& [name, data] : uploads) {
      const bool gz = name.endsWith("/gz");
      for (TestServer* s : {&inlined, &files}) {
        RawResponse r = gz ? putGzip(s->port(), name, gzip(data), 1700000000) : put(s->port(), name, data, 1700000000);
        QCOMPARE(r.status, 200);
      }
    }
    QCOMPARE(inlineBlobs(inlined.dataDir()).size(), uploads.size());
    QCOMPARE(countBlobFiles(inlined.dataDir()), 0);
    QCOMPARE(inlineBlobs(files.dataDir()).size(), 0);
    QCOMPARE(countBlobFiles(files.dataDir()), uploads.size());
    for (const auto& [name, data] : uploads) {
      const QByteArray a = answersFor(inlined.port(), name);
      QCOMPARE(a, answersFor(files.port(), name));
      QVERIFY2(a.contains("logical-size: " + QByteArray::number(data.size())), a.constData());
      QVERIFY2(a.contains("sha256-checksum: " + sha256Hex(data)), a.constData());
      QVERIFY2(a.contains("last-modified: " + httpDate(1700000000)), a.constData());
      QCOMPARE(content(inlined.port(), name), data);
    }
  }

  // One inline blob for equal contents; it goes with its last name, and a
  // replaced content's blob goes with the replacement.
  void dedupAndDelete() {
    TestServer server;
    QVERIFY(server.start());
    const quint16 port = server.port();
    const QString data = server.dataDir();
    const QByteArray payload = "shared " + randomBytes(500, 4).toHex();
    const QByteArray sha = sha256Hex(payload);
    QCOMPARE(put(port, "/d/one", payload, 10).status, 200);
    QCOMPARE(put(port, "/d/two", payload, 20).status, 200);
    QCOMPARE(inlineBlobs(data).keys(), QList<QByteArray>{sha});
    QCOMPARE(rawRequest(port, "DELETE", filesTarget("/d/one", 10)).status, 200);
    QCOMPARE(inlineBlobs(data).keys(), QList<QByteArray>{sha});
    QCOMPARE(content(port, "/d/two"), payload);
    QCOMPARE(rawRequest(port, "DELETE", filesTarget("/d/two", 20)).status, 200);
    QVERIFY(inlineBlobs(data).isEmpty());
    int status = 0;
    content(port, "/d/two", &status);
    QCOMPARE(status, 404);
    // Replacing: the old content's blob goes in the same commit.
    QCOMPARE(put(port, "/d/three", payload, 10).status, 200);
    QCOMPARE(put(port, "/d/three", payload + "v2", 11).status, 200);
    QCOMPARE(inlineBlobs(data).keys(), QList<QByteArray>{sha256Hex(payload + "v2")});
    // The same content again under the same version changes nothing.
    QCOMPARE(put(port, "/d/three", payload + "v2", 11).status, 200);
    QCOMPARE(inlineBlobs(data).size(), 1);
    QCOMPARE(countBlobFiles(data), 0);
    server.stop();
    QString out;
    QCOMPARE(runCheck(data, &out), 0);
    QVERIFY2(out.contains("1 file(s), 1 blob(s), 0 problem(s)"), qPrintable(out));
  }

  // A store made with --inline-max-size 0 (blob files), reopened with the
  // default: old blobs stay files and are read, deduplicated and deleted
  // as files; new small ones go inline.
  void reopenedWithInlineBlobs() {
    TestServer server({}, {"--inline-max-size", "0"});
    QVERIFY(server.start());
    const QByteArray old = "old content " + randomBytes(300, 5).toHex();
    QCOMPARE(put(server.port(), "/m/old", old, 10).status, 200);
    QVERIFY(QFile::exists(blobFile(server.dataDir(), sha256Hex(old))));
    server.setExtraArgs({});
    QVERIFY(server.restart());
    const quint16 port = server.port();
    QCOMPARE(content(port, "/m/old"), old);
    QCOMPARE(put(port, "/m/dup", old, 10).status, 200);  // the same content: the existing file is shared
    QVERIFY(inlineBlobs(server.dataDir()).isEmpty());
    QCOMPARE(put(port, "/m/new", "new content", 10).status, 200);
    QCOMPARE(inlineBlobs(server.dataDir()).keys(), QList<QByteArray>{sha256Hex("new content")});
    QCOMPARE(countBlobFiles(server.dataDir()), 1);
    QCOMPARE(rawRequest(port, "DELETE", filesTarget("/m/old", 10)).status, 200);
    QCOMPARE(content(port, "/m/dup"), old);
    QCOMPARE(rawRequest(port, "DELETE", filesTarget("/m/dup", 10)).status, 200);
    QCOMPARE(countBlobFiles(server.dataDir()), 0);
    server.stop();
    QString out;
    QCOMPARE(runCheck(server.dataDir(), &out), 0);
    QVERIFY2(out.contains("1 file(s), 1 blob(s), 0 problem(s)"), qPrintable(out));
  }

  // An index of schema 0 (before inline blobs: no inline_blobs table,
  // user_version 0) is checked as it is and migrated when a server opens
  // it; an index newer than the server is refused with one line.
  void migratesSchemaZero() {
    TestServer server({}, {"--inline-max-size", "0"});
    QVERIFY(server.start());
    QCOMPARE(put(server.port(), "/z/a", "content of a", 10).status, 200);
    server.stop();
    QCOMPARE(indexSchemaVersion(server.dataDir()), 1);
    // The layout an older server left.
    QVERIFY(execIndexSql(server.dataDir(), "DROP TABLE inline_blobs"));
    QVERIFY(execIndexSql(server.dataDir(), "PRAGMA user_version = 0"));
    QString out;
    QCOMPARE(runCheck(server.dataDir(), &out), 0);  // read-only: no migration
    QVERIFY2(out.contains("1 file(s), 1 blob(s), 0 problem(s)"), qPrintable(out));
    QCOMPARE(indexSchemaVersion(server.dataDir()), 0);

    server.setExtraArgs({});
    QVERIFY(server.start());
    QCOMPARE(indexSchemaVersion(server.dataDir()), 1);
    QCOMPARE(content(server.port(), "/z/a"), QByteArray("content of a"));
    QCOMPARE(put(server.port(), "/z/b", "content of b", 10).status, 200);
    QCOMPARE(inlineBlobs(server.dataDir()).keys(), QList<QByteArray>{sha256Hex("content of b")});
    server.stop();
    QCOMPARE(runCheck(server.dataDir(), &out), 0);
    QVERIFY2(out.contains("2 file(s), 2 blob(s), 0 problem(s)"), qPrintable(out));

    QVERIFY(execIndexSql(server.dataDir(), "PRAGMA user_version = 7"));
    const ProcessResult r = runProcess(TestServer::binary(), {"-d", server.dataDir(), "-p", "0"}, {}, 20000);
    QCOMPARE(r.code, 1);
    const QByteArray err = r.err.trimmed();
    QVERIFY2(err.contains("the index has schema version 7, newer than this filetracker-server knows (1)"),
             err.constData());
    QCOMPARE(err.count('\n'), 0);
    QVERIFY(r.out.isEmpty());  // it never listened
  }

  // --check covers inline blobs: a tampered one, a missing one, one no file
  // refers to; --repair removes only the last.
  void checkFindsDamagedInlineBlobs() {
    TestServer server;
    QVERIFY(server.start());
    QCOMPARE(put(server.port(), "/c/a", "content a", 10).status, 200);
    QCOMPARE(put(server.port(), "/c/b", "content b", 10).status, 200);
    QCOMPARE(put(server.port(), "/c/c", "content c", 10).status, 200);
    server.stop();
    const QString data = server.dataDir();
    QString out;
    QCOMPARE(runCheck(data, &out), 0);
    const QByteArray shaA = sha256Hex("content a"), shaB = sha256Hex("content b"), stray = sha256Hex("stray");
    QVERIFY(inlineBlobs(data).contains(shaA));
    QVERIFY(execIndexSql(data, "UPDATE inline_blobs SET data = ?1 WHERE sha256 = ?2",
                         {gzip("tampered"), QString::fromLatin1(shaA)}));
    QVERIFY(execIndexSql(data, "DELETE FROM inline_blobs WHERE sha256 = ?1", {QString::fromLatin1(shaB)}));
    QVERIFY(execIndexSql(data, "INSERT INTO inline_blobs(sha256, data) VALUES (?1, ?2)",
                         {QString::fromLatin1(stray), gzip("stray")}));
    QCOMPARE(runCheck(data, &out), 1);
    QVERIFY2(out.contains("inline blob " + shaA + ": its content has SHA-256 " + sha256Hex("tampered")),
             qPrintable(out));
    QVERIFY2(out.contains("blob " + shaB + ": missing, 1 file(s) refer to it"), qPrintable(out));
    QVERIFY2(out.contains("inline blob " + stray + ": stored in the index but no file refers to it"), qPrintable(out));
    QVERIFY2(out.contains(" 4 problem(s)"), qPrintable(out));  // the tampered one: its SHA-256 and its size

    const ProcessResult repair = runProcess(TestServer::binary(), {"--check", "--check-content", "--repair", "-d", data});
    const QString repaired = QString::fromUtf8(repair.out + repair.err);
    QCOMPARE(repair.code, 1);  // the tampered and the missing blob are left to look at
    QVERIFY2(repaired.contains("repaired: removed inline blob " + stray + ": no file refers to it"),
             qPrintable(repaired));
    QVERIFY2(repaired.contains(" 3 problem(s)"), qPrintable(repaired));
    QVERIFY(!inlineBlobs(data).contains(stray));
    QVERIFY(inlineBlobs(data).contains(shaA));
  }

  // The background sweep removes inline blobs no reference counts too.
  void sweepRemovesUnreferencedInlineBlobs() {
    TestServer server;
    QVERIFY(server.start());
    QCOMPARE(put(server.port(), "/s/kept", "kept", 10).status, 200);
    server.stop();
    const QByteArray stray = sha256Hex("stray for the sweep");
    QVERIFY(execIndexSql(server.dataDir(), "INSERT INTO inline_blobs(sha256, data) VALUES (?1, ?2)",
                         {QString::fromLatin1(stray), gzip("stray for the sweep")}));
    QVERIFY(server.start());
    QTRY_VERIFY_WITH_TIMEOUT(!inlineBlobs(server.dataDir()).contains(stray), 20000);
    QVERIFY(inlineBlobs(server.dataDir()).contains(sha256Hex("kept")));
    QTRY_VERIFY_WITH_TIMEOUT(server.log().contains("background clean-up: removed 1 blob(s) no file refers to"), 20000);
    QCOMPARE(content(server.port(), "/s/kept"), QByteArray("kept"));
    server.stop();
    QCOMPARE(runCheck(server.dataDir()), 0);
  }
};

QTEST_GUILESS_MAIN(TestServerInline)
#include "test_server_inline.moc"
