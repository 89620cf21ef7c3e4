// Issue 18: the `filetracker` binary loads libcurl, libarchive and libcrypto
// only when a command needs them (core/src/shared_library.hpp), so a cached
// versioned `get` and `cache ls` start as fast as a small C program.
//
// The real CLI against the real server; what the dynamic loader opens is read
// from its own trace (LD_DEBUG=files, written to LD_DEBUG_OUTPUT.<pid>), and a
// broken copy of each library placed first on LD_LIBRARY_PATH shows both that
// the commands which do not need it never touch it and that the ones which do
// fail with one clear line, changing nothing.
#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>

#include "archive_maker.hpp"
#include "content.hpp"
#include "files.hpp"
#include "process.hpp"
#include "temp_dirs.hpp"
#include "test_server.hpp"

namespace {

constexpr qint64 kVersion = 1420070410;  // 2015-01-01 00:00:10 UTC

using Run = test::ProcessResult;

// The HTTP and archive stacks: libcurl and what it pulls in (TLS, HTTP/2,
// IDN, LDAP, Kerberos, SSH, RTMP, PSL), libarchive and its compressors and
// XML parser (with ICU), and OpenSSL.
const QRegularExpression kHeavyLibrary(
    "^lib(curl|archive|ssl|crypto|nghttp2|gnutls|idn2|ldap|lber|gssapi|krb5|k5crypto|ssh2|rtmp|psl|brotli|"
    "xml2|icu|lzma|zstd|bz2|lz4|acl|nettle|hogweed|sasl2)");

// stderr of a failure: exactly one line starting with "filetracker: ".
bool isOneErrorLine(const QByteArray& err) {
  return err.startsWith("filetracker: ") && err.endsWith('\n') && err.count('\n') == 1;
}

}  // namespace

class TestCliLazyLibraries : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase();
  void init();
  void cleanup();

  void networkCommandLoadsLibcurlOnFirstUse();
  void archiveCommandLoadsLibarchiveOnFirstUse();
  void cachedGetAndCacheLsLoadNoHttpOrArchiveStack();
  void brokenLibraryFailsOnlyTheCommandsThatNeedIt_data();
  void brokenLibraryFailsOnlyTheCommandsThatNeedIt();

 private:
  struct TracedRun {
    Run run;
    QStringList startup;  // libraries opened before main() (linked)
    QStringList opened;   // every library opened, at start-up or by dlopen()
  };
  QProcessEnvironment environment(const QString& libraryPath = {}) const;
  Run ft(const QStringList& args, const QString& libraryPath = {});
  // ft() under LD_DEBUG=files: which shared libraries the loader opened.
  TracedRun traced(const QStringList& args);
  // Puts `data` as `name` (plain run) and gets it once, so it is in the cache.
  void putAndCache(const QString& name, const QByteArray& data);
  QStringList global() const { return {"-r", server_->url(), "-c", tmp_->filePath("cache")}; }

  QString bin_;
  std::unique_ptr<QTemporaryDir> tmp_;
  std::unique_ptr<TestServer> server_;
  int traces_ = 0;
};

void TestCliLazyLibraries::initTestCase() {
  bin_ = QString::fromLocal8Bit(qgetenv("FILETRACKER_CLI_BIN"));
  QVERIFY2(!bin_.isEmpty() && QFile::exists(bin_), "FILETRACKER_CLI_BIN must name the filetracker binary");
  QVERIFY2(!TestServer::binary().isEmpty(), "FILETRACKER_SERVER_BIN must name the server binary");
}

void TestCliLazyLibraries::init() {
  tmp_ = std::make_unique<QTemporaryDir>(test::tempTemplate("cli-lazy"));
  QVERIFY(tmp_->isValid());
  server_ = std::make_unique<TestServer>();
  QVERIFY(server_->start());
}

void TestCliLazyLibraries::cleanup() {
  server_.reset();  // stops it, also after a failed check
  tmp_.reset();
}

QProcessEnvironment TestCliLazyLibraries::environment(const QString& libraryPath) const {
  QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
  for (const char* name : {"FILETRACKER_URL", "FILETRACKER_DIR", "FILETRACKER_LOCKS_DIR", "LD_DEBUG", "LD_DEBUG_OUTPUT",
                           "LD_PRELOAD", "LD_BIND_NOW"})
    env.remove(name);
  env.insert("HOME", tmp_->filePath("home"));
  if (!libraryPath.isEmpty()) env.insert("LD_LIBRARY_PATH", libraryPath);
  return env;
}

