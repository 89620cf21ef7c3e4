// `filetracker-server --import-upstream` and `--import-tree` end to end:
// a data directory in the Python server's layout (built here the way that
// server lays it out, with damage), imported by the real binary, then
// every good file read back through the real server with its version and
// content; the source is byte-for-byte unchanged; a second run is a no-op.
#include <QtTest>

#include <sys/stat.h>

#include <filesystem>
#include <map>

#include "content.hpp"
#include "files.hpp"
#include "process.hpp"
#include "raw_http.hpp"
#include "temp_dirs.hpp"
#include "test_server.hpp"
#include "upstream_layout.hpp"
#include "wire.hpp"

using namespace test;
namespace fs = std::filesystem;

namespace {

struct Good {
  QByteArray content;
  qint64 version;
};

ProcessResult runImport(const QString& flag, const QString& dataDir, const QString& from) {
  return runProcess(TestServer::binary(), {QStringLiteral("-d"), dataDir, flag, from});
}

// Every good file reads back through a real server on `dataDir`.
void verifyServed(const QString& dataDir, const std::map<std::string, Good>& good) {
  TestServer server(dataDir);
  QVERIFY(server.start());
  for (const auto& [name, g] : good) {
    RawResponse r = getGzip(server.port(), QByteArray::fromStdString(name));
    QCOMPARE(r.status, 200);
    QCOMPARE(gunzip(r.body), g.content);
    QCOMPARE(r.header("Last-Modified"), httpDate(g.version));
    QCOMPARE(r.header("Logical-Size").toLongLong(), g.content.size());
  }
}

// The stored blobs (not tmp/, where a re-run checks bad blobs again).
QByteArray blobsDigest(const QString& dataDir) {
  QByteArray all;
  for (const auto& entry : fs::directory_iterator(fs::path(dataDir.toStdString()) / "blobs"))
    if (entry.path().filename() != "tmp") all += entry.path().filename().string().c_str() + treeDigest(entry.path());
  return all;
}

}  // namespace

