// `filetracker mount` for real: the real CLI binary mounts (FUSE) the real
// server on loopback, and ordinary tools (ls, cat, cp, diff, grep, find,
// mv, rm, sed) work on the mount point. Skips, saying why, where FUSE
// mounts are not possible (no /dev/fuse, no fusermount3, no permission).
//
// Every mount and every server a test starts is stopped by its owner's
// destructor, also when a check fails half-way: the mount is unmounted
// (fusermount3 -u -z), its process terminated (SIGTERM, then SIGKILL), and
// a server left stopped with SIGSTOP is continued before it is stopped.
#include <QDeadlineTimer>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <memory>

#include "filetracker/checksum.hpp"
#include "test_server.hpp"

namespace {

struct Run {
  int code = -1;  // -1: crashed; -2: killed after the time limit
  QByteArray out;
  QByteArray err;
  qint64 ms = 0;
};

QString tempTemplate(const QString& prefix) {
  QString root = qEnvironmentVariable("FILETRACKER_TEST_TMP");
  if (root.isEmpty()) root = QDir::tempPath();
  QDir().mkpath(root);
  return root + "/" + prefix + "-XXXXXX";
}

QByteArray content(int size, int seed) {
  QByteArray s(size, '\0');
  quint32 x = quint32(seed) * 2654435761u + 1;
  for (int i = 0; i < size; ++i) {
    x = x * 1664525u + 1013904223u;
    s[i] = char(x >> 24);
  }
  return s;
}

void writeLocal(const QString& path, const QByteArray& data) {
  QDir().mkpath(QFileInfo(path).absolutePath());
  QFile f(path);
  if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate)) qFatal("cannot write %s", qPrintable(path));
  f.write(data);
}

QByteArray readLocal(const QString& path) {
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly)) return "<missing>";
  return f.readAll();
}

// Whether `path` is a mount point now (/proc/self/mountinfo, field 5).
bool isMounted(const QString& path) {
  QFile f("/proc/self/mountinfo");
  if (!f.open(QIODevice::ReadOnly)) return false;
  const QByteArray target = QFileInfo(path).absoluteFilePath().toUtf8();
  for (const QByteArray& line : f.readAll().split('\n')) {
    QList<QByteArray> fields = line.split(' ');
    if (fields.size() > 4 && fields[4] == target) return true;
  }
  return false;
}

QProcessEnvironment cleanEnvironment(const QString& home) {
  QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
  env.remove("FILETRACKER_URL");
  env.remove("FILETRACKER_DIR");
  env.remove("FILETRACKER_LOCKS_DIR");
  env.insert("HOME", home);  // never the real ~/.filetracker-store
  env.insert("LC_ALL", "C");  // tools' messages in English
  return env;
}

// Runs `program args` (no shell) or, with program "bash", a script; kills
// it after `timeoutMs` (a hang is a failure, not a stuck suite).
Run runProcess(const QString& program, const QStringList& args, const QString& cwd, const QString& home,
               int timeoutMs = 60000) {
  QProcess p;
  p.setProcessEnvironment(cleanEnvironment(home));
  p.setWorkingDirectory(cwd);
  QElapsedTimer timer;
  timer.start();
  p.start(program, args);
  Run r;
  if (!p.waitForStarted(10000)) return r;
  if (!p.waitForFinished(timeoutMs)) {
    p.kill();
    p.waitForFinished(10000);
    r.code = -2;
  } else {
    r.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
  }
  r.out = p.readAllStandardOutput();
  r.err = p.readAllStandardError();
  r.ms = timer.elapsed();
  return r;
}

// A server this test may SIGSTOP: continued before it is stopped, whatever happens.
struct Stoppable {
  explicit Stoppable(TestServer& s) : server(s) {}
  ~Stoppable() { cont(); }
  void stop() {
    if (server.pid()) ::kill(static_cast<pid_t>(server.pid()), SIGSTOP);
    stopped = true;
  }
  void cont() {
    if (stopped && server.pid()) ::kill(static_cast<pid_t>(server.pid()), SIGCONT);
    stopped = false;
  }
  TestServer& server;
  bool stopped = false;
};

// One `filetracker mount` process and its mount point.
class Mount {
 public:
  Mount(QString cli, QString url, QString cache, QString mountpoint, QString home, QStringList options = {})
      : cli_(std::move(cli)),
        url_(std::move(url)),
        cache_(std::move(cache)),
        mountpoint_(std::move(mountpoint)),
        home_(std::move(home)),
        options_(std::move(options)) {}
  ~Mount() { stop(); }
  Mount(const Mount&) = delete;
  Mount& operator=(const Mount&) = delete;

