// RemoteDataStore (core, libcurl) against a scripted fake server, for the
// behaviour a real server never shows (cut-off downloads, bad checksums,
// silence, old protocol versions), and against the real filetracker-server.
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <atomic>
#include <filesystem>
#include <sstream>

#include "content.hpp"
#include "errors.hpp"
#include "fake_http_server.hpp"
#include "files.hpp"
#include "filetracker/checksum.hpp"
#include "filetracker/error.hpp"
#include "filetracker/gzip.hpp"
#include "filetracker/protocol.hpp"
#include "filetracker/remote_data_store.hpp"
#include "gate.hpp"
#include "temp_dirs.hpp"
#include "test_server.hpp"
#include "wire.hpp"

namespace fs = std::filesystem;
using Headers = QList<QPair<QByteArray, QByteArray>>;

namespace {

constexpr ft::Version kVersion = 1420070410;  // Thu, 01 Jan 2015 00:00:10 GMT

QByteArray versionAnswer(const QString& request, const QByteArray& extensions = {}) {
  Q_UNUSED(request);
  QByteArray body = extensions.isEmpty() ? QByteArray(R"({"protocol_versions": [2]})")
                                         : R"({"protocol_versions": [2], "extensions": [)" + extensions + "]}";
  return FakeHttpServer::reply(200, {{"Content-Type", "application/json"}}, body);
}

// Threads of this process (to see that a stream's worker is gone).
int threadCount() { return int(QDir("/proc/self/task").entryList(QDir::Dirs | QDir::NoDotAndDotDot).size()); }

// Reads a stream to its end with exceptions on badbit; returns the bytes
// read before the end or the failure.
std::string drain(std::istream& in, std::string* failure = nullptr, ft::ErrorCode* code = nullptr) {
  in.exceptions(std::ios::badbit);
  std::string out;
  char buffer[65536];
  try {
    while (in) {
      in.read(buffer, sizeof buffer);
      out.append(buffer, static_cast<std::size_t>(in.gcount()));
    }
  } catch (const ft::Error& e) {
    if (failure) *failure = e.what();
    if (code) *code = e.code();
  }
  return out;
}

}  // namespace

class TestRemoteDataStore : public QObject {
  Q_OBJECT

 private slots:
  void rejectsBadUrls_data();
  void rejectsBadUrls();
  void downloadsGzipAndVerifies();
  void downloadsPlainWithoutChecksum();
  void badDownloadLeavesNothing_data();
  void badDownloadLeavesNothing();
  void httpErrorCarriesReason();
  void versionMismatchIsNotFound();
  void uploadSendsHints_data();
  void uploadSendsHints();
  void uploadToVersionOneServer();
  void asksVersionOnce();
  void headPrefersLogicalSize();
  void plainListingFallback();
  void connectionRefused();
  void dnsFailure();
  void stalledServerTimesOut();
  void cancelStopsTransfer();
  void streamYieldsBytesBeforeTheEnd_data();
  void streamYieldsBytesBeforeTheEnd();
  void streamFailsOnBadBody_data();
  void streamFailsOnBadBody();
  void streamHttpErrorThrowsFromGetStream_data();
  void streamHttpErrorThrowsFromGetStream();
  void streamDestroyedEarly_data();
  void streamDestroyedEarly();

  // Against the real server.
  void realServerRoundTrip_data();
  void realServerRoundTrip();
  void realServerListing_data();
  void realServerListing();
  void realServerVersionRules();

 private:
  QTemporaryDir tmp_{test::tempTemplate("remote-store")};
};

void TestRemoteDataStore::rejectsBadUrls_data() {
  QTest::addColumn<QString>("url");
  QTest::newRow("no scheme") << "127.0.0.1:9999";
  QTest::newRow("ftp") << "ftp://host/";
  QTest::newRow("empty") << "";
  QTest::newRow("scheme only") << "http://";
}

void TestRemoteDataStore::rejectsBadUrls() {
  QFETCH(QString, url);
  std::string message;
  QCOMPARE(test::code_of([&] { ft::RemoteDataStore store(url.toStdString()); }, &message), ft::ErrorCode::InvalidArgument);
  QVERIFY2(message.find("invalid server URL") != std::string::npos, message.c_str());
}

