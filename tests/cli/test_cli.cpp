// End-to-end tests of the `filetracker` command line: the real binary
// (FILETRACKER_CLI_BIN) against the real server (FILETRACKER_SERVER_BIN, via
// TestServer) on loopback, plus a scripted fake server for a download cut off
// half-way.
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include <atomic>
#include <csignal>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <mutex>

#include "content.hpp"
#include "fake_http_server.hpp"
#include "files.hpp"
#include "filetracker/gzip.hpp"
#include "gate.hpp"
#include "process.hpp"
#include "temp_dirs.hpp"
#include "test_server.hpp"
#include "wire.hpp"

namespace {

constexpr qint64 kVersion = 1420070410;  // 2015-01-01 00:00:10 UTC

using Run = test::ProcessResult;

// The unnamed files (O_TMPFILE, "/dir/#123 (deleted)") process `pid` has open in `dir`.
QStringList unnamedOpenFiles(qint64 pid, const QString& dir) {
  QStringList out;
  const QString fds = QString("/proc/%1/fd").arg(pid);
  const QString prefix = QDir(dir).absolutePath() + "/";
  for (const QString& fd : QDir(fds).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::System)) {
    const QString target = QFile::symLinkTarget(fds + "/" + fd);
    if (target.startsWith(prefix) && target.endsWith(" (deleted)")) out << target;
  }
  return out;
}

// stderr of a failure: exactly one line starting with "filetracker: ".
bool isOneErrorLine(const QByteArray& err) {
  return err.startsWith("filetracker: ") && err.endsWith('\n') && err.count('\n') == 1;
}

}  // namespace

class TestCli : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase();
  void init();

  void helpForEveryCommand_data();
  void helpForEveryCommand();
  void usageErrors_data();
  void usageErrors();
  void badNames_data();
  void badNames();

  void putGetCatVersionSizeRm();
  void putWithVersionAndOlderPut();
  void putFlags();
  void secondGetOfVersionedNameNeedsNoServer();
  void unversionedGetAsksServer();
  void concurrentGetsShareTheCache();
  void missingFile();
  void missingLocalFile();
  void serverDown();
  void unresolvableHost();
  void badDownloadLeavesNothing_data();
  void badDownloadLeavesNothing();
  void catStreamsAndCaches();
  void stalledServerTimesOut();
  void ls_data();
  void ls();
  void cacheLsSize();
  void cacheClean();
  void cacheCleanInterval();
  void progressBar();
  void progressBarOnTerminal_data();
  void progressBarOnTerminal();
  void interruptedDownloadLeavesNothing();

  // Issue 21: the cache never serves wrong bytes, never writes outside itself.
  void putWhenServerKeptNewerVersion();
  void sameSecondPutsGetTheirOwnVersions();
  void symlinksPlantedInCache();
  void permissionsUnderUmask000();
  void handChangedCachedFile();
  void killedGetLeavesNoTempFile();
  void killedCatLeavesNothingInTmpdir();
  void staleTemporariesCountedAndCleaned();

 private:
  // The environment of every CLI run: no FILETRACKER_* settings of the
  // caller, HOME in the scratch directory.
  QProcessEnvironment environment() const;
  // environment() plus `extra`.
  QProcessEnvironment cliEnvironment(const QMap<QString, QString>& extra = {}) const;
  // Starts the CLI with `args` (for kills mid-way).
  void startCli(QProcess& p, const QStringList& args, const QMap<QString, QString>& extraEnv = {});
  Run run(const QStringList& args, int timeoutMs = 60000);
  // Global options for the current server and cache.
  QStringList global() const { return {"-r", url_, "-c", cache_}; }
  Run ft(const QStringList& args) { return run(global() + args); }

  QString bin_;
  QString url_;
  QString cache_;
  std::unique_ptr<QTemporaryDir> tmp_;
  std::unique_ptr<TestServer> server_;
  QString serverFunction_;
};

void TestCli::initTestCase() {
  bin_ = QString::fromLocal8Bit(qgetenv("FILETRACKER_CLI_BIN"));
  QVERIFY2(!bin_.isEmpty() && QFile::exists(bin_), "FILETRACKER_CLI_BIN must name the filetracker binary");
  QVERIFY2(!TestServer::binary().isEmpty(), "FILETRACKER_SERVER_BIN must name the server binary");
}

void TestCli::init() {
  // A fresh cache and scratch directory for every test (and data row); a
  // fresh server for every test function (rows of one function share it).
  tmp_ = std::make_unique<QTemporaryDir>(test::tempTemplate("cli"));
  QVERIFY(tmp_->isValid());
  cache_ = tmp_->filePath("cache");
  const QString function = QString::fromLatin1(QTest::currentTestFunction());
  if (server_ && server_->isRunning() && function == serverFunction_) return;
  server_.reset();
  server_ = std::make_unique<TestServer>();
  QVERIFY(server_->start());
  url_ = server_->url();
  serverFunction_ = function;
}

QProcessEnvironment TestCli::environment() const {
  QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
  env.remove("FILETRACKER_URL");
  env.remove("FILETRACKER_DIR");
  env.remove("FILETRACKER_LOCKS_DIR");
  if (tmp_) env.insert("HOME", tmp_->filePath("home"));  // never the real ~/.filetracker-store
  return env;
}

Run TestCli::run(const QStringList& args, int timeoutMs) { return test::runProcess(bin_, args, environment(), timeoutMs); }

// ---- Usage -----------------------------------------------------------------------

void TestCli::helpForEveryCommand_data() {
  QTest::addColumn<QStringList>("command");
  QTest::addColumn<QString>("usage");
  QTest::newRow("tool") << QStringList{} << "Usage: filetracker [OPTIONS] SUBCOMMAND";
  QTest::newRow("get") << QStringList{"get"} << "Usage: filetracker get [OPTIONS] NAME LOCAL";
  QTest::newRow("cat") << QStringList{"cat"} << "Usage: filetracker cat [OPTIONS] NAME";
  QTest::newRow("put") << QStringList{"put"} << "Usage: filetracker put [OPTIONS] LOCAL NAME";
  QTest::newRow("rm") << QStringList{"rm"} << "Usage: filetracker rm [OPTIONS] NAME";
  QTest::newRow("version") << QStringList{"version"} << "Usage: filetracker version [OPTIONS] NAME";
  QTest::newRow("size") << QStringList{"size"} << "Usage: filetracker size [OPTIONS] NAME";
  QTest::newRow("ls") << QStringList{"ls"} << "Usage: filetracker ls [OPTIONS] [DIR]";
  QTest::newRow("find") << QStringList{"find"} << "Usage: filetracker find [OPTIONS] [DIR]";
  QTest::newRow("sync") << QStringList{"sync"} << "Usage: filetracker sync [OPTIONS] SOURCE DESTINATION";
  QTest::newRow("cache") << QStringList{"cache"} << "Usage: filetracker cache [OPTIONS] SUBCOMMAND";
  QTest::newRow("cache ls") << QStringList{"cache", "ls"} << "Usage: filetracker cache ls";
  QTest::newRow("cache size") << QStringList{"cache", "size"} << "Usage: filetracker cache size";
  QTest::newRow("cache clean") << QStringList{"cache", "clean"} << "Usage: filetracker cache clean [OPTIONS]";
}

void TestCli::helpForEveryCommand() {
  QFETCH(QStringList, command);
  QFETCH(QString, usage);
  Run r = run(command + QStringList{"--help"});
  QCOMPARE(r.code, 0);
  QVERIFY2(r.out.contains(usage.toUtf8()), r.out.constData());
  QVERIFY(r.out.contains("Exit status: 0 success, 1 error, 2 usage error"));
  QVERIFY(r.err.isEmpty());
}

