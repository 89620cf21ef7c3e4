// The local cache never serves wrong bytes and never writes outside itself
// (issue 21), on the library: symbolic links planted in the cache, a cached
// file changed by hand or through a hard-linked output, permissions under
// umask 000, the seal and the records, debris and verification.
//
// The symlink cases run twice: with openat2 and with the component-wise
// O_NOFOLLOW walk used on kernels without it.
#include <QScopeGuard>
#include <QtTest>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sstream>

#include "errors.hpp"
#include "files.hpp"
#include "forked_child.hpp"
#include "temp_dirs.hpp"
#include "filetracker/cache_check.hpp"
#include "filetracker/cache_record.hpp"
#include "filetracker/client.hpp"
#include "filetracker/confined_dir.hpp"
#include "filetracker/local_data_store.hpp"
#include "filetracker/lock_manager.hpp"
#include "filetracker/memory_data_store.hpp"

namespace fs = std::filesystem;
using ft::Client;
using ft::ErrorCode;
using ft::LocalDataStore;

namespace {

constexpr long long kV = 1420070410;

std::string add(ft::DataStore& store, const std::string& name, const std::string& content) {
  std::istringstream in(content);
  return store.add_stream(name, in);
}

std::string read_stream(ft::DataStore::Stream s) {
  std::ostringstream out;
  out << s.stream->rdbuf();
  return out.str();
}

struct stat lstat_of(const fs::path& p) {
  struct stat st {};
  ::lstat(p.c_str(), &st);
  return st;
}

mode_t mode_of(const fs::path& p) { return lstat_of(p).st_mode & 07777; }

// Sets the mtime exactly (seconds and nanoseconds), as `touch -r` would.
void set_mtime_exact(const fs::path& p, const timespec& mtime) {
  timespec t[2] = {{0, UTIME_OMIT}, mtime};
  ::utimensat(AT_FDCWD, p.c_str(), t, 0);
}

// Overwrites the first bytes of a file in place (same inode, same size).
void scribble(const fs::path& p, const std::string& bytes) {
  int fd = ::open(p.c_str(), O_WRONLY);
  QVERIFY(fd >= 0);
  QCOMPARE(::pwrite(fd, bytes.data(), bytes.size(), 0), ssize_t(bytes.size()));
  ::close(fd);
}

struct Cache {
  std::unique_ptr<QTemporaryDir> dir = test::scratch_dir();
  fs::path root = test::path_of(*dir);
  fs::path cache = root / "cache";
  fs::path outside = root / "outside";
  std::shared_ptr<LocalDataStore> local = std::make_shared<LocalDataStore>(cache);
  std::shared_ptr<ft::MemoryDataStore> remote = std::make_shared<ft::MemoryDataStore>();
  std::shared_ptr<ft::FlockLockManager> locks = std::make_shared<ft::FlockLockManager>(cache / "locks");
  std::vector<std::string> warnings;
  Cache() { fs::create_directories(outside); }
  Client client(bool with_remote) {
    Client c(local, with_remote ? remote : nullptr, locks);
    c.set_warning_sink([this](const std::string& w) { warnings.push_back(w); });
    return c;
  }
};

}  // namespace

class TestCacheSafety : public QObject {
  Q_OBJECT

 private slots:
  void init() {
    ft::set_openat2_enabled(true);
    ft::set_unnamed_files_enabled(true);
  }
  void cleanup() { init(); }