void TestRemoteDataStore::downloadsGzipAndVerifies() {
  const std::string content = test::mixedBytes(300000).toStdString();
  const QByteArray gz = QByteArray::fromStdString(ft::gzip_compress(content));
  FakeHttpServer server([&](const FakeRequest& r) {
    if (r.target == "/files/a/b%20c.txt")
      return FakeHttpServer::reply(200,
                                   {{"Last-Modified", test::httpDate(kVersion)},
                                    {"Content-Encoding", "gzip"},
                                    {"Logical-Size", QByteArray::number(qsizetype(content.size()))},
                                    {"SHA256-Checksum", QByteArray::fromStdString(ft::sha256_hex(content))}},
                                   gz);
    return FakeHttpServer::reply(404, {{"X-Exception", "nope"}}, "");
  });
  ft::RemoteDataStore store(server.url().toStdString());
  fs::path dest = tmp_.filePath("dl/one/out.bin").toStdString();
  QCOMPARE(store.get_file("/a/b c.txt", dest), std::string("/a/b c.txt@") + std::to_string(kVersion));
  QVERIFY(test::read_file(dest) == content);
  QCOMPARE(test::entries(tmp_.filePath("dl/one")), QStringList{"out.bin"});
  // The client asked for gzip explicitly.
  QCOMPARE(server.requests().last().headers.value("accept-encoding"), QByteArray("gzip"));
  // A versioned name that matches is served too.
  QCOMPARE(store.get_file("/a/b c.txt@" + std::to_string(kVersion), dest),
           "/a/b c.txt@" + std::to_string(kVersion));
  // get_stream gives the same bytes.
  auto stream = store.get_stream("/a/b c.txt");
  std::stringstream ss;
  ss << stream.stream->rdbuf();
  QVERIFY(ss.str() == content);
}

void TestRemoteDataStore::downloadsPlainWithoutChecksum() {
  // An old server: gzip only when asked... or a proxy that decoded it: plain
  // body, no checksum, no Logical-Size.
  FakeHttpServer server([&](const FakeRequest&) {
    return FakeHttpServer::reply(200, {{"Last-Modified", "Thu, 01 Jan 2015 02:00:10 +0200"}}, "hello");
  });
  ft::RemoteDataStore store(server.url().toStdString());
  fs::path dest = tmp_.filePath("plain.txt").toStdString();
  // The +0200 offset is honoured: 02:00:10 +0200 is 00:00:10 GMT.
  QCOMPARE(store.get_file("/x", dest), "/x@" + std::to_string(kVersion));
  QCOMPARE(test::read_file(dest), std::string("hello"));
}

void TestRemoteDataStore::badDownloadLeavesNothing_data() {
  QTest::addColumn<QByteArray>("answer");
  QTest::addColumn<int>("code");
  const std::string content = test::mixedBytes(200000).toStdString();
  const QByteArray gz = QByteArray::fromStdString(ft::gzip_compress(content));
  const QByteArray sha = QByteArray::fromStdString(ft::sha256_hex(content));
  const QByteArray size = QByteArray::number(qsizetype(content.size()));
  QByteArray head = "HTTP/1.1 200 OK\r\nConnection: close\r\nLast-Modified: " + test::httpDate(kVersion) +
                    "\r\nContent-Encoding: gzip\r\nLogical-Size: " + size + "\r\nSHA256-Checksum: " + sha + "\r\n";
  QTest::newRow("cut off, Content-Length")
      << head + "Content-Length: " + QByteArray::number(gz.size()) + "\r\n\r\n" + gz.left(gz.size() / 2)
      << int(ft::ErrorCode::Network);
  QTest::newRow("cut off, no Content-Length") << head + "\r\n" + gz.left(gz.size() / 2) << int(ft::ErrorCode::Network);
  QByteArray wrongSha = QByteArray::fromStdString(ft::sha256_hex("something else"));
  QTest::newRow("checksum mismatch") << FakeHttpServer::reply(200,
                                                              {{"Last-Modified", test::httpDate(kVersion)},
                                                               {"Content-Encoding", "gzip"},
                                                               {"SHA256-Checksum", wrongSha}},
                                                              gz)
                                     << int(ft::ErrorCode::ChecksumMismatch);
  QTest::newRow("logical size mismatch")
      << FakeHttpServer::reply(200, {{"Last-Modified", test::httpDate(kVersion)}, {"Logical-Size", "10"}}, "12345")
      << int(ft::ErrorCode::Network);
  QTest::newRow("corrupt gzip") << FakeHttpServer::reply(
                                       200, {{"Last-Modified", test::httpDate(kVersion)}, {"Content-Encoding", "gzip"}},
                                       "this is not gzip at all")
                                << int(ft::ErrorCode::Protocol);
  QTest::newRow("no Last-Modified") << FakeHttpServer::reply(200, {}, "data") << int(ft::ErrorCode::Protocol);
}

void TestRemoteDataStore::badDownloadLeavesNothing() {
  QFETCH(QByteArray, answer);
  QFETCH(int, code);
  FakeHttpServer server([&](const FakeRequest&) { return answer; });
  ft::RemoteDataStore store(server.url().toStdString());
  QTemporaryDir dir(tmp_.filePath("bad-XXXXXX"));
  fs::path dest = dir.filePath("out.bin").toStdString();
  // An existing file at the destination survives a failed download untouched.
  test::write_file(dest, "old content");
  std::string message;
  QCOMPARE(int(test::code_of([&] { store.get_file("/a/b.txt", dest); }, &message)), code);
  QVERIFY2(message.rfind("/a/b.txt: ", 0) == 0, message.c_str());
  QVERIFY2(message.find('\n') == std::string::npos, message.c_str());
  QCOMPARE(test::read_file(dest), std::string("old content"));
  QCOMPARE(test::entries(dir.path()), QStringList{"out.bin"});
}