void TestCli::usageErrors_data() {
  QTest::addColumn<QStringList>("args");
  QTest::addColumn<QString>("expected");
  QTest::newRow("nothing") << QStringList{} << "subcommand is required";
  QTest::newRow("unknown command") << QStringList{"frobnicate", "x"} << "unknown command \"frobnicate\"";
  QTest::newRow("get without LOCAL") << QStringList{"get", "/a"} << "LOCAL is required";
  QTest::newRow("put with three") << QStringList{"put", "a", "/b", "c"} << "not expected";
  QTest::newRow("rm without NAME") << QStringList{"rm"} << "NAME is required";
  QTest::newRow("unknown option") << QStringList{"get", "--bogus", "/a", "b"} << "--bogus";
  QTest::newRow("clean without limit") << QStringList{"cache", "clean"} << "--size-limit is required";
  QTest::newRow("clean percent range") << QStringList{"cache", "clean", "-s", "1G", "--percent", "150"} << "150";
  QTest::newRow("bad progress") << QStringList{"--progress", "sometimes", "ls"} << "sometimes";
  QTest::newRow("cache without command") << QStringList{"cache"} << "subcommand is required";
}

void TestCli::usageErrors() {
  QFETCH(QStringList, args);
  QFETCH(QString, expected);
  Run r = run(global() + args);
  QCOMPARE(r.code, 2);
  QVERIFY2(isOneErrorLine(r.err), r.err.constData());
  QVERIFY2(r.err.contains(expected.toUtf8()), r.err.constData());
  QVERIFY(r.out.isEmpty());
}

void TestCli::badNames_data() {
  QTest::addColumn<QStringList>("args");
  for (const char* bad : {"a/b.txt", "/a/../b", "/a@1/b", "/x@notanumber", "/a@1@2", "/a@253402300800"}) {
    QTest::addRow("get %s", bad) << QStringList{"get", bad, "out"};
    QTest::addRow("put %s", bad) << QStringList{"put", "local.txt", bad};
    QTest::addRow("version %s", bad) << QStringList{"version", bad};
    QTest::addRow("rm %s", bad) << QStringList{"rm", bad};
  }
  QTest::newRow("size relative") << QStringList{"size", "relative"};
  QTest::newRow("cat relative") << QStringList{"cat", "relative"};
  QTest::newRow("ls relative") << QStringList{"ls", "relative"};
}

void TestCli::badNames() {
  QFETCH(QStringList, args);
  QVERIFY(test::writeFile(tmp_->filePath("local.txt"), "data"));
  QStringList withPaths = args;
  for (auto& a : withPaths)
    if (a == "out" || a == "local.txt") a = tmp_->filePath(a);
  Run r = ft(withPaths);
  QCOMPARE(r.code, 1);
  QVERIFY2(isOneErrorLine(r.err), r.err.constData());
  QVERIFY2(r.err.contains("name"), r.err.constData());
  QVERIFY(!QFile::exists(tmp_->filePath("out")));
  // Nothing reached the server or the cache.
  QCOMPARE(run(global() + QStringList{"ls", "-r"}).out, QByteArray());
  QCOMPARE(run(global() + QStringList{"cache", "ls"}).out, QByteArray());
}

// ---- Commands against the real server ------------------------------------------------

void TestCli::putGetCatVersionSizeRm() {
  const QByteArray data = test::mixedBytes(100000, 1);
  QVERIFY(test::writeFile(tmp_->filePath("in.bin"), data));
  Run put = ft({"put", tmp_->filePath("in.bin"), "/dir/file one.bin"});
  QCOMPARE(put.code, 0);
  QVERIFY2(put.err.isEmpty(), put.err.constData());
  QRegularExpression versioned(R"(^/dir/file one\.bin@(\d+)\n$)");
  auto m = versioned.match(QString::fromUtf8(put.out));
  QVERIFY2(m.hasMatch(), put.out.constData());
  const QByteArray version = m.captured(1).toUtf8();
  QVERIFY(qAbs(version.toLongLong() - QDateTime::currentSecsSinceEpoch()) < 120);

  Run v = ft({"version", "/dir/file one.bin"});
  QCOMPARE(v.code, 0);
  QCOMPARE(v.out, version + "\n");
  Run s = ft({"size", "/dir/file one.bin"});
  QCOMPARE(s.code, 0);
  QCOMPARE(s.out, QByteArray("100000\n"));

  // A fresh cache, so the content really comes from the server.
  QString otherCache = tmp_->filePath("cache2");
  Run get = run({"-r", url_, "-c", otherCache, "get", "/dir/file one.bin", tmp_->filePath("out/got.bin")});
  QCOMPARE(get.code, 0);
  QVERIFY(get.err.isEmpty() && get.out.isEmpty());
  QVERIFY(test::readFile(tmp_->filePath("out/got.bin")) == data);
  QCOMPARE(test::entries(tmp_->filePath("out")), QStringList{"got.bin"});

  Run cat = run({"-r", url_, "-c", tmp_->filePath("cache3"), "cat", "/dir/file one.bin"});
  QCOMPARE(cat.code, 0);
  QVERIFY(cat.out == data);

  Run rm = ft({"rm", "/dir/file one.bin"});
  QCOMPARE(rm.code, 0);
  QVERIFY(rm.out.isEmpty() && rm.err.isEmpty());
  Run gone = ft({"version", "/dir/file one.bin"});
  QCOMPARE(gone.code, 1);
  QVERIFY2(gone.err.startsWith("filetracker: /dir/file one.bin: HTTP 404: "), gone.err.constData());
  QVERIFY(isOneErrorLine(gone.err));
  Run rmAgain = ft({"rm", "/dir/file one.bin"});
  QCOMPARE(rmAgain.code, 1);
  QVERIFY2(isOneErrorLine(rmAgain.err), rmAgain.err.constData());
}

void TestCli::putWithVersionAndOlderPut() {
  QVERIFY(test::writeFile(tmp_->filePath("new.txt"), "newer content"));
  QVERIFY(test::writeFile(tmp_->filePath("old.txt"), "older content"));
  Run put = ft({"put", tmp_->filePath("new.txt"), QString("/v.txt@%1").arg(kVersion + 10)});
  QCOMPARE(put.code, 0);
  QCOMPARE(put.out, QString("/v.txt@%1\n").arg(kVersion + 10).toUtf8());
  // An older version changes nothing; the server reports the newer one.
  Run older = ft({"put", tmp_->filePath("old.txt"), QString("/v.txt@%1").arg(kVersion)});
  QCOMPARE(older.code, 0);
  QCOMPARE(older.out, QString("/v.txt@%1\n").arg(kVersion + 10).toUtf8());
  Run cat = run({"-r", url_, "-c", tmp_->filePath("fresh"), "cat", "/v.txt"});
  QCOMPARE(cat.out, QByteArray("newer content"));
  QCOMPARE(ft({"version", "/v.txt"}).out, QString("%1\n").arg(kVersion + 10).toUtf8());
}

void TestCli::putFlags() {
  QVERIFY(test::writeFile(tmp_->filePath("a.txt"), "remote only"));
  Run remoteOnly = ft({"put", "--no-local-cache", tmp_->filePath("a.txt"), "/flags/remote.txt"});
  QCOMPARE(remoteOnly.code, 0);
  QCOMPARE(run(global() + QStringList{"cache", "ls"}).out, QByteArray());
  QCOMPARE(ft({"size", "/flags/remote.txt"}).out, QByteArray("11\n"));

  QVERIFY(test::writeFile(tmp_->filePath("b.txt"), "local only"));
  Run localOnly = ft({"put", "--no-remote-cache", tmp_->filePath("b.txt"), "/flags/local.txt"});
  QCOMPARE(localOnly.code, 0);
  QVERIFY(localOnly.out.startsWith("/flags/local.txt@"));
  QCOMPARE(ft({"version", "/flags/local.txt"}).code, 1);  // not on the server
  QVERIFY(run(global() + QStringList{"cache", "ls"}).out.contains("/flags/local.txt@"));

  Run neither = ft({"put", "--no-local-cache", "--no-remote-cache", tmp_->filePath("b.txt"), "/flags/x.txt"});
  QCOMPARE(neither.code, 1);
  QVERIFY2(isOneErrorLine(neither.err), neither.err.constData());

  QVERIFY(test::writeFile(tmp_->filePath("c.txt"), "server compresses"));
  Run plain = ft({"put", "--no-compress", tmp_->filePath("c.txt"), "/flags/plain.txt"});
  QCOMPARE(plain.code, 0);
  QCOMPARE(run({"-r", url_, "-c", tmp_->filePath("c2"), "cat", "/flags/plain.txt"}).out,
           QByteArray("server compresses"));
}

