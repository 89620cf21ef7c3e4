// Protocol version 2 and our extensions, end to end: the real
// filetracker-server binary on loopback, driven with raw HTTP requests so
// every header and byte on the wire is checked.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QSet>
#include <QtTest>

#include <csignal>

#include "content.hpp"
#include "filetracker/protocol.hpp"
#include "process.hpp"
#include "raw_http.hpp"
#include "scaleout_backend.hpp"
#include "test_server.hpp"
#include "wire.hpp"

using namespace test;

namespace {

QSet<QByteArray> lines(const QByteArray& body) {
  QSet<QByteArray> out;
  for (const QByteArray& line : body.split('\n'))
    if (!line.isEmpty()) out.insert(line);
  return out;
}

void checkError(const RawResponse& r, int status) {
  QCOMPARE(r.status, status);
  QCOMPARE(r.header("content-type"), QByteArray("text/plain"));
  QVERIFY2(!r.header("x-exception").isEmpty(), "an error carries a one-line X-Exception reason");
  QVERIFY(!r.header("x-exception").contains('\n'));
}

}  // namespace

class TestServerProtocol : public QObject {
  Q_OBJECT
  std::unique_ptr<TestServer> server_;
  quint16 port() const { return server_->port(); }

 private slots:
  void initTestCase() {
    // The second CTest entry runs every test here over PostgreSQL + S3.
    if (scaleoutRequested() && !scaleoutAvailable()) QSKIP(scaleoutMissingReason());
    server_ = std::make_unique<TestServer>();
    QVERIFY(server_->start());
  }
  void cleanupTestCase() { server_.reset(); }

  void version() {
    RawResponse r = rawRequest(port(), "GET", "/version");
    QCOMPARE(r.status, 200);
    QCOMPARE(r.header("content-type"), QByteArray("application/json"));
    QJsonObject o = QJsonDocument::fromJson(r.body).object();
    QCOMPARE(o.value("protocol_versions").toArray(), QJsonArray({2}));
    QStringList ext;
    for (const auto& v : o.value("extensions").toArray()) ext << v.toString();
    for (auto name : {ft::protocol::kExtChecksumVerify, ft::protocol::kExtChecksumHeader,
                      ft::protocol::kExtPlainContent, ft::protocol::kExtJsonList})
      QVERIFY2(ext.contains(QString::fromUtf8(name.data(), int(name.size()))), name.data());
    // Which program answers: "filetracker-server" and the project's version.
    QVERIFY2(QRegularExpression(QStringLiteral("^filetracker-server [0-9]+\\.[0-9]+\\.[0-9]+$"))
                 .match(o.value("server").toString())
                 .hasMatch(),
             qPrintable(o.value("server").toString()));
  }

  void roundTrip_data() {
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<bool>("sendGzip");
    QTest::addColumn<bool>("sendHints");
    QTest::newRow("small plain") << QByteArray("hello, world\n") << false << false;
    QTest::newRow("empty") << QByteArray() << false << false;
    QTest::newRow("small gzip with hints") << QByteArray("compressed by the client") << true << true;
    QTest::newRow("300 KiB random plain (sendfile path)") << randomBytes(300 * 1024, 1) << false << true;
    QTest::newRow("1 MiB text gzip") << QByteArray("line of text\n").repeated(80000) << true << false;
    QTest::newRow("20 MiB of zeros (tiny blob, big content)") << QByteArray(20 << 20, '\0') << false << true;
  }
  void roundTrip() {
    QFETCH(QByteArray, content);
    QFETCH(bool, sendGzip);
    QFETCH(bool, sendHints);
    const QByteArray name = "/roundtrip/" + QByteArray(QTest::currentDataTag()).toHex() + ".bin";
    const qint64 version = 1420070410;
    RawHeaders headers;
    if (sendGzip) headers.emplace_back("Content-Encoding", "gzip");
    if (sendHints) {
      headers.emplace_back("SHA256-Checksum", sha256Hex(content));
      headers.emplace_back("Logical-Size", QByteArray::number(content.size()));
    }
    RawResponse p = put(port(), name, sendGzip ? gzip(content) : content, version, headers);
    QCOMPARE(p.status, 200);
    QCOMPARE(p.header("last-modified"), QByteArray("Thu, 01 Jan 2015 00:00:10 GMT"));
    QVERIFY(p.body.isEmpty());

    // Client accepting gzip: the stored blob as it is.
    RawResponse g = getGzip(port(), name);
    QCOMPARE(g.status, 200);
    QCOMPARE(g.header("content-encoding"), QByteArray("gzip"));
    QCOMPARE(g.header("content-length").toLongLong(), qint64(g.body.size()));
    QCOMPARE(gunzip(g.body), content);
    QCOMPARE(g.header("last-modified"), httpDate(version));
    QCOMPARE(g.header("logical-size"), QByteArray::number(content.size()));
    QCOMPARE(g.header("sha256-checksum"), sha256Hex(content));

    // Client without gzip (extension): plain content.
    RawResponse plain = rawRequest(port(), "GET", "/files" + name);
    QCOMPARE(plain.status, 200);
    QVERIFY(!plain.has("content-encoding"));
    QCOMPARE(plain.body, content);
    QCOMPARE(plain.header("content-length"), QByteArray::number(content.size()));
    QCOMPARE(plain.header("sha256-checksum"), sha256Hex(content));

    // HEAD: the same headers, no body.
    for (bool acceptGzip : {true, false}) {
      RawConnection c(port());
      RawHeaders h;
      if (acceptGzip) h.emplace_back("Accept-Encoding", "gzip, deflate");
      RawResponse head = c.request("HEAD", "/files" + name, h);
      QCOMPARE(head.status, 200);
      QCOMPARE(head.body, QByteArray());
      QCOMPARE(head.header("last-modified"), httpDate(version));
      QCOMPARE(head.header("logical-size"), QByteArray::number(content.size()));
      QCOMPARE(head.header("content-length"), acceptGzip ? g.header("content-length") : plain.header("content-length"));
      QCOMPARE(head.has("content-encoding"), acceptGzip);
      // The connection is still usable: HEAD had no body.
      QCOMPARE(c.request("GET", "/version").status, 200);
    }
  }