  // Starts the mount and waits until it is in place; false with the reason in err().
  bool start() {
    QDir().mkpath(mountpoint_);
    process_ = std::make_unique<QProcess>();
    process_->setProcessEnvironment(cleanEnvironment(home_));
    QStringList args;
    if (!url_.isEmpty()) args << "-r" << url_;
    args << "-c" << cache_;
    args << "mount" << options_ << mountpoint_;
    process_->start(cli_, args);
    if (!process_->waitForStarted(10000)) {
      err_ = "cannot start " + cli_.toUtf8();
      return false;
    }
    QDeadlineTimer deadline(20000);
    while (!deadline.hasExpired()) {
      drain();
      if (err_.contains("filetracker: mounted ") && isMounted(mountpoint_)) return true;
      if (process_->state() == QProcess::NotRunning) return false;
      process_->waitForReadyRead(100);
    }
    return false;
  }
  // Ends the mount however it is: unmount, SIGTERM, SIGKILL; a dead mount is detached.
  void stop() {
    if (process_ && process_->state() != QProcess::NotRunning) {
      if (isMounted(mountpoint_)) runProcess("fusermount3", {"-u", "-z", mountpoint_}, "/", home_, 20000);
      if (!process_->waitForFinished(10000)) {
        process_->terminate();
        if (!process_->waitForFinished(10000)) {
          process_->kill();
          process_->waitForFinished(10000);
        }
      }
    }
    if (isMounted(mountpoint_)) runProcess("fusermount3", {"-u", "-z", mountpoint_}, "/", home_, 20000);
    drain();
  }
  qint64 pid() const { return process_ ? process_->processId() : 0; }
  // Waits for the process to end; its exit code, or -1 (crash / still running).
  int waitExit(int ms) {
    if (!process_) return -1;
    if (!process_->waitForFinished(ms) && process_->state() != QProcess::NotRunning) return -1;
    drain();
    return process_->exitStatus() == QProcess::NormalExit ? process_->exitCode() : -1;
  }
  bool running() const { return process_ && process_->state() != QProcess::NotRunning; }
  const QByteArray& err() {
    drain();
    return err_;
  }
  const QString& path() const { return mountpoint_; }

 private:
  // What the process wrote to stderr so far (QProcess reads a pipe only
  // when asked to wait for it).
  void drain() {
    if (!process_) return;
    while (process_->state() == QProcess::Running && process_->waitForReadyRead(50)) err_ += process_->readAllStandardError();
    err_ += process_->readAllStandardError();
  }

  QString cli_, url_, cache_, mountpoint_, home_;
  QStringList options_;
  std::unique_ptr<QProcess> process_;
  QByteArray err_;
};

// A bash script running in the background (a reader or writer that holds
// a file open), killed by the destructor if still running.
class Script {
 public:
  Script(const QString& script, const QString& cwd, const QString& home) {
    process_.setProcessEnvironment(cleanEnvironment(home));
    process_.setWorkingDirectory(cwd);
    process_.start("bash", {"-c", script});
    process_.waitForStarted(10000);
  }
  ~Script() {
    if (process_.state() != QProcess::NotRunning) {
      process_.kill();
      process_.waitForFinished(10000);
    }
  }
  // Waits until the script has written `marker` to stderr.
  bool waitFor(const QByteArray& marker, int ms = 20000) {
    QDeadlineTimer deadline(ms);
    while (!err_.contains(marker) && !deadline.hasExpired() && process_.state() != QProcess::NotRunning) {
      process_.waitForReadyRead(100);
      err_ += process_.readAllStandardError();
    }
    err_ += process_.readAllStandardError();
    return err_.contains(marker);
  }
  // Waits for the end; false when it is still running after `ms`.
  bool finish(int ms) {
    if (!process_.waitForFinished(ms) && process_.state() != QProcess::NotRunning) return false;
    err_ += process_.readAllStandardError();
    out_ += process_.readAllStandardOutput();
    return true;
  }
  int exitCode() const { return process_.exitStatus() == QProcess::NormalExit ? process_.exitCode() : -1; }
  const QByteArray& out() const { return out_; }
  const QByteArray& err() const { return err_; }

 private:
  QProcess process_;
  QByteArray out_, err_;
};

int countRequests(const QString& log, const QString& method, const QString& name) {
  QRegularExpression re(QStringLiteral("INFO %1 /files%2 ").arg(method, QRegularExpression::escape(name)));
  return int(log.count(re));
}

}  // namespace

class TestMountEndToEnd : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase();
  void cleanupTestCase();

  void help();
  void lsLa();
  void catCachesLikeGet();
  void cpROutAndDiff();
  void grepR();
  void find();
  void cpIn();
  void mv();
  void rm();
  void editorStyleWrites();
  void mkdirAndRefusals();
  void versionedNames();
  void readOnlyMount();
  void listingsFollowTheAttrTimeout();
  void cacheAloneWithoutServer();
  void plainProtocolServer();
  void eightConcurrentReadersDownloadOnce();
  void uploadFailureIsEioAtClose();
  void serverDownMidReadIsEio();
  void deadServerNeverHangs();
  void unmountDuringReads();
  void signalsEndTheMountCleanly();

 private:
  // The CLI against the main server, with a cache of its own (not the mount's).
  Run ft(const QStringList& args, const QString& url = {});
  Run sh(const QString& script, int timeoutMs = 60000) {
    return runProcess("bash", {"-c", script}, tmp_->path(), home(), timeoutMs);
  }
  QString home() const { return tmp_->filePath("home"); }
  QString path(const QString& relative) const { return tmp_->filePath(relative); }
  void put(const QString& local, const QString& name, const QString& url = {});
  std::unique_ptr<Mount> newMount(const QString& url, const QString& name, QStringList options = {});

  QString cli_;
  std::unique_ptr<QTemporaryDir> tmp_;
  std::unique_ptr<TestServer> server_;
  std::unique_ptr<Mount> mount_;  // the main mount at tmp/mnt, cache tmp/mcache
  QString skip_;
};

