// The `filetracker` command line against a server with access control
// (--auth, principals made by the real `filetracker-server passwd`):
// credentials from the URL, FILETRACKER_USER/FILETRACKER_PASSWORD,
// FILETRACKER_TOKEN and ~/.netrc; a refusal is one clear line and exit 1;
// no message ever shows a secret.
#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include "access_file.hpp"
#include "files.hpp"
#include "process.hpp"
#include "temp_dirs.hpp"
#include "test_server.hpp"
#include "tls_certificate.hpp"

namespace {

using Run = test::ProcessResult;
using EnvMap = QMap<QString, QString>;

QString hostPort(const TestServer& server) { return QStringLiteral("127.0.0.1:%1").arg(server.port()); }

}  // namespace

class TestCliAuth : public QObject {
  Q_OBJECT
  QString bin_;
  std::unique_ptr<QTemporaryDir> tmp_;
  std::unique_ptr<test::TestAccessFile> access_;
  std::unique_ptr<TestServer> server_;
  QByteArray robotToken_;
  int caches_ = 0;

  QProcessEnvironment environment(const QMap<QString, QString>& extra = {}) const {
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (auto name : {"FILETRACKER_URL", "FILETRACKER_DIR", "FILETRACKER_LOCKS_DIR", "FILETRACKER_USER",
                      "FILETRACKER_PASSWORD", "FILETRACKER_TOKEN", "FILETRACKER_CACERT"})
      env.remove(name);
    env.insert("HOME", tmp_->filePath("home"));  // no real ~/.netrc, no real cache
    for (auto it = extra.begin(); it != extra.end(); ++it) env.insert(it.key(), it.value());
    return env;
  }
  // A fresh cache each run: every answer really comes from the server.
  Run run(const QString& url, const QStringList& args, const QMap<QString, QString>& env = {}) {
    const QString cache = tmp_->filePath(QStringLiteral("cache%1").arg(++caches_));
    return test::runProcess(bin_, QStringList{"-r", url, "-c", cache} + args, environment(env));
  }
  QString url(const QString& userinfo = {}) const {
    return "http://" + (userinfo.isEmpty() ? QString() : userinfo + "@") + hostPort(*server_);
  }

 private slots:
  void initTestCase() {
    bin_ = qEnvironmentVariable("FILETRACKER_CLI_BIN");
    QVERIFY2(!bin_.isEmpty(), "FILETRACKER_CLI_BIN is not set");
    tmp_ = std::make_unique<QTemporaryDir>(test::tempTemplate("cli-auth"));
    QVERIFY(QDir().mkpath(tmp_->filePath("home")));
    access_ = std::make_unique<test::TestAccessFile>();
    QVERIFY(access_->add("op", "op@secret:x", "admin"));
    QVERIFY(access_->add("judge", "judge-secret", "read", {"/tests/"}));
    QVERIFY(access_->add("web", "web-secret", "write"));
    QVERIFY(access_->add("reader", "reader-secret", "read"));
    robotToken_ = access_->addGenerated("robot", "read");
    QVERIFY(robotToken_.startsWith("robot."));
    server_ = std::make_unique<TestServer>(QString(), QStringList{"--auth", access_->path()});
    QVERIFY(server_->start());
    QVERIFY(test::writeFile(tmp_->filePath("a.in"), "test input\n"));
    // The admin's secret has '@' and ':': percent-encoded in the URL.
    for (auto name : {"/tests/a.in", "/problems/p.txt"}) {
      Run put = run(url("op:op%40secret%3Ax"), {"put", tmp_->filePath("a.in"), name});
      QVERIFY2(put.code == 0, put.err.constData());
    }
  }
  void cleanupTestCase() { server_.reset(); }

