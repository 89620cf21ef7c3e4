// The caching Client with a MemoryDataStore as the remote store and a real
// LocalDataStore + flock locks as the cache.
#include <QtTest>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "data_stores.hpp"
#include "errors.hpp"
#include "files.hpp"
#include "filetracker/client.hpp"
#include "filetracker/local_data_store.hpp"
#include "filetracker/memory_data_store.hpp"
#include "forked_child.hpp"
#include "temp_dirs.hpp"

namespace fs = std::filesystem;
using ft::Client;
using ft::ErrorCode;
using ft::LocalDataStore;
using ft::MemoryDataStore;

namespace {

struct Setup {
  std::unique_ptr<QTemporaryDir> dir = test::scratch_dir();
  fs::path root = test::path_of(*dir);
  std::shared_ptr<LocalDataStore> local = std::make_shared<LocalDataStore>(root / "cache");
  std::shared_ptr<MemoryDataStore> remote = std::make_shared<MemoryDataStore>();
  std::shared_ptr<ft::FlockLockManager> locks = std::make_shared<ft::FlockLockManager>(root / "cache" / "locks");
  std::vector<std::string> warnings;

  Client client(bool with_remote = true, bool with_local = true) {
    Client c(with_local ? local : nullptr, with_remote ? remote : nullptr, locks);
    c.set_warning_sink([this](const std::string& w) { warnings.push_back(w); });
    return c;
  }
  void remote_add(const std::string& name, const std::string& content) { test::add(*remote, name, content); }
  void local_add(const std::string& name, const std::string& content) { test::add(*local, name, content); }
  fs::path file(const std::string& name, const std::string& content, long long mtime = -1) {
    test::write_file(root / name, content);
    if (mtime >= 0) test::touch(root / name, mtime);
    return root / name;
  }
};

// A remote store whose downloads take a while, so concurrent fetches overlap.
// A remote store whose downloads wait until the test says go (the file
// `go` exists; the store is shared with fork()ed children, so a file is the
// signal): the first downloader is held while the test looks at the others.
class HeldStore : public MemoryDataStore {
 public:
  explicit HeldStore(fs::path go) : go_(std::move(go)) {}
  Stream get_stream(std::string_view name) override {
    for (int i = 0; i < 4000 && !fs::exists(go_); ++i) ::usleep(5 * 1000);
    return MemoryDataStore::get_stream(name);
  }

 private:
  fs::path go_;
};

// How many of `pids` wait for a flock (a "->" line of /proc/locks).
int waiting_for_flock(const std::vector<pid_t>& pids) {
  std::ifstream locks("/proc/locks");
  int waiting = 0;
  for (std::string line; std::getline(locks, line);) {
    std::istringstream words(line);
    std::string number, arrow, kind, mode, access, pid;
    if (!(words >> number >> arrow) || arrow != "->") continue;
    if (!(words >> kind >> mode >> access >> pid) || kind != "FLOCK") continue;
    for (pid_t p : pids) waiting += pid == std::to_string(p);
  }
  return waiting;
}

}  // namespace

class TestClient : public QObject {
  Q_OBJECT

 private slots:
  void versionedNameServedFromCache() {
    Setup s;
    s.remote_add("/f@100", "remote copy");
    s.local_add("/f@100", "cached copy");
    Client c = s.client();
    QCOMPARE(c.get_file("/f@100", s.root / "out"), std::string("/f@100"));
    QCOMPARE(test::read_file(s.root / "out"), std::string("cached copy"));
    QCOMPARE(s.remote->call_counts().get, 0);  // the remote store was not asked
    QCOMPARE(test::inode_of(s.root / "out"), test::inode_of(s.local->path_of("/f")));  // hard link
  }

  void versionedNameMissingFromCacheIsFetchedAndCached() {
    Setup s;
    s.remote_add("/d/f@100", "remote copy");
    Client c = s.client();
    QCOMPARE(c.get_file("/d/f@100", s.root / "out"), std::string("/d/f@100"));
    QCOMPARE(test::read_file(s.root / "out"), std::string("remote copy"));
    QCOMPARE(s.remote->call_counts().get, 1);
    // Cached with the seed's layout: files/<name>, mtime = version.
    const fs::path cached = s.root / "cache" / "files" / "d" / "f";
    QCOMPARE(test::read_file(cached), std::string("remote copy"));
    QCOMPARE(test::mtime_of(cached), 100LL);
    QCOMPARE(test::mtime_of(s.root / "out"), 100LL);
    // Second time: from the cache.
    QCOMPARE(c.get_file("/d/f@100", s.root / "out2"), std::string("/d/f@100"));
    QCOMPARE(s.remote->call_counts().get, 1);
    QVERIFY(s.warnings.empty());
  }