void TestRemoteDataStore::httpErrorCarriesReason() {
  FakeHttpServer server([&](const FakeRequest& r) {
    if (r.target.startsWith("/files/a/b.txt"))
      return FakeHttpServer::reply(404, {{"X-Exception", "file not found"}, {"Content-Type", "text/plain"}},
                                   "Not Found");
    if (r.target.startsWith("/files/dup"))  // the reason repeats the name: said once
      return FakeHttpServer::reply(403, {{"X-Exception", "/dup: not allowed"}}, "");
    return FakeHttpServer::reply(500, {}, "boom");  // no X-Exception: the standard phrase
  });
  ft::RemoteDataStore store(server.url().toStdString());
  std::string message;
  QCOMPARE(test::code_of([&] { store.get_file("/a/b.txt", tmp_.filePath("e1").toStdString()); }, &message),
           ft::ErrorCode::NotFound);
  QCOMPARE(message, std::string("/a/b.txt: HTTP 404: file not found"));
  QCOMPARE(test::code_of([&] { store.file_version("/a/b.txt"); }, &message), ft::ErrorCode::NotFound);
  QVERIFY(!store.exists("/a/b.txt"));
  QCOMPARE(test::code_of([&] { store.file_size("/other"); }, &message), ft::ErrorCode::Http);
  QCOMPARE(message, std::string("/other: HTTP 500: internal server error"));
  QCOMPARE(test::code_of([&] { store.file_size("/dup@12"); }, &message), ft::ErrorCode::Http);
  // 401/403 are access control's one line, about the file (no version, no status).
  QCOMPARE(message, std::string("/dup: not allowed"));
  QVERIFY(!QFile::exists(tmp_.filePath("e1")));
}

void TestRemoteDataStore::versionMismatchIsNotFound() {
  FakeHttpServer server([&](const FakeRequest&) {
    return FakeHttpServer::reply(200, {{"Last-Modified", test::httpDate(kVersion + 5)}, {"Logical-Size", "4"}}, "data");
  });
  ft::RemoteDataStore store(server.url().toStdString());
  std::string message;
  fs::path dest = tmp_.filePath("mismatch").toStdString();
  QCOMPARE(test::code_of([&] { store.get_file("/f@" + std::to_string(kVersion), dest); }, &message),
           ft::ErrorCode::NotFound);
  QVERIFY2(message.find("not available") != std::string::npos, message.c_str());
  QVERIFY(!fs::exists(dest));
  QVERIFY(!store.exists("/f@" + std::to_string(kVersion)));
  QVERIFY(store.exists("/f@" + std::to_string(kVersion + 5)));
  QVERIFY(store.exists("/f"));
}

void TestRemoteDataStore::uploadSendsHints_data() {
  QTest::addColumn<int>("size");
  QTest::addColumn<bool>("compress");
  QTest::addColumn<bool>("spool");
  QTest::newRow("empty") << 0 << true << true;
  QTest::newRow("small") << 1000 << true << true;
  QTest::newRow("large, spooled") << (12 << 20) << true << true;
  QTest::newRow("large, compressed twice") << (12 << 20) << true << false;
  QTest::newRow("uncompressed") << 70000 << false << true;
}

void TestRemoteDataStore::uploadSendsHints() {
  QFETCH(int, size);
  QFETCH(bool, compress);
  QFETCH(bool, spool);
  const std::string content = test::mixedBytes(std::size_t(size), 7).toStdString();
  FakeHttpServer server([&](const FakeRequest& r) {
    if (r.target == "/version") return versionAnswer({});
    // Answers with a newer stored version, as a server does for an older PUT.
    return FakeHttpServer::reply(200, {{"Last-Modified", test::httpDate(kVersion + 100)}}, "");
  });
  fs::path local = tmp_.filePath("upload.bin").toStdString();
  test::write_file(local, content);
  ft::RemoteDataStore store(server.url().toStdString());
  store.set_spool_uploads(spool);
  std::uint64_t lastProgress = 0;
  store.set_progress_callback([&](ft::TransferPhase, std::uint64_t done, std::uint64_t) { lastProgress = done; });
  QCOMPARE(store.add_file("/d/up load.bin@" + std::to_string(kVersion), local, compress),
           "/d/up load.bin@" + std::to_string(kVersion + 100));
  const auto requests = server.requests();
  QCOMPARE(requests.size(), 2);
  const FakeRequest& put = requests[1];
  QCOMPARE(put.method, QByteArray("PUT"));
  QCOMPARE(put.target, "/files/d/up%20load.bin?last_modified=" +
                           QByteArray::fromStdString(ft::protocol::form_encode(ft::protocol::format_http_date(kVersion))));
  QCOMPARE(put.headers.value("sha256-checksum").toStdString(), ft::sha256_hex(content));
  QCOMPARE(put.headers.value("logical-size"), QByteArray::number(size));
  QCOMPARE(put.headers.value("content-length"), QByteArray::number(put.body.size()));
  QVERIFY(!put.headers.contains("expect"));
  if (compress) {
    QCOMPARE(put.headers.value("content-encoding"), QByteArray("gzip"));
    QVERIFY(ft::gzip_decompress(put.body.toStdString()) == content);
  } else {
    QVERIFY(!put.headers.contains("content-encoding"));
    QVERIFY(put.body.toStdString() == content);
  }
  if (size > 0) QCOMPARE(lastProgress, std::uint64_t(put.body.size()));
}

