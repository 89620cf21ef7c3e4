// The admin API end to end (issue 20): the real filetracker-server with
// --auth FILE (made by the real `filetracker-server passwd`), raw HTTP.
// Who may use it; principals added, changed, re-keyed and removed with the
// effect at once on the next request; invalid input changing nothing; the
// last-admin refusal; concurrent edits from threads and from a concurrent
// `passwd` process losing nothing; the live consistency check finding a
// removed and a corrupted blob while GETs keep being answered, and its
// cancellation.
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QSet>
#include <QtTest>

#include <csignal>

#include <atomic>
#include <thread>

#include "access_file.hpp"
#include "process.hpp"
#include "raw_http.hpp"
#include "temp_dirs.hpp"
#include "test_server.hpp"
#include "wire.hpp"

using namespace test;

namespace {

constexpr qint64 kVersion = 1700000000;

RawHeaders as(const QByteArray& authorization) { return {{"Authorization", authorization}}; }

QJsonObject jsonOf(const RawResponse& r) { return QJsonDocument::fromJson(r.body).object(); }

QByteArray readFile(const QString& path) {
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly)) return {};
  return file.readAll();
}

// The names in GET /admin/principals, in the order given.
QStringList listedNames(const RawResponse& r) {
  QStringList names;
  for (const auto& p : jsonOf(r).value("principals").toArray()) names << p.toObject().value("name").toString();
  return names;
}

// A refusal as the contract says: the status, a one-line X-Exception and the
// same reason as {"error": ...}.
void checkJsonRefusal(const RawResponse& r, int status, const QByteArray& reasonPart) {
  QCOMPARE(r.status, status);
  const QByteArray reason = r.header("x-exception");
  QVERIFY2(!reason.isEmpty() && !reason.contains('\n'), reason.constData());
  QVERIFY2(reason.contains(reasonPart), reason.constData());
  QVERIFY2(r.header("content-type").startsWith("application/json"), r.header("content-type").constData());
  QCOMPARE(jsonOf(r).value("error").toString().toUtf8(), reason);
}

// A server with an access file holding an unrestricted admin `op` and the
// other principals of the refusal matrix.
struct AdminFixture {
  TestAccessFile access;
  std::unique_ptr<TestServer> server;
  bool start(const QStringList& extra = {}) {
    if (!access.add("op", "op-secret", "admin")) return false;
    if (!access.add("reader", "reader-secret", "read")) return false;
    if (!access.add("web", "web-secret", "write")) return false;
    if (!access.add("tester", "tester-secret", "admin", {"/tests/"})) return false;
    server = std::make_unique<TestServer>(QString(), QStringList{"--auth", access.path()} + extra);
    return server->start();
  }
  quint16 port() const { return server->port(); }
  RawResponse admin(const QByteArray& method, const QByteArray& target, const QByteArray& body = {}) const {
    return rawRequest(port(), method, target, as(basicAuth("op", "op-secret")), body);
  }
};

}  // namespace

class TestServerAdmin : public QObject {
  Q_OBJECT
  std::unique_ptr<AdminFixture> shared_;

 private slots:
  void initTestCase() { QVERIFY2(!TestServer::binary().isEmpty(), "FILETRACKER_SERVER_BIN is not set"); }
  void cleanupTestCase() { shared_.reset(); }

  // ---- who may use it --------------------------------------------------------