void TestMountEndToEnd::initTestCase() {
  cli_ = qEnvironmentVariable("FILETRACKER_CLI_BIN");
  QVERIFY2(!cli_.isEmpty() && QFile::exists(cli_), "FILETRACKER_CLI_BIN must name the filetracker binary");
  QVERIFY2(!TestServer::binary().isEmpty(), "FILETRACKER_SERVER_BIN must name the server binary");
  if (!QFile::exists("/dev/fuse")) QSKIP("no /dev/fuse on this machine: FUSE mounts are not possible here");
  if (QStandardPaths::findExecutable("fusermount3").isEmpty())
    QSKIP("fusermount3 is missing (Debian package fuse3): cannot unmount, so no mount tests");
  tmp_ = std::make_unique<QTemporaryDir>(tempTemplate("mount-e2e"));
  QVERIFY(tmp_->isValid());
  server_ = std::make_unique<TestServer>();
  QVERIFY(server_->start());

  // The store the tools look at, put through the CLI (not the mount).
  writeLocal(path("local/tree/a/1.in"), "1 2\n");
  writeLocal(path("local/tree/a/1.out"), "3\n");
  writeLocal(path("local/tree/a/2.in"), "needle in a haystack\n");
  writeLocal(path("local/tree/b/deep/x.txt"), content(70000, 1));
  writeLocal(path("local/tree/top.txt"), "top level needle\n");
  for (const char* rel : {"a/1.in", "a/1.out", "a/2.in", "b/deep/x.txt", "top.txt"})
    put(path(QStringLiteral("local/tree/") + rel), QStringLiteral("/tree/") + rel);
  writeLocal(path("local/misc/mv-src"), "moving content\n");
  put(path("local/misc/mv-src"), "/work/mv/src");
  put(path("local/misc/mv-src"), "/work/rm/victim");
  put(path("local/misc/mv-src"), "/work/rm/keeper");
  writeLocal(path("local/misc/ed"), "old line\nsecond\n");
  put(path("local/misc/ed"), "/work/ed/f");
  put(path("local/misc/ed"), "/work/ed/g");
  writeLocal(path("local/conc/big"), content(16 << 20, 7));
  put(path("local/conc/big"), "/conc/big");

  mount_ = newMount(server_->url(), "mnt", {"--timeout", "10"});
  if (!mount_->start()) {
    QByteArray why = mount_->err();
    mount_.reset();
    if (why.contains("Permission denied") || why.contains("Operation not permitted") || why.contains("fuse: "))
      QSKIP(qPrintable("mounting is not permitted here: " + QString::fromUtf8(why).trimmed()));
    QFAIL(why.constData());
  }
}

void TestMountEndToEnd::cleanupTestCase() {
  mount_.reset();
  server_.reset();
}

Run TestMountEndToEnd::ft(const QStringList& args, const QString& url) {
  QStringList all{"-r", url.isEmpty() ? server_->url() : url, "-c", path("clicache")};
  all += args;
  return runProcess(cli_, all, tmp_->path(), home());
}

void TestMountEndToEnd::put(const QString& local, const QString& name, const QString& url) {
  Run r = ft({"put", local, name}, url);
  QVERIFY2(r.code == 0, r.err.constData());
}

std::unique_ptr<Mount> TestMountEndToEnd::newMount(const QString& url, const QString& name, QStringList options) {
  return std::make_unique<Mount>(cli_, url, path(name + "-cache"), path(name), home(), std::move(options));
}

// ---- Reading ---------------------------------------------------------------

void TestMountEndToEnd::help() {
  Run r = runProcess(cli_, {"--help"}, tmp_->path(), home());
  QCOMPARE(r.code, 0);
  QVERIFY(r.out.contains("mount"));
  r = runProcess(cli_, {"mount", "--help"}, tmp_->path(), home());
  QCOMPARE(r.code, 0);
  QVERIFY(r.out.contains("Usage: filetracker mount [OPTIONS] MOUNTPOINT"));
  for (const char* option : {"--read-only", "--attr-timeout", "--cache-limit"}) QVERIFY(r.out.contains(option));
  // Bad mount points: one line, status 1, nothing mounted.
  r = runProcess(cli_, {"-c", path("x-cache"), "mount", path("no-such-dir")}, tmp_->path(), home());
  QCOMPARE(r.code, 1);
  QVERIFY2(r.err.startsWith("filetracker: ") && r.err.count('\n') == 1, r.err.constData());
  QVERIFY(r.err.contains("no such directory"));
  // A dead server: refused at once, not mounted.
  r = runProcess(cli_, {"-r", "http://127.0.0.1:1", "-c", path("x-cache"), "--timeout", "2", "mount", path("local")},
                 tmp_->path(), home(), 30000);
  QCOMPARE(r.code, 1);
  QVERIFY2(r.err.count('\n') == 1, r.err.constData());
  QVERIFY(!isMounted(path("local")));
}