  // ---- Symbolic links planted in the cache ---------------------------------
  void symlinkedDirectoryInFiles_data() {
    QTest::addColumn<bool>("openat2");
    QTest::newRow("openat2") << true;
    QTest::newRow("O_NOFOLLOW walk") << false;
  }
  void symlinkedDirectoryInFiles() {
    QFETCH(bool, openat2);
    ft::set_openat2_enabled(openat2);
    Cache c;
    // files/tests -> outside, where a file of the same name waits.
    test::write_file(c.outside / "1.in", "precious");
    test::touch(c.outside / "1.in", kV);
    fs::create_symlink(c.outside, c.cache / "files" / "tests");
    // Not served, not written through, with a one-line message naming the link.
    const fs::path out = c.root / "out";
    auto e = test::error_of([&] { c.local->get_file("/tests/1.in@" + std::to_string(kV), out); });
    QVERIFY(e);
    QVERIFY2(std::string(e->what()).find("symbolic link") != std::string::npos, e->what());
    QVERIFY(!fs::exists(out) && !fs::is_symlink(out));
    e = test::error_of([&] { add(*c.local, "/tests/1.in@" + std::to_string(kV + 1), "evil"); });
    QVERIFY(e);
    QVERIFY2(std::string(e->what()).find("symbolic link") != std::string::npos, e->what());
    QVERIFY(test::error_of([&] { c.local->delete_file("/tests/1.in"); }));
    QVERIFY(!c.local->exists("/tests/1.in"));
    QCOMPARE(test::read_file(c.outside / "1.in"), std::string("precious"));
    QCOMPARE(test::mtime_of(c.outside / "1.in"), kV);
    QVERIFY(c.local->list_files().empty());
    // Through the Client with a server: the cache is bypassed with a warning,
    // the server's content is served, still nothing outside changes.
    add(*c.remote, "/tests/1.in@" + std::to_string(kV), "from the server");
    Client client = c.client(true);
    QCOMPARE(client.get_file("/tests/1.in@" + std::to_string(kV), out), "/tests/1.in@" + std::to_string(kV));
    QCOMPARE(test::read_file(out), std::string("from the server"));
    QVERIFY(!fs::is_symlink(out));
    QCOMPARE(test::read_file(c.outside / "1.in"), std::string("precious"));
    QVERIFY(!c.warnings.empty());
    // Debris: found, and removed (the link, never what it points to).
    const ft::CacheDebris debris = ft::find_cache_debris({c.cache, {}});
    QCOMPARE(debris.count(ft::CacheDebris::Kind::Symlink), std::size_t(1));
    QCOMPARE(ft::remove_cache_debris({c.cache, {}}).removed.size(), std::size_t(1));
    QVERIFY(!fs::exists(c.cache / "files" / "tests") && !fs::is_symlink(c.cache / "files" / "tests"));
    QCOMPARE(test::read_file(c.outside / "1.in"), std::string("precious"));
    // And the cache works again.
    add(*c.local, "/tests/1.in@" + std::to_string(kV), "cached");
    QCOMPARE(read_stream(c.local->get_stream("/tests/1.in")), std::string("cached"));
  }

  void danglingSymlinkInLocks_data() { symlinkedDirectoryInFiles_data(); }
  void danglingSymlinkInLocks() {
    QFETCH(bool, openat2);
    ft::set_openat2_enabled(openat2);
    Cache c;
    // locks/a/f -> outside/created (which does not exist): opening the lock
    // with O_CREAT through it would create a file outside the cache.
    fs::create_directories(c.cache / "locks" / "a");
    fs::create_symlink(c.outside / "created", c.cache / "locks" / "a" / "f");
    add(*c.remote, "/a/f@10", "x");
    Client client = c.client(true);
    const auto e = test::error_of([&] { client.get_file("/a/f@10", c.root / "out"); });
    QVERIFY(e);
    QVERIFY2(std::string(e->what()).find("symbolic link") != std::string::npos, e->what());
    QVERIFY(!fs::exists(c.outside / "created"));
    QVERIFY(fs::is_empty(c.outside));
    // Also a symlinked directory on the way to a lock file.
    fs::create_symlink(c.outside, c.cache / "locks" / "b");
    QVERIFY(test::error_of([&] { client.get_file("/b/g@10", c.root / "out"); }));
    QVERIFY(fs::is_empty(c.outside));
    QCOMPARE(ft::find_cache_debris({c.cache, {}}).count(ft::CacheDebris::Kind::Symlink), std::size_t(2));
    ft::remove_cache_debris({c.cache, {}});
    QCOMPARE(client.get_file("/a/f@10", c.root / "out"), std::string("/a/f@10"));
  }