  void onlyAnUnrestrictedAdmin() {
    AdminFixture f;
    QVERIFY(f.start({"--anonymous", "read"}));
    for (const QByteArray& target : {QByteArray("/admin/principals"), QByteArray("/admin/check")}) {
      RawResponse anonymous = rawRequest(f.port(), "GET", target);
      QCOMPARE(anonymous.status, 401);
      QVERIFY(anonymous.header("www-authenticate").startsWith("Basic realm="));
      QCOMPARE(rawRequest(f.port(), "GET", target, as(basicAuth("op", "wrong"))).status, 401);
      QCOMPARE(rawRequest(f.port(), "GET", target, as(basicAuth("reader", "reader-secret"))).status, 403);
      QCOMPARE(rawRequest(f.port(), "GET", target, as(basicAuth("web", "web-secret"))).status, 403);
      RawResponse prefixed = rawRequest(f.port(), "GET", target, as(basicAuth("tester", "tester-secret")));
      QCOMPARE(prefixed.status, 403);
      QVERIFY2(prefixed.header("x-exception").contains("permission denied for tester"), prefixed.header("x-exception"));
    }
    // Writes are refused before anything is read or changed.
    const QByteArray before = readFile(f.access.path());
    QCOMPARE(rawRequest(f.port(), "PUT", "/admin/principals/eve", as(basicAuth("tester", "tester-secret")),
                        R"({"access":"admin"})")
                 .status,
             403);
    QCOMPARE(rawRequest(f.port(), "DELETE", "/admin/principals/op", as(basicAuth("web", "web-secret"))).status, 403);
    QCOMPARE(rawRequest(f.port(), "PUT", "/admin/principals/eve", {}, R"({"access":"admin"})").status, 401);
    QCOMPARE(rawRequest(f.port(), "POST", "/admin/check", as(basicAuth("reader", "reader-secret"))).status, 403);
    QCOMPARE(readFile(f.access.path()), before);

    RawResponse ok = f.admin("GET", "/admin/principals");
    QCOMPARE(ok.status, 200);
    QCOMPARE(ok.header("cache-control"), QByteArray("no-store"));
    QVERIFY(ok.header("content-type").startsWith("application/json"));
    QVERIFY2(!ok.body.contains("argon2") && !ok.body.contains("secret"), ok.body.constData());
    QCOMPARE(jsonOf(ok).value("you").toString(), QString("op"));
    QCOMPARE(listedNames(ok), (QStringList{"op", "reader", "tester", "web"}));  // sorted by name
    for (const auto& p : jsonOf(ok).value("principals").toArray()) {
      if (p.toObject().value("name") != "tester") continue;
      QCOMPARE(p.toObject().value("access").toString(), QString("admin"));
      QCOMPARE(p.toObject().value("prefixes").toArray(), QJsonArray{"/tests/"});
    }
    // Advertised.
    RawResponse version = rawRequest(f.port(), "GET", "/version");
    QVERIFY2(jsonOf(version).value("extensions").toArray().contains("admin"), version.body.constData());
  }

  void anonymousAdminIsStillRefused() {
    // --anonymous admin lets anonymous clients delete files, but never edit
    // principals: the admin API names who did what.
    AdminFixture f;
    QVERIFY(f.start({"--anonymous", "admin"}));
    QCOMPARE(rawRequest(f.port(), "GET", "/admin/principals").status, 401);
    QCOMPARE(rawRequest(f.port(), "PUT", "/admin/principals/eve", {}, R"({"access":"admin"})").status, 401);
  }

  void withoutAccessControl() {
    TestServer server;
    QVERIFY(server.start());
    checkJsonRefusal(rawRequest(server.port(), "GET", "/admin/principals"), 404, "no access control (--auth)");
    checkJsonRefusal(rawRequest(server.port(), "POST", "/admin/check"), 404, "no access control (--auth)");
    const QJsonArray extensions = jsonOf(rawRequest(server.port(), "GET", "/version")).value("extensions").toArray();
    QVERIFY(extensions.contains("json-list"));
    QVERIFY(!extensions.contains("admin"));
  }

  // ---- the round trip --------------------------------------------------------