  void acceptEncodingVariants_data() {
    QTest::addColumn<QByteArray>("acceptEncoding");
    QTest::addColumn<bool>("gzipped");
    QTest::newRow("gzip") << QByteArray("gzip") << true;
    QTest::newRow("list") << QByteArray("deflate, gzip;q=0.5") << true;
    QTest::newRow("q=0") << QByteArray("gzip;q=0") << false;
    QTest::newRow("identity") << QByteArray("identity") << false;
    QTest::newRow("GZIP upper") << QByteArray("GZIP") << true;
  }
  void acceptEncodingVariants() {
    QFETCH(QByteArray, acceptEncoding);
    QFETCH(bool, gzipped);
    QVERIFY(put(port(), "/ae/file", "accept-encoding test", 100).status == 200);
    RawResponse r = rawRequest(port(), "GET", "/files/ae/file", {{"Accept-Encoding", acceptEncoding}});
    QCOMPARE(r.status, 200);
    QCOMPARE(r.header("content-encoding") == "gzip", gzipped);
    QCOMPARE(gzipped ? gunzip(r.body) : r.body, QByteArray("accept-encoding test"));
  }

  void versionRules() {
    const QByteArray name = "/rules/versions.txt";
    QCOMPARE(put(port(), name, "ten", 10).status, 200);
    // Older: no change, 200 with the stored (newer) version.
    RawResponse older = put(port(), name, "five", 5);
    QCOMPARE(older.status, 200);
    QCOMPARE(older.header("last-modified"), httpDate(10));
    QCOMPARE(content(port(), name), QByteArray("ten"));
    // Equal with the same content: no change.
    RawResponse same = put(port(), name, "ten", 10);
    QCOMPARE(same.status, 200);
    QCOMPARE(same.header("last-modified"), httpDate(10));
    QCOMPARE(content(port(), name), QByteArray("ten"));
    // Equal with other content (two uploads in one second): stored as the
    // next version, so /rules/versions.txt@10 keeps meaning "ten".
    RawResponse equal = put(port(), name, "ten again", 10);
    QCOMPARE(equal.status, 200);
    QCOMPARE(equal.header("last-modified"), httpDate(11));
    QCOMPARE(content(port(), name), QByteArray("ten again"));
    QCOMPARE(getGzip(port(), name).header("last-modified"), httpDate(11));
    // And again: 12, whatever version the client asked for last time.
    QCOMPARE(put(port(), name, "ten once more", 11).header("last-modified"), httpDate(12));
    // Older than the bumped version: no change.
    QCOMPARE(put(port(), name, "eleven?", 11).header("last-modified"), httpDate(12));
    QCOMPARE(content(port(), name), QByteArray("ten once more"));
    // Newer: replaces.
    QCOMPARE(put(port(), name, "twenty", 20).header("last-modified"), httpDate(20));
    QCOMPARE(content(port(), name), QByteArray("twenty"));
    QCOMPARE(getGzip(port(), name).header("last-modified"), httpDate(20));
  }

  void dateForms_data() {
    QTest::addColumn<QByteArray>("query");
    QTest::addColumn<qint64>("expected");
    QTest::newRow("GMT, + for spaces") << QByteArray("Thu,+01+Jan+2015+00:00:10+GMT") << qint64(1420070410);
    QTest::newRow("GMT, %20 and %2C") << QByteArray("Thu%2C%2001%20Jan%202015%2000%3A00%3A10%20GMT") << qint64(1420070410);
    QTest::newRow("-0000") << QByteArray("Thu,+01+Jan+2015+00:00:10+-0000") << qint64(1420070410);
    QTest::newRow("+0200 honoured") << QByteArray("Thu,+01+Jan+2015+12:00:00+%2B0200") << qint64(1420070400 + 10 * 3600);
    QTest::newRow("-0130 honoured") << QByteArray("Thu,+01+Jan+2015+00:00:00+-0130") << qint64(1420070400 + 5400);
  }
  void dateForms() {
    QFETCH(QByteArray, query);
    QFETCH(qint64, expected);
    const QByteArray name = "/dates/" + QByteArray(QTest::currentDataTag()).toHex();
    RawResponse r = rawRequest(port(), "PUT", "/files" + name + "?last_modified=" + query, {}, "x");
    QCOMPARE(r.status, 200);
    QCOMPARE(r.header("last-modified"), httpDate(expected));
    QCOMPARE(getGzip(port(), name).header("last-modified"), httpDate(expected));
  }