void TestMountEndToEnd::lsLa() {
  Run r = sh("ls -la mnt/tree mnt/tree/a");
  QVERIFY2(r.code == 0, r.err.constData());
  for (const char* name : {" a\n", " b\n", " top.txt\n", " 1.in\n", " 1.out\n", " 2.in\n", " .\n", " ..\n"})
    QVERIFY2(r.out.contains(name), (name + QByteArray(" missing from:\n") + r.out).constData());
  QVERIFY(r.out.contains("drwxr-xr-x"));
  QVERIFY(r.out.contains("-rw-r--r--"));
  // size = logical size, mtime = version.
  Run version = ft({"version", "/tree/b/deep/x.txt"});
  QCOMPARE(version.code, 0);
  r = sh("stat -c '%s %Y %F' mnt/tree/b/deep/x.txt");
  QCOMPARE(r.code, 0);
  QCOMPARE(r.out, "70000 " + version.out.trimmed() + " regular file\n");
  r = sh("stat -c '%F %a' mnt/tree/b");
  QCOMPARE(r.out, QByteArray("directory 755\n"));
  r = sh("ls mnt/tree/nothing");
  QVERIFY(r.code != 0);
  QVERIFY2(r.err.contains("No such file or directory"), r.err.constData());
}

void TestMountEndToEnd::catCachesLikeGet() {
  Run r = sh("cat mnt/tree/a/2.in");
  QCOMPARE(r.code, 0);
  QCOMPARE(r.out, QByteArray("needle in a haystack\n"));
  // In the mount's cache exactly as `filetracker get` would put it: the
  // versioned entry, under its name, with the version as mtime.
  Run version = ft({"version", "/tree/a/2.in"});
  const QString cached = path("mnt-cache/files/tree/a/2.in");
  QCOMPARE(readLocal(cached), QByteArray("needle in a haystack\n"));
  QCOMPARE(QByteArray::number(QFileInfo(cached).lastModified().toSecsSinceEpoch()), version.out.trimmed());
  Run ls = runProcess(cli_, {"-c", path("mnt-cache"), "cache", "ls"}, tmp_->path(), home());
  QVERIFY(ls.out.contains("/tree/a/2.in"));
  // And a `filetracker get` of that version from this cache needs no server.
  Run get = runProcess(cli_, {"-r", "http://127.0.0.1:1", "-c", path("mnt-cache"), "get",
                              "/tree/a/2.in@" + QString::fromUtf8(version.out.trimmed()), path("got")},
                       tmp_->path(), home());
  QVERIFY2(get.code == 0, get.err.constData());
  QCOMPARE(readLocal(path("got")), QByteArray("needle in a haystack\n"));
  // A second cat downloads nothing.
  const int before = countRequests(server_->log(), "GET", "/tree/a/2.in");
  QCOMPARE(sh("cat mnt/tree/a/2.in").out, QByteArray("needle in a haystack\n"));
  QCOMPARE(countRequests(server_->log(), "GET", "/tree/a/2.in"), before);
}

void TestMountEndToEnd::cpROutAndDiff() {
  Run r = sh("cp -r mnt/tree out && diff -r out local/tree && diff mnt/tree/b/deep/x.txt local/tree/b/deep/x.txt");
  QVERIFY2(r.code == 0, r.out + r.err);
  QCOMPARE(readLocal(path("out/b/deep/x.txt")), content(70000, 1));
  // diff sees a difference too.
  r = sh("diff mnt/tree/a/1.in mnt/tree/a/1.out");
  QCOMPARE(r.code, 1);
  QVERIFY(r.out.contains("< 1 2") && r.out.contains("> 3"));
}

void TestMountEndToEnd::grepR() {
  Run r = sh("grep -r needle mnt/tree | sort");
  QCOMPARE(r.code, 0);
  QCOMPARE(r.out, QByteArray("mnt/tree/a/2.in:needle in a haystack\nmnt/tree/top.txt:top level needle\n"));
  r = sh("grep -rl haystack mnt/tree");
  QCOMPARE(r.out, QByteArray("mnt/tree/a/2.in\n"));
}

void TestMountEndToEnd::find() {
  Run r = sh("find mnt/tree | sort");
  QCOMPARE(r.code, 0);
  QCOMPARE(r.out, QByteArray("mnt/tree\nmnt/tree/a\nmnt/tree/a/1.in\nmnt/tree/a/1.out\nmnt/tree/a/2.in\n"
                             "mnt/tree/b\nmnt/tree/b/deep\nmnt/tree/b/deep/x.txt\nmnt/tree/top.txt\n"));
  r = sh("find mnt/tree -name '*.in' -size -100c | sort");
  QCOMPARE(r.out, QByteArray("mnt/tree/a/1.in\nmnt/tree/a/2.in\n"));
}

// ---- Writing ---------------------------------------------------------------

