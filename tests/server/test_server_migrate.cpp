// `filetracker-server --migrate-storage --from SOURCE --to TARGET` end to
// end (issue 19): the real binary copies a local data directory into
// PostgreSQL + S3 (installer/services.sh) and back; every file then reads
// back through a real server on each store with its version, size and
// SHA-256; the source is byte-for-byte unchanged; a migration killed with
// SIGKILL half-way completes when run again and copies only what it had not
// committed. The tests that need the services skip without them; the
// local-to-local ones (bad input, a damaged source blob) always run.
#include <QtTest>

#include <filesystem>
#include <map>

#include "content.hpp"
#include "files.hpp"
#include "process.hpp"
#include "raw_http.hpp"
#include "scaleout_backend.hpp"
#include "temp_dirs.hpp"
#include "test_server.hpp"
#include "upstream_layout.hpp"
#include "wire.hpp"

using namespace test;
namespace fs = std::filesystem;

namespace {

struct Stored {
  QByteArray content;
  qint64 version;
};
using Files = std::map<QByteArray, Stored>;

ProcessResult migrate(const QString& from, const QString& to, int timeoutMs = 120000) {
  return runProcess(TestServer::binary(), {QStringLiteral("--migrate-storage"), QStringLiteral("--from"), from,
                                           QStringLiteral("--to"), to},
                    QProcessEnvironment::systemEnvironment(), timeoutMs);
}

// The shared store `name` as --from/--to: its --index and --blobs URLs joined by '+'.
QString sharedStore(const QString& name) {
  const QStringList args = scaleoutArgs(name);
  return args[1] + u'+' + args[3];
}

QString local(const QString& dir) { return QStringLiteral("local:") + dir; }

// Every file reads back through `port` with its content, version, size and
// SHA-256, and nothing else is stored.
void verifyServed(quint16 port, const Files& files) {
  for (const auto& [name, f] : files) {
    RawResponse r = getGzip(port, name);
    QVERIFY2(r.status == 200, name.constData());
    QCOMPARE(gunzip(r.body), f.content);
    QCOMPARE(r.header("last-modified"), httpDate(f.version));
    QCOMPARE(r.header("logical-size").toLongLong(), f.content.size());
    QCOMPARE(r.header("sha256-checksum"), sha256Hex(f.content));
  }
  RawResponse list = rawRequest(port, "GET", "/list/");
  QCOMPARE(list.status, 200);
  qsizetype listed = 0;
  for (const QByteArray& line : list.body.split('\n')) listed += !line.isEmpty();
  QCOMPARE(listed, qsizetype(files.size()));
}

// A local store made by a migration: consistent (--check --check-content)
// and serving exactly `files`.
void verifyLocalStore(const QString& dir, const Files& files) {
  QString check;
  QVERIFY2(runCheck(dir, &check) == 0, qPrintable(check));
  TestServer server(dir);
  QVERIFY(server.start());
  verifyServed(server.port(), files);
}

// "... : N file(s): C copied (B bytes, ...), A already there, K kept ..." -> {C, A, K}.
struct Summary {
  long long copied = -1, already = -1, kept = -1;
};
Summary summaryOf(const QByteArray& out) {
  static const QRegularExpression re(
      QStringLiteral(R"((\d+) copied \(\d+ bytes, [^)]*\), (\d+) already there, (\d+) kept \(newer there\))"));
  const auto m = re.match(QString::fromUtf8(out));
  if (!m.hasMatch()) return {};
  return {m.captured(1).toLongLong(), m.captured(2).toLongLong(), m.captured(3).toLongLong()};
}

}  // namespace

class TestServerMigrate : public QObject {
  Q_OBJECT