  void symlinkedFileWithTheVersionsMtime_data() { symlinkedDirectoryInFiles_data(); }
  void symlinkedFileWithTheVersionsMtime() {
    QFETCH(bool, openat2);
    ft::set_openat2_enabled(openat2);
    Cache c;
    test::write_file(c.outside / "secret", "outside content");
    test::touch(c.outside / "secret", kV);
    fs::create_directories(c.cache / "files" / "d");
    fs::create_symlink(c.outside / "secret", c.cache / "files" / "d" / "f");
    const std::string name = "/d/f@" + std::to_string(kV);
    const fs::path out = c.root / "out";
    test::write_file(out, "old output");
    QVERIFY(!c.local->exists(name));
    QVERIFY(test::error_of([&] { c.local->get_file(name, out); }));
    QVERIFY(test::error_of([&] { c.local->get_stream(name); }));
    QVERIFY(test::error_of([&] { c.local->file_size(name); }));
    // The output never becomes a link to the outside file.
    QVERIFY(!fs::is_symlink(out));
    QCOMPARE(test::read_file(out), std::string("old output"));
    // Adding the name replaces the link itself, not its target.
    add(*c.local, name, "real content");
    QVERIFY(!fs::is_symlink(c.cache / "files" / "d" / "f"));
    QCOMPARE(test::read_file(c.outside / "secret"), std::string("outside content"));
    QCOMPARE(c.local->get_file(name, out), name);
    QCOMPARE(test::read_file(out), std::string("real content"));
    QVERIFY(!fs::is_symlink(out));
  }

  // ---- Permissions ----------------------------------------------------------
  void permissionsUnderUmask000() {
    const mode_t old = ::umask(0);
    auto restore = qScopeGuard([old] { ::umask(old); });
    auto dir = test::scratch_dir();
    const fs::path cache = test::path_of(*dir) / "c";
    auto local = std::make_shared<LocalDataStore>(cache);
    auto locks = std::make_shared<ft::FlockLockManager>(cache / "locks");
    Client client(local, nullptr, locks);
    const fs::path src = test::path_of(*dir) / "src";
    test::write_file(src, "world-writable source");
    ::chmod(src.c_str(), 0666);
    test::touch(src, kV);
    client.put_file("/a/b/c.txt", src);
    add(*local, "/a/d.txt@5", "streamed");
    // Directories 0700, lock files 0600, records 0600 (the deployed client's
    // modes), cached files never group/world-writable.
    for (const fs::path& d : {cache, cache / "files", cache / "files" / "a", cache / "files" / "a" / "b", cache / "locks",
                              cache / "locks" / "a" / "b", cache / "meta", cache / "meta" / "a"})
      QCOMPARE(mode_of(d), mode_t(0700));
    QCOMPARE(mode_of(cache / "locks" / "a" / "b" / "c.txt"), mode_t(0600));
    QCOMPARE(mode_of(cache / "locks" / "tree.lock"), mode_t(0600));
    QCOMPARE(mode_of(cache / "meta" / "a" / "b" / "c.txt"), mode_t(0600));
    QCOMPARE(mode_of(cache / "files" / "a" / "d.txt") & 0022, mode_t(0));
    // The world-writable source was copied, not linked: others could change it.
    QVERIFY(test::inode_of(cache / "files" / "a" / "b" / "c.txt") != test::inode_of(src));
    QCOMPARE(mode_of(cache / "files" / "a" / "b" / "c.txt") & 0022, mode_t(0));
    // A get's output (a copy, across file systems or not) is not world-writable either.
    client.get_file("/a/d.txt", test::path_of(*dir) / "out");
    QCOMPARE(mode_of(test::path_of(*dir) / "out") & 0022, mode_t(0));
  }

