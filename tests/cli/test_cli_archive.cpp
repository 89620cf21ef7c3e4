// Archives through the command line (issue 13): `put --extract` and
// `get --archive` of the real `filetracker` binary (FILETRACKER_CLI_BIN)
// against the real server (FILETRACKER_SERVER_BIN, via TestServer) on
// loopback, with archives made in the test (tests/support/archive_maker):
// hostile ones refused whole with nothing stored, zip and tar trees with
// nested folders, Polish names and empty files, round trips through every
// output format (read back by libarchive, `unzip` and `tar`), a server
// killed half-way, Ctrl-C and kill -9 of the CLI, a 200 MiB entry.
#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>
#include <unistd.h>

#include <map>
#include <set>

#include "archive_maker.hpp"
#include "content.hpp"
#include "files.hpp"
#include "holding_proxy.hpp"
#include "process.hpp"
#include "raw_http.hpp"
#include "temp_dirs.hpp"
#include "test_server.hpp"

using test::ArchiveEntrySpec;
using test::fileEntry;
using Kind = ArchiveEntrySpec::Kind;
using Specs = std::vector<ArchiveEntrySpec>;

Q_DECLARE_METATYPE(Specs)

namespace {

constexpr qint64 kVersion = 1420070410;  // 2015-01-01 00:00:10 UTC

using Run = test::ProcessResult;

// stderr of a failure: exactly one line starting with "filetracker: ".
bool isOneErrorLine(const QByteArray& err) {
  return err.startsWith("filetracker: ") && err.endsWith('\n') && err.count('\n') == 1;
}

// A tree with what real packages hold: nested folders, Polish names, empty files.
Specs packageTree() {
  return {fileEntry("in/1.in", "1 2\n", kVersion),
          fileEntry("in/deep/er/2.in", test::mixedBytes(150000, 3), kVersion + 1),
          fileEntry("out/1.out", "3\n", kVersion + 2),
          fileEntry("zażółć gęślą jaźń.txt", "pchnąć w tę łódź jeża\n", kVersion + 3),
          fileEntry("empty", "", kVersion + 4),
          fileEntry("out/empty too", "", kVersion + 5),
          fileEntry("żółw/źdźbło/ćma.txt", "ćma\n", kVersion + 6)};
}

// Flips one byte of the stored (uncompressed) content `marker` in the zip
// `path`: the headers still declare the old CRC-32.
bool corruptStoredContent(const QString& path, const QByteArray& marker) {
  QFile f(path);
  if (!f.open(QIODevice::ReadWrite)) return false;
  QByteArray bytes = f.readAll();
  const qsizetype at = bytes.indexOf(marker);
  if (at < 0) return false;
  bytes[at] = char(bytes[at] ^ 0x20);
  f.seek(0);
  return f.write(bytes) == bytes.size();
}

// The names of `dir` that start with `prefix`.
QStringList entriesStartingWith(const QString& dir, const QString& prefix) {
  QStringList out;
  for (const QString& e : test::entries(dir))
    if (e.startsWith(prefix)) out << e;
  return out;
}

// Sum of filetracker_http_requests_total{method="PUT",...} in a /metrics answer.
long long putRequests(const QByteArray& metrics) {
  long long sum = 0;
  static const QRegularExpression line(R"(^filetracker_http_requests_total\{method="PUT"[^}]*\} (\d+)$)",
                                       QRegularExpression::MultilineOption);
  for (auto it = line.globalMatch(QString::fromUtf8(metrics)); it.hasNext();) sum += it.next().captured(1).toLongLong();
  return sum;
}

}  // namespace

class TestCliArchive : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase();
  void init();

  void hostileArchivesStoreNothing_data();
  void hostileArchivesStoreNothing();
  void notAnArchive();
  void treesOfEveryFormat_data();
  void treesOfEveryFormat();
  void roundTrip_data();
  void roundTrip();
  void archiveToStandardOutput();
  void getArchiveErrors();
  void serverKilledHalfWay();
  void interruptedGetArchiveLeavesNothing();
  void killedPutExtractLeavesNoScratch();
  void entryOf200MiB();

 private:
  QProcessEnvironment environment(const QMap<QString, QString>& extra = {}) const;
  Run run(const QStringList& args, int timeoutMs = 60000) {
    return test::runProcess(bin_, args, environment(), timeoutMs);
  }
  // Global options for the current server and cache.
  QStringList global() const { return {"-r", server_->url(), "-c", cache_}; }
  Run ft(const QStringList& args, int timeoutMs = 60000) { return run(global() + args, timeoutMs); }
  // Every file the server holds (plain listing of /), sorted.
  QStringList serverFiles() const;
  // The versioned names `ls -r DIR` shows ("/d/a@123"), sorted.
  QStringList versionedFiles(const QString& dir);
  QString path(const QString& name) const { return tmp_->filePath(name); }

  QString bin_;
  QString cache_;
  std::unique_ptr<QTemporaryDir> tmp_;
  std::unique_ptr<TestServer> server_;
  QString serverFunction_;
};