  void unversionedNameAsksRemote() {
    Setup s;
    s.local_add("/f@100", "old cached");
    s.remote_add("/f@200", "newer remote");
    Client c = s.client();
    QCOMPARE(c.get_file("/f", s.root / "out"), std::string("/f@200"));
    QCOMPARE(test::read_file(s.root / "out"), std::string("newer remote"));
    QCOMPARE(s.remote->call_counts().get, 1);
    QCOMPARE(s.local->file_version("/f"), ft::Version(200));  // the cache was refreshed
  }

  void forceRefreshSkipsCache() {
    Setup s;
    s.local_add("/f@100", "cached");
    s.remote_add("/f@100", "remote");
    Client c = s.client();
    QCOMPARE(c.get_file("/f@100", s.root / "out", {.force_refresh = true}), std::string("/f@100"));
    QCOMPARE(test::read_file(s.root / "out"), std::string("remote"));
    QCOMPARE(s.remote->call_counts().get, 1);
  }

  void addToCacheFalse() {
    Setup s;
    s.remote_add("/f@100", "remote");
    Client c = s.client();
    c.get_file("/f@100", s.root / "out", {.add_to_cache = false});
    QVERIFY(!s.local->exists("/f"));
    QCOMPARE(test::read_file(s.root / "out"), std::string("remote"));
  }

  void missingEverywhere() {
    Setup s;
    Client c = s.client();
    auto e = test::error_of([&] { c.get_file("/nope@1", s.root / "out"); });
    QVERIFY(e);
    QCOMPARE(e->code(), ErrorCode::NotFound);
    QVERIFY(std::string(e->what()).find("/nope") != std::string::npos);
    QVERIFY(!fs::exists(s.root / "out"));
    Client local_only = s.client(false);
    e = test::error_of([&] { local_only.get_file("/nope", s.root / "out"); });
    QVERIFY(e);
    QCOMPARE(e->code(), ErrorCode::NotFound);
    QVERIFY(test::error_of([&] { c.get_file("bad name", s.root / "out"); }));
  }

  void localOnlyClient() {
    Setup s;
    Client c = s.client(false);
    const fs::path src = s.file("src", "local data", 1234);
    QCOMPARE(c.put_file("/x/y", src), std::string("/x/y@1234"));
    QCOMPARE(c.get_file("/x/y", s.root / "out"), std::string("/x/y@1234"));  // unversioned: from the cache
    QCOMPARE(test::read_file(s.root / "out"), std::string("local data"));
    QCOMPARE(c.file_version("/x/y"), ft::Version(1234));
    QCOMPARE(c.file_size("/x/y"), std::uint64_t(10));
    QCOMPARE(c.list_local_files(), (std::vector<ft::FileInfo>{{"/x/y@1234", 1234, 10}}));
    auto stream = c.get_stream("/x/y");
    QCOMPARE(test::read(stream), std::string("local data"));
    // The put ignores to_remote: there is no remote store.
    QCOMPARE(c.put_file("/z@5", src, {.to_local = false, .to_remote = true}), std::string("/z@5"));
    QVERIFY(s.local->exists("/z@5"));
  }

  void remoteOnlyClient() {
    Setup s;
    Client c = s.client(true, false);
    const fs::path src = s.file("src", "data");
    QCOMPARE(c.put_file("/r@7", src, {.to_local = true, .to_remote = false}), std::string("/r@7"));
    QCOMPARE(s.remote->content("/r"), std::string("data"));
    QCOMPARE(c.get_file("/r@7", s.root / "out"), std::string("/r@7"));
    QVERIFY(c.list_local_files().empty());
  }

  void putFileTargets_data() {
    QTest::addColumn<bool>("toLocal");
    QTest::addColumn<bool>("toRemote");
    QTest::newRow("both") << true << true;
    QTest::newRow("local only") << true << false;
    QTest::newRow("remote only") << false << true;
  }
  void putFileTargets() {
    QFETCH(bool, toLocal);
    QFETCH(bool, toRemote);
    Setup s;
    Client c = s.client();
    const fs::path src = s.file("src", "payload", 1000);
    const std::string v = c.put_file("/p@2000", src, {.to_local = toLocal, .to_remote = toRemote});
    QCOMPARE(v, std::string("/p@2000"));
    QCOMPARE(s.local->exists("/p@2000"), toLocal);
    QCOMPARE(s.remote->exists("/p@2000"), toRemote);
    QCOMPARE(test::mtime_of(src), 1000LL);  // the caller's file is left alone
  }