void TestMountEndToEnd::cpIn() {
  writeLocal(path("local/upload.bin"), content(300000, 3));
  const qint64 before = QDateTime::currentSecsSinceEpoch();
  Run r = sh("mkdir -p mnt/in/sub && cp local/upload.bin mnt/in/sub/upload.bin && diff local/upload.bin mnt/in/sub/upload.bin");
  QVERIFY2(r.code == 0, r.out + r.err);
  // On the server, right after cp returned.
  Run get = ft({"get", "/in/sub/upload.bin", path("check.bin")});
  QVERIFY2(get.code == 0, get.err.constData());
  QCOMPARE(readLocal(path("check.bin")), content(300000, 3));
  Run version = ft({"version", "/in/sub/upload.bin"});
  QVERIFY(version.out.trimmed().toLongLong() >= before);
  QVERIFY(version.out.trimmed().toLongLong() <= QDateTime::currentSecsSinceEpoch() + 2);
  // Overwriting an existing file.
  writeLocal(path("local/upload2.bin"), content(1000, 4));
  r = sh("cp local/upload2.bin mnt/in/sub/upload.bin && cmp local/upload2.bin mnt/in/sub/upload.bin");
  QVERIFY2(r.code == 0, r.out + r.err);
  QCOMPARE(ft({"cat", "/in/sub/upload.bin"}).out, content(1000, 4));
  QVERIFY(ft({"version", "/in/sub/upload.bin"}).out.trimmed().toLongLong() > version.out.trimmed().toLongLong());
  // Nothing left over in the mount's private directory.
  QTRY_COMPARE(QDir(path("mnt-cache")).entryList({"mount.*"}, QDir::Dirs).size(), 1);
  const QString own = QDir(path("mnt-cache")).entryList({"mount.*"}, QDir::Dirs).value(0);
  QTRY_VERIFY(QDir(path("mnt-cache/" + own)).isEmpty());
}

void TestMountEndToEnd::mv() {
  Run r = sh("mv mnt/work/mv/src mnt/work/mv/dst && cat mnt/work/mv/dst && ls mnt/work/mv");
  QVERIFY2(r.code == 0, r.err.constData());
  QCOMPARE(r.out, QByteArray("moving content\ndst\n"));
  QCOMPARE(ft({"cat", "/work/mv/dst"}).out, QByteArray("moving content\n"));
  Run gone = ft({"version", "/work/mv/src"});
  QCOMPARE(gone.code, 1);
  // A directory with files: mv copies and deletes (rename answers EXDEV).
  r = sh("mv mnt/work/mv mnt/work/moved && ls mnt/work/moved");
  QVERIFY2(r.code == 0, r.err.constData());
  QCOMPARE(r.out, QByteArray("dst\n"));
  QCOMPARE(ft({"cat", "/work/moved/dst"}).out, QByteArray("moving content\n"));
  QCOMPARE(ft({"version", "/work/mv/dst"}).code, 1);
}

void TestMountEndToEnd::rm() {
  Run r = sh("rm mnt/work/rm/victim && ls mnt/work/rm");
  QVERIFY2(r.code == 0, r.err.constData());
  QCOMPARE(r.out, QByteArray("keeper\n"));
  QCOMPARE(ft({"version", "/work/rm/victim"}).code, 1);
  r = sh("rm mnt/work/rm/victim");
  QVERIFY(r.code != 0);
  QVERIFY(r.err.contains("No such file or directory"));
  r = sh("rm -r mnt/work/rm && ls mnt/work");
  QVERIFY2(r.code == 0, r.err.constData());
  QVERIFY(!r.out.contains("rm"));
  QCOMPARE(ft({"version", "/work/rm/keeper"}).code, 1);
}

void TestMountEndToEnd::editorStyleWrites() {
  // Write a temp file next to the target, then rename it over the target.
  Run r = sh("printf 'new content\\n' > mnt/work/ed/.f.swp && mv mnt/work/ed/.f.swp mnt/work/ed/f && cat mnt/work/ed/f "
             "&& ls -a mnt/work/ed");
  QVERIFY2(r.code == 0, r.err.constData());
  QCOMPARE(r.out, QByteArray("new content\n.\n..\nf\ng\n"));
  QCOMPARE(ft({"cat", "/work/ed/f"}).out, QByteArray("new content\n"));
  QCOMPARE(ft({"version", "/work/ed/.f.swp"}).code, 1);
  // sed -i does the same (temp file, fchmod/fchown to the original's, rename).
  r = sh("sed -i s/old/NEW/ mnt/work/ed/g && cat mnt/work/ed/g");
  QVERIFY2(r.code == 0, r.err.constData());
  QCOMPARE(r.out, QByteArray("NEW line\nsecond\n"));
  QCOMPARE(ft({"cat", "/work/ed/g"}).out, QByteArray("NEW line\nsecond\n"));
  // Appending.
  r = sh("echo third >> mnt/work/ed/g && cat mnt/work/ed/g");
  QCOMPARE(r.out, QByteArray("NEW line\nsecond\nthird\n"));
  QCOMPARE(ft({"cat", "/work/ed/g"}).out, QByteArray("NEW line\nsecond\nthird\n"));
}

