// Disk usage per folder (extension "du", docs/protocol.md), end to end
// against the real server on loopback: the sums of a folder and its direct
// children, ?top=N at any depth, answers that follow PUT and DELETE at once
// (the cache is per index change), prefix-limited principals counted only
// what they may read, bad input, and the endpoint's absence with
// --no-extensions. Run again over PostgreSQL + S3 (server_test_server_du_scaleout).
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include <map>

#include "access_file.hpp"
#include "raw_http.hpp"
#include "test_server.hpp"
#include "wire.hpp"

using namespace test;

namespace {

constexpr qint64 kVersion = 1700000000;

struct Usage {
  qint64 files = -1;
  qint64 bytes = -1;
  bool operator==(const Usage&) const = default;
};
char* toString(const Usage& u) { return QTest::toString(QString("{%1 files, %2 bytes}").arg(u.files).arg(u.bytes)); }

struct Answer {
  int status = 0;
  QByteArray reason;
  QString path;
  Usage total;
  QList<std::pair<QString, Usage>> folders;  // in the order sent
};

Answer du(quint16 port, const QByteArray& target, const RawHeaders& headers = {}) {
  RawResponse r = rawRequest(port, "GET", target, headers);
  Answer a;
  a.status = r.status;
  a.reason = r.header("x-exception");
  if (r.status != 200) return a;
  const QJsonObject o = QJsonDocument::fromJson(r.body).object();
  auto usage = [](const QJsonObject& f) {
    return Usage{qint64(f.value("files").toDouble(-1)), qint64(f.value("bytes").toDouble(-1))};
  };
  a.path = o.value("path").toString();
  a.total = usage(o);
  for (const auto& v : o.value("folders").toArray())
    a.folders.append({v.toObject().value("path").toString(), usage(v.toObject())});
  return a;
}

QByteArray bytes(int n, char c = 'x') { return QByteArray(n, c); }

}  // namespace

class TestServerDu : public QObject {
  Q_OBJECT
  std::unique_ptr<TestServer> server_;
  quint16 port() const { return server_->port(); }

  void store(const QByteArray& name, int size, qint64 version = kVersion) {
    QCOMPARE(put(port(), name, bytes(size), version).status, 200);
  }

 private slots:
  void initTestCase() {
    QVERIFY2(!TestServer::binary().isEmpty(), "FILETRACKER_SERVER_BIN is not set");
    server_ = std::make_unique<TestServer>();
    QVERIFY(server_->start());
    store("/p/a/1.in", 10);
    store("/p/a/2.in", 20);
    store("/p/a/deep/er/3.in", 300);
    store("/p/a.txt", 1);       // sorts before "/p/a/..." and is not in /p/a/
    store("/p/a-b/4.in", 4000);  // "-" sorts before "/": a neighbour, not a child
    store("/p/b/5.in", 5);
    store("/p/top.txt", 7);
    store("/q/6.in", 60000);
  }
  void cleanupTestCase() { server_.reset(); }

  void advertised() {
    RawResponse r = rawRequest(port(), "GET", "/version");
    QCOMPARE(r.status, 200);
    QVERIFY2(r.body.contains("\"du\""), r.body.constData());
  }

  void folderAndChildren() {
    Answer a = du(port(), "/du/p");
    QCOMPARE(a.status, 200);
    QCOMPARE(a.path, QString("/p/"));
    QCOMPARE(a.total, (Usage{7, 10 + 20 + 300 + 1 + 4000 + 5 + 7}));
    QCOMPARE(a.folders.size(), 3);
    QCOMPARE(a.folders[0].first, QString("/p/a-b/"));
    QCOMPARE(a.folders[0].second, (Usage{1, 4000}));
    QCOMPARE(a.folders[1].first, QString("/p/a/"));
    QCOMPARE(a.folders[1].second, (Usage{3, 330}));
    QCOMPARE(a.folders[2].first, QString("/p/b/"));
    QCOMPARE(a.folders[2].second, (Usage{1, 5}));

    Answer root = du(port(), "/du/");
    QCOMPARE(root.status, 200);
    QCOMPARE(root.path, QString("/"));
    QCOMPARE(root.total, (Usage{8, 64343}));
    QCOMPARE(root.folders.size(), 2);
    QCOMPARE(root.folders[1].first, QString("/q/"));
    QCOMPARE(root.folders[1].second, (Usage{1, 60000}));
    // A trailing slash and an escaped name mean the same folder.
    QCOMPARE(du(port(), "/du/p/a/").total, (Usage{3, 330}));
    QCOMPARE(du(port(), "/du/p/%61").total, (Usage{3, 330}));
  }