  void putWhenServerKeptNewerCachesNothing() {
    // The clock skew: the server already holds a newer version (a
    // faster uploader's clock); an unversioned put asks for "now", which is
    // older, and the server keeps its own. Nothing of ours may be cached.
    Setup s;
    s.remote_add("/p@5000000000", "newer on the server");
    Client c = s.client();
    const fs::path src = s.file("src", "mine", 1000);
    const ft::PutResult r = c.put("/p", src);
    QCOMPARE(r.versioned, std::string("/p@5000000000"));
    QCOMPARE(r.outcome, ft::PutResult::Outcome::NewerKept);
    QVERIFY(!r.cached);
    QVERIFY(!s.local->exists("/p"));
    QCOMPARE(s.remote->content("/p"), std::string("newer on the server"));
    // put_file says the same, as a name.
    QCOMPARE(c.put_file("/p@10", src), std::string("/p@5000000000"));
    QVERIFY(!s.local->exists("/p"));
  }

  void putNeitherIsAnError() {
    Setup s;
    Client c = s.client();
    const fs::path src = s.file("src", "x");
    auto e = test::error_of([&] { c.put_file("/p", src, {.to_local = false, .to_remote = false}); });
    QVERIFY(e);
    QCOMPARE(e->code(), ErrorCode::InvalidArgument);
    QVERIFY(!s.remote->exists("/p"));
  }

  void deleteFromBoth() {
    Setup s;
    Client c = s.client();
    const fs::path src = s.file("src", "x", 100);
    c.put_file("/dir/f@100", src);
    QVERIFY(fs::exists(s.root / "cache" / "locks" / "dir" / "f"));
    c.delete_file("/dir/f");
    QVERIFY(!s.local->exists("/dir/f"));
    QVERIFY(!s.remote->exists("/dir/f"));
    QVERIFY(!fs::exists(s.root / "cache" / "locks" / "dir"));  // lock file removed with it
    auto e = test::error_of([&] { c.delete_file("/dir/f"); });
    QVERIFY(e);
    QCOMPARE(e->code(), ErrorCode::NotFound);
  }

  void deleteOnlyCachedOrOnlyRemote() {
    Setup s;
    Client c = s.client();
    s.local_add("/cached@1", "x");
    c.delete_file("/cached");  // the remote store lacks it: not an error
    QVERIFY(!s.local->exists("/cached"));
    s.remote_add("/remote@1", "x");
    c.delete_file("/remote");
    QVERIFY(!s.remote->exists("/remote"));
  }

  void deleteVersionedKeepsNewer() {
    Setup s;
    Client c = s.client();
    s.local_add("/f@200", "x");
    s.remote_add("/f@200", "x");
    c.delete_file("/f@100");
    QVERIFY(s.local->exists("/f@200"));
    QVERIFY(s.remote->exists("/f@200"));
  }

  void versionAndSize() {
    Setup s;
    s.local_add("/f@100", "cached!");
    s.remote_add("/f@200", "remote");
    Client c = s.client();
    QCOMPARE(c.file_version("/f"), ft::Version(200));  // the remote store's
    QCOMPARE(c.file_size("/f@100"), std::uint64_t(7));  // versioned: from the cache
    QCOMPARE(s.remote->call_counts().query, 1);
    QCOMPARE(c.file_size("/f"), std::uint64_t(6));  // unversioned: the remote's
    QVERIFY(test::error_of([&] { c.file_size("/f@100", true); }));  // force_refresh: asks the remote, which lacks @100
  }

  void streams() {
    Setup s;
    s.remote_add("/f@300", "streamed");
    Client c = s.client();
    auto plain = c.get_stream("/f");
    QCOMPARE(plain.versioned_name, std::string("/f@300"));
    QCOMPARE(test::read(plain), std::string("streamed"));
    QVERIFY(!s.local->exists("/f"));  // a plain stream does not fill the cache
    auto cached = c.get_stream("/f", false, true);  // serve_from_cache
    QCOMPARE(cached.versioned_name, std::string("/f@300"));
    QCOMPARE(test::read(cached), std::string("streamed"));
    QVERIFY(s.local->exists("/f@300"));
    const int gets = s.remote->call_counts().get;
    auto again = c.get_stream("/f@300");
    QCOMPARE(test::read(again), std::string("streamed"));
    QCOMPARE(s.remote->call_counts().get, gets);
  }

  void brokenCacheEntryFallsBackToRemote() {
    Setup s;
    s.remote_add("/f@100", "good");
    // The cache holds a directory where the file should be.
    fs::create_directories(s.root / "cache" / "files" / "f" / "x");
    Client c = s.client();
    QCOMPARE(c.get_file("/f@100", s.root / "out", {.add_to_cache = false}), std::string("/f@100"));
    QCOMPARE(test::read_file(s.root / "out"), std::string("good"));
    // Caching it fails (a directory is in the way): a warning, not an error.
    QCOMPARE(c.get_file("/f@100", s.root / "out2"), std::string("/f@100"));
    QCOMPARE(test::read_file(s.root / "out2"), std::string("good"));
    QVERIFY(!s.warnings.empty());
    QVERIFY2(s.warnings.back().find("/f@100") != std::string::npos, s.warnings.back().c_str());
  }