 private slots:
  void badStoresAreRefusedWithOneLine() {
    auto work = scratch_dir(QStringLiteral("migrate"));
    const QString dst = work->path() + "/dst";
    for (const QStringList& fromTo : {QStringList{"nowhere:/x", local(dst)}, QStringList{local(dst), "s3://b"},
                                      QStringList{"mysql://h/db+s3://b?endpoint=http://x", local(dst)},
                                      QStringList{"shared", local(dst)}, QStringList{"local:", local(dst)}}) {
      ProcessResult r = migrate(fromTo[0], fromTo[1]);
      QVERIFY2(r.code == 2, r.err.constData());
      QCOMPARE(r.err.count('\n'), 1);
    }
    // A source that is not a data directory: nothing is created, neither there nor in the target.
    ProcessResult r = migrate(local(work->path() + "/empty"), local(dst));
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.contains("not a filetracker data directory"), r.err.constData());
    QVERIFY(!QFileInfo::exists(work->path() + "/empty"));
    QVERIFY(!QFileInfo::exists(dst));
  }

  void localToLocalVerifiesEveryBlob() {
    // Runs without the services: a local store copied into another, one of
    // its blob files damaged. That file is reported and not copied, every
    // other one is; a server running on the source makes it refuse (exit 2).
    auto work = scratch_dir(QStringLiteral("migrate"));
    const QString src = work->path() + "/src", dst = work->path() + "/dst";
    Files files;
    {
      TestServer server(src, {"--inline-max-size", "0"});  // every blob a file, so one can be damaged
      QVERIFY(server.start());
      for (int i = 0; i < 6; ++i) {
        const QByteArray name = "/l/f" + QByteArray::number(i);
        files[name] = {randomBytes(2000 + 500 * i, 10 + i), 1420070400 + i};
        QCOMPARE(put(server.port(), name, files[name].content, files[name].version).status, 200);
      }
      ProcessResult busy = migrate(local(src), local(dst));
      QCOMPARE(busy.code, 2);
      QVERIFY2(busy.err.contains("running on this directory"), busy.err.constData());
    }
    const QByteArray damagedSha = sha256Hex(files["/l/f3"].content);
    const fs::path blob = fs::path(src.toStdString()) / "blobs" / damagedSha.left(2).toStdString() / damagedSha.toStdString();
    QVERIFY(fs::exists(blob));
    QVERIFY(write_file(blob, gzip(randomBytes(2000 + 500 * 3, 99)).toStdString()));
    const QByteArray before = treeDigest(fs::path(src.toStdString()));

    ProcessResult r = migrate(local(src), local(dst));
    QCOMPARE(r.code, 1);
    QVERIFY2(r.out.contains("problem: /l/f3: blob " + damagedSha + " decompresses to"), r.out.constData());
    const Summary s = summaryOf(r.out);
    QCOMPARE(s.copied, 5);
    QCOMPARE(treeDigest(fs::path(src.toStdString())), before);
    files.erase("/l/f3");
    verifyLocalStore(dst, files);
  }

  void roundTripLocalToSharedAndBack() {
    if (!scaleoutAvailable()) QSKIP(scaleoutMissingReason());
    auto work = scratch_dir(QStringLiteral("migrate"));
    const QString src = work->path() + "/src", back = work->path() + "/back";
    const QString store = uniqueStoreName();
    Files files;
    {
      // Small files (inline blobs in the SQLite index), blob files, one
      // content under two names, an empty file, a replaced file.
      TestServer server(src);
      QVERIFY(server.start());
      auto store_file = [&](const QByteArray& name, const QByteArray& content, qint64 version) {
        files[name] = {content, version};
        QCOMPARE(put(server.port(), name, content, version).status, 200);
      };
      for (int i = 0; i < 30; ++i)
        store_file("/rt/small/" + QByteArray::number(i), randomBytes(100 + 97 * i, 200 + i), 1420070000 + 13 * i);
      store_file("/rt/big.bin", randomBytes(3 << 20, 5), 1500000000);
      store_file("/rt/mixed.txt", mixedBytes(700 * 1024, 6), 1500000001);
      store_file("/rt/dup/a", randomBytes(90 * 1024, 7), 1420070410);
      store_file("/rt/dup/b", files["/rt/dup/a"].content, 1420070999);
      store_file("/rt/empty", QByteArray(), 1420070410);
      QCOMPARE(put(server.port(), "/rt/replaced", "old", 1420070000).status, 200);
      store_file("/rt/replaced", "new content", 1420079000);
    }
    const QByteArray before = treeDigest(fs::path(src.toStdString()));

    ProcessResult r = migrate(local(src), sharedStore(store));
    QVERIFY2(r.code == 0, r.out + r.err);
    Summary s = summaryOf(r.out);
    QCOMPARE(s.copied, qint64(files.size()));
    QCOMPARE(s.already, 0);
    QCOMPARE(treeDigest(fs::path(src.toStdString())), before);  // the source is only read
    QCOMPARE(referenceMismatches(store), QStringLiteral("0"));
    QCOMPARE(psql(store, "SELECT count(*) FROM files"), QString::number(files.size()));
    QCOMPARE(psql(store, "SELECT count(*) FROM blobs"), QString::number(files.size() - 1));  // dup/a = dup/b
    // Small blobs inside PostgreSQL (the default --inline-max-size), the three big ones in S3.
    QCOMPARE(psql(store, "SELECT count(*) FROM inline_blobs"), QString::number(files.size() - 1 - 3));
    {
      TestServer shared({}, scaleoutArgs(store) << "--blob-cache-size" << "0");
      QVERIFY(shared.start());
      verifyServed(shared.port(), files);
    }

    // Again: everything is there already, nothing is copied.
    r = migrate(local(src), sharedStore(store));
    QVERIFY2(r.code == 0, r.out + r.err);
    s = summaryOf(r.out);
    QCOMPARE(s.copied, 0);
    QCOMPARE(s.already, qint64(files.size()));

    // And back into a fresh local directory: the same files, a consistent store.
    r = migrate(sharedStore(store), local(back));
    QVERIFY2(r.code == 0, r.out + r.err);
    QCOMPARE(summaryOf(r.out).copied, qint64(files.size()));
    verifyLocalStore(back, files);
  }

  void killedMidWayCompletesWithoutCopyingTwice() {
    if (!scaleoutAvailable()) QSKIP(scaleoutMissingReason());
    auto work = scratch_dir(QStringLiteral("migrate"));
    const fs::path tree = path_of(*work) / "tree";
    const QString src = work->path() + "/src";
    const QString store = uniqueStoreName();
    const int total = 600;
    Files files;
    for (int i = 0; i < total; ++i) {
      const QByteArray name = "/k/" + QByteArray::number(i % 10) + "/f" + QByteArray::number(i);
      files[name] = {randomBytes(1000 + (i * 37) % 3000, 1000 + i), 1300000000 + i};
      QVERIFY(write_file(tree / name.mid(1).toStdString(), files[name].content.toStdString()));
      touch(tree / name.mid(1).toStdString(), files[name].version);
    }
    ProcessResult imported = runProcess(TestServer::binary(), {"-d", src, "--import-tree",
                                                               QString::fromStdString(tree.string())});
    QVERIFY2(imported.code == 0, imported.out + imported.err);

    // Killed (SIGKILL) once some batches are committed, well before the end.
    Process run;
    run.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    // Every blob through S3 (--inline-max-size 0: none inside PostgreSQL), so
    // the run takes long enough to be killed half-way.
    run.start(TestServer::binary(),
              {"--migrate-storage", "--inline-max-size", "0", "--from", local(src), "--to", sharedStore(store)});
    QVERIFY(run.waitForStarted());
    QDeadlineTimer deadline(60000);
    qint64 committed = 0;
    while (!deadline.hasExpired() && run.state() == QProcess::Running) {
      committed = psql(store, "SELECT count(*) FROM files").toLongLong();
      if (committed > 0) break;
      QThread::msleep(20);
    }
    QVERIFY2(run.state() == QProcess::Running, "the migration ended before it could be killed");
    run.kill();
    QVERIFY(run.waitForFinished());
    committed = psql(store, "SELECT count(*) FROM files").toLongLong();
    qInfo("killed with %lld of %d files committed", committed, total);
    QVERIFY(committed > 0);
    QVERIFY(committed < total);
    QCOMPARE(referenceMismatches(store), QStringLiteral("0"));

    // Run again: it copies exactly the files no committed transaction
    // held (each copy is a PUT of a name the target lacked), skips the rest
    // without reading their blobs, and the store is complete.
    ProcessResult r = runProcess(TestServer::binary(), {"--migrate-storage", "--inline-max-size", "0", "--from",
                                                        local(src), "--to", sharedStore(store)},
                                 QProcessEnvironment::systemEnvironment(), 300000);
    QVERIFY2(r.code == 0, r.out + r.err);
    const Summary s = summaryOf(r.out);
    QCOMPARE(s.already, committed);
    QCOMPARE(s.copied, total - committed);
    QCOMPARE(psql(store, "SELECT count(*) FROM files"), QString::number(total));
    QCOMPARE(psql(store, "SELECT count(*) FROM inline_blobs"), QStringLiteral("0"));  // all in S3
    QCOMPARE(referenceMismatches(store), QStringLiteral("0"));
    TestServer shared({}, scaleoutArgs(store) << "--blob-cache-size" << "0");
    QVERIFY(shared.start());
    verifyServed(shared.port(), files);
  }
};

QTEST_GUILESS_MAIN(TestServerMigrate)
#include "test_server_migrate.moc"