  // ---- A cached file changed after caching ----------------------------------
  void handChangedWithVersionSetBack() {
    // Same size, mtime set back to the version (touch -d @VERSION).
    Cache c;
    const std::string name = "/t/1.in@" + std::to_string(kV);
    add(*c.local, name, "0123456789");
    const fs::path cached = c.cache / "files" / "t" / "1.in";
    scribble(cached, "XY");
    test::touch(cached, kV);
    QCOMPARE(test::mtime_of(cached), kV);
    // Stand-alone: refused, with a clear one-line message.
    auto e = test::error_of([&] { c.local->get_file(name, c.root / "out"); });
    QVERIFY(e);
    QCOMPARE(e->code(), ErrorCode::ChecksumMismatch);
    QVERIFY2(std::string(e->what()).find("changed after it was cached") != std::string::npos, e->what());
    QVERIFY(!fs::exists(c.root / "out"));
    Client offline = c.client(false);
    QVERIFY(test::error_of([&] { offline.get_file(name, c.root / "out"); }));
    QVERIFY(test::error_of([&] { offline.get_stream(name); }));
    // With a server: one warning, the right bytes, and the cache repaired.
    add(*c.remote, name, "0123456789");
    Client online = c.client(true);
    QCOMPARE(online.get_file(name, c.root / "out"), name);
    QCOMPARE(test::read_file(c.root / "out"), std::string("0123456789"));
    QCOMPARE(c.warnings.size(), std::size_t(1));
    QVERIFY2(c.warnings[0].find("changed after it was cached") != std::string::npos, c.warnings[0].c_str());
    QCOMPARE(test::read_file(cached), std::string("0123456789"));
    QCOMPARE(c.remote->call_counts().get, 1);
    QCOMPARE(online.get_file(name, c.root / "out2"), name);  // served from the cache again
    QCOMPARE(c.remote->call_counts().get, 1);
  }

  void changedThroughHardLinkedOutput() {
    // A judge's sandbox writes into its input, which get hard-linked to the cache.
    Cache c;
    const std::string name = "/t/in@" + std::to_string(kV);
    add(*c.local, name, "original input");
    add(*c.remote, name, "original input");
    Client client = c.client(true);
    const fs::path sandbox = c.root / "sandbox_input";
    client.get_file(name, sandbox);
    QCOMPARE(test::inode_of(sandbox), test::inode_of(c.cache / "files" / "t" / "in"));  // linked
    scribble(sandbox, "EVIL");                                                        // same size, mtime moved
    const fs::path next = c.root / "next_input";
    QCOMPARE(client.get_file(name, next), name);
    QCOMPARE(test::read_file(next), std::string("original input"));
    QCOMPARE(c.warnings.size(), std::size_t(1));
    // Unversioned and stand-alone: the changed file is not served either.
    client.get_file(name, sandbox);
    scribble(sandbox, "EVIL");
    QVERIFY(test::error_of([&] { c.client(false).get_file("/t/in", c.root / "x"); }));
  }

  void exactTimestampRestoreIsFoundByVerify() {
    // The one change the seal cannot see without reading the file: same
    // size and the exact mtime put back (touch -r). cache verify reads it.
    Cache c;
    const std::string name = "/t/f@" + std::to_string(kV);
    add(*c.local, name, "abcdefgh");
    const fs::path cached = c.cache / "files" / "t" / "f";
    const timespec sealed = lstat_of(cached).st_mtim;
    QVERIFY(sealed.tv_nsec != 0);  // the seal
    scribble(cached, "AB");
    set_mtime_exact(cached, sealed);
    const ft::CacheVerifyReport report = ft::verify_cache({c.cache, {}});
    QCOMPARE(report.files, std::uint64_t(1));
    QCOMPARE(report.damaged.size(), std::size_t(1));
    QCOMPARE(report.damaged[0].file.name, name);
    QVERIFY(report.problems[0].find("SHA-256") != std::string::npos);
    // An intact cache verifies clean.
    Cache clean;
    add(*clean.local, name, "abcdefgh");
    const ft::CacheVerifyReport ok = ft::verify_cache({clean.cache, {}});
    QCOMPARE(ok.files, std::uint64_t(1));
    QVERIFY(ok.damaged.empty() && ok.problems.empty());
  }

  void benignTouchIsResealed() {
    // The seal gone but the content intact (touch -d @VERSION, a chmod does not
    // even matter): hashed once, sealed again, served.
    Cache c;
    const std::string name = "/t/f@" + std::to_string(kV);
    add(*c.local, name, "content");
    const fs::path cached = c.cache / "files" / "t" / "f";
    test::touch(cached, kV);
    QCOMPARE(c.local->get_file(name, c.root / "out"), name);
    QVERIFY(ft::has_cache_seal(lstat_of(cached)));
  }