void TestCliArchive::initTestCase() {
  bin_ = QString::fromLocal8Bit(qgetenv("FILETRACKER_CLI_BIN"));
  QVERIFY2(!bin_.isEmpty() && QFile::exists(bin_), "FILETRACKER_CLI_BIN must name the filetracker binary");
  QVERIFY2(!TestServer::binary().isEmpty(), "FILETRACKER_SERVER_BIN must name the server binary");
}

void TestCliArchive::init() {
  // A fresh cache and scratch directory for every test and data row; a fresh
  // server for every test function, and for every row of the functions whose
  // rows each start from an empty server.
  tmp_ = std::make_unique<QTemporaryDir>(test::tempTemplate("cli-archive"));
  QVERIFY(tmp_->isValid());
  cache_ = tmp_->filePath("cache");
  QDir().mkpath(tmp_->filePath("tmpdir"));
  const QString function = QString::fromLatin1(QTest::currentTestFunction());
  const bool shared = function != "hostileArchivesStoreNothing" && function != "treesOfEveryFormat";
  if (shared && server_ && server_->isRunning() && function == serverFunction_) return;
  server_.reset();
  server_ = std::make_unique<TestServer>();
  QVERIFY(server_->start());
  serverFunction_ = function;
}

QProcessEnvironment TestCliArchive::environment(const QMap<QString, QString>& extra) const {
  QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
  env.remove("FILETRACKER_URL");
  env.remove("FILETRACKER_DIR");
  env.remove("FILETRACKER_LOCKS_DIR");
  if (tmp_) {
    env.insert("HOME", tmp_->filePath("home"));  // never the real ~/.filetracker-store
    env.insert("TMPDIR", tmp_->filePath("tmpdir"));  // the scratch files of put --extract, checked for leftovers
  }
  for (auto it = extra.begin(); it != extra.end(); ++it) env.insert(it.key(), it.value());
  return env;
}

QStringList TestCliArchive::serverFiles() const {
  RawConnection c(server_->port());
  RawResponse r = c.request("GET", "/list/");
  QStringList out;
  if (r.status != 200) return out;  // 400: no directory /, nothing stored
  for (const QByteArray& line : r.body.split('\n'))
    if (!line.isEmpty()) out << "/" + QString::fromUtf8(line);
  out.sort();
  return out;
}

QStringList TestCliArchive::versionedFiles(const QString& dir) {
  // ls -r: "DATE  VERSION  SIZE  NAME" (the name last, it may hold spaces).
  Run r = ft({"ls", "-r", dir});
  QStringList out;
  static const QRegularExpression line(R"(^\S.*?\s(\d{6,})\s+\d+\s+(/.*)$)");
  for (const QString& l : QString::fromUtf8(r.out).split('\n', Qt::SkipEmptyParts)) {
    auto m = line.match(l);
    if (m.hasMatch()) out << m.captured(2) + "@" + m.captured(1);
  }
  out.sort();
  return out;
}

// ---- Hostile archives --------------------------------------------------------------