void TestCli::secondGetOfVersionedNameNeedsNoServer() {
  const QByteArray data = test::mixedBytes(50000, 2);
  QVERIFY(test::writeFile(tmp_->filePath("in.bin"), data));
  // Uploaded without touching this client's cache...
  Run put = ft({"put", "--no-local-cache", tmp_->filePath("in.bin"), QString("/c/f.bin@%1").arg(kVersion)});
  QCOMPARE(put.code, 0);
  const QString name = QString("/c/f.bin@%1").arg(kVersion);
  // ...so the first get downloads it and fills the cache.
  Run first = ft({"-v", "get", name, tmp_->filePath("first.bin")});
  QCOMPARE(first.code, 0);
  QVERIFY2(first.err.contains("(downloaded "), first.err.constData());
  QVERIFY(test::readFile(tmp_->filePath("first.bin")) == data);
  QVERIFY(ft({"cache", "ls"}).out.contains(name.toUtf8()));

  server_->stop();
  // The second get of the versioned name needs no network.
  Run second = ft({"-v", "get", name, tmp_->filePath("second.bin")});
  QCOMPARE(second.code, 0);
  QVERIFY2(second.err.contains("(from the cache)"), second.err.constData());
  QVERIFY(test::readFile(tmp_->filePath("second.bin")) == data);
  Run cat = ft({"cat", name});
  QCOMPARE(cat.code, 0);
  QVERIFY(cat.out == data);
  QCOMPARE(ft({"size", name}).out, QByteArray("50000\n"));

  // --refresh insists on the server, which is down: one clear line.
  Run refresh = ft({"get", "--refresh", name, tmp_->filePath("third.bin")});
  QCOMPARE(refresh.code, 1);
  QVERIFY2(isOneErrorLine(refresh.err), refresh.err.constData());
  QVERIFY2(refresh.err.contains("cannot connect"), refresh.err.constData());
  QVERIFY(!QFile::exists(tmp_->filePath("third.bin")));
  // get --no-cache of a name that was never cached needs the server too.
  Run other = run({"-r", url_, "-c", tmp_->filePath("empty-cache"), "get", "-c", name, tmp_->filePath("x")});
  QCOMPARE(other.code, 1);
  QVERIFY(!QFile::exists(tmp_->filePath("x")));
}

void TestCli::unversionedGetAsksServer() {
  QVERIFY(test::writeFile(tmp_->filePath("one.txt"), "one"));
  QVERIFY(test::writeFile(tmp_->filePath("two.txt"), "two"));
  QCOMPARE(ft({"put", tmp_->filePath("one.txt"), QString("/u.txt@%1").arg(kVersion)}).code, 0);
  // Another client replaces it on the server.
  QCOMPARE(run({"-r", url_, "-c", tmp_->filePath("other"), "put", tmp_->filePath("two.txt"),
                QString("/u.txt@%1").arg(kVersion + 1)})
               .code,
           0);
  // Unversioned: the server's newest, not our stale cached copy.
  QCOMPARE(ft({"cat", "/u.txt"}).out, QByteArray("two"));
  // get --no-cache leaves the cache as it was.
  Run nc = run({"-r", url_, "-c", tmp_->filePath("nc"), "get", "--no-cache", "/u.txt", tmp_->filePath("nc.txt")});
  QCOMPARE(nc.code, 0);
  QCOMPARE(test::readFile(tmp_->filePath("nc.txt")), QByteArray("two"));
  QCOMPARE(run({"-c", tmp_->filePath("nc"), "cache", "ls"}).out, QByteArray());
  server_->stop();
  Run down = ft({"cat", "/u.txt"});
  QCOMPARE(down.code, 1);
  QVERIFY2(isOneErrorLine(down.err), down.err.constData());
}

void TestCli::concurrentGetsShareTheCache() {
  // Many processes on one machine fetch the same hot file at once, through
  // one cache: every one gets the whole file and the cache holds one copy.
  const QByteArray data = test::mixedBytes(2 << 20, 60);
  QVERIFY(test::writeFile(tmp_->filePath("hot.bin"), data));
  const QString name = QString("/hot/f.bin@%1").arg(kVersion);
  QCOMPARE(ft({"put", "--no-local-cache", tmp_->filePath("hot.bin"), name}).code, 0);
  constexpr int kClients = 8;
  std::vector<std::unique_ptr<test::Process>> clients;
  for (int i = 0; i < kClients; ++i) {
    auto p = std::make_unique<test::Process>();
    p->setProcessEnvironment(environment());
    p->start(bin_, global() + QStringList{"get", name, tmp_->filePath(QString("out/%1.bin").arg(i))});
    clients.push_back(std::move(p));
  }
  for (int i = 0; i < kClients; ++i) {
    QVERIFY(clients[i]->waitForFinished(60000));
    QCOMPARE(clients[i]->exitCode(), 0);
    QVERIFY2(clients[i]->readAllStandardError().isEmpty(), qPrintable(QString::number(i)));
    QVERIFY(test::readFile(tmp_->filePath(QString("out/%1.bin").arg(i))) == data);
  }
  QCOMPARE(ft({"cache", "ls"}).out,
           QString("2015-01-01 00:00:10  1420070410       2097152  %1\n").arg(name).toUtf8());
  QCOMPARE(test::entries(tmp_->filePath("out")).size(), kClients);
}

void TestCli::missingFile() {
  Run get = ft({"get", "/no/such.txt", tmp_->filePath("out.txt")});
  QCOMPARE(get.code, 1);
  QCOMPARE(get.err, QByteArray("filetracker: /no/such.txt: HTTP 404: file not found\n"));
  QVERIFY2(isOneErrorLine(get.err), get.err.constData());
  QVERIFY(!QFile::exists(tmp_->filePath("out.txt")));
  for (const char* cmd : {"cat", "version", "size", "rm"}) {
    Run r = ft({cmd, "/no/such.txt"});
    QCOMPARE(r.code, 1);
    QVERIFY2(isOneErrorLine(r.err), r.err.constData());
    QVERIFY2(r.err.contains("/no/such.txt"), r.err.constData());
  }
  // LOCAL that cannot be a file.
  Run toDir = ft({"get", "/no/such.txt", tmp_->path()});
  QCOMPARE(toDir.code, 1);
  QVERIFY2(isOneErrorLine(toDir.err) && toDir.err.contains("is a directory"), toDir.err.constData());
  Run toEmpty = ft({"get", "/no/such.txt", ""});
  QCOMPARE(toEmpty.code, 1);
  QVERIFY2(isOneErrorLine(toEmpty.err), toEmpty.err.constData());
  Run ls = ft({"ls", "/no/such/dir"});
  QCOMPARE(ls.code, 1);
  QVERIFY2(isOneErrorLine(ls.err) && ls.err.contains("HTTP 400"), ls.err.constData());
}

void TestCli::missingLocalFile() {
  Run r = ft({"put", tmp_->filePath("absent.txt"), "/x.txt"});
  QCOMPARE(r.code, 1);
  QVERIFY2(isOneErrorLine(r.err) && r.err.contains("absent.txt"), r.err.constData());
  Run dir = ft({"put", tmp_->path(), "/x.txt"});
  QCOMPARE(dir.code, 1);
  QVERIFY2(isOneErrorLine(dir.err), dir.err.constData());
  QCOMPARE(ft({"ls", "-r"}).out, QByteArray());
}