  void cacheWithoutRecordsKeepsWorking() {
    // What an older cache (or the Python client) left: files/ only.
    Cache c;
    test::write_file(c.cache / "files" / "old" / "a.txt", "from before");
    test::touch(c.cache / "files" / "old" / "a.txt", kV);
    const std::string name = "/old/a.txt@" + std::to_string(kV);
    QCOMPARE(c.local->get_file(name, c.root / "out"), name);
    QCOMPARE(test::read_file(c.root / "out"), std::string("from before"));
    // Recorded and sealed on first use.
    QVERIFY(fs::exists(c.cache / "meta" / "old" / "a.txt"));
    QVERIFY(ft::has_cache_seal(lstat_of(c.cache / "files" / "old" / "a.txt")));
    QCOMPARE(test::mtime_of(c.cache / "files" / "old" / "a.txt"), kV);  // the version stays
    // The deployed client gives it a new version in place (whole seconds): fine too.
    scribble(c.cache / "files" / "old" / "a.txt", "FROM");
    test::touch(c.cache / "files" / "old" / "a.txt", kV + 100);
    QCOMPARE(read_stream(c.local->get_stream("/old/a.txt@" + std::to_string(kV + 100))), std::string("FROM before"));
  }

  void sameVersionAddReplacesDamagedFile() {
    Cache c;
    const std::string name = "/t/f@" + std::to_string(kV);
    add(*c.local, name, "good");
    scribble(c.cache / "files" / "t" / "f", "bad!");
    // The written-to file has the mtime of the write: it is damage, never a newer version to keep.
    QCOMPARE(add(*c.local, name, "good"), name);
    QCOMPARE(read_stream(c.local->get_stream(name)), std::string("good"));
  }

  // ---- Records and the seal (pure) -----------------------------------------
  void recordFormat() {
    struct stat st {};
    st.st_size = 12;
    st.st_mtim = {kV, 123};
    st.st_ino = 4242;
    st.st_ctim = {kV + 5, 999999999};
    const ft::CacheRecord r = ft::CacheRecord::of(st, std::string(64, 'a'));
    const std::string text = r.format();
    QCOMPARE(text.size(), ft::CacheRecord::kFormattedSize);
    QCOMPARE(ft::CacheRecord::parse(text), std::optional<ft::CacheRecord>(r));
    // Torn, truncated or edited: never taken for a record.
    QVERIFY(!ft::CacheRecord::parse(text.substr(0, 100)));
    std::string edited = text;
    edited[80] = edited[80] == '1' ? '2' : '1';
    QVERIFY(!ft::CacheRecord::parse(edited));
    QVERIFY(!ft::CacheRecord::parse(""));
  }

  void judge() {
    struct stat st {};
    st.st_ino = 7;
    st.st_size = 10;
    st.st_mtim = {kV, ft::cache_seal(7, 10, kV)};
    QCOMPARE(ft::judge_cached_file(std::nullopt, st), ft::CacheVerdict::Intact);  // sealed
    const ft::CacheRecord r = ft::CacheRecord::of(st, std::string(64, 'b'));
    struct stat touched = st;
    touched.st_mtim.tv_nsec = 0;  // touch -d @VERSION
    QCOMPARE(ft::judge_cached_file(r, touched), ft::CacheVerdict::Suspect);
    QCOMPARE(ft::judge_cached_file(std::nullopt, touched), ft::CacheVerdict::Unrecorded);
    struct stat written = st;
    written.st_mtim = {kV + 3, 5000};  // a write through a link
    QCOMPARE(ft::judge_cached_file(r, written), ft::CacheVerdict::Damaged);
    struct stat resized = st;
    resized.st_size = 11;
    QCOMPARE(ft::judge_cached_file(r, resized), ft::CacheVerdict::Damaged);  // the seal binds the size
    struct stat reversioned = st;
    reversioned.st_mtim = {kV + 60, 0};  // the deployed client's new version in place
    QCOMPARE(ft::judge_cached_file(r, reversioned), ft::CacheVerdict::Unrecorded);
    struct stat other_inode = touched;
    other_inode.st_ino = 8;
    QCOMPARE(ft::judge_cached_file(r, other_inode), ft::CacheVerdict::Unrecorded);
  }