void TestCliArchive::hostileArchivesStoreNothing_data() {
  QTest::addColumn<QString>("format");
  QTest::addColumn<Specs>("entries");
  QTest::addColumn<QStringList>("flags");  // limits given on the command line
  QTest::addColumn<int>("damage");         // 0 none, 1 declared sizes lie (smaller), 2 larger, 3 CRC mismatch, 4 encrypted
  QTest::addColumn<QString>("entry");      // the entry the message names
  QTest::addColumn<QString>("reason");     // part of the message
  const ArchiveEntrySpec good = fileEntry("good.txt", "fine\n");
  const ArchiveEntrySpec second = fileEntry("sub/second.txt", "also fine\n");
  for (const char* f : {"zip", "tar"}) {
    QTest::addRow("%s dotdot", f) << f << Specs{good, fileEntry("../evil", "x")} << QStringList{} << 0 << "../evil"
                                  << "\"..\" component";
    QTest::addRow("%s inner dotdot", f) << f << Specs{good, fileEntry("a/../../evil", "x")} << QStringList{} << 0
                                        << "a/../../evil" << "\"..\" component";
    QTest::addRow("%s absolute", f) << f << Specs{good, fileEntry("/etc/evil", "x")} << QStringList{} << 0 << "/etc/evil"
                                    << "absolute path";
    QTest::addRow("%s version in name", f) << f << Specs{good, fileEntry("a@1/b", "x")} << QStringList{} << 0 << "a@1/b"
                                           << "invalid filetracker name";
    QTest::addRow("%s control character", f) << f << Specs{good, fileEntry("a\x1b[2Jb", "x")} << QStringList{} << 0
                                             << "a\\x1b[2Jb" << "control character";
    QTest::addRow("%s symlink", f) << f << Specs{good, ArchiveEntrySpec{"link", {}, Kind::Symlink, "/etc/passwd"}}
                                   << QStringList{} << 0 << "link" << "symbolic link";
    QTest::addRow("%s duplicate", f) << f << Specs{good, second, fileEntry("good.txt", "other\n")} << QStringList{} << 0
                                     << "good.txt" << "duplicate";
    QTest::addRow("%s file under a file", f) << f << Specs{good, fileEntry("good.txt/x", "x")} << QStringList{} << 0
                                             << "good.txt/x" << "which is a file";
    QTest::addRow("%s too many entries", f)
        << f << Specs{good, second, fileEntry("c", "2"), fileEntry("d", "3")} << QStringList{"--max-entries", "3"} << 0
        << "d" << "more than 3 entries";
    QTest::addRow("%s too big", f) << f << Specs{good, fileEntry("big", test::mixedBytes(3 << 20, 5))}
                                   << QStringList{"--max-size", "2M"} << 0 << "big" << "unpacked size passes the limit";
    QTest::addRow("%s ratio bomb", f) << f << Specs{good, fileEntry("zeros", QByteArray(8 << 20, '\0'))}
                                      << QStringList{"--max-ratio", QString(f) == "zip" ? "50" : "0.5"} << 0 << "zeros"
                                      << "compression ratio";
  }
  // Tar holds the special files.
  QTest::newRow("tar hardlink") << "tar" << Specs{good, ArchiveEntrySpec{"hard", {}, Kind::Hardlink, "good.txt"}}
                                << QStringList{} << 0 << "hard" << "hard link";
  QTest::newRow("tar fifo") << "tar" << Specs{good, ArchiveEntrySpec{"fifo", {}, Kind::Fifo, {}}} << QStringList{} << 0
                            << "fifo" << "FIFO";
  QTest::newRow("tar device") << "tar" << Specs{good, ArchiveEntrySpec{"dev", {}, Kind::CharDevice, {}}}
                              << QStringList{} << 0 << "dev" << "device";
  QTest::newRow("tar.gz dotdot") << "tar.gz" << Specs{good, fileEntry("../x", "x")} << QStringList{} << 0 << "../x"
                                 << "\"..\" component";
  QTest::newRow("7z absolute") << "7z" << Specs{good, fileEntry("/x", "x")} << QStringList{} << 0 << "/x"
                               << "absolute path";
  // Encrypted entries: unsupported, said so.
  QTest::newRow("zip encrypted") << "zip" << Specs{good, second} << QStringList{} << 4 << "good.txt"
                                 << "encrypted (unsupported";
  // Zips whose headers lie about what they hold: found while checking, before anything is stored.
  const ArchiveEntrySpec text = fileEntry("sub/text.txt", test::mixedBytes(40000, 6));
  QTest::newRow("zip declares less") << "zip" << Specs{second, text} << QStringList{} << 1 << "sub/text.txt"
                                     << "wrong size";
  QTest::newRow("zip-store declares less") << "zip-store" << Specs{second, text} << QStringList{} << 1
                                           << "sub/text.txt" << "wrong size";
  QTest::newRow("zip declares more") << "zip" << Specs{second, text} << QStringList{} << 2 << "sub/text.txt"
                                     << "wrong size";
  QTest::newRow("zip CRC mismatch, last entry")
      << "zip-store" << Specs{good, second, fileEntry("sub/crc.txt", "the CRC-32 of this content was taken before")}
      << QStringList{} << 3 << "sub/crc.txt" << "CRC";
  QTest::newRow("zip CRC mismatch, first entry")
      << "zip-store" << Specs{fileEntry("sub/crc.txt", "the CRC-32 of this content was taken before"), good, second}
      << QStringList{} << 3 << "sub/crc.txt" << "CRC";
}