void TestCli::serverDown() {
  const QString deadUrl = url_;
  server_->stop();
  QVERIFY(test::writeFile(tmp_->filePath("in.txt"), "x"));
  for (const QStringList& args : {QStringList{"version", "/a"}, QStringList{"size", "/a"}, QStringList{"ls"},
                                  QStringList{"put", tmp_->filePath("in.txt"), "/a"},
                                  QStringList{"get", "/a", tmp_->filePath("out")}}) {
    Run r = run(QStringList{"-r", deadUrl, "-c", cache_} + args, 30000);
    QCOMPARE(r.code, 1);
    QVERIFY2(isOneErrorLine(r.err), r.err.constData());
    QVERIFY2(r.err.contains("cannot connect to " + deadUrl.toUtf8()), r.err.constData());
    QVERIFY2(r.err.contains("refused"), r.err.constData());
  }
  QVERIFY(!QFile::exists(tmp_->filePath("out")));
}

void TestCli::unresolvableHost() {
  Run r = run({"-r", "http://no-such-host.invalid:9999", "-c", cache_, "version", "/a"}, 30000);
  QCOMPARE(r.code, 1);
  QVERIFY2(isOneErrorLine(r.err) && r.err.contains("cannot resolve"), r.err.constData());
  Run bad = run({"-r", "not a url", "-c", cache_, "version", "/a"});
  QCOMPARE(bad.code, 1);
  QVERIFY2(isOneErrorLine(bad.err) && bad.err.contains("invalid server URL"), bad.err.constData());
}

// A download that is not what its answer announced leaves nothing (no
// output file, no cache entry) and one error line in its own words: a body
// cut off says "cut off", a body longer than announced says so and never
// "cut off", a version the cache's file system cannot keep is refused.
void TestCli::badDownloadLeavesNothing_data() {
  QTest::addColumn<QByteArray>("answer");
  QTest::addColumn<QByteArray>("words");
  QTest::addColumn<QByteArray>("notWords");
  const std::string data = test::mixedBytes(400000, 3).toStdString();
  const QByteArray plain = QByteArray::fromStdString(data);
  const QByteArray gz = QByteArray::fromStdString(ft::gzip_compress(data));
  const QByteArray size = QByteArray::number(qsizetype(data.size()));
  const QByteArray head = "HTTP/1.1 200 OK\r\nConnection: close\r\nLast-Modified: " + test::httpDate(kVersion) + "\r\n";
  // Headers announce the whole body, then half of it arrives and the connection closes.
  QTest::newRow("cut off") << head + "Content-Encoding: gzip\r\nLogical-Size: " + size + "\r\nContent-Length: " +
                                  QByteArray::number(gz.size()) + "\r\n\r\n" + gz.left(gz.size() / 2)
                           << QByteArray("cut off") << QByteArray("more than");
  QTest::newRow("more bytes than announced")
      << head + "Logical-Size: 399000\r\nContent-Length: " + size + "\r\n\r\n" + plain
      << QByteArray("the server sent more than it announced") << QByteArray("cut off");
  QTest::newRow("more bytes than announced, gzip")
      << head + "Content-Encoding: gzip\r\nLogical-Size: 1000\r\nContent-Length: " + QByteArray::number(gz.size()) +
             "\r\n\r\n" + gz
      << QByteArray("the server sent more than it announced") << QByteArray("cut off");
}

void TestCli::badDownloadLeavesNothing() {
  QFETCH(QByteArray, answer);
  QFETCH(QByteArray, words);
  QFETCH(QByteArray, notWords);
  FakeHttpServer fake([&](const FakeRequest&) { return answer; });
  QVERIFY(test::writeFile(tmp_->filePath("dl/keep.txt"), "unrelated"));
  Run r = run({"-r", fake.url(), "-c", cache_, "get", QString("/cut.bin@%1").arg(kVersion), tmp_->filePath("dl/cut.bin")});
  QCOMPARE(r.code, 1);
  QVERIFY2(isOneErrorLine(r.err), r.err.constData());
  QVERIFY2(r.err.contains("/cut.bin@1420070410: ") && r.err.contains(words), r.err.constData());
  QVERIFY2(!r.err.contains(notWords), r.err.constData());
  QCOMPARE(test::entries(tmp_->filePath("dl")), QStringList{"keep.txt"});
  // Nor does the cache keep a partial copy.
  QCOMPARE(run({"-c", cache_, "cache", "ls"}).out, QByteArray());
  Run cat = run({"-r", fake.url(), "-c", cache_, "cat", "/cut.bin"});
  QCOMPARE(cat.code, 1);
  QVERIFY(cat.out.size() < 400000);
  QVERIFY2(!cat.err.contains(notWords), cat.err.constData());
}

void TestCli::catStreamsAndCaches() {
  // The server sends half the file, then holds the rest back until cat has
  // printed something (at most 10 s): cat must print as the bytes arrive.
  const QByteArray data = test::mixedBytes(2 << 20, 8);
  const QByteArray answer = FakeHttpServer::reply(
      200,
      {{"Last-Modified", test::httpDate(kVersion)},
       {"Logical-Size", QByteArray::number(data.size())},
       {"SHA256-Checksum", test::sha256Hex(data)}},
      data);
  FakeHttpServer fake([&](const FakeRequest& r) {
    return r.target.startsWith("/files/big.bin") ? answer : FakeHttpServer::reply(404, {}, "");
  });
  fake.setTrickle(2, 0);
  test::Gate printed;
  std::atomic<bool> restSentBeforeOutput{false};
  fake.setBeforePiece([&](int) {
    if (!printed.wait(10000)) restSentBeforeOutput = true;
  });
  test::Process p;
  p.setProcessEnvironment(environment());
  p.start(bin_, {"-r", fake.url(), "-c", cache_, "cat", "/big.bin"});
  QVERIFY(p.waitForStarted(10000));
  QByteArray out;
  for (int i = 0; i < 100 && out.isEmpty() && p.state() == QProcess::Running; ++i) {
    p.waitForReadyRead(200);
    out += p.readAllStandardOutput();
  }
  printed.open();
  QVERIFY(p.waitForFinished(30000));
  out += p.readAllStandardOutput();
  QCOMPARE(p.exitCode(), 0);
  QVERIFY2(!restSentBeforeOutput, "cat printed nothing before the whole file had arrived");
  QVERIFY(out == data);
  // The verified copy went into the cache: the versioned name needs no network.
  const QString name = QString("/big.bin@%1").arg(kVersion);
  QVERIFY(run({"-c", cache_, "cache", "ls"}).out.contains(name.toUtf8()));
  Run again = run({"-r", fake.url(), "-c", cache_, "cat", name});
  QCOMPARE(again.code, 0);
  QVERIFY(again.out == data);
  QCOMPARE(fake.count("GET", "/files/big.bin"), 1);
  // --no-cache streams without caching.
  const QString other = tmp_->filePath("other-cache");
  Run nocache = run({"-r", fake.url(), "-c", other, "cat", "--no-cache", "/big.bin"});
  QCOMPARE(nocache.code, 0);
  QVERIFY(nocache.out == data);
  QVERIFY(!run({"-c", other, "cache", "ls"}).out.contains("/big.bin"));
}

void TestCli::stalledServerTimesOut() {
  FakeHttpServer fake([](const FakeRequest&) { return QByteArray(); });  // accepts, never answers
  QElapsedTimer timer;
  timer.start();
  Run r = run({"-r", fake.url(), "-c", cache_, "--timeout", "1", "get", "/slow.txt", tmp_->filePath("slow.txt")}, 30000);
  QCOMPARE(r.code, 1);
  QVERIFY2(isOneErrorLine(r.err) && r.err.contains("timed out"), r.err.constData());
  QVERIFY(timer.elapsed() < 9000);
  QVERIFY(!QFile::exists(tmp_->filePath("slow.txt")));
}