  void addEditResetRemove() {
    AdminFixture f;
    QVERIFY(f.start());
    // Add: a generated secret, returned once; usable at once.
    RawResponse added = f.admin("PUT", "/admin/principals/bob", R"({"access":"write","prefixes":["/tests"]})");
    QCOMPARE(added.status, 200);
    QCOMPARE(added.header("cache-control"), QByteArray("no-store"));
    QJsonObject a = jsonOf(added);
    QCOMPARE(a.value("name").toString(), QString("bob"));
    QCOMPARE(a.value("created").toBool(), true);
    QCOMPARE(a.value("prefixes").toArray(), QJsonArray{"/tests/"});  // normalized
    const QByteArray secret = a.value("secret").toString().toUtf8();
    const QByteArray token = a.value("token").toString().toUtf8();
    QVERIFY(secret.size() >= 24);
    QCOMPARE(token, "bob." + secret);
    QVERIFY2(!readFile(f.access.path()).contains(secret), "the secret is stored in the clear");
    QVERIFY(readFile(f.access.path()).contains("\nbob write $argon2id$"));
    QCOMPARE(put(f.port(), "/tests/a", "a", kVersion, as(bearerAuth(token))).status, 200);
    QCOMPARE(put(f.port(), "/other/a", "a", kVersion, as(bearerAuth(token))).status, 403);
    QTRY_VERIFY_WITH_TIMEOUT(f.server->log().contains("admin op: added bob (write, /tests/)"), 5000);

    // Edit: keeps the secret, the new level applies to the next request.
    RawResponse edited = f.admin("PUT", "/admin/principals/bob", R"({"access":"read"})");
    QCOMPARE(edited.status, 200);
    QCOMPARE(jsonOf(edited).value("created").toBool(), false);
    QVERIFY(!jsonOf(edited).contains("secret"));
    QCOMPARE(jsonOf(edited).value("prefixes").toArray(), QJsonArray{"/tests/"});  // kept
    QCOMPARE(rawRequest(f.port(), "GET", "/files/tests/a", as(bearerAuth(token))).status, 200);
    QCOMPARE(put(f.port(), "/tests/b", "b", kVersion, as(bearerAuth(token))).status, 403);
    QTRY_VERIFY_WITH_TIMEOUT(f.server->log().contains("admin op: updated bob (read, /tests/)"), 5000);

    // Reset the secret: the new one works at once, the old one is refused at once.
    RawResponse reset = f.admin("PUT", "/admin/principals/bob", R"({"reset_secret":true})");
    QCOMPARE(reset.status, 200);
    const QByteArray token2 = jsonOf(reset).value("token").toString().toUtf8();
    QVERIFY(!token2.isEmpty() && token2 != token);
    QCOMPARE(rawRequest(f.port(), "GET", "/files/tests/a", as(bearerAuth(token2))).status, 200);
    QCOMPARE(rawRequest(f.port(), "GET", "/files/tests/a", as(bearerAuth(token))).status, 401);
    QCOMPARE(rawRequest(f.port(), "GET", "/files/tests/a", as(basicAuth("bob", secret))).status, 401);

    // A principal `passwd` made is edited the same way, and the listing shows it.
    QVERIFY(f.access.add("judge", "judge-secret", "read"));
    f.server->stop();  // (passwd does not reload the server: start it again)
    QVERIFY(f.server->start());
    QVERIFY(listedNames(f.admin("GET", "/admin/principals")).contains("judge"));

    // Remove: refused at once; twice: 404.
    RawResponse removed = f.admin("DELETE", "/admin/principals/bob");
    QCOMPARE(removed.status, 200);
    QCOMPARE(jsonOf(removed).value("removed").toBool(), true);
    QCOMPARE(rawRequest(f.port(), "GET", "/files/tests/a", as(bearerAuth(token2))).status, 401);
    checkJsonRefusal(f.admin("DELETE", "/admin/principals/bob"), 404, "no principal \"bob\"");
    QVERIFY(!listedNames(f.admin("GET", "/admin/principals")).contains("bob"));
    QVERIFY(!readFile(f.access.path()).contains("\nbob "));
    QTRY_VERIFY_WITH_TIMEOUT(f.server->log().contains("admin op: removed bob"), 5000);
  }

  // ---- refusals ----------------------------------------------------------------