void TestMountEndToEnd::mkdirAndRefusals() {
  Run r = sh("mkdir mnt/made && mkdir mnt/made/sub && ls mnt/made && rmdir mnt/made/sub && ls -a mnt/made");
  QVERIFY2(r.code == 0, r.err.constData());
  QCOMPARE(r.out, QByteArray("sub\n.\n..\n"));
  r = sh("rmdir mnt/tree");
  QVERIFY(r.err.contains("Directory not empty"));
  r = sh("chmod 600 mnt/tree/top.txt");
  QVERIFY(r.code != 0);
  QVERIFY2(r.err.contains("Operation not permitted"), r.err.constData());
  r = sh("chown 12345 mnt/tree/top.txt");
  QVERIFY(r.err.contains("Operation not permitted"));
  r = sh("ln -s top.txt mnt/tree/link");
  QVERIFY(r.code != 0);
  QVERIFY2(r.err.contains("Operation not supported"), r.err.constData());
  r = sh("touch 'mnt/tree/bad@name'");
  QVERIFY(r.code != 0);
  QVERIFY2(r.err.contains("Invalid argument"), r.err.constData());
  r = sh("stat -c %a mnt/tree/top.txt");
  QCOMPARE(r.out, QByteArray("644\n"));
  QCOMPARE(ft({"cat", "/tree/top.txt"}).out, QByteArray("top level needle\n"));  // unchanged
}

void TestMountEndToEnd::versionedNames() {
  const QByteArray version = ft({"version", "/tree/a/1.out"}).out.trimmed();
  Run r = sh("cat mnt/tree/a/1.out@" + QString::fromUtf8(version) + " && stat -c %a mnt/tree/a/1.out@" +
             QString::fromUtf8(version));
  QVERIFY2(r.code == 0, r.err.constData());
  QCOMPARE(r.out, QByteArray("3\n444\n"));
  r = sh("cat mnt/tree/a/1.out@1000");
  QVERIFY(r.code != 0);
  QVERIFY(r.err.contains("No such file or directory"));
  r = sh("echo x > mnt/tree/a/1.out@" + QString::fromUtf8(version));
  QVERIFY(r.code != 0);
  QVERIFY(!sh("ls mnt/tree/a").out.contains("@"));  // never listed
}

void TestMountEndToEnd::readOnlyMount() {
  auto ro = newMount(server_->url(), "ro", {"--read-only"});
  QVERIFY2(ro->start(), ro->err().constData());
  Run r = sh("cat ro/tree/a/1.in");
  QCOMPARE(r.out, QByteArray("1 2\n"));
  for (QString cmd : {"touch ro/tree/new", "rm ro/tree/top.txt", "mkdir ro/d", "mv ro/tree/top.txt ro/tree/t2",
                             "echo x >> ro/tree/top.txt"}) {
    r = sh(cmd);
    QVERIFY2(r.code != 0 && r.err.contains("Read-only file system"), qPrintable(cmd + ": " + r.err));
  }
  QCOMPARE(ft({"cat", "/tree/top.txt"}).out, QByteArray("top level needle\n"));
  ro->stop();
  QVERIFY(!isMounted(path("ro")));
}

void TestMountEndToEnd::listingsFollowTheAttrTimeout() {
  auto m = newMount(server_->url(), "ttl-mnt", {"--attr-timeout", "4"});
  QVERIFY2(m->start(), m->err().constData());
  QCOMPARE(sh("ls ttl-mnt/tree/a").out, QByteArray("1.in\n1.out\n2.in\n"));
  QElapsedTimer listed;
  listed.start();
  writeLocal(path("local/ttl"), "late\n");
  put(path("local/ttl"), "/tree/a/3.in");  // by another client
  Run early = sh("ls ttl-mnt/tree/a");
  if (listed.elapsed() < 3500) QCOMPARE(early.out, QByteArray("1.in\n1.out\n2.in\n"));  // trusted for 4 s
  QTRY_COMPARE_WITH_TIMEOUT(sh("ls ttl-mnt/tree/a").out, QByteArray("1.in\n1.out\n2.in\n3.in\n"), 15000);
  QVERIFY(listed.elapsed() >= 4000);
  QCOMPARE(sh("cat ttl-mnt/tree/a/3.in").out, QByteArray("late\n"));
  QCOMPARE(ft({"rm", "/tree/a/3.in"}).code, 0);
}

void TestMountEndToEnd::cacheAloneWithoutServer() {
  // Without -r the cache itself is the store, as for the other commands.
  const QString cache = path("alone-mnt-cache");
  writeLocal(path("local/alone"), "local only\n");
  Run r = runProcess(cli_, {"-c", cache, "put", path("local/alone"), "/l/a.txt"}, tmp_->path(), home());
  QVERIFY2(r.code == 0, r.err.constData());
  auto m = newMount(QString(), "alone-mnt");
  QVERIFY2(m->start(), m->err().constData());
  QVERIFY(m->err().contains("the cache"));
  r = sh("cat alone-mnt/l/a.txt && echo more > alone-mnt/l/b.txt && mv alone-mnt/l/a.txt alone-mnt/l/c.txt && "
         "ls alone-mnt/l");
  QVERIFY2(r.code == 0, r.err.constData());
  QCOMPARE(r.out, QByteArray("local only\nb.txt\nc.txt\n"));
  r = runProcess(cli_, {"-c", cache, "cat", "/l/c.txt"}, tmp_->path(), home());
  QCOMPARE(r.out, QByteArray("local only\n"));
  r = runProcess(cli_, {"-c", cache, "cat", "/l/b.txt"}, tmp_->path(), home());
  QCOMPARE(r.out, QByteArray("more\n"));
}