void TestCli::ls_data() {
  QTest::addColumn<QStringList>("serverArgs");
  QTest::newRow("with extensions") << QStringList{};
  QTest::newRow("without extensions (fallback)") << QStringList{"--no-extensions"};
}

void TestCli::ls() {
  QFETCH(QStringList, serverArgs);
  if (!serverArgs.isEmpty()) {
    server_ = std::make_unique<TestServer>(QString(), serverArgs);
    QVERIFY(server_->start());
    url_ = server_->url();
  }
  QVERIFY(test::writeFile(tmp_->filePath("f.txt"), "12345"));
  for (const char* name : {"/t/a.txt", "/t/sub/b.txt", "/t/sub/deep/c.txt", "/u/d.txt"})
    QCOMPARE(ft({"put", tmp_->filePath("f.txt"), QString("%1@%2").arg(name).arg(kVersion)}).code, 0);

  Run top = ft({"ls", "/t"});
  QCOMPARE(top.code, 0);
  QVERIFY2(top.err.isEmpty(), top.err.constData());
  const QByteArray fileRow = "2015-01-01 00:00:10  1420070410             5  /t/a.txt\n";
  QCOMPARE(top.out, "                  -           -             -  /t/sub/\n" + fileRow);

  Run all = ft({"ls", "-r", "/t"});
  QCOMPARE(all.code, 0);
  QCOMPARE(all.out, fileRow + "2015-01-01 00:00:10  1420070410             5  /t/sub/b.txt\n" +
                        "2015-01-01 00:00:10  1420070410             5  /t/sub/deep/c.txt\n");
  Run root = ft({"ls"});
  QCOMPARE(root.out, QByteArray("                  -           -             -  /t/\n"
                                "                  -           -             -  /u/\n"));
  QCOMPARE(ft({"ls", "-r", "/"}).out.count('\n'), 4);

  // get/put/cat work the same without extensions.
  QCOMPARE(run({"-r", url_, "-c", tmp_->filePath("c2"), "cat", "/t/sub/b.txt"}).out, QByteArray("12345"));
}

void TestCli::cacheLsSize() {
  QVERIFY(test::writeFile(tmp_->filePath("a.txt"), test::mixedBytes(1000, 4)));
  QVERIFY(test::writeFile(tmp_->filePath("b.txt"), test::mixedBytes(3000, 5)));
  QCOMPARE(ft({"put", tmp_->filePath("a.txt"), QString("/k/a.txt@%1").arg(kVersion)}).code, 0);
  QCOMPARE(ft({"put", tmp_->filePath("b.txt"), QString("/k/b.txt@%1").arg(kVersion + 60)}).code, 0);
  // The cache commands need no server.
  server_->stop();
  Run ls = run({"-c", cache_, "cache", "ls"});
  QCOMPARE(ls.code, 0);
  QCOMPARE(ls.out, QByteArray("2015-01-01 00:00:10  1420070410          1000  /k/a.txt@1420070410\n"
                              "2015-01-01 00:01:10  1420070470          3000  /k/b.txt@1420070470\n"));
  Run size = run({"-c", cache_, "cache", "size"});
  QCOMPARE(size.code, 0);
  QVERIFY2(size.out.startsWith("4000 bytes (") && size.out.endsWith(" in 2 files\n"), size.out.constData());
  // FILETRACKER_DIR works like -c.
  test::Process p;
  auto env = environment();
  env.insert("FILETRACKER_DIR", cache_);
  p.setProcessEnvironment(env);
  p.start(bin_, {"cache", "size"});
  QVERIFY(p.waitForFinished(30000));
  QCOMPARE(p.readAllStandardOutput(), size.out);
}

void TestCli::cacheClean() {
  // Four files of 1 KiB, versions 1 minute apart (the oldest goes first).
  for (int i = 0; i < 4; ++i) {
    QVERIFY(test::writeFile(tmp_->filePath(QString("f%1").arg(i)), test::mixedBytes(1024, 10 + i)));
    QCOMPARE(ft({"put", "--no-remote-cache", tmp_->filePath(QString("f%1").arg(i)),
                 QString("/clean/f%1@%2").arg(i).arg(kVersion + 60 * i)})
                 .code,
             0);
  }
  // Below the limit: nothing happens.
  Run below = run({"-c", cache_, "cache", "clean", "--size-limit", "1M"});
  QCOMPARE(below.code, 0);
  QVERIFY2(below.out.contains("nothing to delete"), below.out.constData());
  QCOMPARE(run({"-c", cache_, "cache", "ls"}).out.count('\n'), 4);

  // Dry run: says what would go, deletes nothing.
  Run dry = run({"-c", cache_, "cache", "clean", "--size-limit", "4K", "--percent", "50", "--dry-run"});
  QCOMPARE(dry.code, 0);
  QVERIFY2(dry.out.contains("would delete /clean/f0@1420070410") && dry.out.contains("would delete /clean/f2@"),
           dry.out.constData());
  QVERIFY(!dry.out.contains("would delete /clean/f3@"));
  QCOMPARE(run({"-c", cache_, "cache", "ls"}).out.count('\n'), 4);

  // For real, the seed's rule: newest first, the running total reaches 50% of
  // 4K at the second newest file, which goes with everything older.
  Run clean = run({"-c", cache_, "cache", "clean", "-s", "4K", "-p", "50"});
  QCOMPARE(clean.code, 0);
  QVERIFY2(clean.out.contains("deleted 3 files"), clean.out.constData());
  Run after = run({"-c", cache_, "cache", "ls"});
  QCOMPARE(after.out, QByteArray("2015-01-01 00:03:10  1420070590          1024  /clean/f3@1420070590\n"));

  // Several caches by glob, as one index: the oldest files of both go.
  const QString cacheA = tmp_->filePath("multi/a"), cacheB = tmp_->filePath("multi/b");
  for (int i = 0; i < 2; ++i) {
    QCOMPARE(run({"-c", cacheA, "put", tmp_->filePath(QString("f%1").arg(i)), QString("/m/a%1@%2").arg(i).arg(kVersion + i)}).code, 0);
    QCOMPARE(run({"-c", cacheB, "put", tmp_->filePath(QString("f%1").arg(i)), QString("/m/b%1@%2").arg(i).arg(kVersion + 10 + i)}).code, 0);
  }
  Run multi = run({"cache", "clean", "-s", "4K", "-p", "50", "--cache-dirs", tmp_->filePath("multi/*")});
  QCOMPARE(multi.code, 0);
  QVERIFY2(multi.out.contains("2 caches") && multi.out.contains("deleted 3 files"), multi.out.constData());
  QCOMPARE(run({"-c", cacheA, "cache", "ls"}).out, QByteArray());
  QVERIFY(run({"-c", cacheB, "cache", "ls"}).out.contains("/m/b1@"));
  Run noMatch = run({"cache", "clean", "-s", "4K", "--cache-dirs", tmp_->filePath("nothing*")});
  QCOMPARE(noMatch.code, 1);

  Run badSize = run({"-c", cache_, "cache", "clean", "--size-limit", "12X"});
  QCOMPARE(badSize.code, 1);
  QVERIFY2(isOneErrorLine(badSize.err) && badSize.err.contains("12X"), badSize.err.constData());
  Run badInterval = run({"-c", cache_, "cache", "clean", "-s", "1G", "--interval", "soon"});
  QCOMPARE(badInterval.code, 1);
  QVERIFY2(isOneErrorLine(badInterval.err), badInterval.err.constData());
}