  void invalidInputChangesNothing_data() {
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("reason");
    QTest::newRow("bad name") << QByteArray("PUT") << QByteArray("/admin/principals/a.b")
                              << QByteArray(R"({"access":"read"})") << 400 << QByteArray("is not a valid name");
    QTest::newRow("bad level") << QByteArray("PUT") << QByteArray("/admin/principals/x")
                               << QByteArray(R"({"access":"root"})") << 400 << QByteArray("\"access\" must be");
    QTest::newRow("no level") << QByteArray("PUT") << QByteArray("/admin/principals/x") << QByteArray("{}") << 400
                              << QByteArray("needs an access level");
    QTest::newRow("relative prefix") << QByteArray("PUT") << QByteArray("/admin/principals/x")
                                     << QByteArray(R"({"access":"read","prefixes":["tests/"]})") << 400
                                     << QByteArray("is not an absolute directory");
    QTest::newRow("dot-dot prefix") << QByteArray("PUT") << QByteArray("/admin/principals/reader")
                                    << QByteArray(R"({"prefixes":["/a/../b"]})") << 400
                                    << QByteArray("is not an absolute directory");
    QTest::newRow("prefixes not a list") << QByteArray("PUT") << QByteArray("/admin/principals/x")
                                         << QByteArray(R"({"access":"read","prefixes":"/tests/"})") << 400
                                         << QByteArray("\"prefixes\" must be a list");
    QTest::newRow("unknown field") << QByteArray("PUT") << QByteArray("/admin/principals/reader")
                                   << QByteArray(R"({"acess":"admin"})") << 400 << QByteArray("unknown field \"acess\"");
    QTest::newRow("not JSON") << QByteArray("PUT") << QByteArray("/admin/principals/x") << QByteArray("access=read")
                              << 400 << QByteArray("not a JSON object");
    QTest::newRow("reset not a bool") << QByteArray("PUT") << QByteArray("/admin/principals/reader")
                                      << QByteArray(R"({"reset_secret":"yes"})") << 400
                                      << QByteArray("\"reset_secret\" must be true or false");
    QTest::newRow("no name") << QByteArray("PUT") << QByteArray("/admin/principals") << QByteArray(R"({"access":"read"})")
                             << 405 << QByteArray("/admin/principals/NAME");
    QTest::newRow("unknown endpoint") << QByteArray("GET") << QByteArray("/admin/users") << QByteArray() << 404
                                      << QByteArray("unknown admin endpoint");
    QTest::newRow("delete unknown") << QByteArray("DELETE") << QByteArray("/admin/principals/nobody") << QByteArray()
                                    << 404 << QByteArray("no principal \"nobody\"");
    QTest::newRow("too big") << QByteArray("PUT") << QByteArray("/admin/principals/x")
                             << QByteArray(R"({"access":"read","prefixes":[")") + QByteArray(70000, 'a') + "\"]}" << 413
                             << QByteArray("larger than");
    QTest::newRow("repair online") << QByteArray("POST") << QByteArray("/admin/check")
                                   << QByteArray(R"({"repair":true})") << 400 << QByteArray("repair runs offline");
    QTest::newRow("cancel idle") << QByteArray("DELETE") << QByteArray("/admin/check") << QByteArray() << 409
                                 << QByteArray("no check is running");
  }
  void invalidInputChangesNothing() {
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, target);
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QFETCH(QByteArray, reason);
    if (!shared_) {  // one server for every row
      shared_ = std::make_unique<AdminFixture>();
      QVERIFY(shared_->start());
    }
    AdminFixture* f = shared_.get();
    const QByteArray before = readFile(f->access.path());
    checkJsonRefusal(f->admin(method, target, body), status, reason);
    QCOMPARE(readFile(f->access.path()), before);
    QCOMPARE(f->admin("GET", "/admin/principals").status, 200);  // still serving, same file
  }

  void lastAdminIsKept() {
    AdminFixture f;
    QVERIFY(f.start());
    const QByteArray before = readFile(f.access.path());
    checkJsonRefusal(f.admin("DELETE", "/admin/principals/op"), 409, "cannot remove itself");
    checkJsonRefusal(f.admin("PUT", "/admin/principals/op", R"({"access":"write"})"), 409, "last admin");
    checkJsonRefusal(f.admin("PUT", "/admin/principals/op", R"({"prefixes":["/tests/"]})"), 409, "last admin");
    QCOMPARE(readFile(f.access.path()), before);
    QCOMPARE(f.admin("GET", "/admin/principals").status, 200);  // op is still an admin
    // With a second unrestricted admin, op may step down.
    RawResponse second = f.admin("PUT", "/admin/principals/op2", R"({"access":"admin"})");
    QCOMPARE(second.status, 200);
    const QByteArray token = jsonOf(second).value("token").toString().toUtf8();
    QCOMPARE(f.admin("PUT", "/admin/principals/op", R"({"access":"read"})").status, 200);
    QCOMPARE(f.admin("GET", "/admin/principals").status, 403);
    // ...and op2 may not leave the server without an admin either.
    QCOMPARE(rawRequest(f.port(), "DELETE", "/admin/principals/op2", as(bearerAuth(token))).status, 409);
    QCOMPARE(rawRequest(f.port(), "DELETE", "/admin/principals/op", as(bearerAuth(token))).status, 200);
  }

  // ---- concurrent edits -----------------------------------------------------------

  void concurrentEditsLoseNothing() {
    AdminFixture f;
    QVERIFY(f.start());
    constexpr int kThreads = 4, kEach = 3, kPasswd = 4;
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t)
      threads.emplace_back([&, t] {
        for (int i = 0; i < kEach; ++i) {
          const QByteArray name = "api-" + QByteArray::number(t) + "-" + QByteArray::number(i);
          RawResponse r = rawRequest(f.port(), "PUT", "/admin/principals/" + name, as(basicAuth("op", "op-secret")),
                                     R"({"access":"read","prefixes":["/t)" + QByteArray::number(t) + R"(/"]})");
          if (r.status != 200) ++failures;
        }
      });
    // Meanwhile another process edits the same file.
    int passwdFailures = 0;
    for (int i = 0; i < kPasswd; ++i) {
      ProcessResult r = runProcess(TestServer::binary(),
                                   {"passwd", f.access.path(), "cli-" + QString::number(i), "--access", "write"}, "s\n");
      if (r.code != 0) {
        ++passwdFailures;
        qWarning() << r.err;
      }
    }
    for (auto& t : threads) t.join();
    QCOMPARE(failures.load(), 0);
    QCOMPARE(passwdFailures, 0);
    // The file is valid (the server reloads it) and holds every change.
    QCOMPARE(::kill(f.server->pid(), SIGHUP), 0);
    QTRY_VERIFY_WITH_TIMEOUT(f.server->log().contains(QString("principal(s)")), 5000);
    const QStringList names = listedNames(f.admin("GET", "/admin/principals"));
    QCOMPARE(names.size(), 4 + kThreads * kEach + kPasswd);
    for (int t = 0; t < kThreads; ++t)
      for (int i = 0; i < kEach; ++i) QVERIFY2(names.contains(QString("api-%1-%2").arg(t).arg(i)), qPrintable(names.join(' ')));
    for (int i = 0; i < kPasswd; ++i) QVERIFY(names.contains(QString("cli-%1").arg(i)));
    QVERIFY(!f.server->log().contains("not reloaded"));
    // The secret passwd set works on the server after its reload.
    QCOMPARE(rawRequest(f.port(), "GET", "/list/", as(basicAuth("cli-0", "s"))).status, 200);
  }

  // ---- the live check -------------------------------------------------------------

  void liveCheckFindsDamageWhileServing() {
    AdminFixture f;
    // Blob files only (no inline blobs): the test damages them on disk.
    QVERIFY(f.start({"--inline-max-size", "0"}));
    const RawHeaders op = as(basicAuth("op", "op-secret"));
    QMap<QByteArray, QByteArray> contents;
    for (int i = 0; i < 20; ++i) {
      const QByteArray name = "/d/file" + QByteArray::number(i);
      contents[name] = "content number " + QByteArray::number(i) + QByteArray(100 + i, 'x');
      QCOMPARE(put(f.port(), name, contents[name], kVersion, op).status, 200);
    }
    auto blobPath = [&](const QByteArray& content) {
      const QString sha = QString::fromLatin1(sha256Hex(content));
      return f.server->dataDir() + "/blobs/" + sha.left(2) + "/" + sha;
    };
    QVERIFY(QFile::exists(blobPath(contents["/d/file3"])));
    QVERIFY(QFile::remove(blobPath(contents["/d/file3"])));
    {
      QFile blob(blobPath(contents["/d/file7"]));
      QVERIFY(blob.open(QIODevice::ReadWrite));
      blob.seek(blob.size() / 2);
      blob.write("garbage");  // inside the deflate stream: no longer decodes to its SHA-256
    }
    std::atomic<bool> stop{false};
    std::atomic<int> served{0}, failed{0};
    std::thread reader([&] {
      while (!stop) {
        RawResponse r = rawRequest(f.port(), "GET", "/files/d/file1", as(basicAuth("reader", "reader-secret")));
        (r.status == 200 ? served : failed)++;
      }
    });
    RawResponse started = f.admin("POST", "/admin/check", R"({"content":true})");
    QCOMPARE(started.status, 202);
    QCOMPARE(jsonOf(started).value("state").toString(), QString("running"));
    QJsonObject status;
    QTRY_VERIFY_WITH_TIMEOUT((status = jsonOf(f.admin("GET", "/admin/check"))).value("state") != "running", 20000);
    stop = true;
    reader.join();
    QCOMPARE(failed.load(), 0);
    QVERIFY(served.load() > 0);

    QCOMPARE(status.value("state").toString(), QString("done"));
    QCOMPARE(status.value("checked").toInt(), 20);
    QCOMPARE(status.value("total").toInt(), 20);
    QVERIFY(status.value("started").toInteger() > 0);
    QVERIFY(status.value("finished").toInteger() >= status.value("started").toInteger());
    QMap<QString, QString> kinds;  // name -> kind
    for (const auto& p : status.value("problems").toArray()) {
      const QJsonObject o = p.toObject();
      QVERIFY(!o.value("detail").toString().isEmpty());
      kinds[o.value("name").toString()] = o.value("kind").toString();
    }
    QCOMPARE(kinds.value("/d/file3"), QString("missing-blob"));
    QCOMPARE(kinds.value("/d/file7"), QString("bad-blob"));
    QCOMPARE(kinds.size(), 2);
    const QString summary = status.value("summary").toString();
    QVERIFY2(summary.contains("20 file(s)") && summary.contains("problem(s)") && summary.contains("content verified"),
             qPrintable(summary));
    QTRY_VERIFY_WITH_TIMEOUT(f.server->log().contains("admin op: started the consistency check"), 5000);
  }

  void liveCheckCancels() {
    AdminFixture f;
    QVERIFY(f.start({"--inline-max-size", "0"}));
    const RawHeaders op = as(basicAuth("op", "op-secret"));
    // Enough incompressible content that verifying it takes a while.
    QByteArray block(512 * 1024, '\0');
    for (int i = 0; i < 120; ++i) {
      for (int j = 0; j < block.size(); j += 4) *reinterpret_cast<quint32*>(block.data() + j) = QRandomGenerator::global()->generate();
      QCOMPARE(put(f.port(), "/big/" + QByteArray::number(i), block, kVersion, op).status, 200);
    }
    RawConnection c(f.port());
    RawResponse started = c.request("POST", "/admin/check", op, R"({"content":true})");
    QCOMPARE(started.status, 202);
    checkJsonRefusal(c.request("POST", "/admin/check", op), 409, "a check is running already");
    RawResponse cancelled = c.request("DELETE", "/admin/check", op);
    QCOMPARE(cancelled.status, 200);
    QJsonObject status;
    QTRY_VERIFY_WITH_TIMEOUT((status = jsonOf(f.admin("GET", "/admin/check"))).value("state") != "running", 20000);
    QCOMPARE(status.value("state").toString(), QString("cancelled"));
    QVERIFY(status.value("checked").toInt() < 120);
    QVERIFY(status.value("summary").toString().startsWith("cancelled"));
    // A new one may start, and (not cancelled) finishes clean.
    QCOMPARE(f.admin("POST", "/admin/check", R"({"content":false})").status, 202);
    QTRY_VERIFY_WITH_TIMEOUT((status = jsonOf(f.admin("GET", "/admin/check"))).value("state") == "done", 20000);
    QCOMPARE(status.value("problems").toArray().size(), 0);
    QCOMPARE(status.value("content").toBool(), false);
    QCOMPARE(status.value("checked").toInt(), 120);
  }
};

QTEST_GUILESS_MAIN(TestServerAdmin)
#include "test_server_admin.moc"