void TestMountEndToEnd::plainProtocolServer() {
  // A server like the deployed one (no JSON listing): directories are
  // derived from /list, sizes and versions from one HEAD per file.
  TestServer plain(QString(), {"--no-extensions"});
  QVERIFY(plain.start());
  writeLocal(path("local/plain/x"), "plain x\n");
  put(path("local/plain/x"), "/p/d/x.txt", plain.url());
  put(path("local/plain/x"), "/p/y.txt", plain.url());
  const QByteArray version = ft({"version", "/p/d/x.txt"}, plain.url()).out.trimmed();
  auto m = newMount(plain.url(), "plain-mnt");
  QVERIFY2(m->start(), m->err().constData());
  Run r = sh("ls plain-mnt/p && stat -c '%s %Y' plain-mnt/p/d/x.txt && cat plain-mnt/p/d/x.txt && find plain-mnt | sort");
  QVERIFY2(r.code == 0, r.err.constData());
  QCOMPARE(r.out, "d\ny.txt\n8 " + version + "\nplain x\nplain-mnt\nplain-mnt/p\nplain-mnt/p/d\nplain-mnt/p/d/x.txt\n"
                  "plain-mnt/p/y.txt\n");
  QVERIFY(plain.log().contains("GET /list/p "));  // the plain listing
  r = sh("cp local/plain/x plain-mnt/p/d/z.txt && ls plain-mnt/p/d");
  QVERIFY2(r.code == 0, r.err.constData());
  QCOMPARE(r.out, QByteArray("x.txt\nz.txt\n"));
  QCOMPARE(ft({"cat", "/p/d/z.txt"}, plain.url()).out, QByteArray("plain x\n"));
}

void TestMountEndToEnd::eightConcurrentReadersDownloadOnce() {
  const QByteArray expected = QByteArray::fromStdString(ft::sha256_hex(content(16 << 20, 7).toStdString())) + "  -\n";
  QCOMPARE(countRequests(server_->log(), "GET", "/conc/big"), 0);
  Run r = sh("for i in 1 2 3 4 5 6 7 8; do (sha256sum < mnt/conc/big > sum.$i) & done; wait; cat sum.*");
  QCOMPARE(r.code, 0);
  QCOMPARE(r.out, expected.repeated(8));
  // One download for eight readers.
  QCOMPARE(countRequests(server_->log(), "GET", "/conc/big"), 1);
}

// ---- Failures --------------------------------------------------------------

void TestMountEndToEnd::uploadFailureIsEioAtClose() {
  TestServer server;
  QVERIFY(server.start());
  writeLocal(path("local/fail/seed"), "seed\n");
  put(path("local/fail/seed"), "/d/seed", server.url());
  // Listings trusted for a minute: the lookups cp does succeed, the upload at close fails.
  auto m = newMount(server.url(), "fail-mnt", {"--timeout", "2", "--attr-timeout", "60"});
  QVERIFY2(m->start(), m->err().constData());
  QCOMPARE(sh("ls fail-mnt/d").out, QByteArray("seed\n"));
  server.kill9();
  writeLocal(path("local/fail/new"), "data\n");
  Run r = sh("cp local/fail/new fail-mnt/d/new", 60000);
  QVERIFY(r.code != 0);
  QVERIFY2(r.err.contains("Input/output error"), r.err.constData());
  QVERIFY2(m->err().contains("fail-mnt") || m->err().contains("/d/new"), m->err().constData());
  QVERIFY(m->err().contains("not stored"));
  QVERIFY(r.ms < 30000);
}

void TestMountEndToEnd::serverDownMidReadIsEio() {
  TestServer server;
  QVERIFY(server.start());
  writeLocal(path("local/down/big"), content(48 << 20, 9));
  put(path("local/down/big"), "/down/big", server.url());
  // Above the cache limit: streamed from the server while it is read.
  auto m = newMount(server.url(), "down-mnt", {"--timeout", "2", "--cache-limit", "1M"});
  QVERIFY2(m->start(), m->err().constData());
  Script reader("{ dd bs=1M count=1 of=/dev/null; echo first-part-read >&2; sleep 2; cat > /dev/null; } "
                "< down-mnt/down/big",
                tmp_->path(), home());
  QVERIFY2(reader.waitFor("first-part-read"), reader.err().constData());
  server.kill9();
  QElapsedTimer timer;
  timer.start();
  QVERIFY2(reader.finish(60000), "the reader hung after the server died");
  QVERIFY(reader.exitCode() != 0);
  QVERIFY2(reader.err().contains("Input/output error"), reader.err().constData());
  QVERIFY(timer.elapsed() < 30000);
  QVERIFY(m->err().contains("/down/big"));
  QVERIFY(!QFile::exists(path("down-mnt-cache/files/down/big")));  // streamed, not cached
}