void TestCli::cacheCleanInterval() {
  QVERIFY(test::writeFile(tmp_->filePath("f"), test::mixedBytes(2048, 20)));
  QCOMPARE(ft({"put", "--no-remote-cache", tmp_->filePath("f"), QString("/i/f@%1").arg(kVersion)}).code, 0);
  test::Process p;
  p.setProcessEnvironment(environment());
  p.start(bin_, {"-c", cache_, "cache", "clean", "-s", "1K", "-p", "0", "--interval", "1s"});
  QVERIFY(p.waitForStarted());
  // It keeps running: the first pass deletes the file; add another, the next pass deletes it too.
  QTRY_VERIFY_WITH_TIMEOUT(run({"-c", cache_, "cache", "ls"}).out.isEmpty(), 10000);
  QCOMPARE(p.state(), QProcess::Running);
  QCOMPARE(ft({"put", "--no-remote-cache", tmp_->filePath("f"), QString("/i/g@%1").arg(kVersion)}).code, 0);
  QTRY_VERIFY_WITH_TIMEOUT(run({"-c", cache_, "cache", "ls"}).out.isEmpty(), 10000);
  // SIGTERM ends it cleanly.
  p.terminate();
  QVERIFY(p.waitForFinished(10000));
  QCOMPARE(p.exitStatus(), QProcess::NormalExit);
  QCOMPARE(p.exitCode(), 0);
  QVERIFY(p.readAllStandardOutput().count("deleted 1 files") >= 2);
}

void TestCli::progressBar() {
  QVERIFY(test::writeFile(tmp_->filePath("p.bin"), test::mixedBytes(3 << 20, 30)));
  // Not a terminal (the default here): no progress output at all.
  Run quiet = ft({"put", tmp_->filePath("p.bin"), "/p.bin"});
  QCOMPARE(quiet.code, 0);
  QVERIFY2(quiet.err.isEmpty(), quiet.err.constData());
  // Forced on: a bar with percentage and speed, ended by a newline.
  Run shown = run({"-r", url_, "-c", tmp_->filePath("c2"), "--progress", "always", "get", "/p.bin",
                   tmp_->filePath("p.out")});
  QCOMPARE(shown.code, 0);
  QVERIFY2(shown.err.contains("download /p.bin") && shown.err.contains("100%") && shown.err.contains("/s"),
           shown.err.constData());
  QVERIFY(shown.err.endsWith('\n'));
  Run never = run({"-r", url_, "-c", tmp_->filePath("c3"), "--progress", "never", "get", "/p.bin",
                   tmp_->filePath("p2.out")});
  QVERIFY(never.err.isEmpty());
}

void TestCli::progressBarOnTerminal_data() {
  QTest::addColumn<int>("pieces");
  QTest::addColumn<bool>("expectBar");
  QTest::newRow("slow transfer (about 2 s): a bar") << 12 << true;
  QTest::newRow("quick transfer: no bar") << 1 << false;
}

void TestCli::progressBarOnTerminal() {
  // `script` runs the tool with its stderr on a pseudo-terminal (util-linux).
  const QString script = QStandardPaths::findExecutable("script");
  if (script.isEmpty()) QSKIP("script(1) is not installed");
  QFETCH(int, pieces);
  QFETCH(bool, expectBar);
  const std::string data = test::mixedBytes(600000, 50).toStdString();
  const QByteArray gz = QByteArray::fromStdString(ft::gzip_compress(data));
  FakeHttpServer fake([&](const FakeRequest&) {
    return FakeHttpServer::reply(200,
                                 {{"Last-Modified", test::httpDate(kVersion)},
                                  {"Content-Encoding", "gzip"},
                                  {"Logical-Size", QByteArray::number(qsizetype(data.size()))}},
                                 gz);
  });
  fake.setTrickle(pieces, 180);
  QStringList words{bin_, "-r", fake.url(), "-c", cache_, "get", "/slow.bin", tmp_->filePath("slow.bin")};
  test::Process p;
  p.setProcessEnvironment(environment());
  for (auto& w : words) w = "'" + w + "'";  // test paths hold no quotes
  p.start(script, {"-q", "-e", "-c", words.join(' '), "/dev/null"});
  QVERIFY(p.waitForFinished(30000));
  QCOMPARE(p.exitCode(), 0);
  const QByteArray terminal = p.readAllStandardOutput();
  QCOMPARE(test::readFile(tmp_->filePath("slow.bin")).size(), qsizetype(data.size()));
  if (expectBar) {
    QVERIFY2(terminal.contains("download /slow.bin") && terminal.contains("100%") && terminal.contains("/s"),
             terminal.constData());
  } else {
    QVERIFY2(!terminal.contains("download"), terminal.constData());
  }
}

void TestCli::interruptedDownloadLeavesNothing() {
  // A server that sends half a body and then stalls: the client waits until interrupted.
  const std::string data = test::mixedBytes(300000, 40).toStdString();
  const QByteArray gz = QByteArray::fromStdString(ft::gzip_compress(data));
  std::atomic<bool> answered{false};
  FakeHttpServer fake([&](const FakeRequest&) {
    answered = true;
    return "HTTP/1.1 200 OK\r\nLast-Modified: " + test::httpDate(kVersion) +
           "\r\nContent-Encoding: gzip\r\nContent-Length: " + QByteArray::number(gz.size()) + "\r\n\r\n" +
           gz.left(gz.size() / 2);
  });
  fake.setStallAfterReply(true);
  test::Process p;
  p.setProcessEnvironment(environment());
  p.start(bin_, {"-r", fake.url(), "-c", cache_, "get", "/slow.bin", tmp_->filePath("dl/slow.bin")});
  QVERIFY(p.waitForStarted());
  QTRY_VERIFY_WITH_TIMEOUT(answered.load(), 10000);
  // The partial download is under way (an unnamed temp file in dl/, seen
  // only among the process's open files), then Ctrl-C.
  QTRY_VERIFY_WITH_TIMEOUT(!unnamedOpenFiles(p.processId(), tmp_->filePath("dl")).isEmpty(), 10000);
  QVERIFY(test::entries(tmp_->filePath("dl")).isEmpty());
  ::kill(pid_t(p.processId()), SIGINT);
  QVERIFY(p.waitForFinished(10000));
  QCOMPARE(p.exitStatus(), QProcess::NormalExit);
  QCOMPARE(p.exitCode(), 130);
  QByteArray err = p.readAllStandardError();
  QVERIFY2(isOneErrorLine(err) && err.contains("cancelled"), err.constData());
  QVERIFY(test::entries(tmp_->filePath("dl")).isEmpty());
}

// ---- Issue 21 ----------------------------------------------------------------

namespace {

mode_t modeOf(const QString& path) {
  struct stat st {};
  ::lstat(path.toLocal8Bit().constData(), &st);
  return st.st_mode & 07777;
}

void scribble(const QString& path, const QByteArray& bytes) {
  QFile f(path);
  QVERIFY(f.open(QIODevice::ReadWrite));  // in place: same inode, same size
  f.write(bytes);
}

void setMtime(const QString& path, qint64 seconds) {
  struct timespec t[2] = {{seconds, 0}, {seconds, 0}};
  ::utimensat(AT_FDCWD, path.toLocal8Bit().constData(), t, 0);
}

}  // namespace

QProcessEnvironment TestCli::cliEnvironment(const QMap<QString, QString>& extra) const {
  auto env = environment();
  for (auto it = extra.begin(); it != extra.end(); ++it) env.insert(it.key(), it.value());
  return env;
}

void TestCli::startCli(QProcess& p, const QStringList& args, const QMap<QString, QString>& extraEnv) {
  p.setProcessEnvironment(cliEnvironment(extraEnv));
  p.start(bin_, args);
  QVERIFY(p.waitForStarted());
}

void TestCli::putWhenServerKeptNewerVersion() {
  // Clock skew between uploaders: the server holds a newer version.
  test::writeFile(tmp_->filePath("future.txt"), "from the uploader whose clock runs ahead");
  test::writeFile(tmp_->filePath("mine.txt"), "mine");
  QCOMPARE(ft({"put", tmp_->filePath("future.txt"), QString("/skew.txt@%1").arg(kVersion + 1000)}).code, 0);
  const QString other = tmp_->filePath("other-cache");
  Run put = run({"-r", url_, "-c", other, "put", tmp_->filePath("mine.txt"), QString("/skew.txt@%1").arg(kVersion)});
  QCOMPARE(put.code, 0);
  QCOMPARE(put.out, QString("/skew.txt@%1\n").arg(kVersion + 1000).toUtf8());
  QVERIFY2(put.err.contains("the server kept a newer version") && isOneErrorLine(put.err), put.err.constData());
  // Nothing of ours cached under the server's version.
  QCOMPARE(run({"-c", other, "cache", "ls"}).out, QByteArray());
  Run cat = run({"-r", url_, "-c", other, "cat", QString("/skew.txt@%1").arg(kVersion + 1000)});
  QCOMPARE(cat.out, QByteArray("from the uploader whose clock runs ahead"));
}