void TestRemoteDataStore::uploadToVersionOneServer() {
  FakeHttpServer server([&](const FakeRequest& r) {
    if (r.target == "/version") return FakeHttpServer::reply(404, {}, "");
    return FakeHttpServer::reply(200, {{"Last-Modified", test::httpDate(kVersion)}}, "");
  });
  fs::path local = tmp_.filePath("v1.bin").toStdString();
  test::write_file(local, "version one");
  ft::RemoteDataStore store(server.url().toStdString());
  QCOMPARE(store.server_info().protocol_version, 1);
  QCOMPARE(store.add_file("/v1.txt@" + std::to_string(kVersion), local), "/v1.txt@" + std::to_string(kVersion));
  const FakeRequest put = server.requests().last();
  QCOMPARE(put.target, QByteArray("/files/v1.txt"));
  QCOMPARE(put.headers.value("last-modified"), test::httpDate(kVersion));
  QVERIFY(!put.headers.contains("content-encoding"));
  QCOMPARE(put.body, QByteArray("version one"));
  QCOMPARE(test::code_of([&] { store.delete_file("/v1.txt"); }), ft::ErrorCode::Unsupported);
  QCOMPARE(test::code_of([&] { store.list("/"); }), ft::ErrorCode::Unsupported);
}

void TestRemoteDataStore::asksVersionOnce() {
  FakeHttpServer server([&](const FakeRequest& r) {
    if (r.target == "/version") return versionAnswer({}, R"("json-list", "sha256-header")");
    if (r.method == "PUT" || r.method == "DELETE")
      return FakeHttpServer::reply(200, {{"Last-Modified", test::httpDate(kVersion)}}, "");
    if (r.target.startsWith("/list/"))
      return FakeHttpServer::reply(200, {{"Content-Type", "application/json"}},
                                   QByteArray::fromStdString(ft::protocol::make_json_list({"/", {}, {}, {}})));
    return FakeHttpServer::reply(404, {}, "");
  });
  fs::path local = tmp_.filePath("once.bin").toStdString();
  test::write_file(local, "x");
  ft::RemoteDataStore store(server.url().toStdString());
  store.add_file("/a", local);
  store.add_file("/b", local);
  store.delete_file("/a");
  store.list("/");
  QVERIFY(store.server_info().has(ft::protocol::kExtJsonList));
  QCOMPARE(server.count("GET", "/version"), 1);
  // Delete without a version sends "now"; with one, that version.
  store.delete_file("/b@" + std::to_string(kVersion));
  QVERIFY(server.requests().last().target.endsWith(
      QByteArray::fromStdString(ft::protocol::form_encode(ft::protocol::format_http_date(kVersion)))));
}

void TestRemoteDataStore::headPrefersLogicalSize() {
  FakeHttpServer server([&](const FakeRequest& r) {
    if (r.target == "/files/logical")
      return FakeHttpServer::reply(
          200, {{"Last-Modified", test::httpDate(kVersion)}, {"Logical-Size", "1000"}, {"Content-Length", "37"}}, "");
    return FakeHttpServer::reply(200, {{"Last-Modified", test::httpDate(kVersion)}, {"Content-Length", "37"}}, "");
  });
  ft::RemoteDataStore store(server.url().toStdString());
  QCOMPARE(store.file_size("/logical"), std::uint64_t(1000));
  QCOMPARE(store.file_size("/compressed-only"), std::uint64_t(37));
  QCOMPARE(store.file_version("/logical@5"), kVersion);
  QCOMPARE(server.requests().last().method, QByteArray("HEAD"));
}

