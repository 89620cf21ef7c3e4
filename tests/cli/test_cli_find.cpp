// `filetracker find` end to end: the real CLI against the real server on
// loopback, once with the server's find extension and once against
// `--no-extensions` (the plain-v2 fallback: /list matched by the CLI, a HEAD
// per candidate) — the same lines either way. Also the find listing's pages
// on the wire.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include "access_file.hpp"
#include "process.hpp"
#include "raw_http.hpp"
#include "temp_dirs.hpp"
#include "test_server.hpp"

namespace {

constexpr qint64 kVersion = 1420070410;  // 2015-01-01 00:00:10 UTC

struct StoredFile {
  const char* name;
  int size;
  qint64 age;  // version = kVersion + age
};
const StoredFile kFiles[] = {
    {"/problems/abc/tests/1a.in", 10, 0},     {"/problems/abc/tests/2a.in", 20, 100},
    {"/problems/abc/tests/1a.out", 5, 200},   {"/problems/xyz/tests/1b.in", 30, 300},
    {"/problems/xyz/deep/tests/1c.in", 1, 0}, {"/other/r.out", 7, 400},
};

QByteArray line(const char* name) {
  for (const auto& f : kFiles)
    if (qstrcmp(f.name, name) == 0) return QByteArray(name) + "@" + QByteArray::number(kVersion + f.age) + "  " +
                                           QByteArray::number(f.size) + "\n";
  return "?";
}

}  // namespace