  // ---- Debris ----------------------------------------------------------------
  void staleNamedTemporaries() {
    Cache c;
    add(*c.local, "/d/real@100", "x");
    const fs::path stale = c.cache / "files" / "d" / ".real.tmp.abcdefghij";
    const fs::path locked = c.cache / "files" / "d" / ".busy.tmp.abcdefghij";
    const fs::path young = c.cache / "files" / "d" / ".real.tmp.0123456789";
    test::write_file(stale, std::string(70, 's'));
    test::touch(stale, ::time(nullptr) - 7200);
    test::write_file(locked, std::string(5, 'l'));
    test::touch(locked, ::time(nullptr) - 7200);
    test::write_file(young, std::string(30, 'y'));
    const fs::path orphan = c.cache / "meta" / "gone" / "file";
    test::write_file(orphan, "record of nothing");
    // A writer of /d/busy holds its lock.
    auto lock = c.locks->lock_for("/d/busy");
    lock->lock_exclusive();
    const ft::CacheDebris debris = ft::find_cache_debris({c.cache, {}});
    QCOMPARE(debris.count(ft::CacheDebris::Kind::Temporary), std::size_t(3));
    QCOMPARE(debris.bytes(ft::CacheDebris::Kind::Temporary), std::uint64_t(105));
    QCOMPARE(debris.count(ft::CacheDebris::Kind::OrphanRecord), std::size_t(1));
    const ft::DebrisRemoval removal = ft::remove_cache_debris({c.cache, {}});
    QCOMPARE(removal.removed.size(), std::size_t(2));  // the stale temp and the orphan record
    QVERIFY(!fs::exists(stale) && !fs::exists(orphan));
    QVERIFY(fs::exists(locked) && fs::exists(young));
    QVERIFY(c.local->exists("/d/real@100"));
    lock->close(false);
    QCOMPARE(ft::remove_cache_debris({c.cache, {}}).removed.size(), std::size_t(1));  // unlocked now
    QVERIFY(!fs::exists(locked));
  }

  void killedWriterLeavesOnlyCleanableDebris() {
    // SIGKILL mid-copy on a file system without O_TMPFILE: the named temp
    // stays, invisible to the cache, and goes with remove_cache_debris once
    // stale; with O_TMPFILE there is nothing to clean at all.
    for (bool unnamed : {false, true}) {
      ft::set_unnamed_files_enabled(unnamed);
      Cache c;
      test::Child writer([&](int, int out) {
        ft::FlockLockManager locks(c.cache / "locks");
        auto lock = locks.lock_for("/big");
        lock->lock_exclusive();
        LocalDataStore store(c.cache);
        struct Slow : std::streambuf {
          int out;
          int n = 0;
          std::string chunk = std::string(1 << 16, 'z');
          int_type underflow() override {
            if (n++ == 2) test::Child::put(out, 'S');
            if (n > 2) ::usleep(20000);
            setg(chunk.data(), chunk.data(), chunk.data() + chunk.size());
            return 'z';
          }
        } buf;
        buf.out = out;
        std::istream in(&buf);
        store.add_stream("/big@10", in);
      });
      QCOMPARE(writer.receive(10000), std::optional<char>('S'));
      writer.kill9();
      writer.wait();
      const ft::CacheDebris debris = ft::find_cache_debris({c.cache, {}}, std::chrono::seconds(0));
      QCOMPARE(debris.count(ft::CacheDebris::Kind::Temporary), std::size_t(unnamed ? 0 : 1));
      QVERIFY(c.local->list_files().empty());
      ft::remove_cache_debris({c.cache, {}}, std::chrono::seconds(0));  // the dead writer's lock is free
      QCOMPARE(ft::find_cache_debris({c.cache, {}}, std::chrono::seconds(0)).entries.size(), std::size_t(0));
    }
  }
};

QTEST_GUILESS_MAIN(TestCacheSafety)
#include "test_cache_safety.moc"