void TestRemoteDataStore::plainListingFallback() {
  // A seed server: no extensions, plain listing, metadata from HEAD.
  FakeHttpServer server([&](const FakeRequest& r) {
    if (r.target == "/version") return versionAnswer({});
    if (r.target == "/list/d")
      return FakeHttpServer::reply(200, {{"Content-Type", "text/plain"}}, "x.txt\nsub/y.txt\nsub/deep/z.txt\n");
    if (r.target == "/list/missing") return FakeHttpServer::reply(400, {{"X-Exception", "no such directory"}}, "");
    if (r.method == "HEAD")
      return FakeHttpServer::reply(
          200, {{"Last-Modified", test::httpDate(kVersion)}, {"Logical-Size", QByteArray::number(r.target.size())}}, "");
    return FakeHttpServer::reply(404, {}, "");
  });
  ft::RemoteDataStore store(server.url().toStdString());
  auto all = store.list("/d/", true, true);
  QCOMPARE(all.files.size(), std::size_t(3));
  QCOMPARE(all.files[0].name, std::string("/d/sub/deep/z.txt"));
  QCOMPARE(all.files[0].version, kVersion);
  QCOMPARE(all.files[0].size, std::uint64_t(std::string("/files/d/sub/deep/z.txt").size()));
  QVERIFY(all.directories.empty());
  QCOMPARE(server.count("GET", "/list/d"), 1);
  QVERIFY(!server.requests()[1].headers.contains("accept") ||
          server.requests()[1].headers.value("accept") != "application/json");

  auto top = store.list("/d", false, true);
  QCOMPARE(top.files.size(), std::size_t(1));
  QCOMPARE(top.files[0].name, std::string("/d/x.txt"));
  QCOMPARE(top.directories, std::vector<std::string>{"/d/sub"});

  QCOMPARE(store.list_names("/d"), (std::vector<std::string>{"/d/sub/deep/z.txt", "/d/sub/y.txt", "/d/x.txt"}));
  std::string message;
  QCOMPARE(test::code_of([&] { store.list("/missing"); }, &message), ft::ErrorCode::Http);
  QCOMPARE(message, std::string("/missing: HTTP 400: no such directory"));
  QCOMPARE(test::code_of([&] { store.list("relative"); }), ft::ErrorCode::InvalidArgument);
}

void TestRemoteDataStore::connectionRefused() {
  quint16 port;
  {
    FakeHttpServer closed([](const FakeRequest&) { return QByteArray(); });
    port = closed.port();
  }
  ft::RemoteDataStore store("http://127.0.0.1:" + std::to_string(port));
  std::string message;
  QCOMPARE(test::code_of([&] { store.file_version("/a/b.txt"); }, &message), ft::ErrorCode::Network);
  QVERIFY2(message.rfind("/a/b.txt: cannot connect to http://127.0.0.1:", 0) == 0, message.c_str());
  QVERIFY2(message.find("refused") != std::string::npos, message.c_str());
}

void TestRemoteDataStore::dnsFailure() {
  ft::RemoteDataStore store("http://no-such-host.invalid", {2000, 2, 5000});
  std::string message;
  QCOMPARE(test::code_of([&] { store.file_version("/a"); }, &message), ft::ErrorCode::Network);
  QVERIFY2(message.find("cannot resolve") != std::string::npos, message.c_str());
}

void TestRemoteDataStore::stalledServerTimesOut() {
  FakeHttpServer server([](const FakeRequest&) { return QByteArray(); });  // never answers
  ft::RemoteDataStore store(server.url().toStdString(), {2000, 1, 0});
  std::string message;
  QElapsedTimer timer;
  timer.start();
  QCOMPARE(test::code_of([&] { store.get_file("/slow", tmp_.filePath("slow").toStdString()); }, &message),
           ft::ErrorCode::Network);
  QVERIFY2(message.find("timed out") != std::string::npos, message.c_str());
  QVERIFY(timer.elapsed() < 8000);
  QVERIFY(!QFile::exists(tmp_.filePath("slow")));
}

void TestRemoteDataStore::cancelStopsTransfer() {
  const std::string content = test::mixedBytes(4 << 20, 3).toStdString();
  const QByteArray gz = QByteArray::fromStdString(ft::gzip_compress(content));
  FakeHttpServer server([&](const FakeRequest&) {
    return FakeHttpServer::reply(200, {{"Last-Modified", test::httpDate(kVersion)}, {"Content-Encoding", "gzip"}}, gz);
  });
  ft::RemoteDataStore store(server.url().toStdString());
  std::atomic<bool> cancel{false};
  store.set_cancel_flag(&cancel);
  store.set_progress_callback([&](ft::TransferPhase, std::uint64_t done, std::uint64_t) {
    if (done > 0) cancel = true;
  });
  fs::path dest = tmp_.filePath("cancelled/out").toStdString();
  QCOMPARE(test::code_of([&] { store.get_file("/big", dest); }), ft::ErrorCode::Cancelled);
  QCOMPARE(test::entries(tmp_.filePath("cancelled")), QStringList{});
}

// ---- Streamed downloads --------------------------------------------------------

void TestRemoteDataStore::streamYieldsBytesBeforeTheEnd_data() {
  QTest::addColumn<bool>("gzip");
  QTest::newRow("plain") << false;
  QTest::newRow("gzip") << true;
}