  void credentialSources_data() {
    QTest::addColumn<QString>("userinfo");
    QTest::addColumn<EnvMap>("env");
    QTest::addColumn<QString>("netrc");
    QTest::newRow("URL") << "judge:judge-secret" << EnvMap{} << QString();
    QTest::newRow("FILETRACKER_USER/PASSWORD")
        << QString() << EnvMap{{"FILETRACKER_USER", "judge"}, {"FILETRACKER_PASSWORD", "judge-secret"}}
        << QString();
    QTest::newRow("FILETRACKER_TOKEN") << QString() << EnvMap{{"FILETRACKER_TOKEN", "ROBOT"}} << QString();
    QTest::newRow("~/.netrc") << QString() << EnvMap{}
                              << "machine 127.0.0.1 login judge password judge-secret\n";
    QTest::newRow("URL wins over the environment")
        << "judge:judge-secret" << EnvMap{{"FILETRACKER_USER", "judge"}, {"FILETRACKER_PASSWORD", "wrong"}}
        << QString();
  }
  void credentialSources() {
    QFETCH(QString, userinfo);
    QFETCH(EnvMap, env);
    QFETCH(QString, netrc);
    if (env.value("FILETRACKER_TOKEN") == "ROBOT") env["FILETRACKER_TOKEN"] = QString::fromUtf8(robotToken_);
    const QString netrcPath = tmp_->filePath("home/.netrc");
    QFile::remove(netrcPath);
    if (!netrc.isEmpty()) {
      QVERIFY(test::writeFile(netrcPath, netrc.toUtf8()));
      QFile::setPermissions(netrcPath, QFile::ReadOwner | QFile::WriteOwner);
    }
    Run cat = run(url(userinfo), {"cat", "/tests/a.in"}, env);
    QFile::remove(netrcPath);
    QVERIFY2(cat.code == 0, cat.err.constData());
    QCOMPARE(cat.out, QByteArray("test input\n"));
    // And without them: refused.
    Run anonymous = run(url(), {"cat", "/tests/a.in"});
    QCOMPARE(anonymous.code, 1);
    QCOMPARE(anonymous.err, QByteArray("filetracker: /tests/a.in: authentication required\n"));
  }

  void refusalsAreOneLine_data() {
    QTest::addColumn<QString>("userinfo");
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QByteArray>("err");
    QTest::newRow("read-only put") << "reader:reader-secret" << QStringList{"put", "A_IN", "/tests/a.in"}
                                   << QByteArray("filetracker: /tests/a.in: permission denied for reader (read only)\n");
    QTest::newRow("read-only put within a prefix")
        << "judge:judge-secret" << QStringList{"put", "A_IN", "/tests/a.in"}
        << QByteArray("filetracker: /tests/a.in: permission denied for judge (read only, within /tests/)\n");
    QTest::newRow("outside the prefix")
        << "judge:judge-secret" << QStringList{"cat", "/problems/p.txt"}
        << QByteArray("filetracker: /problems/p.txt: permission denied for judge (read only, within /tests/)\n");
    QTest::newRow("write level deletes") << "web:web-secret" << QStringList{"rm", "/tests/a.in"}
                                         << QByteArray("filetracker: /tests/a.in: permission denied for web (read and write)\n");
    QTest::newRow("wrong secret") << "judge:nope" << QStringList{"cat", "/tests/a.in"}
                                  << QByteArray("filetracker: /tests/a.in: invalid credentials (wrong user name, password or token)\n");
    QTest::newRow("unknown name") << "nobody:judge-secret" << QStringList{"get", "/tests/a.in", "OUT"}
                                  << QByteArray("filetracker: /tests/a.in: invalid credentials (wrong user name, password or token)\n");
  }
  void refusalsAreOneLine() {
    QFETCH(QString, userinfo);
    QFETCH(QStringList, args);
    QFETCH(QByteArray, err);
    args.replaceInStrings("A_IN", tmp_->filePath("a.in"));
    args.replaceInStrings("OUT", tmp_->filePath("out.txt"));
    Run r = run(url(userinfo), args);
    QCOMPARE(r.code, 1);
    QCOMPARE(r.err, err);
    QVERIFY(!QFile::exists(tmp_->filePath("out.txt")));  // nothing half-written
    // The store did not change.
    Run check = run(url("op:op%40secret%3Ax"), {"cat", "/tests/a.in"});
    QCOMPARE(check.out, QByteArray("test input\n"));
  }