class TestCliFind : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    bin_ = QString::fromLocal8Bit(qgetenv("FILETRACKER_CLI_BIN"));
    QVERIFY2(!bin_.isEmpty() && QFile::exists(bin_), "FILETRACKER_CLI_BIN must name the filetracker binary");
    QVERIFY2(!TestServer::binary().isEmpty(), "FILETRACKER_SERVER_BIN must name the server binary");
    tmp_ = std::make_unique<QTemporaryDir>(test::tempTemplate("cli-find"));
    QVERIFY(tmp_->isValid());
    ours_ = std::make_unique<TestServer>();
    plain_ = std::make_unique<TestServer>(QString(), QStringList{"--no-extensions"});
    QVERIFY(ours_->start());
    QVERIFY(plain_->start());
    for (TestServer* s : {ours_.get(), plain_.get()})
      for (const auto& f : kFiles)
        QCOMPARE(test::put(s->port(), f.name, QByteArray(f.size, 'x'), kVersion + f.age).status, 200);
  }

  void queries_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("basename glob at any depth")
        << QStringList{"--name", "*.out", "/"} << line("/other/r.out") + line("/problems/abc/tests/1a.out");
    QTest::newRow("issue's absolute glob") << QStringList{"--name", "/problems/*/tests/1*.in", "/"}
                                           << line("/problems/abc/tests/1a.in") + line("/problems/xyz/tests/1b.in");
    QTest::newRow("** across directories")
        << QStringList{"--name", "/problems/**/tests/1*.in"}
        << line("/problems/abc/tests/1a.in") + line("/problems/xyz/deep/tests/1c.in") +
               line("/problems/xyz/tests/1b.in");
    QTest::newRow("min size below a directory")
        << QStringList{"--name", "*.in", "--min-size", "10", "/problems"}
        << line("/problems/abc/tests/1a.in") + line("/problems/abc/tests/2a.in") + line("/problems/xyz/tests/1b.in");
    QTest::newRow("max size, every name") << QStringList{"--max-size", "5B", "/problems"}
                                          << line("/problems/abc/tests/1a.out") + line("/problems/xyz/deep/tests/1c.in");
    QTest::newRow("version window (Unix seconds)")
        << QStringList{"--newer", QString::number(kVersion + 100), "--older", QString::number(kVersion + 300), "/"}
        << line("/problems/abc/tests/1a.out") + line("/problems/abc/tests/2a.in");
    QTest::newRow("newer as a date, as ls prints it")
        << QStringList{"--newer", "2015-01-01 00:01:50", "--name", "*.in"}
        << line("/problems/abc/tests/2a.in") + line("/problems/xyz/tests/1b.in");
    QTest::newRow("older as a day") << QStringList{"--older", "2015-01-01", "/"} << QByteArray();
    QTest::newRow("relative glob") << QStringList{"--name", "abc/tests/?a.*", "/problems"}
                                   << line("/problems/abc/tests/1a.in") + line("/problems/abc/tests/1a.out") +
                                          line("/problems/abc/tests/2a.in");
    QTest::newRow("class") << QStringList{"--name", "[2-9]*", "/"} << line("/problems/abc/tests/2a.in");
    QTest::newRow("pattern outside DIR finds nothing") << QStringList{"--name", "/other/*", "/problems"} << QByteArray();
    QTest::newRow("literal directory that does not exist")
        << QStringList{"--name", "/problems/nope/*", "/"} << QByteArray();
  }

  // The same lines from both servers: the extension and the fallback agree.
  void queries() {
    QFETCH(QStringList, args);
    QFETCH(QByteArray, expected);
    for (TestServer* s : {ours_.get(), plain_.get()}) {
      const bool plain = s == plain_.get();
      auto r = run(s, QStringList{"-v", "find"} + args);
      QVERIFY2(r.code == 0, r.err.constData());
      QCOMPARE(r.out, expected);
      QVERIFY2(r.err.contains(plain ? "listing matched here" : "searched by the server"), r.err.constData());
    }
  }

  void errors_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    QTest::newRow("missing directory") << QStringList{"find", "/nope"} << "/nope: HTTP 400: no such directory";
    QTest::newRow("bad pattern") << QStringList{"find", "--name", "", "/"} << "invalid pattern \"\": it is empty";
    QTest::newRow("bad date") << QStringList{"find", "--newer", "yesterday", "/"} << "--newer: not a date";
    QTest::newRow("impossible date") << QStringList{"find", "--older", "2015-02-30", "/"} << "--older: not a date";
    QTest::newRow("bad size") << QStringList{"find", "--min-size", "12X", "/"} << "invalid size \"12X\"";
  }
  void errors() {
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    for (TestServer* s : {ours_.get(), plain_.get()}) {
      auto r = run(s, args);
      QCOMPARE(r.code, 1);
      QVERIFY(r.out.isEmpty());
      QVERIFY2(r.err.startsWith("filetracker: ") && r.err.count('\n') == 1, r.err.constData());
      QVERIFY2(r.err.contains(message.toUtf8()), r.err.constData());
    }
  }

  // The extension on the wire: pages of at most `limit`, "next" naming where
  // the following one starts, names in order, the last page without "next";
  // advertised in /version; bad parameters 400 with a reason.
  void pagesOnTheWire() {
    RawResponse version = rawRequest(ours_->port(), "GET", "/version");
    QVERIFY(QJsonDocument::fromJson(version.body).object().value("extensions").toArray().contains("find"));
    QVERIFY(!QJsonDocument::fromJson(rawRequest(plain_->port(), "GET", "/version").body)
                 .object()
                 .contains("extensions"));
    const RawHeaders json{{"Accept", "application/json"}};
    QStringList seen;
    QByteArray after;
    int pages = 0;
    for (;;) {
      QByteArray target = "/list/?pattern=*&limit=4";
      if (!after.isEmpty()) target += "&after=" + after.toPercentEncoding();
      RawResponse r = rawRequest(ours_->port(), "GET", target, json);
      QCOMPARE(r.status, 200);
      QJsonObject o = QJsonDocument::fromJson(r.body).object();
      const auto files = o.value("files").toArray();
      QVERIFY(files.size() <= 4);
      for (const auto& f : files) seen << "/" + f.toObject().value("name").toString();
      ++pages;
      if (!o.contains("next")) break;
      QCOMPARE(files.size(), 4);
      after = o.value("next").toString().toUtf8();
      QCOMPARE(after, seen.last().toUtf8());
      QVERIFY(pages < 10);
    }
    QCOMPARE(pages, 2);
    QStringList all;
    for (const auto& f : kFiles) all << f.name;
    std::sort(all.begin(), all.end());
    QCOMPARE(seen, all);  // every file once, in name order

    RawResponse bad = rawRequest(ours_->port(), "GET", "/list/?pattern=*&min_size=-1", json);
    QCOMPARE(bad.status, 400);
    QVERIFY2(bad.headers.value("x-exception").startsWith("min_size is not an integer"),
             bad.headers.value("x-exception").constData());
    bad = rawRequest(ours_->port(), "GET", "/list/?pattern=%5B&limit=0", json);
    QCOMPARE(bad.status, 400);
    // Without Accept: application/json the listing stays version 2's, the parameter ignored.
    RawResponse plain = rawRequest(ours_->port(), "GET", "/list/?pattern=*.out");
    QCOMPARE(plain.status, 200);
    QCOMPARE(plain.body.count('\n'), int(std::size(kFiles)));
  }

  // With access control a principal limited to a prefix finds only what it
  // may read, on the server side as in its plain listing.
  void restrictedPrincipalFindsOnlyItsPrefix() {
    test::TestAccessFile access;
    QVERIFY(access.add("op", "op-secret", "admin"));
    QVERIFY(access.add("judge", "judge-secret", "read", {"/problems/abc/"}));
    TestServer server(QString(), QStringList{"--auth", access.path()});
    QVERIFY(server.start());
    const RawHeaders op{{"Authorization", "Basic " + QByteArray("op:op-secret").toBase64()}};
    for (const auto& f : kFiles)
      QCOMPARE(test::put(server.port(), f.name, QByteArray(f.size, 'x'), kVersion + f.age, op).status, 200);
    auto r = run(&server, {"find", "--name", "*.in", "/"}, {{"FILETRACKER_USER", "judge"}, {"FILETRACKER_PASSWORD", "judge-secret"}});
    QVERIFY2(r.code == 0, r.err.constData());
    QCOMPARE(r.out, line("/problems/abc/tests/1a.in") + line("/problems/abc/tests/2a.in"));
    r = run(&server, {"find", "--name", "*.in", "/"}, {{"FILETRACKER_USER", "op"}, {"FILETRACKER_PASSWORD", "op-secret"}});
    QCOMPARE(r.out.count('\n'), 4);
  }

  void cleanupTestCase() {
    ours_.reset();
    plain_.reset();
  }

 private:
  test::ProcessResult run(TestServer* server, const QStringList& args, const QMap<QString, QString>& extraEnv = {}) {
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove("FILETRACKER_URL");
    env.remove("FILETRACKER_DIR");
    for (auto it = extraEnv.begin(); it != extraEnv.end(); ++it) env.insert(it.key(), it.value());
    env.insert("HOME", tmp_->filePath("home"));
    return test::runProcess(bin_, QStringList{"-r", server->url(), "-c", tmp_->filePath("cache")} + args, env);
  }

  QString bin_;
  std::unique_ptr<QTemporaryDir> tmp_;
  std::unique_ptr<TestServer> ours_, plain_;
};

QTEST_GUILESS_MAIN(TestCliFind)
#include "test_cli_find.moc"
