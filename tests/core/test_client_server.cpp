// The caching Client end to end: the real filetracker-server on loopback as
// the remote store (FILETRACKER_SERVER_BIN), a real cache on disk.
#include <QtTest>

#include <cstdlib>
#include <ctime>
#include <sstream>

#include "errors.hpp"
#include "files.hpp"
#include "filetracker/client.hpp"
#include "filetracker/local_data_store.hpp"
#include "temp_dirs.hpp"
#include "test_server.hpp"

namespace fs = std::filesystem;
using ft::Client;
using ft::ErrorCode;

namespace {
Client make_client(const fs::path& cache, const QString& url) {
  ft::ClientOptions o;
  o.cache_dir = cache;
  o.remote_url = url.toStdString();
  o.read_environment = false;
  return Client(o);
}
}  // namespace

class TestClientServer : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    if (TestServer::binary().isEmpty()) QSKIP("FILETRACKER_SERVER_BIN is not set (the server is not built)");
  }

  void putGetCacheDelete() {
    TestServer server;
    QVERIFY(server.start());
    auto dir = test::scratch_dir();
    const fs::path root = test::path_of(*dir);
    const fs::path src = root / "src.txt";
    test::write_file(src, "hello over the wire");

    Client writer = make_client(root / "cache-w", server.url());
    const std::string versioned = writer.put_file("/e2e/dir/a.txt", src);
    const auto version = ft::split_name(versioned).version;
    QVERIFY(version.has_value());
    QCOMPARE(ft::split_name(versioned).name, std::string("/e2e/dir/a.txt"));
    QCOMPARE(writer.file_version("/e2e/dir/a.txt"), *version);
    QCOMPARE(writer.file_size("/e2e/dir/a.txt"), std::uint64_t(19));

    // Another machine: an empty cache. The first get downloads and caches.
    Client reader = make_client(root / "cache-r", server.url());
    QCOMPARE(reader.get_file(versioned, root / "got1"), versioned);
    QCOMPARE(test::read_file(root / "got1"), std::string("hello over the wire"));
    const fs::path cached = root / "cache-r" / "files" / "e2e" / "dir" / "a.txt";
    QCOMPARE(test::read_file(cached), std::string("hello over the wire"));
    QCOMPARE(test::mtime_of(cached), static_cast<long long>(*version));
    QCOMPARE(reader.list_local_files().size(), std::size_t(1));

    // With the server gone, the versioned name still comes from the cache...
    server.kill9();
    QCOMPARE(reader.get_file(versioned, root / "got2"), versioned);
    QCOMPARE(test::read_file(root / "got2"), std::string("hello over the wire"));
    // ...but an unversioned one needs the server (the cache may be stale).
    const auto e = test::error_of([&] { reader.get_file("/e2e/dir/a.txt", root / "got3"); });
    QVERIFY(e);
    QCOMPARE(e->code(), ErrorCode::Network);
    QVERIFY(!fs::exists(root / "got3"));

    QVERIFY(server.restart());
    Client again = make_client(root / "cache-r", server.url());
    QCOMPARE(again.get_file("/e2e/dir/a.txt", root / "got4"), versioned);
    again.delete_file("/e2e/dir/a.txt");
    QVERIFY(!fs::exists(cached));
    const auto gone = test::error_of([&] { again.get_file("/e2e/dir/a.txt", root / "got5"); });
    QVERIFY(gone);
    QCOMPARE(gone->code(), ErrorCode::NotFound);
  }

  void sameSecondUploadsGetTheirOwnVersions() {
    // Two uploaders put different content under the same version (the same
    // second): one content per version, so the second is stored as the next
    // version, each uploader's cache holds what the server holds under the
    // version it was told, and a third machine agrees with both.
    TestServer server;
    QVERIFY(server.start());
    auto dir = test::scratch_dir();
    const fs::path root = test::path_of(*dir);
    test::write_file(root / "a", "content of A");
    test::write_file(root / "b", "content of B, longer");
    const std::string name = "/same/second.txt@1420070410";
    Client a = make_client(root / "cache-a", server.url());
    Client b = make_client(root / "cache-b", server.url());
    ft::PutResult ra, rb;
    try {
      ra = a.put(name, root / "a");
      rb = b.put(name, root / "b");
    } catch (const std::exception& e) {
      QFAIL(e.what());
    }
    QCOMPARE(ra.outcome, ft::PutResult::Outcome::Stored);
    QCOMPARE(ra.versioned, name);
    QCOMPARE(rb.outcome, ft::PutResult::Outcome::StoredAsNext);
    QCOMPARE(rb.versioned, std::string("/same/second.txt@1420070411"));
    QVERIFY(ra.cached && rb.cached);
    // Each uploader's cache serves what the server stored under the version
    // it was told; a third machine gets the newest, and can never be given
    // B's bytes under A's version (the server no longer has that version).
    QCOMPARE(a.get_file(ra.versioned, root / "a-got"), ra.versioned);
    QCOMPARE(test::read_file(root / "a-got"), std::string("content of A"));
    QCOMPARE(b.get_file(rb.versioned, root / "b-got"), rb.versioned);
    QCOMPARE(test::read_file(root / "b-got"), std::string("content of B, longer"));
    Client c = make_client(root / "cache-c", server.url());
    QCOMPARE(c.get_file("/same/second.txt", root / "c-got"), rb.versioned);
    QCOMPARE(test::read_file(root / "c-got"), std::string("content of B, longer"));
    const auto e = test::error_of([&] { c.get_file(ra.versioned, root / "c-old"); });
    QVERIFY(e);
    QCOMPARE(e->code(), ErrorCode::NotFound);
    // The same content again: no new version.
    const ft::PutResult again = b.put(rb.versioned, root / "b");
    QCOMPARE(again.versioned, rb.versioned);
    QCOMPARE(again.outcome, ft::PutResult::Outcome::Stored);
    // And A's content under its old version now: older than the stored one.
    QCOMPARE(a.put(name, root / "a").outcome, ft::PutResult::Outcome::NewerKept);
  }

  void skewedUploaderCachesNothingTheServerRejected() {
    // An uploader whose clock runs ahead put version T+1000; a second one
    // puts at T: the server keeps the newer one, and the second uploader's
    // cache must not hold its own content under the server's version.
    TestServer server;
    QVERIFY(server.start());
    auto dir = test::scratch_dir();
    const fs::path root = test::path_of(*dir);
    test::write_file(root / "ahead", "from the future");
    test::write_file(root / "now", "from now");
    const long long now = ::time(nullptr);
    Client ahead = make_client(root / "cache-1", server.url());
    Client behind = make_client(root / "cache-2", server.url());
    QCOMPARE(ahead.put("/skew/f@" + std::to_string(now + 1000), root / "ahead").outcome,
             ft::PutResult::Outcome::Stored);
    const ft::PutResult r = behind.put("/skew/f", root / "now");
    QCOMPARE(r.outcome, ft::PutResult::Outcome::NewerKept);
    QCOMPARE(r.versioned, "/skew/f@" + std::to_string(now + 1000));
    QVERIFY(!r.cached);
    QVERIFY(behind.list_local_files().empty());
    // Its next get of that version fetches the server's bytes.
    QCOMPARE(behind.get_file(r.versioned, root / "got"), r.versioned);
    QCOMPARE(test::read_file(root / "got"), std::string("from the future"));
  }

  void configuredFromEnvironment() {
    TestServer server;
    QVERIFY(server.start());
    auto dir = test::scratch_dir();
    const fs::path root = test::path_of(*dir);
    ::setenv("FILETRACKER_URL", server.url().toUtf8().constData(), 1);
    ::setenv("FILETRACKER_DIR", (root / "envcache").c_str(), 1);
    ::unsetenv("FILETRACKER_LOCKS_DIR");
    test::write_file(root / "src", "via env");
    {
      Client c;
      QVERIFY(c.remote_store() != nullptr);
      const std::string v = c.put_file("/env/f@1420070410", root / "src");
      QCOMPARE(v, std::string("/env/f@1420070410"));
      QCOMPARE(test::mtime_of(root / "envcache" / "files" / "env" / "f"), 1420070410LL);
    }
    ::unsetenv("FILETRACKER_URL");
    ::unsetenv("FILETRACKER_DIR");
    Client fresh = make_client(root / "other", server.url());
    QCOMPARE(fresh.get_file("/env/f", root / "out"), std::string("/env/f@1420070410"));
    QCOMPARE(test::read_file(root / "out"), std::string("via env"));
  }
};

QTEST_GUILESS_MAIN(TestClientServer)
#include "test_client_server.moc"