  void concurrentProcessesDownloadOnce() {
    // Several processes want the same uncached file at once: they take the
    // shared lock, miss, then queue for the exclusive lock and look at the
    // cache again, so only the first one downloads. The first download is
    // held until all the others are seen waiting for the lock (in
    // /proc/locks), so they overlap however the processes are scheduled.
    auto dir = test::scratch_dir();
    const fs::path root = test::path_of(*dir);
    auto remote = std::make_shared<HeldStore>(root / "go");
    {
      std::istringstream in("shared content");
      remote->add_stream("/hot/file@777", in);
    }
    constexpr int kProcesses = 4;
    std::vector<std::unique_ptr<test::Child>> children;
    for (int i = 0; i < kProcesses; ++i) {
      children.push_back(std::make_unique<test::Child>([&, i](int in, int out) {
        test::Child::get(in);  // start together
        auto local = std::make_shared<LocalDataStore>(root / "cache");
        auto locks = std::make_shared<ft::FlockLockManager>(root / "cache" / "locks");
        Client c(local, remote, locks);
        const fs::path dest = root / ("out" + std::to_string(i));
        if (c.get_file("/hot/file@777", dest) != "/hot/file@777") ::_exit(5);
        if (test::read_file(dest) != "shared content") ::_exit(6);
        test::Child::put(out, static_cast<char>('0' + remote->call_counts().get));
      }));
    }
    for (auto& c : children) c->send('G');
    std::vector<pid_t> pids;
    for (auto& c : children) pids.push_back(c->pid());
    QTRY_COMPARE_WITH_TIMEOUT(waiting_for_flock(pids), kProcesses - 1, 20000);
    QVERIFY(test::write_file(root / "go", "go"));
    int downloads = 0;
    for (auto& c : children) {
      const auto got = c->receive(20000);
      QVERIFY(got.has_value());
      downloads += *got - '0';
      QCOMPARE(c->wait(), 0);
    }
    QCOMPARE(downloads, 1);
    QCOMPARE(test::mtime_of(root / "cache" / "files" / "hot" / "file"), 777LL);
  }

  void configuredFromEnvironment() {
    Setup s;
    const fs::path cache = s.root / "envcache";
    const fs::path locks = s.root / "envlocks";
    ::setenv("FILETRACKER_DIR", cache.c_str(), 1);
    ::setenv("FILETRACKER_LOCKS_DIR", locks.c_str(), 1);
    ::unsetenv("FILETRACKER_URL");
    {
      Client c;
      QVERIFY(c.local_store() != nullptr);
      QVERIFY(c.remote_store() == nullptr);  // stand-alone local client
      c.put_file("/e/f@10", s.file("src", "env"));
      QVERIFY(fs::exists(cache / "files" / "e" / "f"));
      QVERIFY(fs::exists(locks / "e" / "f"));
    }
    ::unsetenv("FILETRACKER_LOCKS_DIR");
    {
      Client c;
      c.get_file("/e/f@10", s.root / "got");
      QVERIFY(fs::exists(cache / "locks" / "e" / "f"));  // default: <cache>/locks
    }
    // Options win over the environment.
    {
      ft::ClientOptions o;
      o.cache_dir = s.root / "explicit";
      Client c(o);
      QVERIFY(fs::is_directory(s.root / "explicit" / "files"));
    }
    ::unsetenv("FILETRACKER_DIR");
    ::setenv("HOME", (s.root / "home").c_str(), 1);
    QCOMPARE(Client::default_cache_dir(), s.root / "home" / ".filetracker-store");
    {
      Client c;
      QVERIFY(fs::is_directory(s.root / "home" / ".filetracker-store" / "files"));
    }
    // read_environment = false ignores the variables.
    ::setenv("FILETRACKER_DIR", (s.root / "ignored").c_str(), 1);
    {
      ft::ClientOptions o;
      o.read_environment = false;
      Client c(o);
      QVERIFY(!fs::exists(s.root / "ignored"));
    }
    ::unsetenv("FILETRACKER_DIR");
  }

  void neitherStoreIsAnError() {
    ft::ClientOptions o;
    o.use_cache = false;
    o.read_environment = false;
    auto e = test::error_of([&] { Client c(o); });
    QVERIFY(e);
    QCOMPARE(e->code(), ErrorCode::InvalidArgument);
    QVERIFY(test::error_of([] { Client c(nullptr, nullptr); }));
  }
};

QTEST_GUILESS_MAIN(TestClient)
#include "test_client.moc"