void TestCliArchive::hostileArchivesStoreNothing() {
  QFETCH(QString, format);
  QFETCH(Specs, entries);
  QFETCH(QStringList, flags);
  QFETCH(int, damage);
  QFETCH(QString, entry);
  QFETCH(QString, reason);
  const QString archive = path("hostile.bin");
  QCOMPARE(test::makeArchive(archive, format, entries, damage == 4 ? "passw0rd" : nullptr), QString());
  if (damage == 1) QVERIFY(test::patchZipDeclaredSizes(archive, 1000, "sub/text.txt"));
  if (damage == 2) QVERIFY(test::patchZipDeclaredSizes(archive, 90000, "sub/text.txt"));
  if (damage == 3) QVERIFY(corruptStoredContent(archive, "CRC-32 of this"));

  Run r = ft(QStringList{"put", "--extract"} + flags + QStringList{archive, "/pkg"});
  QCOMPARE(r.code, 1);
  QVERIFY2(isOneErrorLine(r.err), r.err.constData());
  QVERIFY2(r.err.contains(("\"" + entry + "\"").toUtf8()), r.err.constData());
  QVERIFY2(r.err.contains(reason.toUtf8()), r.err.constData());
  QVERIFY2(r.err.contains("nothing was stored") || r.err.contains("nothing stored"), r.err.constData());
  QCOMPARE(r.out, QByteArray());
  // Nothing on the server, nothing in the cache, no scratch file left.
  QCOMPARE(serverFiles(), QStringList());
  QCOMPARE(test::countBlobs(server_->dataDir()), 0);
  QCOMPARE(run({"-c", cache_, "cache", "ls"}).out, QByteArray());
  QCOMPARE(test::entries(path("tmpdir")), QStringList());
}

void TestCliArchive::notAnArchive() {
  test::writeFile(path("plain.zip"), "just some text, not an archive\n");
  Run r = ft({"put", "--extract", path("plain.zip"), "/pkg"});
  QCOMPARE(r.code, 1);
  QVERIFY2(isOneErrorLine(r.err) && r.err.contains("not an archive this can read"), r.err.constData());
  // A zip cut off half-way.
  QCOMPARE(test::makeArchive(path("cut.zip"), "zip", packageTree()), QString());
  QFile f(path("cut.zip"));
  QVERIFY(f.open(QIODevice::ReadWrite));
  QVERIFY(f.resize(f.size() / 2));
  f.close();
  r = ft({"put", "--extract", path("cut.zip"), "/pkg"});
  QCOMPARE(r.code, 1);
  QVERIFY2(isOneErrorLine(r.err), r.err.constData());
  r = ft({"put", "--extract", path("missing.zip"), "/pkg"});
  QCOMPARE(r.code, 1);
  QVERIFY2(isOneErrorLine(r.err) && r.err.contains("no such file"), r.err.constData());
  r = ft({"put", "--extract", path("plain.zip"), "/a@1"});
  QCOMPARE(r.code, 1);
  QVERIFY2(isOneErrorLine(r.err) && r.err.contains("REMOTE_DIR"), r.err.constData());
  QCOMPARE(serverFiles(), QStringList());
}

// ---- Trees -------------------------------------------------------------------------

void TestCliArchive::treesOfEveryFormat_data() {
  QTest::addColumn<QString>("format");
  for (const char* f : {"zip", "zip-store", "tar", "tar.gz", "tar.bz2", "tar.xz", "tar.zst", "7z"}) QTest::newRow(f) << f;
}