Run TestCliLazyLibraries::ft(const QStringList& args, const QString& libraryPath) {
  return test::runProcess(bin_, global() + args, environment(libraryPath));
}

TestCliLazyLibraries::TracedRun TestCliLazyLibraries::traced(const QStringList& args) {
  const QString prefix = tmp_->filePath(QString("ld-trace-%1").arg(++traces_));
  QProcessEnvironment env = environment();
  env.insert("LD_DEBUG", "files");
  env.insert("LD_DEBUG_OUTPUT", prefix);
  TracedRun result;
  result.run = test::runProcess(bin_, global() + args, env);
  // One trace file per process: prefix.<pid>.
  const QDir dir(tmp_->path());
  const QStringList traces = dir.entryList({QFileInfo(prefix).fileName() + ".*"}, QDir::Files);
  if (traces.size() != 1) {
    qWarning("expected one loader trace for %s, found %lld", qPrintable(args.join(' ')),
             static_cast<long long>(traces.size()));
    return result;
  }
  // "     123:\tfile=libc.so.6 [0];  needed by ./filetracker [0]" and
  // "     123:\tfile=libcurl.so.4 [0];  dynamically loaded by ...": the
  // ones before "transferring control: ./filetracker" (main() starts) are
  // the linked ones.
  static const QRegularExpression line(R"(file=(\S+) \[\d+\];\s+(needed|dynamically loaded) by)");
  const QString text = QString::fromLocal8Bit(test::readFile(dir.filePath(traces.front())));
  const qsizetype mainStarts = text.indexOf("transferring control:");
  for (auto it = line.globalMatch(text); it.hasNext();) {
    const auto m = it.next();
    const QString name = QFileInfo(m.captured(1)).fileName();
    if (!result.opened.contains(name)) result.opened << name;
    if ((mainStarts < 0 || m.capturedStart() < mainStarts) && !result.startup.contains(name)) result.startup << name;
  }
  return result;
}

void TestCliLazyLibraries::putAndCache(const QString& name, const QByteArray& data) {
  const QString local = tmp_->filePath("put.bin");
  QVERIFY(test::writeFile(local, data));
  Run put = ft({"put", local, name});
  QVERIFY2(put.code == 0, put.err.constData());
  Run get = ft({"get", name, tmp_->filePath("first.bin")});
  QVERIFY2(get.code == 0, get.err.constData());
  QCOMPARE(test::readFile(tmp_->filePath("first.bin")), data);
}

// The trace does see libcurl when it is used: a put opens it (dlopen), and
// no command has it among the libraries linked at start-up.
void TestCliLazyLibraries::networkCommandLoadsLibcurlOnFirstUse() {
  const QByteArray data = test::mixedBytes(3000, 5);
  QVERIFY(test::writeFile(tmp_->filePath("in.bin"), data));
  TracedRun put = traced({"put", tmp_->filePath("in.bin"), QString("/lazy/net.bin@%1").arg(kVersion)});
  QVERIFY2(put.run.code == 0, put.run.err.constData());
  QVERIFY2(put.opened.filter(QRegularExpression("^libcurl")).size() == 1, qPrintable(put.opened.join(' ')));
  QVERIFY2(put.opened.filter(QRegularExpression("^libcrypto")).size() == 1, qPrintable(put.opened.join(' ')));
  QVERIFY2(put.startup.filter(kHeavyLibrary).isEmpty(), qPrintable(put.startup.join(' ')));
  // ...and the upload really went through it.
  Run cat = ft({"cat", QString("/lazy/net.bin@%1").arg(kVersion)});
  QCOMPARE(cat.code, 0);
  QCOMPARE(cat.out, data);
}

void TestCliLazyLibraries::archiveCommandLoadsLibarchiveOnFirstUse() {
  const QString zip = tmp_->filePath("a.zip");
  const QString made =
      test::makeArchive(zip, "zip", {test::fileEntry("x/one.txt", "one\n"), test::fileEntry("two.txt", "two\n")});
  QVERIFY2(made.isEmpty(), qPrintable(made));
  TracedRun put = traced({"put", "--extract", zip, "/lazy/unpacked"});
  QVERIFY2(put.run.code == 0, put.run.err.constData());
  QVERIFY2(put.opened.filter(QRegularExpression("^libarchive")).size() == 1, qPrintable(put.opened.join(' ')));
  QVERIFY2(put.startup.filter(kHeavyLibrary).isEmpty(), qPrintable(put.startup.join(' ')));
  Run cat = ft({"cat", "/lazy/unpacked/x/one.txt"});
  QCOMPARE(cat.code, 0);
  QCOMPARE(cat.out, QByteArray("one\n"));
}