void TestRemoteDataStore::streamYieldsBytesBeforeTheEnd() {
  // The server sends half the answer, then waits until the test has read a
  // byte of the stream before it sends the rest: a get_stream that waits for
  // the whole body would only return after the server's wait ran out.
  QFETCH(bool, gzip);
  const std::string content = test::mixedBytes(1 << 20, 11).toStdString();
  const QByteArray body =
      gzip ? QByteArray::fromStdString(ft::gzip_compress(content)) : QByteArray::fromStdString(content);
  Headers headers{{"Last-Modified", test::httpDate(kVersion)},
                  {"Logical-Size", QByteArray::number(qsizetype(content.size()))},
                  {"SHA256-Checksum", QByteArray::fromStdString(ft::sha256_hex(content))}};
  if (gzip) headers.append(QPair<QByteArray, QByteArray>("Content-Encoding", "gzip"));
  const QByteArray answer = FakeHttpServer::reply(200, headers, body);
  FakeHttpServer server([&](const FakeRequest&) { return answer; });
  server.setTrickle(2, 0);
  test::Gate readSomething;
  std::atomic<bool> restSentBeforeRead{false};
  server.setBeforePiece([&](int) {
    if (!readSomething.wait(10000)) restSentBeforeRead = true;
  });
  ft::RemoteDataStore store(server.url().toStdString());
  auto stream = store.get_stream("/half");
  QCOMPARE(stream.versioned_name, "/half@" + std::to_string(kVersion));
  char first = 0;
  QVERIFY(stream.stream->get(first));
  readSomething.open();
  QVERIFY(!restSentBeforeRead);
  QCOMPARE(first, content[0]);
  std::string failure;
  std::string rest = drain(*stream.stream, &failure);
  QVERIFY2(failure.empty(), failure.c_str());
  QVERIFY(stream.stream->eof() && !stream.stream->bad());
  QVERIFY(first + rest == content);
}

void TestRemoteDataStore::streamFailsOnBadBody_data() {
  QTest::addColumn<QByteArray>("answer");
  QTest::addColumn<int>("code");
  QTest::addColumn<QByteArray>("words");  // in the message
  const std::string content = test::mixedBytes(300000, 5).toStdString();
  const QByteArray gz = QByteArray::fromStdString(ft::gzip_compress(content));
  const QByteArray size = QByteArray::number(qsizetype(content.size()));
  const QByteArray sha = QByteArray::fromStdString(ft::sha256_hex(content));
  const QByteArray head = "HTTP/1.1 200 OK\r\nConnection: close\r\nLast-Modified: " + test::httpDate(kVersion) + "\r\n";
  QTest::newRow("cut off (Content-Length)")
      << head + "Content-Encoding: gzip\r\nLogical-Size: " + size + "\r\nContent-Length: " +
             QByteArray::number(gz.size()) + "\r\n\r\n" + gz.left(gz.size() / 2)
      << int(ft::ErrorCode::Network) << QByteArray("cut off");
  QTest::newRow("cut off (no length, gzip)")
      << head + "Content-Encoding: gzip\r\n\r\n" + gz.left(gz.size() / 2) << int(ft::ErrorCode::Network)
      << QByteArray("cut off");
  QTest::newRow("cut off (no length, Logical-Size)")
      << head + "Logical-Size: " + size + "\r\n\r\n" + QByteArray::fromStdString(content.substr(0, 1000))
      << int(ft::ErrorCode::Network) << QByteArray("got 1000 of 300000 bytes");
  std::string wrong = ft::sha256_hex("something else");
  QTest::newRow("checksum mismatch")
      << FakeHttpServer::reply(200,
                               {{"Last-Modified", test::httpDate(kVersion)},
                                {"Content-Encoding", "gzip"},
                                {"Logical-Size", size},
                                {"SHA256-Checksum", QByteArray::fromStdString(wrong)}},
                               gz)
      << int(ft::ErrorCode::ChecksumMismatch) << QByteArray("SHA-256");
  QTest::newRow("corrupt gzip") << FakeHttpServer::reply(
                                       200, {{"Last-Modified", test::httpDate(kVersion)}, {"Content-Encoding", "gzip"}},
                                       "this is not gzip at all")
                                << int(ft::ErrorCode::Protocol) << QByteArray("/s.bin: ");
  Q_UNUSED(sha);
}

void TestRemoteDataStore::streamFailsOnBadBody() {
  QFETCH(QByteArray, answer);
  QFETCH(int, code);
  QFETCH(QByteArray, words);
  FakeHttpServer server([&](const FakeRequest&) { return answer; });
  ft::RemoteDataStore store(server.url().toStdString());
  // With exceptions on badbit: the buffer's ft::Error comes out, one line.
  {
    auto stream = store.get_stream("/s.bin");
    std::string failure;
    ft::ErrorCode failed = static_cast<ft::ErrorCode>(-1);
    drain(*stream.stream, &failure, &failed);
    QCOMPARE(int(failed), code);
    QVERIFY2(failure.rfind("/s.bin: ", 0) == 0, failure.c_str());
    QVERIFY2(failure.find(words.toStdString()) != std::string::npos, failure.c_str());
    QVERIFY2(failure.find('\n') == std::string::npos, failure.c_str());
  }
  // Without: the stream ends bad, never as a clean end of file.
  {
    auto stream = store.get_stream("/s.bin");
    std::stringstream copy;
    char buffer[4096];
    while (*stream.stream) {
      stream.stream->read(buffer, sizeof buffer);
      copy.write(buffer, stream.stream->gcount());
    }
    QVERIFY(stream.stream->bad());
  }
}