  void deleteRules() {
    const QByteArray name = "/rules/delete.txt";
    checkError(rawRequest(port(), "DELETE", filesTarget(name, 10)), 404);
    QCOMPARE(put(port(), name, "content", 10).status, 200);
    checkError(rawRequest(port(), "DELETE", "/files" + name), 400);  // last_modified is required
    // Stored version newer than the request's: 200, no effect.
    QCOMPARE(rawRequest(port(), "DELETE", filesTarget(name, 9)).status, 200);
    QCOMPARE(content(port(), name), QByteArray("content"));
    // Not newer: deleted.
    QCOMPARE(rawRequest(port(), "DELETE", filesTarget(name, 10)).status, 200);
    int status = 0;
    content(port(), name, &status);
    QCOMPARE(status, 404);
    checkError(rawRequest(port(), "DELETE", filesTarget(name, 10)), 404);
    QCOMPARE(put(port(), name, "again", 5).status, 200);
    QCOMPARE(rawRequest(port(), "DELETE", filesTarget(name, 50)).status, 200);
    content(port(), name, &status);
    QCOMPARE(status, 404);
  }

  void listing() {
    QCOMPARE(put(port(), "/ls/a.txt", "a", 100).status, 200);
    QCOMPARE(put(port(), "/ls/sub/b.txt", "b", 200).status, 200);
    QCOMPARE(put(port(), "/ls/sub/deeper/c.txt", "c", 300).status, 200);
    QCOMPARE(put(port(), "/lsx/not-below.txt", "x", 100).status, 200);  // a sibling with a common prefix

    RawResponse all = rawRequest(port(), "GET", "/list/ls");
    QCOMPARE(all.status, 200);
    QVERIFY(all.body.endsWith('\n'));
    QCOMPARE(lines(all.body), (QSet<QByteArray>{"a.txt", "sub/b.txt", "sub/deeper/c.txt"}));
    QCOMPARE(all.body.count('\n'), 3);
    // Trailing slash ignored.
    QCOMPARE(lines(rawRequest(port(), "GET", "/list/ls/").body), lines(all.body));
    QCOMPARE(lines(rawRequest(port(), "GET", "/list/ls/sub").body), (QSet<QByteArray>{"b.txt", "deeper/c.txt"}));
    // Cutoff: only versions <= DATE.
    QCOMPARE(lines(rawRequest(port(), "GET", "/list/ls" + lastModifiedQuery(200)).body),
             (QSet<QByteArray>{"a.txt", "sub/b.txt"}));
    QCOMPARE(lines(rawRequest(port(), "GET", "/list/ls" + lastModifiedQuery(99)).body), QSet<QByteArray>{});
    QCOMPARE(rawRequest(port(), "GET", "/list/ls" + lastModifiedQuery(99)).status, 200);
    // Root listing contains them with their full relative paths.
    QSet<QByteArray> root = lines(rawRequest(port(), "GET", "/list/").body);
    QVERIFY(root.contains("ls/sub/deeper/c.txt"));
    QVERIFY(root.contains("lsx/not-below.txt"));
    // Missing directory, or a file: 400.
    checkError(rawRequest(port(), "GET", "/list/no-such-dir"), 400);
    checkError(rawRequest(port(), "GET", "/list/ls/a.txt"), 400);
    checkError(rawRequest(port(), "GET", "/list/ls?last_modified=yesterday"), 400);
  }

  void jsonListing() {
    QCOMPARE(put(port(), "/js/one.txt", "one", 1000).status, 200);
    QCOMPARE(put(port(), "/js/d/two.txt", "two!", 2000).status, 200);
    QCOMPARE(put(port(), "/js/d/e/three.txt", "three", 3000).status, 200);
    RawResponse r = rawRequest(port(), "GET", "/list/js", {{"Accept", "application/json"}});
    QCOMPARE(r.status, 200);
    QCOMPARE(r.header("content-type"), QByteArray("application/json"));
    auto listing = ft::protocol::parse_json_list(r.body.toStdString());
    QMap<QString, ft::protocol::ListEntry> byName;
    for (const auto& e : listing.files) byName.insert(QString::fromStdString(e.name), e);
    QCOMPARE(byName.keys(), (QStringList{"d/e/three.txt", "d/two.txt", "one.txt"}));
    QCOMPARE(byName["d/two.txt"].version, 2000);
    QCOMPARE(byName["d/two.txt"].size, 4u);
    QCOMPARE(QByteArray::fromStdString(byName["d/two.txt"].sha256), sha256Hex("two!"));
    // One level: immediate files plus subdirectories.
    RawResponse one = rawRequest(port(), "GET", "/list/js?recursive=0", {{"Accept", "application/json"}});
    QCOMPARE(one.status, 200);
    auto level = ft::protocol::parse_json_list(one.body.toStdString());
    QCOMPARE(level.files.size(), size_t(1));
    QCOMPARE(level.files[0].name, std::string("one.txt"));
    QCOMPARE(level.directories, std::vector<std::string>{"d"});
    // Cutoff applies to JSON too.
    RawResponse cut = rawRequest(port(), "GET", "/list/js" + lastModifiedQuery(2000), {{"Accept", "application/json"}});
    QCOMPARE(ft::protocol::parse_json_list(cut.body.toStdString()).files.size(), size_t(2));
  }