class TestServerImport : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    if (TestServer::binary().isEmpty()) QSKIP("FILETRACKER_SERVER_BIN is not set");
  }

  void importUpstream() {
    auto work = scratch_dir(QStringLiteral("import"));
    const fs::path old = path_of(*work) / "old";
    const QString data = QString::fromStdString((path_of(*work) / "new").string());
    UpstreamLayout layout(old);
    std::map<std::string, Good> good;
    for (int i = 0; i < 60; ++i) {
      const std::string name = "/tests/p" + std::to_string(i % 7) + "/" + std::to_string(i) + ".in";
      // Some contents shared by several names (one blob), sizes up to 300 KiB.
      const QByteArray content = i % 10 == 9 ? QByteArray("shared content\n") : mixedBytes(100 + i * 5000, i);
      good[name] = {content, 1500000000 + i};
      QVERIFY(layout.addFile(name, content, 1500000000 + i));
    }
    good["/top.txt"] = {"at the root\n", 1400000000};
    QVERIFY(layout.addFile("/top.txt", "at the root\n", 1400000000));
    good["/empty"] = {QByteArray(), 1400000001};
    QVERIFY(layout.addFile("/empty", QByteArray(), 1400000001));
    QVERIFY(layout.addBrokenLink("/tests/gone/1.out", 1600000000));
    QVERIFY(layout.addBrokenLink("/tests/gone/2.out", 1600000000));
    QVERIFY(layout.addBrokenLink("/gone.txt", 1600000000));
    QVERIFY(layout.addCorruptBlob("/tests/bad/1.in", "the real content", 1600000000));
    QVERIFY(layout.addCorruptBlob("/tests/bad/2.in", "not gzip", 1600000000, /*notGzip=*/true));
    // Planted: a link out of the store, and a plain file where only links belong.
    QVERIFY(::symlink("/etc/passwd", (old / "links" / "passwd").c_str()) == 0);
    QVERIFY(write_file(old / "links" / "plain.txt", "a plain file"));
    const QByteArray before = treeDigest(old);

    ProcessResult r = runImport(QStringLiteral("--import-upstream"), data, QString::fromStdString(old.string()));
    const QString out = QString::fromUtf8(r.out);
    QVERIFY2(r.code == 1, qPrintable(out + r.err));  // 1: some entries were not imported
    QVERIFY2(out.contains(QStringLiteral("62 file(s) imported")), qPrintable(out));
    for (const char* name : {"/tests/gone/1.out", "/tests/gone/2.out", "/gone.txt", "/passwd", "/plain.txt"})
      QVERIFY2(out.contains(QStringLiteral("broken link: ") + name + ":"), qPrintable(out));
    QVERIFY2(out.contains(QStringLiteral("bad blob: /tests/bad/1.in: blob ")), qPrintable(out));
    QVERIFY2(out.contains(QStringLiteral("bad blob: /tests/bad/2.in: blob ")), qPrintable(out));
    QVERIFY2(out.contains(QStringLiteral("5 broken link(s), 2 bad blob(s), 0 skipped")), qPrintable(out));
    QVERIFY2(r.err.contains("import: "), r.err.constData());  // the progress line
    QCOMPARE(treeDigest(old), before);

    // Hard links: the blob of a good file is the same inode on both sides.
    const std::string sha = sha256Hex(good["/top.txt"].content).toStdString();
    const fs::path ours = fs::path(data.toStdString()) / "blobs" / sha.substr(0, 2) / sha;
    QCOMPARE(inode_of(ours), inode_of(old / "blobs" / sha.substr(0, 2) / sha));

    QString check;
    QCOMPARE(runCheck(data, &check), 0);
    verifyServed(data, good);
    {
      TestServer server(data);
      QVERIFY(server.start());
      for (const char* name : {"/tests/gone/1.out", "/gone.txt", "/tests/bad/1.in", "/passwd"})
        QCOMPARE(getGzip(server.port(), name).status, 404);
    }

    // Again: nothing to do, nothing changes (our index file included).
    const QByteArray ourBefore = blobsDigest(data);
    r = runImport(QStringLiteral("--import-upstream"), data, QString::fromStdString(old.string()));
    QVERIFY2(QString::fromUtf8(r.out).contains(QStringLiteral(": 0 file(s) imported (0 bytes), 62 already imported")),
             r.out.constData());
    QCOMPARE(blobsDigest(data), ourBefore);
    QCOMPARE(treeDigest(old), before);
    verifyServed(data, good);
  }

  // An interrupted import continues; a newer version stored here since is kept.
  void resumesAndKeepsNewer() {
    auto work = scratch_dir(QStringLiteral("import"));
    const fs::path old = path_of(*work) / "old";
    const QString data = QString::fromStdString((path_of(*work) / "new").string());
    UpstreamLayout layout(old);
    std::map<std::string, Good> good;
    for (int i = 0; i < 10; ++i) {
      const std::string name = "/r/" + std::to_string(i);
      good[name] = {mixedBytes(2000, 100 + i), 1500000000 + i};
      QVERIFY(layout.addFile(name, good[name].content, good[name].version));
    }
    QCOMPARE(runImport(QStringLiteral("--import-upstream"), data, QString::fromStdString(old.string())).code, 0);
    // The old server got more files and a newer /r/0 meanwhile; ours got a newer /r/1.
    for (int i = 10; i < 15; ++i) {
      const std::string name = "/r/" + std::to_string(i);
      good[name] = {mixedBytes(3000, 100 + i), 1500000000 + i};
      QVERIFY(layout.addFile(name, good[name].content, good[name].version));
    }
    good["/r/0"] = {"newer on the old server", 1700000000};
    QVERIFY(layout.addFile("/r/0", good["/r/0"].content, good["/r/0"].version));
    {
      TestServer server(data);
      QVERIFY(server.start());
      QCOMPARE(put(server.port(), "/r/1", "newer here", 1800000000).status, 200);
    }
    good["/r/1"] = {"newer here", 1800000000};
    ProcessResult r = runImport(QStringLiteral("--import-upstream"), data, QString::fromStdString(old.string()));
    QCOMPARE(r.code, 0);
    QVERIFY2(r.out.contains(": 6 file(s) imported"), r.out.constData());
    QVERIFY2(r.out.contains("8 already imported, 1 kept (newer here)"), r.out.constData());
    QString check;
    QVERIFY2(runCheck(data, &check) == 0, qPrintable(check));
    verifyServed(data, good);
  }

  void refusesWhileServing() {
    auto work = scratch_dir(QStringLiteral("import"));
    UpstreamLayout layout(path_of(*work) / "old");
    QVERIFY(layout.addFile("/a", "a", 1));
    TestServer server;
    QVERIFY(server.start());
    ProcessResult r = runImport(QStringLiteral("--import-upstream"), server.dataDir(),
                                QString::fromStdString(layout.dir().string()));
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains("another filetracker-server"), r.err.constData());
    QCOMPARE(getGzip(server.port(), "/a").status, 404);
  }

  void notAnUpstreamDirectory() {
    auto work = scratch_dir(QStringLiteral("import"));
    ProcessResult r = runImport(QStringLiteral("--import-upstream"),
                                QString::fromStdString((path_of(*work) / "new").string()),
                                QString::fromStdString(path_of(*work).string()));
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains("not a Python filetracker data directory"), r.err.constData());
    QCOMPARE(r.err.count('\n'), 1);
  }

  void importTree() {
    auto work = scratch_dir(QStringLiteral("import"));
    const fs::path tree = path_of(*work) / "tree";
    const QString data = QString::fromStdString((path_of(*work) / "new").string());
    std::map<std::string, Good> good;
    for (int i = 0; i < 20; ++i) {
      const std::string name = "/pkg/" + std::to_string(i % 3) + "/f" + std::to_string(i);
      good[name] = {mixedBytes(50 + i * 3000, 7 + i), 1300000000 + i * 10};
      QVERIFY(write_file(tree / name.substr(1), good[name].content.toStdString()));
      touch(tree / name.substr(1), good[name].version);
    }
    QVERIFY(::symlink("/etc/passwd", (tree / "pkg" / "link").c_str()) == 0);
    const QByteArray before = treeDigest(tree);
    ProcessResult r = runImport(QStringLiteral("--import-tree"), data, QString::fromStdString(tree.string()));
    QCOMPARE(r.code, 1);
    QVERIFY2(r.out.contains("skipped: /pkg/link: not imported: a symbolic link"), r.out.constData());
    QVERIFY2(r.out.contains(": 20 file(s) imported"), r.out.constData());
    QCOMPARE(treeDigest(tree), before);
    QString check;
    QVERIFY2(runCheck(data, &check) == 0, qPrintable(check));
    verifyServed(data, good);
    r = runImport(QStringLiteral("--import-tree"), data, QString::fromStdString(tree.string()));
    QVERIFY2(r.out.contains(": 0 file(s) imported (0 bytes), 20 already imported"), r.out.constData());
  }
};

QTEST_GUILESS_MAIN(TestServerImport)
#include "test_server_import.moc"