void TestRemoteDataStore::streamHttpErrorThrowsFromGetStream_data() {
  QTest::addColumn<QString>("name");
  QTest::addColumn<int>("code");
  QTest::newRow("404") << "/missing.txt" << int(ft::ErrorCode::NotFound);
  QTest::newRow("500") << "/broken.txt" << int(ft::ErrorCode::Http);
  QTest::newRow("version mismatch") << QString("/v.txt@%1").arg(kVersion - 5) << int(ft::ErrorCode::NotFound);
  QTest::newRow("no Last-Modified") << "/nolm.txt" << int(ft::ErrorCode::Protocol);
}

void TestRemoteDataStore::streamHttpErrorThrowsFromGetStream() {
  QFETCH(QString, name);
  QFETCH(int, code);
  FakeHttpServer server([&](const FakeRequest& r) {
    if (r.target.startsWith("/files/missing.txt"))
      return FakeHttpServer::reply(404, {{"X-Exception", "file not found"}}, "Not Found");
    if (r.target.startsWith("/files/broken.txt"))
      return FakeHttpServer::reply(500, {{"X-Exception", "disk on fire"}}, QByteArray(100000, 'x'));
    if (r.target.startsWith("/files/nolm.txt")) return FakeHttpServer::reply(200, {}, "data");
    return FakeHttpServer::reply(200, {{"Last-Modified", test::httpDate(kVersion)}}, "content");
  });
  ft::RemoteDataStore store(server.url().toStdString());
  const int threads = threadCount();
  std::string fromFile;
  std::string fromStream;
  QCOMPARE(int(test::code_of([&] { store.get_file(name.toStdString(), tmp_.filePath("http-err").toStdString()); },
                      &fromFile)),
           code);
  QCOMPARE(int(test::code_of([&] { store.get_stream(name.toStdString()); }, &fromStream)), code);
  // The same one-line message as get_file.
  QCOMPARE(fromStream, fromFile);
  QVERIFY2(fromStream.rfind(name.toStdString() + ": ", 0) == 0, fromStream.c_str());
  QCOMPARE(threadCount(), threads);
}

void TestRemoteDataStore::streamDestroyedEarly_data() {
  QTest::addColumn<bool>("serverStalls");
  // The reader stops while the queue is full and the server keeps sending.
  QTest::newRow("server still sending") << false;
  // The reader stops while the server says nothing mid-body.
  QTest::newRow("server silent mid-body") << true;
}

void TestRemoteDataStore::streamDestroyedEarly() {
  QFETCH(bool, serverStalls);
  const std::string content = test::mixedBytes(serverStalls ? (1 << 20) : (32 << 20), 9).toStdString();
  const QByteArray answer =
      FakeHttpServer::reply(200, {{"Last-Modified", test::httpDate(kVersion)}}, QByteArray::fromStdString(content));
  test::Gate release;
  {
    FakeHttpServer server([&](const FakeRequest&) { return answer; });
    if (serverStalls) {
      server.setTrickle(2, 0);
      server.setBeforePiece([&](int) { release.wait(10000); });
    } else {
      server.setTrickle(64, 10);
    }
    ft::RemoteDataStore store(server.url().toStdString());
    const int threads = threadCount();
    QElapsedTimer timer;
    {
      auto stream = store.get_stream("/big");
      char buffer[100];
      QVERIFY(stream.stream->read(buffer, sizeof buffer));
      QVERIFY(std::string(buffer, sizeof buffer) == content.substr(0, sizeof buffer));
      QVERIFY(threadCount() > threads);  // the worker
      QTest::qWait(300);                 // let the worker fill the queue (or wait for the server)
      timer.start();
    }
    // Destruction cancelled the transfer and joined the worker promptly.
    QVERIFY2(timer.elapsed() < 5000, QByteArray::number(timer.elapsed()).constData());
    QCOMPARE(threadCount(), threads);
    release.open();
  }
}

// ---- Real server ---------------------------------------------------------------

void TestRemoteDataStore::realServerRoundTrip_data() {
  QTest::addColumn<QStringList>("serverArgs");
  QTest::newRow("with extensions") << QStringList{};
  QTest::newRow("without extensions") << QStringList{"--no-extensions"};
}