  void sharedBlobs() {
    const QString data = server_->dataDir();
    const QByteArray payload = "shared content " + randomBytes(64, 7).toHex();
    // Blob files, or over PostgreSQL + S3 the blobs the index counts as
    // referenced (an unreferenced one is deleted only after a grace period).
    auto countBlobs = [this](const QString& dir) {
      if (server_->storeName().isEmpty()) return test::countBlobs(dir);
      return psql(server_->storeName(), "SELECT count(*) FROM blobs WHERE refs > 0").toInt();
    };
    const int before = countBlobs(data);
    QCOMPARE(put(port(), "/dedup/one", payload, 10).status, 200);
    QCOMPARE(countBlobs(data), before + 1);
    QCOMPARE(put(port(), "/dedup/two", payload, 10).status, 200);
    QCOMPARE(countBlobs(data), before + 1);  // one blob for both
    QCOMPARE(rawRequest(port(), "DELETE", filesTarget("/dedup/one", 10)).status, 200);
    QCOMPARE(content(port(), "/dedup/two"), payload);
    QCOMPARE(countBlobs(data), before + 1);
    QCOMPARE(rawRequest(port(), "DELETE", filesTarget("/dedup/two", 10)).status, 200);
    QCOMPARE(countBlobs(data), before);  // gone with its last name
    // Replacing a file's content drops the old blob (unless the server keeps
    // version history: this suite also runs with --keep-versions 5, where the
    // superseded version keeps its blob until pruned).
    const bool history = rawRequest(port(), "GET", "/version").body.contains("\"history\"");
    QCOMPARE(put(port(), "/dedup/three", payload, 10).status, 200);
    QCOMPARE(put(port(), "/dedup/three", payload + "v2", 11).status, 200);
    QCOMPARE(countBlobs(data), before + (history ? 2 : 1));
  }