  void listingIsFiltered() {
    Run ls = run(url("judge:judge-secret"), {"ls", "/"});
    QVERIFY2(ls.code == 0, ls.err.constData());
    QVERIFY2(ls.out.contains("tests"), ls.out.constData());
    QVERIFY2(!ls.out.contains("problems"), ls.out.constData());
  }

  void writerCanPut() {
    QVERIFY(test::writeFile(tmp_->filePath("w.txt"), "from the web app\n"));
    Run put = run(url("web:web-secret"), {"put", tmp_->filePath("w.txt"), "/web/w.txt"});
    QVERIFY2(put.code == 0, put.err.constData());
    QTRY_VERIFY_WITH_TIMEOUT(server_->log().contains(QRegularExpression("PUT /files/web/w.txt\\S* 200 .* by web\n")), 5000);
  }

  // A secret never shows: not in an error about the server, not in -v output.
  void secretsNeverShown() {
    TestServer down;  // never started: nothing listens on its port
    Run r = test::runProcess(bin_, {"-v", "-r", "http://judge:judge-secret@127.0.0.1:1", "-c", tmp_->filePath("c-down"),
                                    "cat", "/tests/a.in"},
                             environment());
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains("127.0.0.1:1"), r.err.constData());
    QVERIFY2(!r.err.contains("judge-secret") && !r.out.contains("judge-secret"), r.err.constData());
    Run wrong = run(url("judge:judge-wrong-secret"), {"-v", "cat", "/tests/a.in"});
    QVERIFY(!wrong.err.contains("judge-wrong-secret"));
  }

  // https:// with a self-signed certificate: trusted through --cacert or
  // FILETRACKER_CACERT, refused (one line) without.
  void httpsWithAccessControl() {
    test::TestCertificate cert;
    QVERIFY(cert.valid());
    TestServer server(QString(), {"--auth", access_->path(), "--tls-cert", cert.certFile(), "--tls-key", cert.keyFile()});
    QVERIFY(server.start());
    const QString https = "https://web:web-secret@127.0.0.1:" + QString::number(server.port());
    QVERIFY(test::writeFile(tmp_->filePath("tls.txt"), "over TLS\n"));
    Run put = run(https, {"--cacert", cert.certFile(), "put", tmp_->filePath("tls.txt"), "/tls/a.txt"});
    QVERIFY2(put.code == 0, put.err.constData());
    Run cat = run(https, {"cat", "/tls/a.txt"}, {{"FILETRACKER_CACERT", cert.certFile()}});
    QVERIFY2(cat.code == 0, cat.err.constData());
    QCOMPARE(cat.out, QByteArray("over TLS\n"));
    Run ls = run(https, {"--cacert", cert.certFile(), "ls", "/tls"});
    QVERIFY2(ls.code == 0 && ls.out.contains("a.txt"), ls.err.constData());

    // Not trusted: the system's CAs do not know this certificate.
    Run refused = run(https, {"cat", "/tls/a.txt"});
    QCOMPARE(refused.code, 1);
    QVERIFY2(refused.err.startsWith("filetracker: ") && refused.err.count('\n') == 1, refused.err.constData());
    QVERIFY2(refused.err.contains("certificate"), refused.err.constData());
    QVERIFY(!refused.err.contains("web-secret"));
    // Access control still applies over TLS.
    Run judge = run("https://judge:judge-secret@127.0.0.1:" + QString::number(server.port()),
                    {"--cacert", cert.certFile(), "rm", "/tls/a.txt"});
    QCOMPARE(judge.code, 1);
    QCOMPARE(judge.err, QByteArray("filetracker: /tls/a.txt: permission denied for judge (read only, within /tests/)\n"));
  }
};

QTEST_GUILESS_MAIN(TestCliAuth)
#include "test_cli_auth.moc"