void TestRemoteDataStore::realServerRoundTrip() {
  QFETCH(QStringList, serverArgs);
  if (TestServer::binary().isEmpty()) QSKIP("filetracker-server is not built");
  TestServer server({}, serverArgs);
  QVERIFY(server.start());
  ft::RemoteDataStore store(server.url().toStdString());
  QCOMPARE(store.server_info().extensions.empty(), !serverArgs.isEmpty());

  for (std::size_t size : {std::size_t(0), std::size_t(1024), std::size_t(9 << 20)}) {
    const std::string content = test::mixedBytes(size, unsigned(size)).toStdString();
    fs::path local = tmp_.filePath("rt.bin").toStdString();
    test::write_file(local, content);
    std::string name = "/rt/f" + std::to_string(size) + ".bin";
    std::string stored = store.add_file(name + "@" + std::to_string(kVersion), local);
    QCOMPARE(stored, name + "@" + std::to_string(kVersion));
    QCOMPARE(store.file_size(name), std::uint64_t(size));
    QCOMPARE(store.file_version(name), kVersion);
    fs::path back = tmp_.filePath("rt-back/out.bin").toStdString();
    QCOMPARE(store.get_file(name, back), stored);
    QVERIFY(test::read_file(back) == content);
  }
  // Uncompressed upload: the server compresses.
  fs::path local = tmp_.filePath("rt-plain.bin").toStdString();
  test::write_file(local, "plain upload");
  std::string stored = store.add_file("/rt/plain.txt", local, false);
  QVERIFY(stored.rfind("/rt/plain.txt@", 0) == 0);
  QCOMPARE(store.file_size("/rt/plain.txt"), std::uint64_t(12));
  // Delete, then 404 with the server's reason.
  store.delete_file("/rt/plain.txt");
  std::string message;
  QCOMPARE(test::code_of([&] { store.file_version("/rt/plain.txt"); }, &message), ft::ErrorCode::NotFound);
  QVERIFY2(message.rfind("/rt/plain.txt: HTTP 404: ", 0) == 0, message.c_str());
  QCOMPARE(test::code_of([&] { store.delete_file("/rt/plain.txt"); }), ft::ErrorCode::NotFound);
  // Streams upload through a spool file.
  std::istringstream in("from a stream");
  QVERIFY(store.add_stream("/rt/stream.txt", in).rfind("/rt/stream.txt@", 0) == 0);
  auto s = store.get_stream("/rt/stream.txt");
  std::stringstream ss;
  ss << s.stream->rdbuf();
  QCOMPARE(ss.str(), std::string("from a stream"));
}

void TestRemoteDataStore::realServerListing_data() { realServerRoundTrip_data(); }

void TestRemoteDataStore::realServerListing() {
  QFETCH(QStringList, serverArgs);
  if (TestServer::binary().isEmpty()) QSKIP("filetracker-server is not built");
  TestServer server({}, serverArgs);
  QVERIFY(server.start());
  ft::RemoteDataStore store(server.url().toStdString());
  fs::path local = tmp_.filePath("ls.bin").toStdString();
  test::write_file(local, "12345");
  for (const char* n : {"/ls/a.txt", "/ls/sub/b.txt", "/ls/sub/deep/c.txt", "/other/d.txt"})
    store.add_file(std::string(n) + "@" + std::to_string(kVersion), local);

  auto all = store.list("/ls");
  QCOMPARE(all.files.size(), std::size_t(3));
  for (const auto& f : all.files) {
    QCOMPARE(f.version, kVersion);
    QCOMPARE(f.size, std::uint64_t(5));
  }
  QCOMPARE(all.files[0].name, std::string("/ls/a.txt"));
  QCOMPARE(all.files[2].name, std::string("/ls/sub/deep/c.txt"));

  auto top = store.list("/ls", false);
  QCOMPARE(top.files.size(), std::size_t(1));
  QCOMPARE(top.files[0].name, std::string("/ls/a.txt"));
  QCOMPARE(top.directories, std::vector<std::string>{"/ls/sub"});

  QCOMPARE(store.list("/").files.size(), std::size_t(4));
  QCOMPARE(store.list_files().size(), std::size_t(4));
  QCOMPARE(store.list_files()[0].name, "/ls/a.txt@" + std::to_string(kVersion));
  QCOMPARE(test::code_of([&] { store.list("/nothing-here"); }), ft::ErrorCode::Http);
}

void TestRemoteDataStore::realServerVersionRules() {
  if (TestServer::binary().isEmpty()) QSKIP("filetracker-server is not built");
  TestServer server;
  QVERIFY(server.start());
  ft::RemoteDataStore store(server.url().toStdString());
  fs::path local = tmp_.filePath("vr.bin").toStdString();
  test::write_file(local, "new");
  store.add_file("/vr@" + std::to_string(kVersion + 10), local);
  test::write_file(local, "older");
  // An older PUT changes nothing and reports the stored version.
  QCOMPARE(store.add_file("/vr@" + std::to_string(kVersion), local), "/vr@" + std::to_string(kVersion + 10));
  fs::path back = tmp_.filePath("vr-back").toStdString();
  store.get_file("/vr", back);
  QCOMPARE(test::read_file(back), std::string("new"));
  // Delete with an older version: no effect.
  store.delete_file("/vr@" + std::to_string(kVersion));
  QVERIFY(store.exists("/vr"));
  QVERIFY(store.exists("/vr@" + std::to_string(kVersion + 10)));
  QVERIFY(!store.exists("/vr@" + std::to_string(kVersion)));
}

QTEST_GUILESS_MAIN(TestRemoteDataStore)
#include "test_remote_data_store.moc"
