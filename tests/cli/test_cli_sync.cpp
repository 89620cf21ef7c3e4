// `filetracker sync` end to end: the real CLI against the real server on
// loopback (with extensions, and `--no-extensions` where the CLI has to
// read remote files to hash them). Upload and download, --dry-run printing
// exactly the plan a real run then carries out, --delete, a change found by
// content when size and mtime stay the same, a second run that sends no
// file body (the server's /metrics counts the PUTs), and a sync killed
// half-way (through a proxy that trickles the uploads) that a re-run
// completes and a third run finds nothing to do for.
#include <QDir>
#include <QDirIterator>
#include <QRegularExpression>
#include <QtTest>

#include <csignal>
#include <filesystem>

#include "content.hpp"
#include "files.hpp"
#include "holding_proxy.hpp"
#include "process.hpp"
#include "raw_http.hpp"
#include "temp_dirs.hpp"
#include "test_server.hpp"

namespace {

constexpr qint64 kVersion = 1420070410;

// The action lines of a sync's stdout (everything but the summary).
QByteArrayList actions(const QByteArray& out) {
  QByteArrayList lines = out.split('\n');
  QByteArrayList result;
  for (const auto& l : lines)
    if (!l.isEmpty() && !l.startsWith("sync")) result << l;
  return result;
}

QByteArray summary(const QByteArray& out) {
  for (const auto& l : out.split('\n'))
    if (l.startsWith("sync")) return l;
  return {};
}

}  // namespace