void TestMountEndToEnd::deadServerNeverHangs() {
  TestServer server;
  QVERIFY(server.start());
  writeLocal(path("local/dead/f"), content(200000, 5));
  put(path("local/dead/f"), "/dead/f", server.url());
  put(path("local/dead/f"), "/dead/sub/g", server.url());
  auto m = newMount(server.url(), "dead-mnt", {"--timeout", "2", "--attr-timeout", "60"});
  QVERIFY2(m->start(), m->err().constData());
  QCOMPARE(sh("ls dead-mnt/dead").out, QByteArray("f\nsub\n"));  // listed, not downloaded
  Stoppable stoppable(server);
  stoppable.stop();  // accepts connections, never answers
  // A download and a listing: EIO after the timeout, not a hang.
  for (QString cmd : {"cat dead-mnt/dead/f > /dev/null", "ls dead-mnt/dead/sub"}) {
    Run r = sh(cmd, 90000);
    QVERIFY2(r.code > 0, qPrintable(cmd + " code " + QString::number(r.code)));
    QVERIFY2(r.err.contains("Input/output error"), qPrintable(cmd + ": " + r.err));
    QVERIFY2(r.ms < 30000, qPrintable(cmd + " took " + QString::number(r.ms) + " ms"));
  }
  QVERIFY2(m->err().contains("timed out"), m->err().constData());
  // Back to normal once the server answers again.
  stoppable.cont();
  Run r = sh("cmp local/dead/f dead-mnt/dead/f");
  QVERIFY2(r.code == 0, r.err.constData());
}

void TestMountEndToEnd::unmountDuringReads() {
  auto m = newMount(server_->url(), "busy-mnt");
  QVERIFY2(m->start(), m->err().constData());
  // A reader in the middle of a file: fusermount3 -u refuses (busy) and the read goes on.
  Script reader("{ dd bs=1M count=1 of=/dev/null; echo first-part-read >&2; sleep 2; cat; } < busy-mnt/conc/big "
                "| sha256sum",
                tmp_->path(), home());
  QVERIFY2(reader.waitFor("first-part-read"), reader.err().constData());
  Run u = runProcess("fusermount3", {"-u", m->path()}, "/", home());
  QVERIFY(u.code != 0);
  QVERIFY2(u.err.contains("busy"), u.err.constData());
  QVERIFY(isMounted(m->path()));
  QVERIFY(reader.finish(30000));
  QCOMPARE(reader.exitCode(), 0);
  const QByteArray tail = ft::sha256_hex(content(16 << 20, 7).mid(1 << 20).toStdString()).c_str();
  QCOMPARE(reader.out(), tail + "  -\n");  // everything after the first MiB
  // Idle now: fusermount3 -u ends the mount process cleanly.
  u = runProcess("fusermount3", {"-u", m->path()}, "/", home());
  QVERIFY2(u.code == 0, u.err.constData());
  QCOMPARE(m->waitExit(15000), 0);
  QVERIFY(!isMounted(m->path()));

  // SIGTERM while a reader holds a file open: the mount ends (status 0),
  // is gone, and the reader fails cleanly instead of hanging.
  auto m2 = newMount(server_->url(), "busy-mnt");
  QVERIFY2(m2->start(), m2->err().constData());
  Script reader2("exec 3< busy-mnt/tree/top.txt; echo opened >&2; sleep 3; cat <&3; echo cat=$?", tmp_->path(), home());
  QVERIFY2(reader2.waitFor("opened"), reader2.err().constData());
  ::kill(static_cast<pid_t>(m2->pid()), SIGTERM);
  QCOMPARE(m2->waitExit(20000), 0);
  QVERIFY(!isMounted(m2->path()));
  QVERIFY2(reader2.finish(30000), "a reader hung after the mount ended");
  // The open file fails cleanly: its connection is gone.
  QVERIFY2(reader2.out() == "cat=1\n", reader2.out() + reader2.err());
  QVERIFY2(reader2.err().contains("Transport endpoint is not connected") || reader2.err().contains("Input/output error") ||
               reader2.err().contains("Software caused connection abort"),
           reader2.err().constData());
}

void TestMountEndToEnd::signalsEndTheMountCleanly() {
  for (int sig : {SIGINT, SIGTERM}) {
    auto m = newMount(server_->url(), "sig-mnt");
    QVERIFY2(m->start(), m->err().constData());
    QCOMPARE(sh("cat sig-mnt/tree/a/1.in").out, QByteArray("1 2\n"));
    // A file open for writing when the mount ends is not stored half-written.
    // (No redirection after the write: bash's saved descriptors would
    // close a copy, and every close(2) stores what was written.)
    Script writer("{ printf partial; exec sleep 30; } > sig-mnt/tree/half", tmp_->path(), home());
    // The file being written shows with what was written so far.
    QTRY_COMPARE(sh("stat -c %s sig-mnt/tree/half").out, QByteArray("7\n"));
    ::kill(static_cast<pid_t>(m->pid()), sig);
    QCOMPARE(m->waitExit(20000), 0);
    QVERIFY(!isMounted(m->path()));
    QVERIFY2(m->err().contains("/tree/half: not stored"), m->err().constData());
    QCOMPARE(ft({"version", "/tree/half"}).code, 1);
  }
}

QTEST_GUILESS_MAIN(TestMountEndToEnd)
#include "test_mount_end_to_end.moc"