void TestCli::sameSecondPutsGetTheirOwnVersions() {
  test::writeFile(tmp_->filePath("a.txt"), "first upload");
  test::writeFile(tmp_->filePath("b.txt"), "second upload, same second");
  const QString name = QString("/same.txt@%1").arg(kVersion);
  Run a = ft({"put", tmp_->filePath("a.txt"), name});
  QCOMPARE(a.out, (name + "\n").toUtf8());
  const QString other = tmp_->filePath("other-cache");
  Run b = run({"-r", url_, "-c", other, "put", tmp_->filePath("b.txt"), name});
  QCOMPARE(b.code, 0);
  QCOMPARE(b.out, QString("/same.txt@%1\n").arg(kVersion + 1).toUtf8());
  QVERIFY2(b.err.contains("stored as /same.txt@"), b.err.constData());
  // Each cache holds what the server stored under the version it was told.
  QCOMPARE(ft({"cat", name}).out, QByteArray("first upload"));
  QCOMPARE(run({"-r", url_, "-c", other, "cat", QString("/same.txt@%1").arg(kVersion + 1)}).out,
           QByteArray("second upload, same second"));
  QVERIFY(run({"-c", other, "cache", "ls"}).out.contains(QString("/same.txt@%1").arg(kVersion + 1).toUtf8()));
  // The same content again: no new version, no note.
  Run again = run({"-r", url_, "-c", other, "put", tmp_->filePath("b.txt"), QString("/same.txt@%1").arg(kVersion + 1)});
  QCOMPARE(again.out, QString("/same.txt@%1\n").arg(kVersion + 1).toUtf8());
  QCOMPARE(again.err, QByteArray());
}

void TestCli::symlinksPlantedInCache() {
  const QString outside = tmp_->filePath("outside");
  test::writeFile(outside + "/1.in", "precious, outside the cache");
  setMtime(outside + "/1.in", kVersion);
  test::writeFile(tmp_->filePath("in.txt"), "served by the server");
  QCOMPARE(ft({"put", "--no-local-cache", tmp_->filePath("in.txt"), QString("/t/1.in@%1").arg(kVersion)}).code, 0);
  QCOMPARE(ft({"put", "--no-local-cache", tmp_->filePath("in.txt"), QString("/l/f@%1").arg(kVersion)}).code, 0);
  QDir().mkpath(cache_ + "/files");
  QVERIFY(QFile::link(outside, cache_ + "/files/t"));                      // a planted directory link
  QDir().mkpath(cache_ + "/locks/l");
  QFile::remove(cache_ + "/locks/l/f");  // the put's lock file
  QCOMPARE(::symlink((outside + "/created-by-get").toLocal8Bit().constData(), (cache_ + "/locks/l/f").toLocal8Bit().constData()),
           0);  // a dangling lock link

  // With the server: the cache is refused (one warning naming the link), the
  // server's bytes are served, nothing outside changes, the output is a file.
  Run get = ft({"get", QString("/t/1.in@%1").arg(kVersion), tmp_->filePath("out")});
  QCOMPARE(get.code, 0);
  QVERIFY2(get.err.contains("symbolic link"), get.err.constData());
  QCOMPARE(test::readFile(tmp_->filePath("out")), QByteArray("served by the server"));
  QVERIFY(!QFileInfo(tmp_->filePath("out")).isSymLink());
  QCOMPARE(test::readFile(outside + "/1.in"), QByteArray("precious, outside the cache"));
  // Without it: refused with one line.
  Run offline = run({"-c", cache_, "get", QString("/t/1.in@%1").arg(kVersion), tmp_->filePath("out2")});
  QCOMPARE(offline.code, 1);
  QVERIFY2(isOneErrorLine(offline.err) && offline.err.contains("symbolic link"), offline.err.constData());
  QVERIFY(!QFileInfo::exists(tmp_->filePath("out2")));
  // The dangling lock link: refused, and no file created outside (as root, one would be).
  Run lock = ft({"get", QString("/l/f@%1").arg(kVersion), tmp_->filePath("out3")});
  QCOMPARE(lock.code, 1);
  QVERIFY2(isOneErrorLine(lock.err) && lock.err.contains("symbolic link"), lock.err.constData());
  QVERIFY(!QFileInfo::exists(outside + "/created-by-get"));
  QCOMPARE(test::entries(outside), QStringList{"1.in"});

  // cache size tells, cache verify fails, cache clean removes the links (not their targets).
  QVERIFY2(run({"-c", cache_, "cache", "size"}).out.contains("2 symbolic links"), run({"-c", cache_, "cache", "size"}).out.constData());
  Run verify = run({"-c", cache_, "cache", "verify"});
  QCOMPARE(verify.code, 1);
  QVERIFY2(verify.out.contains("symbolic link"), verify.out.constData());
  Run clean = run({"-c", cache_, "cache", "clean", "-s", "1G"});
  QCOMPARE(clean.code, 0);
  QVERIFY2(clean.out.contains("removed 2 symbolic links"), clean.out.constData());
  QVERIFY(!QFileInfo(cache_ + "/files/t").isSymLink() && !QFileInfo(cache_ + "/locks/l/f").isSymLink());
  QCOMPARE(test::readFile(outside + "/1.in"), QByteArray("precious, outside the cache"));
  QCOMPARE(run({"-c", cache_, "cache", "verify"}).code, 0);
  QCOMPARE(ft({"get", QString("/l/f@%1").arg(kVersion), tmp_->filePath("out3")}).code, 0);
}

void TestCli::permissionsUnderUmask000() {
  test::writeFile(tmp_->filePath("in.txt"), "payload");
  QFile::setPermissions(tmp_->filePath("in.txt"), QFile::Permissions(0x6666));  // rw for everybody
  test::Process sh;
  sh.setProcessEnvironment(cliEnvironment());
  sh.start("sh", {"-c", "umask 000; exec \"$0\" \"$@\"", bin_, "-r", url_, "-c", cache_, "put", tmp_->filePath("in.txt"),
                  QString("/p/q/r.txt@%1").arg(kVersion)});
  QVERIFY(sh.waitForFinished(30000));
  QCOMPARE(sh.exitCode(), 0);
  sh.start("sh", {"-c", "umask 000; exec \"$0\" \"$@\"", bin_, "-r", url_, "-c", cache_, "get",
                  QString("/p/q/r.txt@%1").arg(kVersion), tmp_->filePath("got.txt")});
  QVERIFY(sh.waitForFinished(30000));
  QCOMPARE(sh.exitCode(), 0);
  for (const QString& d : {cache_, cache_ + "/files", cache_ + "/files/p", cache_ + "/files/p/q", cache_ + "/locks",
                           cache_ + "/locks/p/q", cache_ + "/meta/p/q"})
    QCOMPARE(modeOf(d), mode_t(0700));
  QCOMPARE(modeOf(cache_ + "/locks/p/q/r.txt"), mode_t(0600));
  QCOMPARE(modeOf(cache_ + "/locks/tree.lock"), mode_t(0600));
  QCOMPARE(modeOf(cache_ + "/files/p/q/r.txt") & 0022, mode_t(0));
  QCOMPARE(modeOf(tmp_->filePath("got.txt")) & 0022, mode_t(0));
}