  void badRequests_data() {
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<RawHeaders>("headers");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("mustNotExist");  // a name that must not be stored afterwards

    const QByteArray d = lastModifiedQuery(1000);
    const QByteArray content = "some content";
    const QByteArray gz = gzip(content);
    QTest::newRow("dotdot") << QByteArray("PUT") << QByteArray("/files/bad/../x" + d) << RawHeaders{} << content << 400 << QByteArray("/x");
    QTest::newRow("encoded dotdot") << QByteArray("PUT") << QByteArray("/files/bad/%2e%2e/y" + d) << RawHeaders{} << content << 400 << QByteArray("/y");
    QTest::newRow("GET dotdot") << QByteArray("GET") << QByteArray("/files/../etc/passwd") << RawHeaders{} << QByteArray() << 400 << QByteArray();
    QTest::newRow("@ in directory") << QByteArray("PUT") << QByteArray("/files/bad@1/x" + d) << RawHeaders{} << content << 400 << QByteArray("/bad@1/x");
    QTest::newRow("version in name") << QByteArray("PUT") << QByteArray("/files/bad/v@12" + d) << RawHeaders{} << content << 400 << QByteArray("/bad/v@12");
    QTest::newRow("empty component") << QByteArray("PUT") << QByteArray("/files/bad//x" + d) << RawHeaders{} << content << 400 << QByteArray();
    // "." would make two names of one file ("/bad/./x" and "/bad/x").
    QTest::newRow("dot component") << QByteArray("PUT") << QByteArray("/files/bad/./x" + d) << RawHeaders{} << content << 400 << QByteArray("/bad/x");
    QTest::newRow("encoded dot component") << QByteArray("PUT") << QByteArray("/files/bad/%2e/y" + d) << RawHeaders{} << content << 400 << QByteArray("/bad/y");
    QTest::newRow("dot first") << QByteArray("PUT") << QByteArray("/files/./bad/z" + d) << RawHeaders{} << content << 400 << QByteArray("/bad/z");
    QTest::newRow("dot last") << QByteArray("PUT") << QByteArray("/files/bad/." + d) << RawHeaders{} << content << 400 << QByteArray("/bad");
    QTest::newRow("GET dot component") << QByteArray("GET") << QByteArray("/files/a/./b") << RawHeaders{} << QByteArray() << 400 << QByteArray();
    QTest::newRow("GET empty component") << QByteArray("GET") << QByteArray("/files/a//b") << RawHeaders{} << QByteArray() << 400 << QByteArray();
    QTest::newRow("DELETE dot component") << QByteArray("DELETE") << QByteArray("/files/a/./b" + d) << RawHeaders{} << QByteArray() << 400 << QByteArray();
    QTest::newRow("no name") << QByteArray("PUT") << QByteArray("/files/" + d) << RawHeaders{} << content << 400 << QByteArray();
    QTest::newRow("bad escape") << QByteArray("PUT") << QByteArray("/files/bad/%zz" + d) << RawHeaders{} << content << 400 << QByteArray();
    QTest::newRow("missing date") << QByteArray("PUT") << QByteArray("/files/bad/nodate") << RawHeaders{} << content << 400 << QByteArray("/bad/nodate");
    QTest::newRow("empty date") << QByteArray("PUT") << QByteArray("/files/bad/emptydate?last_modified=") << RawHeaders{} << content << 400 << QByteArray("/bad/emptydate");
    QTest::newRow("bad date") << QByteArray("PUT") << QByteArray("/files/bad/baddate?last_modified=tomorrow") << RawHeaders{} << content << 400 << QByteArray("/bad/baddate");
    QTest::newRow("empty checksum") << QByteArray("PUT") << QByteArray("/files/bad/sum1" + d) << RawHeaders{{"SHA256-Checksum", ""}} << content << 400 << QByteArray("/bad/sum1");
    QTest::newRow("non-hex checksum") << QByteArray("PUT") << QByteArray("/files/bad/sum2" + d) << RawHeaders{{"SHA256-Checksum", "xyz"}} << content << 400 << QByteArray("/bad/sum2");
    QTest::newRow("wrong checksum") << QByteArray("PUT") << QByteArray("/files/bad/sum3" + d) << RawHeaders{{"SHA256-Checksum", sha256Hex("other")}} << content << 400 << QByteArray("/bad/sum3");
    QTest::newRow("wrong checksum, gzip") << QByteArray("PUT") << QByteArray("/files/bad/sum4" + d) << RawHeaders{{"Content-Encoding", "gzip"}, {"SHA256-Checksum", sha256Hex("other")}} << gz << 400 << QByteArray("/bad/sum4");
    QTest::newRow("empty logical size") << QByteArray("PUT") << QByteArray("/files/bad/size1" + d) << RawHeaders{{"Logical-Size", ""}} << content << 400 << QByteArray("/bad/size1");
    QTest::newRow("negative logical size") << QByteArray("PUT") << QByteArray("/files/bad/size2" + d) << RawHeaders{{"Logical-Size", "-5"}} << content << 400 << QByteArray("/bad/size2");
    QTest::newRow("wrong logical size") << QByteArray("PUT") << QByteArray("/files/bad/size3" + d) << RawHeaders{{"Logical-Size", "5"}} << content << 400 << QByteArray("/bad/size3");
    QTest::newRow("says gzip, is not") << QByteArray("PUT") << QByteArray("/files/bad/gz1" + d) << RawHeaders{{"Content-Encoding", "gzip"}} << content << 400 << QByteArray("/bad/gz1");
    QTest::newRow("truncated gzip") << QByteArray("PUT") << QByteArray("/files/bad/gz2" + d) << RawHeaders{{"Content-Encoding", "gzip"}} << gz.left(gz.size() - 6) << 400 << QByteArray("/bad/gz2");
    QTest::newRow("gzip plus garbage") << QByteArray("PUT") << QByteArray("/files/bad/gz3" + d) << RawHeaders{{"Content-Encoding", "gzip"}} << gz + "garbage" << 400 << QByteArray("/bad/gz3");
    QTest::newRow("empty gzip body") << QByteArray("PUT") << QByteArray("/files/bad/gz4" + d) << RawHeaders{{"Content-Encoding", "gzip"}} << QByteArray() << 400 << QByteArray("/bad/gz4");
    QTest::newRow("unknown encoding") << QByteArray("PUT") << QByteArray("/files/bad/enc" + d) << RawHeaders{{"Content-Encoding", "br"}} << content << 415 << QByteArray("/bad/enc");
    QTest::newRow("unknown endpoint GET") << QByteArray("GET") << QByteArray("/nothing/here") << RawHeaders{} << QByteArray() << 400 << QByteArray();
    QTest::newRow("unknown endpoint PUT") << QByteArray("PUT") << QByteArray("/nothing/here" + d) << RawHeaders{} << content << 400 << QByteArray();
    QTest::newRow("PUT on list") << QByteArray("PUT") << QByteArray("/list/bad/l" + d) << RawHeaders{} << content << 400 << QByteArray("/bad/l");
    QTest::newRow("DELETE on list") << QByteArray("DELETE") << QByteArray("/list/bad" + d) << RawHeaders{} << QByteArray() << 400 << QByteArray();
    QTest::newRow("unknown method") << QByteArray("PATCH") << QByteArray("/files/bad/p" + d) << RawHeaders{} << QByteArray() << 405 << QByteArray("/bad/p");
    QTest::newRow("POST") << QByteArray("POST") << QByteArray("/files/bad/p" + d) << RawHeaders{} << content << 405 << QByteArray("/bad/p");
    QTest::newRow("GET missing") << QByteArray("GET") << QByteArray("/files/bad/missing") << RawHeaders{} << QByteArray() << 404 << QByteArray();
    QTest::newRow("HEAD missing") << QByteArray("HEAD") << QByteArray("/files/bad/missing") << RawHeaders{} << QByteArray() << 404 << QByteArray();
    QTest::newRow("control character") << QByteArray("PUT") << QByteArray("/files/bad/a%0Ab" + d) << RawHeaders{} << content << 400 << QByteArray();
  }
  void badRequests() {
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, target);
    QFETCH(RawHeaders, headers);
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QFETCH(QByteArray, mustNotExist);
    RawConnection c(port());
    RawResponse r = c.request(method, target, headers, body);
    checkError(r, status);
    if (method != "HEAD") QVERIFY(!r.body.isEmpty());
    if (!mustNotExist.isEmpty()) {
      int st = 0;
      content(port(), mustNotExist, &st);
      QVERIFY(st == 404 || st == 400);  // 400: a name that cannot exist at all
      QVERIFY(!lines(rawRequest(port(), "GET", "/list/").body).contains(mustNotExist.mid(1)));
    }
    // The server is fine, and nothing half-written stays behind.
    QCOMPARE(rawRequest(port(), "GET", "/version").status, 200);
    QCOMPARE(QDir(uploadSpoolDir(server_->dataDir())).entryList(QDir::Files).size(), 0);
  }

  void nameClashes() {
    QCOMPARE(put(port(), "/clash/file", "f", 10).status, 200);
    checkError(put(port(), "/clash/file/below", "x", 10), 409);  // parent is a file
    QCOMPARE(put(port(), "/clash/dir/inner", "i", 10).status, 200);
    checkError(put(port(), "/clash/dir", "x", 10), 409);  // a directory of that name
    int status = 0;
    content(port(), "/clash/dir", &status);
    QCOMPARE(status, 404);  // a directory is not a file
    QCOMPARE(content(port(), "/clash/dir/inner"), QByteArray("i"));
  }

  void missingContentLength() {
    RawConnection c(port());
    c.sendRaw("PUT /files/bad/nolength" + lastModifiedQuery(5) + " HTTP/1.1\r\nHost: x\r\n\r\n");
    RawResponse r = c.readResponse();
    checkError(r, 411);
    int status = 0;
    content(port(), "/bad/nolength", &status);
    QCOMPARE(status, 404);
  }

  void malformedHttp_data() {
    QTest::addColumn<QByteArray>("bytes");
    QTest::newRow("garbage") << QByteArray("HELLO THERE\r\n\r\n");
    QTest::newRow("bad version") << QByteArray("GET /version HTTP/9.9x\r\n\r\n");
    QTest::newRow("bad header") << QByteArray("GET /version HTTP/1.1\r\nNo colon here\r\n\r\n");
    QTest::newRow("huge header") << QByteArray("GET /version HTTP/1.1\r\nX-Big: " + QByteArray(64 * 1024, 'a') + "\r\n\r\n");
    QTest::newRow("bad content-length") << QByteArray("PUT /files/bad/cl?last_modified=x HTTP/1.1\r\nContent-Length: abc\r\n\r\n");
  }
  void malformedHttp() {
    QFETCH(QByteArray, bytes);
    RawConnection c(port());
    c.sendRaw(bytes);
    RawResponse r = c.readResponse();
    QVERIFY2(r.status == 0 || (r.status >= 400 && r.status < 500), QByteArray::number(r.status).constData());
    if (r.status) QVERIFY(!r.header("x-exception").isEmpty());
    QCOMPARE(rawRequest(port(), "GET", "/version").status, 200);
  }

  void truncatedBody() {
    RawConnection c(port());
    const QByteArray head = "PUT /files/bad/truncated" + lastModifiedQuery(5) + " HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n";
    c.sendRaw(head + QByteArray(5000, 'z'));
    c.shutdownWrite();  // the client gives up half-way
    RawResponse r = c.readResponse();
    QVERIFY(r.status == 0 || r.status == 400);
    int status = 0;
    content(port(), "/bad/truncated", &status);
    QCOMPARE(status, 404);
    QTRY_COMPARE(QDir(uploadSpoolDir(server_->dataDir())).entryList(QDir::Files).size(), 0);
  }

  void keepAlive() {
    RawConnection c(port());
    for (int i = 0; i < 5; ++i) {
      QCOMPARE(c.request("PUT", filesTarget("/ka/f" + QByteArray::number(i), 10), {}, "body").status, 200);
      RawResponse g = c.request("GET", "/files/ka/f" + QByteArray::number(i));
      QCOMPARE(g.status, 200);
      QCOMPARE(g.body, QByteArray("body"));
      checkError(c.request("GET", "/files/ka/missing"), 404);  // errors keep the connection too
    }
    QVERIFY(c.connected());
  }

  void http10() {
    QCOMPARE(put(port(), "/old-http/file", "for HTTP/1.0", 10).status, 200);
    RawConnection c(port());
    c.sendRaw("GET /files/old-http/file HTTP/1.0\r\nAccept-Encoding: gzip\r\n\r\n");
    RawResponse r = c.readResponse();
    QCOMPARE(r.status, 200);
    QCOMPARE(gunzip(r.body), QByteArray("for HTTP/1.0"));
    QVERIFY(c.waitClosed(5000));  // no keep-alive asked for
  }

  void expectContinue() {
    RawResponse r = rawRequest(port(), "PUT", filesTarget("/continue/file", 10), {{"Expect", "100-continue"}},
                               "body after continue");
    QCOMPARE(r.status, 200);
    QCOMPARE(content(port(), "/continue/file"), QByteArray("body after continue"));
  }

  void gzipBodyStoredAsIs() {
    // A gzip body is kept byte for byte: the GET returns the client's gzip.
    const QByteArray text = QByteArray("abc").repeated(1000);
    const QByteArray gz = gzip(text);
    QCOMPARE(put(port(), "/asis/file", gz, 10, {{"Content-Encoding", "gzip"}}).status, 200);
    RawResponse g = getGzip(port(), "/asis/file");
    QCOMPARE(g.body, gz);
    QCOMPARE(g.header("logical-size"), QByteArray::number(text.size()));
  }

  void requestLog() {
    QCOMPARE(rawRequest(port(), "GET", "/files/log/marker-missing").status, 404);
    QTRY_VERIFY(server_->log().contains("GET /files/log/marker-missing 404"));
  }

  void maxUploadSize() {
    TestServer limited({}, {"--max-upload-size", "1000"});
    QVERIFY(limited.start());
    checkError(put(limited.port(), "/big", QByteArray(2000, 'b'), 10), 413);
    int status = 0;
    content(limited.port(), "/big", &status);
    QCOMPARE(status, 404);
    QCOMPARE(put(limited.port(), "/small", QByteArray(1000, 's'), 10).status, 200);
    // A body far bigger than the limit: the client still reads the 413
    // (the server drops the rest instead of resetting the connection).
    RawResponse huge = put(limited.port(), "/huge", QByteArray(3 << 20, 'h'), 10);
    checkError(huge, 413);
    content(limited.port(), "/huge", &status);
    QCOMPARE(status, 404);
  }

  void idleTimeout() {
    TestServer quick({}, {"--idle-timeout", "1"});
    QVERIFY(quick.start());
    RawConnection c(quick.port());
    QCOMPARE(c.request("GET", "/version").status, 200);
    QVERIFY(c.waitClosed(5000));
  }

  void noExtensions() {
    TestServer old({}, {"--no-extensions"});
    QVERIFY(old.start());
    const quint16 p = old.port();
    RawResponse v = rawRequest(p, "GET", "/version");
    QCOMPARE(v.status, 200);
    auto info = ft::protocol::parse_version_response(200, v.body.toStdString());
    QCOMPARE(info.protocol_version, 2);
    QVERIFY(info.extensions.empty());
    QCOMPARE(v.body, QByteArray(R"({"protocol_versions":[2]})"));  // the deployed server's answer, no "server"
    // Checksums are not verified (the deployed server trusts them)...
    QCOMPARE(put(p, "/old/file", "real content", 10, {{"SHA256-Checksum", sha256Hex("something else")}}).status, 200);
    // ...but content is still addressed by its real SHA-256.
    QCOMPARE(content(p, "/old/file"), QByteArray("real content"));
    // Always gzip, even to a client that does not accept it; no SHA256-Checksum.
    RawResponse g = rawRequest(p, "GET", "/files/old/file");
    QCOMPARE(g.status, 200);
    QCOMPARE(g.header("content-encoding"), QByteArray("gzip"));
    QCOMPARE(gunzip(g.body), QByteArray("real content"));
    QVERIFY(!g.has("sha256-checksum"));
    QCOMPARE(g.header("logical-size"), QByteArray("12"));
    // No JSON listing: plain text whatever the Accept header says.
    RawResponse l = rawRequest(p, "GET", "/list/old", {{"Accept", "application/json"}});
    QCOMPARE(l.status, 200);
    QCOMPARE(l.header("content-type"), QByteArray("text/plain"));
    QCOMPARE(l.body, QByteArray("file\n"));
    // Malformed hints are still refused.
    checkError(put(p, "/old/bad", "x", 10, {{"Logical-Size", "abc"}}), 400);
  }

  void cleanShutdown() {
    TestServer s;
    QVERIFY(s.start());
    QCOMPARE(put(s.port(), "/shutdown/f", "data", 10).status, 200);
    s.stop();
    QVERIFY(s.log().contains("stopped"));
    if (s.storeName().isEmpty()) {  // --check reads a local store only
      QString out;
      QCOMPARE(runCheck(s.dataDir(), &out), 0);
      QVERIFY2(out.contains("1 file(s), 1 blob(s), 0 problem(s)"), qPrintable(out));
    }
    // And it serves the same data after a restart.
    QVERIFY(s.start());
    QCOMPARE(content(s.port(), "/shutdown/f"), QByteArray("data"));
  }

  void shutdownFinishesInFlightUpload() {
    TestServer s;
    QVERIFY(s.start());
    RawConnection idle(s.port());  // an idle keep-alive connection must not hold up the shutdown
    QCOMPARE(idle.request("GET", "/version").status, 200);
    RawConnection c(s.port());
    const QByteArray body(200000, 'u');
    const QByteArray request = RawConnection::build("PUT", filesTarget("/inflight/f", 10), {}, body);
    c.sendRaw(request.left(request.size() - 100000));  // half of the body
    QTest::qWait(200);
    QCOMPARE(::kill(pid_t(s.pid()), SIGTERM), 0);
    QTest::qWait(200);
    c.sendRaw(request.mid(request.size() - 100000));  // the rest arrives after SIGTERM
    RawResponse r = c.readResponse();
    QCOMPARE(r.status, 200);
    const int code = s.waitStopped();
    QVERIFY2(code == 0, qPrintable(QString::number(code) + "\n" + s.log()));
    QVERIFY(s.start());
    QCOMPARE(content(s.port(), "/inflight/f"), body);
  }

  void slowClientTimeout() {
    TestServer s({}, {"--transfer-timeout", "1"});
    QVERIFY(s.start());
    RawConnection c(s.port());
    const QByteArray request = RawConnection::build("PUT", filesTarget("/slow/f", 10), {}, QByteArray(10000, 's'));
    c.sendRaw(request.left(request.size() - 5000));  // then nothing more
    QVERIFY(c.waitClosed(5000));
    int status = 0;
    content(s.port(), "/slow/f", &status);
    QCOMPARE(status, 404);
    // (The stream's timer closes the socket; the upload's file goes right
    // after, when the aborted read completes on the connection's thread.)
    QTRY_COMPARE(QDir(uploadSpoolDir(s.dataDir())).entryList(QDir::Files).size(), 0);
  }

  void commandLine() {
    // --help explains every flag.
    test::Process help;
    help.start(TestServer::binary(), {"--help"});
    QVERIFY(help.waitForFinished(10000));
    QCOMPARE(help.exitCode(), 0);
    const QString text = QString::fromUtf8(help.readAllStandardOutput());
    for (const char* flag : {"-d", "-l", "-p", "-L", "--log-level", "--workers", "-D", "--no-extensions",
                             "--max-upload-size", "--check"})
      QVERIFY2(text.contains(QLatin1String(flag)), flag);
    // No data directory: a one-line error, exit code 2.
    test::Process none;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove("FILETRACKER_DIR");
    none.setProcessEnvironment(env);
    none.start(TestServer::binary(), {"-p", "0"});
    QVERIFY(none.waitForFinished(10000));
    QCOMPARE(none.exitCode(), 2);
    QVERIFY(QString::fromUtf8(none.readAllStandardError()).contains("FILETRACKER_DIR"));
    // FILETRACKER_DIR and the old -D flag (ignored: always in the foreground).
    QTemporaryDir dir;
    test::Process fromEnv;
    env.insert("FILETRACKER_DIR", dir.path());
    fromEnv.setProcessEnvironment(env);
    fromEnv.start(TestServer::binary(), {"-D", "-l", "127.0.0.1", "-p", "0", "--log-level", "warning"});
    QVERIFY(fromEnv.waitForReadyRead(10000));
    const QByteArray line = fromEnv.readLine();
    QVERIFY2(line.startsWith("filetracker-server: listening on http://127.0.0.1:"), line.constData());
    const quint16 p = quint16(line.mid(line.lastIndexOf(':') + 1).trimmed().toUInt());
    QCOMPARE(put(p, "/env/file", "x", 10).status, 200);
    fromEnv.terminate();
    QVERIFY(fromEnv.waitForFinished(10000));
    QCOMPARE(fromEnv.exitCode(), 0);
    QVERIFY(QFile::exists(dir.path() + "/index.sqlite3"));
    // A bad listen address, and a port already taken: one-line errors, exit 1.
    test::Process badAddress;
    badAddress.start(TestServer::binary(), {"-d", dir.path(), "-l", "not-an-address", "-p", "0"});
    QVERIFY(badAddress.waitForFinished(10000));
    QCOMPARE(badAddress.exitCode(), 1);
    QVERIFY(QString::fromUtf8(badAddress.readAllStandardError()).contains("invalid listen address"));
    QTemporaryDir other;
    test::Process taken;
    taken.start(TestServer::binary(), {"-d", other.path(), "-p", QString::number(port())});
    QVERIFY(taken.waitForFinished(10000));
    QCOMPARE(taken.exitCode(), 1);
    QVERIFY(QString::fromUtf8(taken.readAllStandardError()).contains("cannot listen"));
    // A bad log level is refused.
    test::Process badLevel;
    badLevel.start(TestServer::binary(), {"-d", dir.path(), "--log-level", "loud"});
    QVERIFY(badLevel.waitForFinished(10000));
    QCOMPARE(badLevel.exitCode(), 2);
  }

  void logFile() {
    QTemporaryDir dir;
    const QString logPath = dir.filePath("server.log");
    TestServer s({}, {"-L", logPath});
    QVERIFY(s.start());
    QCOMPARE(rawRequest(s.port(), "GET", "/files/logged/missing").status, 404);
    s.stop();
    QFile log(logPath);
    QVERIFY(log.open(QIODevice::ReadOnly));
    const QByteArray text = log.readAll();
    QVERIFY2(text.contains("INFO GET /files/logged/missing 404"), text.constData());
  }

  void oneServerPerDirectory() {
    TestServer second(server_->dataDir());
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression("TestServer: server did not come up.*"));
    QVERIFY(!second.start());
    QVERIFY(second.log().contains("another filetracker-server"));
  }
};

QTEST_GUILESS_MAIN(TestServerProtocol)
#include "test_server_protocol.moc"