void TestCliArchive::treesOfEveryFormat() {
  QFETCH(QString, format);
  Specs tree = packageTree();
  // Directory entries store nothing (the store has no empty directories).
  tree.push_back(ArchiveEntrySpec{"dir only/", {}, Kind::Directory, {}});
  const QString archive = path("package." + format);
  QCOMPARE(test::makeArchive(archive, format, tree), QString());

  Run r = ft({"put", "--extract", archive, "/pkg/p1"});
  QCOMPARE(r.code, 0);
  QStringList expected;
  for (const auto& e : packageTree()) expected << QString("/pkg/p1/%1@%2").arg(QString::fromStdString(e.path)).arg(e.mtime);
  // stdout: each versioned name stored (in archive order: 7z keeps empty files apart).
  QStringList printed = QString::fromUtf8(r.out).split('\n', Qt::SkipEmptyParts);
  if (format == "7z") {
    printed.sort();
    expected.sort();
  }
  QCOMPARE(printed, expected);
  QVERIFY2(r.err.contains(": 7 files (") && r.err.contains("7 stored (") && r.err.contains("0 already there") &&
               r.err.count('\n') == 1,
           r.err.constData());
  expected.sort();
  QCOMPARE(versionedFiles("/pkg/p1"), expected);
  // The content, from the server (another cache).
  for (const auto& e : packageTree()) {
    Run cat = run({"-r", server_->url(), "-c", path("other-cache"), "cat",
                   QString("/pkg/p1/%1@%2").arg(QString::fromStdString(e.path)).arg(e.mtime)});
    QCOMPARE(cat.code, 0);
    QCOMPARE(cat.out, e.content);
  }
  // The same command again sends nothing.
  Run again = run({"-r", server_->url(), "-c", path("third-cache"), "put", "--extract", archive, "/pkg/p1"});
  QCOMPARE(again.code, 0);
  QCOMPARE(again.out, QByteArray());
  QVERIFY2(again.err.contains("0 stored (") && again.err.contains("7 already there (not sent)"), again.err.constData());
  QCOMPARE(test::entries(path("tmpdir")), QStringList());
}

// ---- Round trip --------------------------------------------------------------------

void TestCliArchive::roundTrip_data() {
  QTest::addColumn<QString>("out");
  QTest::addColumn<QString>("tool");  // an independent reader: unzip or tar
  QTest::newRow(".zip") << "copy.zip" << "unzip";
  QTest::newRow(".tar") << "copy.tar" << "tar";
  QTest::newRow(".tar.gz") << "copy.tar.gz" << "tar";
  QTest::newRow(".tgz") << "copy.tgz" << "tar";
  QTest::newRow(".tar.zst") << "copy.tar.zst" << "";
}

void TestCliArchive::roundTrip() {
  QFETCH(QString, out);
  QFETCH(QString, tool);
  // A folder of files whose mtimes are their versions...
  const Specs tree = packageTree();
  const QString folder = path("folder");
  std::map<std::string, ArchiveEntrySpec> byPath;
  for (const auto& e : tree) {
    const QString file = folder + "/" + QString::fromStdString(e.path);
    QVERIFY(test::writeFile(file, e.content));
    test::touch(file.toStdString(), e.mtime);
    byPath[e.path] = e;
  }
  // ... packed, stored as a tree (once for every row: same server) ...
  QCOMPARE(test::makeArchive(path("in.tar"), "tar", tree), QString());
  QCOMPARE(ft({"put", "--extract", path("in.tar"), "/rt"}).code, 0);
  // ... and written out again from the server (a fresh cache).
  Run get = run({"-r", server_->url(), "-c", path("fresh-cache"), "get", "--archive", "/rt", path(out)});
  QCOMPARE(get.code, 0);
  QCOMPARE(get.err, QByteArray());
  QString error;
  const auto read = test::readArchive(path(out), &error);
  QCOMPARE(error, QString());
  QCOMPARE(read.size(), tree.size());
  for (const auto& [name, entry] : read) {
    QVERIFY2(byPath.count(name), name.c_str());
    QCOMPARE(entry.content, byPath[name].content);
    QCOMPARE(entry.mtime, byPath[name].mtime);
  }
  // An independent tool unpacks it into the same folder, byte for byte, mtimes kept.
  if (!tool.isEmpty()) {
    const QString unpacked = path("unpacked");
    QDir().mkpath(unpacked);
    Run x = tool == "unzip" ? test::runProcess("unzip", {"-q", path(out), "-d", unpacked})
                            : test::runProcess("tar", {"-xf", path(out), "-C", unpacked});
    QVERIFY2(x.code == 0, (x.out + x.err).constData());
    for (const auto& e : tree) {
      const QString file = unpacked + "/" + QString::fromStdString(e.path);
      QCOMPARE(test::readFile(file), test::readFile(folder + "/" + QString::fromStdString(e.path)));
      QCOMPARE(test::mtime_of(file.toStdString()), e.mtime);
    }
  }
  // The archive goes back in under another folder with the same versions.
  const QString copy = "/copies/" + out;
  QCOMPARE(ft({"put", "--extract", path(out), copy}).code, 0);
  QStringList first = versionedFiles("/rt"), second = versionedFiles(copy);
  QCOMPARE(first.size(), int(tree.size()));
  for (QString& s : second) s.replace(0, copy.size(), "/rt");
  second.sort();
  QCOMPARE(second, first);
}