void TestCli::handChangedCachedFile() {
  test::writeFile(tmp_->filePath("in.txt"), "0123456789 the real content");
  const QString name = QString("/h/f.txt@%1").arg(kVersion);
  QCOMPARE(ft({"put", tmp_->filePath("in.txt"), name}).code, 0);
  const QString cached = cache_ + "/files/h/f.txt";
  QVERIFY(QFileInfo::exists(cached));
  // By hand: same size, the version set back.
  scribble(cached, "XXXX");
  setMtime(cached, kVersion);
  QCOMPARE(QFileInfo(cached).size(), qint64(27));
  // Offline: refused, one line.
  Run offline = run({"-c", cache_, "get", name, tmp_->filePath("o1")});
  QCOMPARE(offline.code, 1);
  QVERIFY2(isOneErrorLine(offline.err) && offline.err.contains("changed after it was cached"), offline.err.constData());
  QVERIFY(!QFileInfo::exists(tmp_->filePath("o1")));
  QCOMPARE(run({"-c", cache_, "cat", name}).code, 1);
  // cache verify finds and lists it (exit 1).
  Run verify = run({"-c", cache_, "cache", "verify"});
  QCOMPARE(verify.code, 1);
  QVERIFY2(verify.out.contains("/h/f.txt") && verify.out.contains("1 damaged"), verify.out.constData());
  // With the server: fetched again, with a warning, and the cache repaired.
  Run get = ft({"get", name, tmp_->filePath("o2")});
  QCOMPARE(get.code, 0);
  QCOMPARE(test::readFile(tmp_->filePath("o2")), QByteArray("0123456789 the real content"));
  QVERIFY2(get.err.contains("changed after it was cached") && get.err.count('\n') == 1, get.err.constData());
  QCOMPARE(test::readFile(cached), QByteArray("0123456789 the real content"));
  QCOMPARE(run({"-c", cache_, "cache", "verify"}).code, 0);

  // Through the hard-linked output of a get (a judge's sandbox writing its input).
  scribble(tmp_->filePath("o2"), "sandbox wrote this");
  QCOMPARE(test::readFile(cached).left(18), QByteArray("sandbox wrote this"));  // the same inode
  Run again = ft({"get", name, tmp_->filePath("o3")});
  QCOMPARE(again.code, 0);
  QCOMPARE(test::readFile(tmp_->filePath("o3")), QByteArray("0123456789 the real content"));
  // cache verify --repair, with and without a server.
  scribble(cached, "again");
  setMtime(cached, kVersion);
  Run repair = ft({"cache", "verify", "--repair"});
  QCOMPARE(repair.code, 0);
  QVERIFY2(repair.out.contains("fetched /h/f.txt@"), repair.out.constData());
  QCOMPARE(test::readFile(cached), QByteArray("0123456789 the real content"));
  scribble(cached, "again");
  setMtime(cached, kVersion);
  Run remove = run({"-c", cache_, "cache", "verify", "--repair"});
  QCOMPARE(remove.code, 0);
  QVERIFY2(remove.out.contains("removed /h/f.txt@"), remove.out.constData());
  QVERIFY(!QFileInfo::exists(cached));
}

void TestCli::killedGetLeavesNoTempFile() {
  // SIGKILL (no chance to clean up) in the middle of a download.
  const std::string data = test::mixedBytes(300000, 41).toStdString();
  const QByteArray gz = QByteArray::fromStdString(ft::gzip_compress(data));
  FakeHttpServer fake([&](const FakeRequest&) {
    return "HTTP/1.1 200 OK\r\nLast-Modified: " + test::httpDate(kVersion) +
           "\r\nContent-Encoding: gzip\r\nContent-Length: " + QByteArray::number(gz.size()) + "\r\n\r\n" +
           gz.left(gz.size() / 2);
  });
  fake.setStallAfterReply(true);
  test::Process p;
  startCli(p, {"-r", fake.url(), "-c", cache_, "get", "/slow.bin", tmp_->filePath("dl/slow.bin")});
  QTRY_VERIFY_WITH_TIMEOUT(!unnamedOpenFiles(p.processId(), tmp_->filePath("dl")).isEmpty(), 10000);
  ::kill(pid_t(p.processId()), SIGKILL);
  QVERIFY(p.waitForFinished(10000));
  QVERIFY(test::entries(tmp_->filePath("dl")).isEmpty());
  QCOMPARE(run({"-c", cache_, "cache", "ls"}).out, QByteArray());
  QVERIFY2(!run({"-c", cache_, "cache", "size"}).out.contains("temporary"), "no temporary file in the cache either");
}

void TestCli::killedCatLeavesNothingInTmpdir() {
  const QByteArray data = test::mixedBytes(400000, 42);
  FakeHttpServer fake([&](const FakeRequest&) {
    return "HTTP/1.1 200 OK\r\nLast-Modified: " + test::httpDate(kVersion) +
           "\r\nContent-Length: " + QByteArray::number(data.size()) + "\r\n\r\n" + data.left(data.size() / 2);
  });
  fake.setStallAfterReply(true);
  const QString tmpdir = tmp_->filePath("tmpdir");
  QDir().mkpath(tmpdir);
  test::Process p;
  startCli(p, {"-r", fake.url(), "-c", cache_, "cat", "/streamed.bin"}, {{"TMPDIR", tmpdir}});
  // It prints as the bytes come, keeping a copy for the cache on the side.
  QTRY_VERIFY_WITH_TIMEOUT(p.bytesAvailable() > 0, 10000);
  QTRY_VERIFY_WITH_TIMEOUT(!unnamedOpenFiles(p.processId(), tmpdir).isEmpty(), 10000);
  QVERIFY(test::entries(tmpdir).isEmpty());  // the copy has no name
  ::kill(pid_t(p.processId()), SIGKILL);
  QVERIFY(p.waitForFinished(10000));
  QVERIFY(test::entries(tmpdir).isEmpty());
  QCOMPARE(run({"-c", cache_, "cache", "ls"}).out, QByteArray());
}

void TestCli::staleTemporariesCountedAndCleaned() {
  // What a writer killed on a file system without O_TMPFILE leaves: a named
  // temporary file beside the real one, invisible to `cache ls`.
  test::writeFile(tmp_->filePath("f"), test::mixedBytes(1000, 43));
  QCOMPARE(ft({"put", "--no-remote-cache", tmp_->filePath("f"), QString("/d/real@%1").arg(kVersion)}).code, 0);
  const QString stale = cache_ + "/files/d/.real.tmp.abcdefghij";
  const QString fresh = cache_ + "/files/d/.real.tmp.0123456789";
  test::writeFile(stale, test::mixedBytes(5000, 44));
  setMtime(stale, QDateTime::currentSecsSinceEpoch() - 7200);
  test::writeFile(fresh, test::mixedBytes(300, 45));  // a write in progress, maybe
  QCOMPARE(run({"-c", cache_, "cache", "ls"}).out.count('\n'), 1);
  Run size = run({"-c", cache_, "cache", "size"});
  QVERIFY2(size.out.startsWith("1000 bytes (") && size.out.contains("2 temporary files of interrupted writes"),
           size.out.constData());
  Run dry = run({"-c", cache_, "cache", "clean", "-s", "1G", "--dry-run"});
  QVERIFY2(dry.out.contains("would remove") && dry.out.contains(".real.tmp.abcdefghij") &&
               !dry.out.contains(".real.tmp.0123456789"),
           dry.out.constData());
  QVERIFY(QFileInfo::exists(stale));
  Run clean = run({"-c", cache_, "cache", "clean", "-s", "1G"});
  QCOMPARE(clean.code, 0);
  QVERIFY2(clean.out.contains("removed 1 stale temporary file"), clean.out.constData());
  QVERIFY(!QFileInfo::exists(stale));
  QVERIFY(QFileInfo::exists(fresh));
  QCOMPARE(run({"-c", cache_, "cache", "ls"}).out.count('\n'), 1);
}

QTEST_GUILESS_MAIN(TestCli)
#include "test_cli.moc"