void TestCliLazyLibraries::cachedGetAndCacheLsLoadNoHttpOrArchiveStack() {
  const QString name = QString("/lazy/cached.bin@%1").arg(kVersion);
  const QByteArray data = test::mixedBytes(20000, 6);
  putAndCache(name, data);
  if (QTest::currentTestFailed()) return;
  server_->stop();  // a cached versioned get must not need it

  TracedRun get = traced({"get", name, tmp_->filePath("again.bin")});
  QVERIFY2(get.run.code == 0, get.run.err.constData());
  QCOMPARE(test::readFile(tmp_->filePath("again.bin")), data);
  QVERIFY2(!get.opened.isEmpty() && get.opened.contains("libc.so.6"), "the loader trace was not read");
  QVERIFY2(get.opened.filter(kHeavyLibrary).isEmpty(), qPrintable(get.opened.join(' ')));

  TracedRun ls = traced({"cache", "ls"});
  QVERIFY2(ls.run.code == 0, ls.run.err.constData());
  QVERIFY2(ls.run.out.contains(name.toUtf8()), ls.run.out.constData());
  QVERIFY2(ls.opened.filter(kHeavyLibrary).isEmpty(), qPrintable(ls.opened.join(' ')));
}

void TestCliLazyLibraries::brokenLibraryFailsOnlyTheCommandsThatNeedIt_data() {
  QTest::addColumn<QString>("library");  // replaced by a file that is no library
  QTest::addColumn<QString>("command");  // a command that needs it
  QTest::addColumn<QString>("message");
  QTest::newRow("libcurl: ls") << "libcurl.so.4" << "ls" << "cannot load libcurl.so.4 (needed for network access): ";
  QTest::newRow("libcurl: put") << "libcurl.so.4" << "put" << "cannot load libcurl.so.4 (needed for network access): ";
  QTest::newRow("libarchive: put --extract") << "libarchive.so.13" << "extract"
                                             << "cannot load libarchive.so.13 (needed for archives): ";
  QTest::newRow("libcrypto: put") << "libcrypto.so.3" << "put" << "libcrypto.so.3";
}

void TestCliLazyLibraries::brokenLibraryFailsOnlyTheCommandsThatNeedIt() {
  QFETCH(QString, library);
  QFETCH(QString, command);
  QFETCH(QString, message);
  const QString name = QString("/lazy/cached.bin@%1").arg(kVersion);
  const QByteArray data = test::mixedBytes(5000, 7);
  putAndCache(name, data);
  if (QTest::currentTestFailed()) return;

  const QString broken = tmp_->filePath("broken-libs");
  QVERIFY(QDir().mkpath(broken));
  QVERIFY(test::writeFile(broken + "/" + library, "not a shared library\n"));

  // Commands that do not need it run as usual.
  Run get = ft({"get", name, tmp_->filePath("again.bin")}, broken);
  QVERIFY2(get.code == 0, get.err.constData());
  QCOMPARE(test::readFile(tmp_->filePath("again.bin")), data);
  Run ls = ft({"cache", "ls"}, broken);
  QVERIFY2(ls.code == 0, ls.err.constData());
  QVERIFY(ls.out.contains(name.toUtf8()));

  // One that does: one line naming the library, exit status 1, nothing stored.
  QStringList args;
  if (command == "ls") {
    args = {"ls", "/lazy"};
  } else if (command == "put") {
    QVERIFY(test::writeFile(tmp_->filePath("new.bin"), "new content\n"));
    args = {"put", tmp_->filePath("new.bin"), "/lazy/new.bin"};
  } else {
    const QString zip = tmp_->filePath("b.zip");
    const QString made = test::makeArchive(zip, "zip", {test::fileEntry("inside.txt", "inside\n")});
    QVERIFY2(made.isEmpty(), qPrintable(made));
    args = {"put", "--extract", zip, "/lazy/unpacked"};
  }
  Run failed = ft(args, broken);
  QCOMPARE(failed.code, 1);
  QVERIFY2(isOneErrorLine(failed.err), failed.err.constData());
  QVERIFY2(failed.err.contains(message.toUtf8()), failed.err.constData());

  Run listing = ft({"ls", "/lazy"});
  QVERIFY2(listing.code == 0, listing.err.constData());
  QVERIFY2(!listing.out.contains("new.bin") && !listing.out.contains("unpacked"), listing.out.constData());
}

QTEST_GUILESS_MAIN(TestCliLazyLibraries)
#include "test_cli_lazy_libraries.moc"