void TestCliArchive::archiveToStandardOutput() {
  QCOMPARE(test::makeArchive(path("in.zip"), "zip", packageTree()), QString());
  QCOMPARE(ft({"put", "--extract", path("in.zip"), "/so"}).code, 0);
  Run get = ft({"get", "--archive", "/so", "-"});
  QCOMPARE(get.code, 0);
  QCOMPARE(get.err, QByteArray());
  QVERIFY(test::writeFile(path("stdout.tar"), get.out));
  // A tar (ustar magic at offset 257 of the first header).
  QCOMPARE(get.out.mid(257, 5), QByteArray("ustar"));
  QString error;
  const auto read = test::readArchive(path("stdout.tar"), &error);
  QCOMPARE(error, QString());
  std::map<std::string, test::ReadBackEntry> got(read.begin(), read.end());
  QCOMPARE(got.size(), packageTree().size());
  for (const auto& e : packageTree()) QCOMPARE(got[e.path], (test::ReadBackEntry{e.content, e.mtime}));
  // A subfolder: paths relative to it.
  Run sub = ft({"get", "--archive", "/so/out", "-"});
  QCOMPARE(sub.code, 0);
  QVERIFY(test::writeFile(path("sub.tar"), sub.out));
  QStringList names;
  for (const auto& [name, entry] : test::readArchive(path("sub.tar"))) names << QString::fromStdString(name);
  names.sort();
  QCOMPARE(names, (QStringList{"1.out", "empty too"}));
}

void TestCliArchive::getArchiveErrors() {
  QCOMPARE(test::makeArchive(path("in.zip"), "zip", packageTree()), QString());
  QCOMPARE(ft({"put", "--extract", path("in.zip"), "/e"}).code, 0);
  const QString out = path("out");
  QDir().mkpath(out);
  struct Case {
    QStringList args;
    const char* message;
  };
  for (const Case& c : {Case{{"/e", out + "/a.rar"}, "unknown archive format"},
                        Case{{"/e", out + "/a"}, "unknown archive format"},
                        Case{{"/nothing/here", out + "/a.zip"}, "/nothing/here"},
                        Case{{"/e@1", out + "/a.zip"}, "REMOTE_DIR"},
                        Case{{"/e", out}, "unknown archive format"}}) {
    Run r = ft(QStringList{"get", "--archive"} + c.args);
    QVERIFY2(r.code == 1, qPrintable(c.args.join(' ')));
    QVERIFY2(isOneErrorLine(r.err) && r.err.contains(c.message), r.err.constData());
  }
  QDir().mkpath(out + "/d.zip");
  Run dir = ft({"get", "--archive", "/e", out + "/d.zip"});
  QCOMPARE(dir.code, 1);
  QVERIFY2(isOneErrorLine(dir.err) && dir.err.contains("is a directory"), dir.err.constData());
  QCOMPARE(test::entries(out), QStringList{"d.zip"});
  // Without a server there is nothing to list.
  Run offline = run({"-c", cache_, "get", "--archive", "/e", out + "/x.zip"});
  QCOMPARE(offline.code, 1);
  QVERIFY2(isOneErrorLine(offline.err), offline.err.constData());
  QCOMPARE(test::entries(out), QStringList{"d.zip"});
}

// ---- Failures half-way -------------------------------------------------------------

