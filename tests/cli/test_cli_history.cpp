// `filetracker history`, `get NAME@V` of a kept version, `restore` and
// `history --purge`, end to end: the real CLI against the real server with
// --keep-versions on loopback.
#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include "access_file.hpp"
#include "process.hpp"
#include "raw_http.hpp"
#include "temp_dirs.hpp"
#include "test_server.hpp"
#include "wire.hpp"

class TestCliHistory : public QObject {
  Q_OBJECT
  QString bin_;
  std::unique_ptr<QTemporaryDir> tmp_;

  QProcessEnvironment environment(const QString& url) const {
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove("FILETRACKER_DIR");
    env.remove("FILETRACKER_LOCKS_DIR");
    env.remove("FILETRACKER_TOKEN");
    env.insert("FILETRACKER_URL", url);
    env.insert("HOME", tmp_->filePath("home"));
    return env;
  }
  test::ProcessResult cli(const QString& url, QStringList args) {
    args = QStringList{"-c", tmp_->filePath("cache")} + args;
    return test::runProcess(bin_, args, environment(url));
  }
  QString write(const QString& name, const QByteArray& content) {
    const QString path = tmp_->filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(content) != content.size()) return {};
    return path;
  }
  static QByteArray read(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
  }

 private slots:
  void initTestCase() {
    bin_ = QString::fromLocal8Bit(qgetenv("FILETRACKER_CLI_BIN"));
    QVERIFY2(!bin_.isEmpty() && QFile::exists(bin_), "FILETRACKER_CLI_BIN must name the filetracker binary");
  }
  void init() {
    tmp_ = std::make_unique<QTemporaryDir>(test::tempTemplate("cli-history"));
    QVERIFY(tmp_->isValid());
  }

  void historyGetRestore() {
    TestServer server({}, {"--keep-versions", "3"});
    QVERIFY(server.start());
    const QString url = server.url();
    for (int v = 1; v <= 3; ++v) {
      const QString local = write("v" + QString::number(v), "text of version " + QByteArray::number(v) + "\n");
      // (Not into the local cache: it keeps one version per name, the newest.)
      test::ProcessResult put = cli(url, {"put", "--no-local-cache", local, "/t/a.txt@" + QString::number(v * 1000)});
      QCOMPARE(put.code, 0);
      QCOMPARE(put.out.trimmed(), QByteArray("/t/a.txt@" + QByteArray::number(v * 1000)));
    }
    // Newest first: versioned name, size, date (UTC), SHA-256 prefix, current marked.
    test::ProcessResult history = cli(url, {"history", "/t/a.txt"});
    QCOMPARE(history.code, 0);
    const QList<QByteArray> lines = history.out.trimmed().split('\n');
    QCOMPARE(lines.size(), 3);
    QVERIFY2(lines[0].startsWith("/t/a.txt@3000  "), lines[0].constData());
    QVERIFY2(lines[0].endsWith("  current"), lines[0].constData());
    QVERIFY2(lines[1].startsWith("/t/a.txt@2000  "), lines[1].constData());
    QVERIFY2(lines[1].contains(test::sha256Hex("text of version 2\n").left(12)), lines[1].constData());
    QVERIFY2(lines[1].contains("1970-01-01 00:33:20"), lines[1].constData());
    QVERIFY2(lines[2].contains("           18  "), lines[2].constData());  // the size
    QVERIFY(!lines[1].contains("current"));

    // get NAME@V of a kept version, cached as usual (the cache holds no
    // newer version of the name): a second get needs no server.
    const QString out = tmp_->filePath("out1");
    test::ProcessResult get = cli(url, {"get", "/t/a.txt@1000", out});
    QCOMPARE(get.code, 0);
    QCOMPARE(read(out), QByteArray("text of version 1\n"));
    server.stop();
    const QString again = tmp_->filePath("out1-again");
    QCOMPARE(cli(url, {"get", "/t/a.txt@1000", again}).code, 0);
    QCOMPARE(read(again), QByteArray("text of version 1\n"));
    QVERIFY(server.start());
    const QString url2 = server.url();

    // A version that is not kept: one line, exit 1, nothing written.
    const QString none = tmp_->filePath("none");
    test::ProcessResult missing = cli(url2, {"get", "/t/a.txt@1500", none});
    QCOMPARE(missing.code, 1);
    QVERIFY2(missing.err.startsWith("filetracker: ") && missing.err.count('\n') == 1, missing.err.constData());
    QVERIFY2(missing.err.contains("no such version is kept"), missing.err.constData());
    QVERIFY(!QFile::exists(none));

    // restore: current again under a new, newer version.
    test::ProcessResult restore = cli(url2, {"restore", "/t/a.txt@1000"});
    QCOMPARE(restore.code, 0);
    const QByteArray restored = restore.out.trimmed();
    QVERIFY2(QRegularExpression("^/t/a\\.txt@[0-9]+$").match(QString::fromUtf8(restored)).hasMatch(), restored.constData());
    QVERIFY(restored.mid(9).toLongLong() > 3000);
    const QString current = tmp_->filePath("current");
    QCOMPARE(cli(url2, {"get", "/t/a.txt", current}).code, 0);
    QCOMPARE(read(current), QByteArray("text of version 1\n"));
    history = cli(url2, {"history", "/t/a.txt"});
    QVERIFY2(history.out.startsWith(restored + "  "), history.out.constData());
    QCOMPARE(history.out.trimmed().split('\n').size(), 4);  // the restored one, 3000, 2000, 1000

    // Usage mistakes: one line, nothing changes.
    test::ProcessResult bad = cli(url2, {"restore", "/t/a.txt"});
    QCOMPARE(bad.code, 1);
    QVERIFY2(bad.err.contains("name the version to restore"), bad.err.constData());
    bad = cli(url2, {"history", "/t/a.txt@1000"});
    QCOMPARE(bad.code, 1);
    QVERIFY2(bad.err.contains("without a version"), bad.err.constData());

    // Purge (anonymous is admin without --auth).
    test::ProcessResult purge = cli(url2, {"history", "--purge", "/t/a.txt"});
    QCOMPARE(purge.code, 0);
    QCOMPARE(purge.out, QByteArray("removed 3 kept versions of /t/a.txt\n"));
    history = cli(url2, {"history", "/t/a.txt"});
    QCOMPARE(history.out.trimmed().split('\n').size(), 1);
  }

  void serverWithoutHistory() {
    TestServer server;
    QVERIFY(server.start());
    const QString local = write("x", "x");
    QCOMPARE(cli(server.url(), {"put", local, "/x@100"}).code, 0);
    test::ProcessResult history = cli(server.url(), {"history", "/x"});
    QCOMPARE(history.code, 1);
    QVERIFY2(history.err.contains("keeps no version history"), history.err.constData());
    QCOMPARE(cli(server.url(), {"restore", "/x@100"}).code, 1);
  }

  void purgeNeedsAdmin() {
    test::TestAccessFile access;
    QVERIFY(access.add("web", "web-secret", "write"));
    TestServer server({}, {"--keep-versions", "2", "--auth", access.path()});
    QVERIFY(server.start());
    const QString url = QString(server.url()).replace("http://", "http://web:web-secret@");
    for (int v = 1; v <= 2; ++v)
      QCOMPARE(cli(url, {"put", write("w" + QString::number(v), QByteArray::number(v)), "/w@" + QString::number(v * 10)}).code, 0);
    test::ProcessResult purge = cli(url, {"history", "--purge", "/w"});
    QCOMPARE(purge.code, 1);
    QVERIFY2(purge.err.contains("permission denied for web"), purge.err.constData());
    QCOMPARE(cli(url, {"history", "/w"}).out.trimmed().split('\n').size(), 2);
    // Restoring is writing: allowed.
    QCOMPARE(cli(url, {"restore", "/w@10"}).code, 0);
  }
};

QTEST_GUILESS_MAIN(TestCliHistory)
#include "test_cli_history.moc"