  void largestAtAnyDepth() {
    Answer a = du(port(), "/du/?top=4");
    QCOMPARE(a.status, 200);
    QCOMPARE(a.total, (Usage{8, 64343}));
    QStringList paths;
    for (const auto& [path, usage] : a.folders) paths << path;
    QCOMPARE(paths, (QStringList{"/q/", "/p/", "/p/a-b/", "/p/a/"}));
    QCOMPARE(a.folders[3].second, (Usage{3, 330}));
    Answer deep = du(port(), "/du/p/a?top=10");
    paths.clear();
    for (const auto& [path, usage] : deep.folders) paths << path;
    QCOMPARE(paths, (QStringList{"/p/a/deep/", "/p/a/deep/er/"}));  // same size: by path
    QCOMPARE(deep.folders[1].second, (Usage{1, 300}));
  }

  void followsWritesAtOnce() {
    QCOMPARE(du(port(), "/du/r").status, 404);
    store("/r/x/1", 100);
    QCOMPARE(du(port(), "/du/r").total, (Usage{1, 100}));
    store("/r/x/2", 50);
    QCOMPARE(du(port(), "/du/r").total, (Usage{2, 150}));
    store("/r/x/2", 70, kVersion + 10);  // replaced: counted once, new size
    Answer a = du(port(), "/du/r");
    QCOMPARE(a.total, (Usage{2, 170}));
    QCOMPARE(a.folders.value(0).second, (Usage{2, 170}));
    QCOMPARE(rawRequest(port(), "DELETE", filesTarget("/r/x/1", kVersion + 20)).status, 200);
    QCOMPARE(du(port(), "/du/r").total, (Usage{1, 70}));
    QCOMPARE(rawRequest(port(), "DELETE", filesTarget("/r/x/2", kVersion + 20)).status, 200);
    QCOMPARE(du(port(), "/du/r").status, 404);
  }

  void badInput() {
    Answer a = du(port(), "/du/p/top.txt");
    QCOMPARE(a.status, 400);
    QVERIFY2(a.reason.contains("is a file"), a.reason.constData());
    a = du(port(), "/du/nothing/here");
    QCOMPARE(a.status, 404);
    QVERIFY2(a.reason.contains("no such directory"), a.reason.constData());
    for (const char* top : {"0", "-1", "x", "", "10001", "99999999999999999999"}) {
      a = du(port(), QByteArray("/du/p?top=") + top);
      QCOMPARE(a.status, 400);
      QVERIFY2(a.reason.startsWith("top is not an integer"), a.reason.constData());
    }
    QCOMPARE(du(port(), "/du/p/../q").status, 400);
    // The store is unchanged and still answers.
    QCOMPARE(du(port(), "/du/p").total.files, qint64(7));
  }

  void onlyWhatThePrincipalMayRead() {
    TestAccessFile access;
    QVERIFY(access.add("op", "op-secret", "admin"));
    QVERIFY(access.add("judge", "judge-secret", "read", {"/p/a/"}));
    QVERIFY(access.add("two", "two-secret", "read", {"/p/b/", "/q/"}));
    TestServer server(QString(), {"--auth", access.path()});
    QVERIFY(server.start());
    const RawHeaders op{{"Authorization", basicAuth("op", "op-secret")}};
    for (auto [name, size] : std::map<QByteArray, int>{{"/p/a/1", 1}, {"/p/a/s/2", 20}, {"/p/b/3", 300}, {"/q/4", 4000}})
      QCOMPARE(put(server.port(), name, bytes(size), kVersion, op).status, 200);

    QCOMPARE(du(server.port(), "/du/").status, 401);
    QCOMPARE(du(server.port(), "/du/", op).total, (Usage{4, 4321}));
    const RawHeaders judge{{"Authorization", basicAuth("judge", "judge-secret")}};
    Answer a = du(server.port(), "/du/", judge);
    QCOMPARE(a.status, 200);
    QCOMPARE(a.total, (Usage{2, 21}));
    QCOMPARE(a.folders.size(), 1);  // /q/ is not shown at all
    QCOMPARE(a.folders[0].first, QString("/p/"));
    QCOMPARE(a.folders[0].second, (Usage{2, 21}));
    QCOMPARE(du(server.port(), "/du/q", judge).status, 403);
    QCOMPARE(du(server.port(), "/du/p/a?top=5", judge).folders.size(), 1);
    // Another principal's answer is not served from the first one's cache.
    const RawHeaders two{{"Authorization", basicAuth("two", "two-secret")}};
    a = du(server.port(), "/du/", two);
    QCOMPARE(a.total, (Usage{2, 4300}));
    QCOMPARE(a.folders.size(), 2);
    QCOMPARE(du(server.port(), "/du/", op).total, (Usage{4, 4321}));
  }

  void absentWithoutExtensions() {
    TestServer plain(QString(), {"--no-extensions"});
    QVERIFY(plain.start());
    QCOMPARE(put(plain.port(), "/a/b", "x", kVersion).status, 200);
    RawResponse r = rawRequest(plain.port(), "GET", "/du/a");
    QCOMPARE(r.status, 400);
    QVERIFY2(r.header("x-exception").startsWith("unknown endpoint"), r.header("x-exception").constData());
    QVERIFY(!rawRequest(plain.port(), "GET", "/version").body.contains("\"du\""));
  }
};

QTEST_GUILESS_MAIN(TestServerDu)
#include "test_server_du.moc"