void TestCliArchive::serverKilledHalfWay() {
  // 300 files of 64 KiB (incompressible: every put sends 64 KiB).
  constexpr int kFiles = 300;
  Specs specs;
  for (int i = 0; i < kFiles; ++i)
    specs.push_back(fileEntry(QString("big/f%1.bin").arg(i, 3, 10, QChar('0')).toStdString(),
                              test::randomBytes(64 << 10, quint32(100 + i)), kVersion + i));
  const QString archive = path("big.zip");
  QCOMPARE(test::makeArchive(archive, "zip-store", specs), QString());

  test::Process cli;
  cli.setProcessEnvironment(environment());
  cli.start(bin_, global() + QStringList{"put", "--extract", archive, "/k"});
  QVERIFY(cli.waitForStarted());
  // Kill the server once 20 files are stored (the CLI prints each one).
  QByteArray out;
  QTRY_VERIFY_WITH_TIMEOUT((out += cli.readAllStandardOutput()).count('\n') >= 20, 30000);
  server_->kill9();
  QVERIFY(cli.waitForFinished(60000));
  out += cli.readAllStandardOutput();
  const QByteArray err = cli.readAllStandardError();
  QCOMPARE(cli.exitStatus(), QProcess::NormalExit);
  QCOMPARE(cli.exitCode(), 1);
  const QStringList stored = QString::fromUtf8(out).split('\n', Qt::SkipEmptyParts);
  QVERIFY2(stored.size() >= 20 && stored.size() < kFiles, out.constData());
  // The report: how many were stored, how many not, and what to do.
  QVERIFY2(err.contains(QString("%1 files (").arg(kFiles).toUtf8()) &&
               err.contains(QString(": %1 stored (").arg(stored.size()).toUtf8()) &&
               err.contains(QString("%1 not stored yet").arg(kFiles - stored.size()).toUtf8()) &&
               err.contains("the same command again stores the"),
           err.constData());
  QCOMPARE(err.count('\n'), 2);  // the summary and the reason
  for (int i = 0; i < stored.size(); ++i)
    QCOMPARE(stored[i], QString("/k/big/f%1.bin@%2").arg(i, 3, 10, QChar('0')).arg(kVersion + i));

  // The server comes back with what it had committed: at least what the CLI
  // reported (one more when it was killed between its commit and its answer).
  QVERIFY(server_->restart());
  const QStringList there = serverFiles();
  QVERIFY2(there.size() >= stored.size() && there.size() <= stored.size() + 1, qPrintable(there.join(' ')));
  // The same command again stores the rest and sends nothing twice.
  Run again = ft({"put", "--extract", archive, "/k"}, 120000);
  QCOMPARE(again.code, 0);
  const QStringList second = QString::fromUtf8(again.out).split('\n', Qt::SkipEmptyParts);
  QCOMPARE(second.size(), kFiles - int(there.size()));
  QVERIFY2(again.err.contains(QString("%1 already there (not sent)").arg(there.size()).toUtf8()), again.err.constData());
  RawConnection c(server_->port());
  RawResponse metrics = c.request("GET", "/metrics");
  QCOMPARE(metrics.status, 200);
  QCOMPARE(putRequests(metrics.body), (long long)(kFiles - there.size()));
  // Everything there, byte for byte.
  QCOMPARE(serverFiles().size(), kFiles);
  QVERIFY(ft({"get", "--archive", "/k", path("k.tar")}).code == 0);
  const auto read = test::readArchive(path("k.tar"));
  QCOMPARE(read.size(), specs.size());
  std::map<std::string, test::ReadBackEntry> got(read.begin(), read.end());
  for (const auto& e : specs) QCOMPARE(got["big/" + e.path.substr(4)], (test::ReadBackEntry{e.content, e.mtime}));
  QCOMPARE(test::entries(path("tmpdir")), QStringList());
}

void TestCliArchive::interruptedGetArchiveLeavesNothing() {
  // Enough to be provably in flight behind a trickling proxy.
  Specs specs;
  for (int i = 0; i < 4; ++i)
    specs.push_back(fileEntry("f" + std::to_string(i), test::randomBytes(1 << 20, quint32(i)), kVersion));
  QCOMPARE(test::makeArchive(path("in.tar"), "tar", specs), QString());
  QCOMPARE(ft({"put", "--extract", "--no-local-cache", path("in.tar"), "/slow"}).code, 0);
  test::HoldingProxy proxy(server_->port(), test::HoldingProxy::Held::ToClient);
  QVERIFY(proxy.listening());
  const QString outDir = path("dl");
  QDir().mkpath(outDir);
  for (const char* out : {"slow.zip", "slow.tar.gz"}) {
    const std::uint64_t before = proxy.held_direction_bytes();  // the proxy counts over all connections
    test::Process cli;
    cli.setProcessEnvironment(environment());
    cli.start(bin_, {"-r", proxy.url(), "-c", cache_, "get", "--archive", "/slow", outDir + "/" + out});
    QVERIFY(cli.waitForStarted());
    QTRY_VERIFY_WITH_TIMEOUT(proxy.held_direction_bytes() > before + 16384, 20000);
    QVERIFY(cli.state() == QProcess::Running);
    ::kill(pid_t(cli.processId()), SIGINT);
    QVERIFY(cli.waitForFinished(10000));
    const QByteArray err = cli.readAllStandardError();
    QVERIFY2(cli.exitStatus() == QProcess::NormalExit, qPrintable(QString("%1: signal %2").arg(out).arg(cli.exitCode())));
    QCOMPARE(cli.exitCode(), 130);
    QVERIFY2(isOneErrorLine(err) && err.contains("cancelled"), err.constData());
    QCOMPARE(test::entries(outDir), QStringList());
    QCOMPARE(test::entries(path("tmpdir")), QStringList());
  }
}