class TestCliSync : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    bin_ = QString::fromLocal8Bit(qgetenv("FILETRACKER_CLI_BIN"));
    QVERIFY2(!bin_.isEmpty() && QFile::exists(bin_), "FILETRACKER_CLI_BIN must name the filetracker binary");
    QVERIFY2(!TestServer::binary().isEmpty(), "FILETRACKER_SERVER_BIN must name the server binary");
  }
  void init() {
    tmp_ = std::make_unique<QTemporaryDir>(test::tempTemplate("cli-sync"));
    QVERIFY(tmp_->isValid());
  }

  void uploadDryRunDeleteAndContentChange_data() {
    QTest::addColumn<QStringList>("serverArgs");
    QTest::newRow("with extensions") << QStringList{};
    QTest::newRow("without extensions (plain v2)") << QStringList{"--no-extensions"};
  }
  void uploadDryRunDeleteAndContentChange() {
    QFETCH(QStringList, serverArgs);
    const bool plain = !serverArgs.isEmpty();
    TestServer server(QString(), serverArgs);
    QVERIFY(server.start());
    const QString local = tmp_->filePath("local");
    QVERIFY(test::writeFile(local + "/a.txt", "first content"));
    QVERIFY(test::writeFile(local + "/sub/b.txt", test::mixedBytes(5000, 2)));
    QVERIFY(test::writeFile(local + "/sub/deep/c.txt", ""));

    auto first = run(server, {"sync", local, "/s"});
    QVERIFY2(first.code == 0, first.err.constData());
    QCOMPARE(actions(first.out), (QByteArrayList{"add /s/a.txt", "add /s/sub/b.txt", "add /s/sub/deep/c.txt"}));
    QVERIFY2(summary(first.out).startsWith("sync: 3 added, 0 updated, 0 deleted, 0 unchanged, 0 extras kept; "),
             first.out.constData());
    QCOMPARE(test::content(server.port(), "/s/a.txt"), QByteArray("first content"));
    QCOMPARE(test::content(server.port(), "/s/sub/b.txt"), test::mixedBytes(5000, 2));

    // Nothing changed: no file body goes out, and (with the JSON listing)
    // two requests: /version and the listing.
    const double putsBefore = test::requestsCounted(server.port(), "PUT");
    auto again = run(server, {"sync", local, "/s"});
    QVERIFY2(again.code == 0, again.err.constData());
    QVERIFY(actions(again.out).isEmpty());
    QVERIFY2(summary(again.out).startsWith("sync: 0 added, 0 updated, 0 deleted, 3 unchanged, 0 extras kept; "),
             again.out.constData());
    // A plain server: /version, the listing, a HEAD per file for its size,
    // and (no checksums there) a GET of each to hash it; every one counted.
    QVERIFY2(summary(again.out).endsWith(plain ? "; 8 requests" : "; 2 requests"), again.out.constData());
    QCOMPARE(test::requestsCounted(server.port(), "PUT"), putsBefore);

    // Change a.txt's content, keeping its size and mtime; add d.txt; the
    // server gets an extra the local folder lacks.
    const auto aPath = std::filesystem::path(local.toStdString()) / "a.txt";
    const long long mtime = test::mtime_of(aPath);
    QVERIFY(test::writeFile(local + "/a.txt", "FIRST CONTENT"));
    test::touch(aPath, mtime);
    QCOMPARE(test::mtime_of(aPath), mtime);
    QVERIFY(test::writeFile(local + "/d.txt", "new"));
    QCOMPARE(test::put(server.port(), "/s/extra.txt", "only remote", kVersion).status, 200);

    const QByteArrayList plan{"update /s/a.txt", "add /s/d.txt", "delete /s/extra.txt"};
    auto dry = run(server, {"sync", "--dry-run", "--delete", local, "/s"});
    QVERIFY2(dry.code == 0, dry.err.constData());
    QCOMPARE(actions(dry.out), plan);
    QVERIFY2(summary(dry.out).startsWith("sync --dry-run (nothing changed): 1 to be added, 1 to be updated, 1 to be "
                                         "deleted, 2 unchanged"),
             dry.out.constData());
    // ... and nothing changed.
    QCOMPARE(test::content(server.port(), "/s/a.txt"), QByteArray("first content"));
    int status = 0;
    test::content(server.port(), "/s/d.txt", &status);
    QCOMPARE(status, 404);
    QCOMPARE(test::content(server.port(), "/s/extra.txt"), QByteArray("only remote"));

    // Without --delete the extra stays and is counted.
    auto keep = run(server, {"sync", "--dry-run", local, "/s"});
    QCOMPARE(actions(keep.out), (QByteArrayList{"update /s/a.txt", "add /s/d.txt"}));
    QVERIFY2(summary(keep.out).contains("1 extra kept"), keep.out.constData());

    // The real run does exactly the plan.
    auto real = run(server, {"sync", "--delete", local, "/s"});
    QVERIFY2(real.code == 0, real.err.constData());
    QCOMPARE(actions(real.out), plan);
    QVERIFY2(summary(real.out).startsWith("sync: 1 added, 1 updated, 1 deleted, 2 unchanged, 0 extras kept; "),
             real.out.constData());
    QCOMPARE(test::content(server.port(), "/s/a.txt"), QByteArray("FIRST CONTENT"));
    QCOMPARE(test::content(server.port(), "/s/d.txt"), QByteArray("new"));
    test::content(server.port(), "/s/extra.txt", &status);
    QCOMPARE(status, 404);
    auto settled = run(server, {"sync", "--delete", local, "/s"});
    QVERIFY2(actions(settled.out).isEmpty(), settled.out.constData());
  }

  void download_data() { uploadDryRunDeleteAndContentChange_data(); }
  void download() {
    QFETCH(QStringList, serverArgs);
    TestServer server(QString(), serverArgs);
    QVERIFY(server.start());
    QCOMPARE(test::put(server.port(), "/r/a.txt", "alpha", kVersion).status, 200);
    QCOMPARE(test::put(server.port(), "/r/x/y/b.bin", test::randomBytes(70000, 3), kVersion + 60).status, 200);
    const QString local = tmp_->filePath("down");  // does not exist yet

    auto dry = run(server, {"sync", "--download", "--dry-run", "/r", local});
    QVERIFY2(dry.code == 0, dry.err.constData());
    const QByteArrayList plan{("add " + local + "/a.txt").toUtf8(), ("add " + local + "/x/y/b.bin").toUtf8()};
    QCOMPARE(actions(dry.out), plan);
    QVERIFY(!QFileInfo::exists(local));

    auto first = run(server, {"sync", "--download", "/r", local});
    QVERIFY2(first.code == 0, first.err.constData());
    QCOMPARE(actions(first.out), plan);
    QCOMPARE(test::readFile(local + "/a.txt"), QByteArray("alpha"));
    QCOMPARE(test::readFile(local + "/x/y/b.bin"), test::randomBytes(70000, 3));
    QCOMPARE(test::mtime_of((std::filesystem::path(local.toStdString()) / "a.txt")), kVersion);  // the version

    // Same size and mtime, other content: found by content and restored; a
    // local extra goes with --delete.
    QVERIFY(test::writeFile(local + "/a.txt", "ALPHA"));
    test::touch(std::filesystem::path(local.toStdString()) / "a.txt", kVersion);
    QVERIFY(test::writeFile(local + "/mine.txt", "local only"));
    // Extras in folders of their own: the folders they leave empty go too
    // (x/y keeps b.bin, so x stays).
    QVERIFY(test::writeFile(local + "/old/deep/er.txt", "gone"));
    QVERIFY(test::writeFile(local + "/x/y/z/extra.txt", "gone"));
    auto second = run(server, {"sync", "--download", "--delete", "/r", local});
    QVERIFY2(second.code == 0, second.err.constData());
    QCOMPARE(actions(second.out), (QByteArrayList{("update " + local + "/a.txt").toUtf8(),
                                                  ("delete " + local + "/mine.txt").toUtf8(),
                                                  ("delete " + local + "/old/deep/er.txt").toUtf8(),
                                                  ("delete " + local + "/x/y/z/extra.txt").toUtf8()}));
    QCOMPARE(test::readFile(local + "/a.txt"), QByteArray("alpha"));
    QVERIFY(!QFileInfo::exists(local + "/mine.txt"));
    QVERIFY(!QFileInfo::exists(local + "/old"));
    QVERIFY(!QFileInfo::exists(local + "/x/y/z"));
    QVERIFY(QFileInfo(local + "/x/y").isDir());
    QVERIFY(QFileInfo(local).isDir());
    // No temporary left behind anywhere below.
    QStringList all;
    QDirIterator it(local, QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
    while (it.hasNext()) all << it.next().mid(local.size());
    all.sort();
    QCOMPARE(all, (QStringList{"/a.txt", "/x/y/b.bin"}));
  }

  // Hostile or broken input: one line, nothing changed.
  void badInput() {
    TestServer server;
    QVERIFY(server.start());
    QCOMPARE(test::put(server.port(), "/r/a.txt", "alpha", kVersion).status, 200);
    auto r = run(server, {"sync", tmp_->filePath("missing"), "/s"});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains("no such directory") && r.err.count('\n') == 1, r.err.constData());
    r = run(server, {"sync", "--download", "/nope", tmp_->filePath("d")});
    QCOMPARE(r.code, 1);
    QVERIFY(!QFileInfo::exists(tmp_->filePath("d")));
    // A local name that is no filetracker name ('@' in it): refused before any upload.
    const QString local = tmp_->filePath("bad");
    QVERIFY(test::writeFile(local + "/ok.txt", "fine"));
    QVERIFY(test::writeFile(local + "/x@1.txt", "no"));
    r = run(server, {"sync", local, "/b"});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains("x@1.txt: cannot be uploaded") && r.err.count('\n') == 1, r.err.constData());
    int status = 0;
    test::content(server.port(), "/b/ok.txt", &status);
    QCOMPARE(status, 404);
    // A symbolic link planted in the download folder is not written through.
    const QString down = tmp_->filePath("down");
    QVERIFY(QDir().mkpath(tmp_->filePath("elsewhere")));
    QVERIFY(QDir().mkpath(down));
    QCOMPARE(test::put(server.port(), "/r/sub/z.txt", "zzz", kVersion).status, 200);
    QVERIFY(QFile::link(tmp_->filePath("elsewhere"), down + "/sub"));
    r = run(server, {"sync", "--download", "/r", down});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains("is a symbolic link"), r.err.constData());
    QVERIFY(!QFileInfo::exists(tmp_->filePath("elsewhere/z.txt")));
  }

  // kill -9 half-way, then the re-run completes and a third run moves nothing.
  void killedSyncIsCompletedByARerun() {
    TestServer server;
    QVERIFY(server.start());
    const QString local = tmp_->filePath("many");
    constexpr int kFiles = 40;
    for (int i = 0; i < kFiles; ++i)
      QVERIFY(test::writeFile(local + QString("/f%1.bin").arg(i, 3, 10, QChar('0')), test::randomBytes(9000, 100 + i)));
    // Uploads trickle through the proxy (4 KiB per 150 ms): the sync is
    // provably in the middle when it is killed.
    test::HoldingProxy proxy(server.port(), test::HoldingProxy::Held::ToServer);
    QVERIFY(proxy.listening());
    test::Process cli;
    cli.setProcessEnvironment(environment());
    cli.start(bin_, {"-r", proxy.url(), "-c", tmp_->filePath("cache"), "sync", local, "/k"});
    QVERIFY(cli.waitForStarted());
    QByteArray seen;
    while (seen.count('\n') < 3 && cli.state() == QProcess::Running) {
      cli.waitForReadyRead(200);
      seen += cli.readAllStandardOutput();
    }
    QVERIFY2(seen.count('\n') >= 3, seen.constData());
    QCOMPARE(cli.state(), QProcess::Running);  // half-way, not done
    ::kill(static_cast<pid_t>(cli.processId()), SIGKILL);
    QVERIFY(cli.waitForFinished(10000));
    proxy.release();
    // The killed upload's connection is closed through to the server, which drops the cut body.
    for (int i = 0; i < 100 && proxy.connections_open() > 0; ++i) QTest::qWait(50);
    QCOMPARE(proxy.connections_open(), 0);

    // Whatever the server holds now is whole (a cut upload is not stored).
    int stored = 0;
    for (int i = 0; i < kFiles; ++i) {
      int status = 0;
      QByteArray got = test::content(server.port(), QString("/k/f%1.bin").arg(i, 3, 10, QChar('0')).toUtf8(), &status);
      if (status == 200) {
        QCOMPARE(got, test::randomBytes(9000, 100 + i));
        ++stored;
      }
    }
    QVERIFY2(stored >= 3 && stored < kFiles - 10, QByteArray::number(stored).constData());

    // The re-run uploads the rest (its own count of what is unchanged
    // decides: a body that reached the server whole just before the kill
    // may have been stored after the count above).
    auto rerun = run(server, {"sync", local, "/k"});
    QVERIFY2(rerun.code == 0, rerun.err.constData());
    static const QRegularExpression counts("^sync: (\\d+) added, 0 updated, 0 deleted, (\\d+) unchanged, 0 extras kept; ");
    const auto m = counts.match(QString::fromUtf8(summary(rerun.out)));
    QVERIFY2(m.hasMatch(), rerun.out.constData());
    const int added = m.captured(1).toInt(), unchanged = m.captured(2).toInt();
    QCOMPARE(added + unchanged, kFiles);
    QVERIFY(unchanged >= stored && unchanged <= stored + 1);
    QCOMPARE(actions(rerun.out).size(), added);
    for (int i = 0; i < kFiles; ++i)
      QCOMPARE(test::content(server.port(), QString("/k/f%1.bin").arg(i, 3, 10, QChar('0')).toUtf8()),
               test::randomBytes(9000, 100 + i));

    const double puts = test::requestsCounted(server.port(), "PUT");
    auto third = run(server, {"sync", local, "/k"});
    QVERIFY(actions(third.out).isEmpty());
    QVERIFY2(summary(third.out) ==
                 QByteArray("sync: 0 added, 0 updated, 0 deleted, 40 unchanged, 0 extras kept; 2 requests"),
             third.out.constData());
    QCOMPARE(test::requestsCounted(server.port(), "PUT"), puts);
  }

 private:
  QProcessEnvironment environment() const {
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove("FILETRACKER_URL");
    env.remove("FILETRACKER_DIR");
    env.insert("HOME", tmp_->filePath("home"));
    return env;
  }
  test::ProcessResult run(const TestServer& server, const QStringList& args) {
    return test::runProcess(bin_, QStringList{"-r", server.url(), "-c", tmp_->filePath("cache")} + args,
                            environment());
  }

  QString bin_;
  std::unique_ptr<QTemporaryDir> tmp_;
};

QTEST_GUILESS_MAIN(TestCliSync)
#include "test_cli_sync.moc"