void TestCliArchive::killedPutExtractLeavesNoScratch() {
  // An upload held half-way by a proxy, then kill -9 (no chance to clean up).
  Specs specs{fileEntry("a.bin", test::randomBytes(4 << 20, 1), kVersion), fileEntry("b.txt", "b", kVersion)};
  QCOMPARE(test::makeArchive(path("in.zip"), "zip", specs), QString());
  test::HoldingProxy proxy(server_->port(), test::HoldingProxy::Held::ToServer);
  QVERIFY(proxy.listening());
  const QString tmpdir = path("tmpdir");
  test::Process killed;
  killed.setProcessEnvironment(environment());
  killed.start(bin_, {"-r", proxy.url(), "-c", cache_, "put", "--extract", path("in.zip"), "/held"});
  QVERIFY(killed.waitForStarted());
  QTRY_VERIFY_WITH_TIMEOUT(proxy.held_direction_bytes() > 16384, 20000);
  QCOMPARE(entriesStartingWith(tmpdir, "filetracker-extract-").size(), 1);

  // A second upload while the first one runs leaves its scratch alone.
  test::writeFile(path("small/x.txt"), "x");
  QCOMPARE(test::makeArchive(path("small.tar"), "tar", {fileEntry("x.txt", "x", kVersion)}), QString());
  Run meanwhile = ft({"put", "--extract", path("small.tar"), "/small"});
  QCOMPARE(meanwhile.code, 0);
  const QStringList live = entriesStartingWith(tmpdir, "filetracker-extract-");
  QCOMPARE(live.size(), 1);

  ::kill(pid_t(killed.processId()), SIGKILL);
  QVERIFY(killed.waitForFinished(10000));
  // What the kill left (named: the cache hard-links the file it stores)...
  QCOMPARE(entriesStartingWith(tmpdir, "filetracker-extract-"), live);
  // ... does not survive the next put --extract.
  QCOMPARE(ft({"put", "--extract", path("small.tar"), "/small"}).code, 0);
  QCOMPARE(test::entries(tmpdir), QStringList());
  QCOMPARE(serverFiles(), QStringList{"/small/x.txt"});
}

void TestCliArchive::entryOf200MiB() {
  // Generated content (no 200 MiB in memory): lines with a counter.
  constexpr std::uint64_t kSize = std::uint64_t{200} << 20;
  ArchiveEntrySpec big = fileEntry("tests/huge.in", {}, kVersion);
  big.generated = kSize;
  QCOMPARE(test::makeArchive(path("huge.tar.zst"), "tar.zst", {fileEntry("tests/0.in", "0\n", kVersion), big}),
           QString());
  Run put = ft({"put", "--extract", path("huge.tar.zst"), "/h"}, 120000);
  QCOMPARE(put.code, 0);
  QCOMPARE(put.out, QString("/h/tests/0.in@%1\n/h/tests/huge.in@%1\n").arg(kVersion).toUtf8());
  QCOMPARE(ft({"size", "/h/tests/huge.in"}).out, QByteArray::number(qulonglong(kSize)) + "\n");
  // Back from the server (a fresh cache), compared chunk by chunk.
  Run get = run({"-r", server_->url(), "-c", path("fresh-cache"), "get", "/h/tests/huge.in", path("huge.out")}, 120000);
  QCOMPARE(get.code, 0);
  QFile f(path("huge.out"));
  QVERIFY(f.open(QIODevice::ReadOnly));
  QCOMPARE(quint64(f.size()), kSize);
  for (std::uint64_t off = 0; off < kSize; off += 1 << 20) {
    const QByteArray chunk = f.read(1 << 20);
    if (chunk != test::patternBytes(off, std::size_t(chunk.size()))) QFAIL(qPrintable(QString("differs at %1").arg(off)));
  }
  QCOMPARE(test::mtime_of(path("huge.out").toStdString()), kVersion);
  QCOMPARE(test::entries(path("tmpdir")), QStringList());
}

QTEST_GUILESS_MAIN(TestCliArchive)
#include "test_cli_archive.moc"
