// The file-system logic of `filetracker mount` without a mount: the plain
// classes of core/mount called as the FUSE adapter calls them, over a real
// cache (LocalDataStore + FlockLockManager in a scratch directory) and an
// in-memory store standing in for the server (the end-to-end tests in
// test_mount_end_to_end.cpp use the real server and a real mount).
#include <QTemporaryDir>
#include <QtTest>

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <linux/fs.h>
#include <mutex>
#include <sstream>
#include <thread>

#include "filetracker/client.hpp"
#include "filetracker/error.hpp"
#include "filetracker/local_data_store.hpp"
#include "filetracker/lock_manager.hpp"
#include "filetracker/memory_data_store.hpp"
#include "filetracker/mount/client_pool.hpp"
#include "filetracker/mount/content.hpp"
#include "filetracker/mount/directory_cache.hpp"
#include "filetracker/mount/directory_source.hpp"
#include "filetracker/mount/errno_map.hpp"
#include "filetracker/mount/file_system.hpp"
#include "filetracker/mount/mount_path.hpp"
#include "filetracker/mount/open_file_table.hpp"
#include "filetracker/mount/overlay.hpp"
#include "filetracker/mount/private_temp_dir.hpp"

using namespace ft;
using namespace ft::mount;
namespace fs = std::filesystem;

namespace {

std::unique_ptr<QTemporaryDir> scratch() {
  QString base = qEnvironmentVariable("FILETRACKER_TEST_TMP");
  if (base.isEmpty()) return std::make_unique<QTemporaryDir>();
  fs::create_directories(base.toStdString());
  return std::make_unique<QTemporaryDir>(base + "/mount-XXXXXX");
}

std::string put(DataStore& store, const std::string& name, const std::string& content) {
  std::istringstream in(content);
  return store.add_stream(name, in);
}

// A DirectorySource that counts calls, can be made to fail or to block.
class ScriptedSource : public DirectorySource {
 public:
  DirectoryListing list(const std::string& directory) override {
    std::unique_lock lock(mutex_);
    ++calls;
    gate_.wait(lock, [&] { return open_; });
    if (fail) throw Error(ErrorCode::Network, directory + ": connection refused");
    if (directory == "/missing") throw Error(ErrorCode::NotFound, directory + ": no such directory");
    DirectoryListing listing;
    listing.files["f" + std::to_string(calls)] = FileAttributes{static_cast<Version>(calls), 1};
    return listing;
  }
  void close_gate() {
    std::lock_guard lock(mutex_);
    open_ = false;
  }
  void open_gate() {
    {
      std::lock_guard lock(mutex_);
      open_ = true;
    }
    gate_.notify_all();
  }
  std::atomic<int> calls{0};
  std::atomic<bool> fail{false};

 private:
  std::mutex mutex_;
  std::condition_variable gate_;
  bool open_ = true;
};

// A remote store whose uploads can be made to fail, like a server gone away.
class FlakyStore : public MemoryDataStore {
 public:
  std::string add_stream(std::string_view name, std::istream& in) override {
    if (fail_uploads) throw Error(ErrorCode::Network, std::string(name) + ": connection refused");
    return MemoryDataStore::add_stream(name, in);
  }
  std::atomic<bool> fail_uploads{false};
};

// One FileSystem over a scratch cache and an in-memory "server".
struct Mounted {
  explicit Mounted(MountOptions options = {}) {
    dir = scratch();
    root = dir->path().toStdString();
    cache = std::make_shared<LocalDataStore>(root / "cache");
    locks = std::make_shared<FlockLockManager>(root / "cache" / "locks");
    pool = std::make_unique<ClientPool>([this] { return std::make_unique<Client>(cache, remote, locks); });
    source = std::make_unique<StoreDirectorySource>(*remote);
    temp = std::make_unique<PrivateTempDir>(root / "cache");
    options.log = [this](const std::string& line) {
      std::lock_guard lock(log_mutex);
      log.push_back(line);
    };
    filesystem = std::make_unique<FileSystem>(*pool, *source, *temp, options);
  }
  ~Mounted() {
    filesystem.reset();
    temp.reset();
  }

  // open + read everything + release, as cat does.
  std::string cat(const std::string& path) {
    std::uint64_t h = 0;
    int status = filesystem->open(path, O_RDONLY, h);
    if (status != 0) return "<errno " + std::to_string(-status) + ">";
    std::string out;
    char buffer[4096];
    for (std::uint64_t offset = 0;;) {
      long n = filesystem->read(h, buffer, sizeof buffer, offset);
      if (n < 0) {
        filesystem->release(h);
        return "<errno " + std::to_string(-n) + ">";
      }
      if (n == 0) break;
      out.append(buffer, static_cast<std::size_t>(n));
      offset += static_cast<std::uint64_t>(n);
    }
    filesystem->release(h);
    return out;
  }
  // create/open + write + flush + release, as `cp` or `echo >` does.
  int write_file(const std::string& path, const std::string& content, bool create = true) {
    std::uint64_t h = 0;
    int status = create ? filesystem->create(path, O_WRONLY | O_CREAT | O_TRUNC, h)
                        : filesystem->open(path, O_WRONLY | O_TRUNC, h);
    if (status != 0) return status;
    long n = filesystem->write(h, content.data(), content.size(), 0);
    if (n < 0) {
      filesystem->release(h);
      return static_cast<int>(n);
    }
    int flushed = filesystem->flush(h);
    int released = filesystem->release(h);
    return flushed != 0 ? flushed : released;
  }
  std::vector<std::string> names(const std::string& path) {
    std::vector<FileSystem::DirEntry> entries;
    if (filesystem->readdir(path, entries) != 0) return {"<error>"};
    std::vector<std::string> out;
    for (const auto& e : entries) out.push_back(e.name);
    return out;
  }
  struct stat stat_of(const std::string& path, int* status = nullptr) {
    struct stat st {};
    int s = filesystem->getattr(path, st);
    if (status) *status = s;
    return st;
  }

  std::unique_ptr<QTemporaryDir> dir;
  fs::path root;
  std::shared_ptr<FlakyStore> remote = std::make_shared<FlakyStore>();
  std::shared_ptr<LocalDataStore> cache;
  std::shared_ptr<FlockLockManager> locks;
  std::unique_ptr<ClientPool> pool;
  std::unique_ptr<StoreDirectorySource> source;
  std::unique_ptr<PrivateTempDir> temp;
  std::unique_ptr<FileSystem> filesystem;
  std::mutex log_mutex;
  std::vector<std::string> log;
};

using Strings = std::vector<std::string>;

}  // namespace

class TestMountLogic : public QObject {
  Q_OBJECT

 private slots:
  void mountPaths_data();
  void mountPaths();
  void errnoMapping_data();
  void errnoMapping();
  void directoryCacheHonoursTimeout();
  void directoryCacheConcurrentMissesAskOnce();
  void directoryCacheSharesAFailure();
  void overlayShowsMadeAndStoredUntilListed();
  void openFileTableTracksWriters();
  void streamedContentReadsInAnyOrder();
  void streamedContentReportsACutOffStream();
  void localDirectorySourceSkipsTempsAndSymlinks();
  void privateTempDirRemovesLeftoversOfDeadMounts();

  void getattrAndReaddir();
  void readCachesLikeGet();
  void concurrentOpensFetchOnce();
  void versionedPaths();
  void writeStoresOnClose();
  void secondWriteInOneSecondGetsANewVersion();
  void openForAppendStartsFromTheStoredContent();
  void truncateByPath();
  void uploadFailureIsEioAtCloseAndLogged();
  void unlinkDeletes();
  void unlinkWhileWritingStoresNothing();
  void renameUploadsThenDeletes();
  void renameOfAFileBeingWritten();
  void renameDirectories();
  void mkdirLivesUntilAFileIsStored();
  void readOnlyRefusesChanges();
  void attributeChangesAreRefused();
  void streamsFilesAboveTheCacheLimit();
  void shutdownDropsUnclosedWriters();
};

// ---- Small classes ---------------------------------------------------------

void TestMountLogic::mountPaths_data() {
  QTest::addColumn<QString>("path");
  QTest::addColumn<bool>("valid");
  QTest::addColumn<QString>("name");
  QTest::addColumn<qlonglong>("version");  // -1: none
  QTest::newRow("root") << "/" << true << "/" << -1LL;
  QTest::newRow("file") << "/a/b.txt" << true << "/a/b.txt" << -1LL;
  QTest::newRow("trailing slash") << "/a/b/" << true << "/a/b" << -1LL;
  QTest::newRow("versioned") << "/a/b.txt@1420070410" << true << "/a/b.txt" << 1420070410LL;
  QTest::newRow("bad version") << "/a/b.txt@x" << false << "" << -1LL;
  QTest::newRow("@ in directory") << "/a@1/b" << false << "" << -1LL;
  QTest::newRow("two versions") << "/a@1@2" << false << "" << -1LL;
  QTest::newRow("dotdot") << "/a/../b" << false << "" << -1LL;
  QTest::newRow("only a version") << "/a/@12" << false << "" << -1LL;
}

void TestMountLogic::mountPaths() {
  QFETCH(QString, path);
  QFETCH(bool, valid);
  auto parsed = parse_mount_path(path.toStdString());
  QCOMPARE(parsed.has_value(), valid);
  if (!valid) return;
  QFETCH(QString, name);
  QFETCH(qlonglong, version);
  QCOMPARE(QString::fromStdString(parsed->name), name);
  QCOMPARE(parsed->version.value_or(-1), version);
  QCOMPARE(ancestors_of("/a/b/c"), (Strings{"/a/b", "/a", "/"}));
  QCOMPARE(child_name("/", "x"), std::string("/x"));
  QCOMPARE(child_name("/a", "x"), std::string("/a/x"));
}

void TestMountLogic::errnoMapping_data() {
  QTest::addColumn<int>("code");
  QTest::addColumn<int>("status");
  QTest::addColumn<int>("expected");
  QTest::addColumn<bool>("logged");
  QTest::newRow("not found") << int(ErrorCode::NotFound) << 404 << ENOENT << false;
  QTest::newRow("forbidden") << int(ErrorCode::Http) << 403 << EACCES << false;
  QTest::newRow("unauthorized") << int(ErrorCode::Http) << 401 << EACCES << false;
  QTest::newRow("server error") << int(ErrorCode::Http) << 500 << EIO << true;
  QTest::newRow("disk full") << int(ErrorCode::Http) << 507 << ENOSPC << true;
  QTest::newRow("network") << int(ErrorCode::Network) << 0 << EIO << true;
  QTest::newRow("checksum") << int(ErrorCode::ChecksumMismatch) << 0 << EIO << true;
  QTest::newRow("protocol") << int(ErrorCode::Protocol) << 0 << EIO << true;
  QTest::newRow("bad name") << int(ErrorCode::InvalidArgument) << 0 << EINVAL << false;
  QTest::newRow("unsupported") << int(ErrorCode::Unsupported) << 0 << ENOTSUP << false;
}

void TestMountLogic::errnoMapping() {
  QFETCH(int, code);
  QFETCH(int, status);
  QFETCH(int, expected);
  QFETCH(bool, logged);
  Error error(static_cast<ErrorCode>(code), "/a: it failed", status);
  ErrnoMapping m = map_exception(std::make_exception_ptr(error));
  QCOMPARE(m.error, expected);
  QCOMPARE(m.log, logged);
  std::vector<std::string> lines;
  int result = guarded([&](const std::string& line) { lines.push_back(line); }, "open /a", [&]() -> int { throw error; });
  QCOMPARE(result, -expected);
  QCOMPARE(lines.size(), logged ? std::size_t(1) : std::size_t(0));
  if (logged) QCOMPARE(lines[0], std::string("open /a: it failed"));  // the name once, not twice
  // Local failures keep their errno.
  QCOMPARE(map_exception(std::make_exception_ptr(std::system_error(ENOSPC, std::generic_category()))).error, ENOSPC);
}

void TestMountLogic::directoryCacheHonoursTimeout() {
  ScriptedSource source;
  auto now = std::chrono::steady_clock::time_point{};
  DirectoryCache cache(source, std::chrono::milliseconds(1000), [&] { return now; });
  auto first = cache.get("/d");
  QVERIFY(first);
  QCOMPARE(cache.get("/d"), first);  // fresh: no second request
  now += std::chrono::milliseconds(999);
  QCOMPARE(cache.get("/d"), first);
  now += std::chrono::milliseconds(1);
  auto second = cache.get("/d");  // expired
  QVERIFY(second != first);
  QCOMPARE(source.calls.load(), 2);
  cache.invalidate("/d");
  cache.get("/d");
  QCOMPARE(source.calls.load(), 3);
  // A missing directory is remembered as missing.
  QVERIFY(!cache.get("/missing"));
  QVERIFY(!cache.get("/missing"));
  QCOMPARE(source.calls.load(), 4);
  QCOMPARE(cache.source_calls(), std::uint64_t(4));
}

void TestMountLogic::directoryCacheConcurrentMissesAskOnce() {
  ScriptedSource source;
  DirectoryCache cache(source, std::chrono::milliseconds(60000));
  source.close_gate();
  std::vector<std::thread> threads;
  std::vector<std::shared_ptr<const DirectoryListing>> results(8);
  for (int i = 0; i < 8; ++i) threads.emplace_back([&, i] { results[i] = cache.get("/d"); });
  QTRY_COMPARE(source.calls.load(), 1);
  QTRY_COMPARE(cache.waiting("/d"), 7);
  source.open_gate();
  for (auto& t : threads) t.join();
  QCOMPARE(source.calls.load(), 1);
  for (const auto& r : results) QCOMPARE(r, results[0]);
}

void TestMountLogic::directoryCacheSharesAFailure() {
  ScriptedSource source;
  DirectoryCache cache(source, std::chrono::milliseconds(60000));
  source.fail = true;
  source.close_gate();
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i)
    threads.emplace_back([&] {
      try {
        cache.get("/d");
      } catch (const Error& e) {
        if (e.code() == ErrorCode::Network) ++failures;
      }
    });
  QTRY_COMPARE(source.calls.load(), 1);
  QTRY_COMPARE(cache.waiting("/d"), 3);
  source.open_gate();
  for (auto& t : threads) t.join();
  QCOMPARE(failures.load(), 4);
  QCOMPARE(source.calls.load(), 1);  // one timeout for everyone, not one each
  // A failure is not remembered.
  source.fail = false;
  QVERIFY(cache.get("/d"));
  QCOMPARE(source.calls.load(), 2);
}

void TestMountLogic::overlayShowsMadeAndStoredUntilListed() {
  Overlay overlay;
  QVERIFY(overlay.add_directory("/a"));
  QVERIFY(!overlay.add_directory("/a"));
  QVERIFY(overlay.add_directory("/a/b"));
  QVERIFY(overlay.has_directory("/a/b"));
  QVERIFY(overlay.has_children("/a"));
  QVERIFY(!overlay.has_children("/a/b"));
  DirectoryListing root;
  overlay.merge_into("/", root, 0);
  QCOMPARE(root.directories, (std::set<std::string>{"a"}));

  // A file stored below makes the made directories real.
  overlay.file_stored("/a/b/f", FileAttributes{200, 5});
  DirectoryListing empty;
  empty.listed_at = 199;  // listed before the version: does not cover it
  QCOMPARE(overlay.stored_file("/a/b/f", &empty), std::optional<FileAttributes>(FileAttributes{200, 5}));
  QVERIFY(overlay.has_directory("/a/b"));  // implied by the stored file
  DirectoryListing b;
  overlay.merge_into("/a/b", b, 199);
  QCOMPARE(b.files.size(), std::size_t(1));
  // A listing made at or after the version covers it: the overlay forgets.
  DirectoryListing later;
  later.listed_at = 200;
  QVERIFY(!overlay.stored_file("/a/b/f", &later));
  QVERIFY(!overlay.has_directory("/a/b"));  // not made any more, nothing stored below
  // Moving made directories.
  QVERIFY(overlay.add_directory("/x"));
  QVERIFY(overlay.add_directory("/x/y"));
  QVERIFY(overlay.move_directories("/x", "/z"));
  QVERIFY(overlay.has_directory("/z/y"));
  QVERIFY(!overlay.has_directory("/x"));
  QVERIFY(overlay.remove_directory("/z/y"));
}

void TestMountLogic::openFileTableTracksWriters() {
  auto dir = scratch();
  PrivateTempDir temp(dir->path().toStdString());
  OpenFileTable table;
  auto reader = std::make_shared<OpenFile>();
  auto writer = std::make_shared<OpenFile>();
  writer->buffer = std::make_unique<WriteBuffer>(temp);
  std::uint64_t r = table.add(reader, "/a/f");
  std::uint64_t w = table.add(writer, "/a/f");
  QVERIFY(r != 0 && w != 0 && r != w);
  QCOMPARE(table.writers_of("/a/f").size(), std::size_t(1));
  QCOMPARE(table.writer_names_below("/"), (Strings{"/a/f"}));
  QCOMPARE(table.writer_names_below("/a"), (Strings{"/a/f"}));
  QVERIFY(table.writer_names_below("/a/f").empty());
  table.retarget_writers("/a/f", "/b/g");
  QCOMPARE(table.target(w)->name, std::string("/b/g"));
  QCOMPARE(table.unlink_writers("/b/g"), 1);
  QVERIFY(table.target(w)->unlinked);
  QVERIFY(table.writers_of("/b/g").empty());
  QCOMPARE(table.remove(w), writer);
  QVERIFY(!table.get(w));
  QCOMPARE(table.size(), std::size_t(1));
}

void TestMountLogic::streamedContentReadsInAnyOrder() {
  std::string data(10 << 20, '\0');
  for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>((i * 7919) >> 8);
  StreamedContent content([&] { return DataStore::Stream{std::make_unique<std::istringstream>(data), "/x@1"}; },
                          data.size());
  std::string buffer(128 << 10, '\0');
  auto check = [&](std::uint64_t offset, std::size_t size) {
    std::size_t n = content.read(buffer.data(), size, offset);
    std::size_t expected = offset >= data.size() ? 0 : std::min<std::size_t>(size, data.size() - offset);
    return n == expected && std::equal(buffer.begin(), buffer.begin() + static_cast<long>(n), data.begin() + static_cast<long>(offset));
  };
  QVERIFY(check(0, 128 << 10));
  QVERIFY(check(256 << 10, 128 << 10));  // ahead: skipped
  QVERIFY(check(128 << 10, 128 << 10));  // a little back: from the window
  QCOMPARE(content.opens(), 1);
  QVERIFY(check(9 << 20, 128 << 10));
  QVERIFY(check(0, 100));  // far back: the stream starts again
  QCOMPARE(content.opens(), 2);
  QVERIFY(check(data.size() - 10, 128 << 10));  // the end
  QVERIFY(check(data.size() + 5, 10));           // past it
}

void TestMountLogic::streamedContentReportsACutOffStream() {
  // A stream whose buffer throws after some bytes, as the HTTP store's does
  // for a connection lost half-way.
  class CutOff : public std::streambuf {
   public:
    int_type underflow() override {
      if (sent_) throw Error(ErrorCode::Network, "/x@1: the download was cut off");
      sent_ = true;
      setg(data_, data_, data_ + sizeof data_);
      return traits_type::to_int_type(data_[0]);
    }

   private:
    char data_[1000] = {};
    bool sent_ = false;
  };
  struct CutOffStream : std::istream {
    CutOffStream() : std::istream(&buf) {}
    CutOff buf;
  };
  StreamedContent content([] { return DataStore::Stream{std::make_unique<CutOffStream>(), "/x@1"}; }, 5000);
  char buffer[4096];
  QCOMPARE(content.read(buffer, 500, 0), std::size_t(500));
  auto error = [&] {
    try {
      content.read(buffer, 4096, 500);
    } catch (const Error& e) {
      return e.code();
    }
    return ErrorCode::Cancelled;
  }();
  QCOMPARE(error, ErrorCode::Network);
}

void TestMountLogic::localDirectorySourceSkipsTempsAndSymlinks() {
  auto dir = scratch();
  fs::path root = dir->path().toStdString();
  LocalDataStore cache(root);
  put(cache, "/d/a.txt@100", "aaa");
  put(cache, "/d/sub/b.txt@200", "b");
  std::ofstream(root / "files" / "d" / ".a.txt.tmp.123") << "partial";
  fs::create_symlink("/etc/passwd", root / "files" / "d" / "planted");
  fs::create_directory_symlink("/etc", root / "files" / "d" / "planted-dir");
  LocalDirectorySource source(cache);
  DirectoryListing d = source.list("/d");
  QCOMPARE(d.files.size(), std::size_t(1));
  QCOMPARE(d.files.at("a.txt"), (FileAttributes{100, 3}));
  QCOMPARE(d.directories, (std::set<std::string>{"sub"}));
  QVERIFY_THROWS_EXCEPTION(Error, source.list("/d/planted-dir"));
  QVERIFY_THROWS_EXCEPTION(Error, source.list("/nothing"));
  QVERIFY(source.list("/").directories.count("d"));
}

void TestMountLogic::privateTempDirRemovesLeftoversOfDeadMounts() {
  auto dir = scratch();
  fs::path root = dir->path().toStdString();
  // A pid that is not running: a child that has exited and been reaped.
  pid_t dead = ::fork();
  if (dead == 0) ::_exit(0);
  int status = 0;
  ::waitpid(dead, &status, 0);
  fs::create_directories(root / ("mount." + std::to_string(dead) + ".abcdef") / "inner");
  fs::create_directories(root / ("mount." + std::to_string(::getppid()) + ".alive1"));  // a live process
  fs::create_directories(root / "files" / "mount.1.x");                                  // not at the top
  {
    PrivateTempDir temp(root);
    QVERIFY(fs::is_directory(temp.path()));
    QVERIFY(temp.unique_path("w") != temp.unique_path("w"));
    QCOMPARE(PrivateTempDir::remove_leftovers(root), 1);
    QVERIFY(fs::exists(temp.path()));  // our own stays
    QVERIFY(!fs::exists(root / ("mount." + std::to_string(dead) + ".abcdef")));
    QVERIFY(fs::exists(root / ("mount." + std::to_string(::getppid()) + ".alive1")));
    fs::path ours = temp.path();
    QVERIFY(fs::exists(ours));
  }
  int left = 0;
  for (const auto& entry : fs::directory_iterator(root))
    if (entry.path().filename().string().rfind("mount." + std::to_string(::getpid()), 0) == 0) ++left;
  QCOMPARE(left, 0);  // removed with the object
}

// ---- The file system -------------------------------------------------------

void TestMountLogic::getattrAndReaddir() {
  Mounted m;
  put(*m.remote, "/tests/a/1.in@1420070410", "one\n");
  put(*m.remote, "/tests/a/2.in@1420070411", "two two\n");
  put(*m.remote, "/tests/b.txt@1420070412", "b");
  put(*m.remote, "/clash@100", "file");       // a file...
  put(*m.remote, "/clash/inner@101", "dir");  // ...and a directory of the same name
  QCOMPARE(m.names("/"), (Strings{".", "..", "clash", "tests"}));
  QCOMPARE(m.names("/tests"), (Strings{".", "..", "a", "b.txt"}));
  QCOMPARE(m.names("/tests/a"), (Strings{".", "..", "1.in", "2.in"}));
  int status = 0;
  struct stat st = m.stat_of("/tests/a/2.in", &status);
  QCOMPARE(status, 0);
  QVERIFY(S_ISREG(st.st_mode));
  QCOMPARE(st.st_size, off_t(8));
  QCOMPARE(st.st_mtime, time_t(1420070411));
  QCOMPARE(st.st_mode & 07777, mode_t(0644));
  QCOMPARE(st.st_uid, ::getuid());
  QVERIFY(S_ISDIR(m.stat_of("/tests/a").st_mode));
  QVERIFY(S_ISDIR(m.stat_of("/clash").st_mode));  // the directory wins
  QCOMPARE(m.cat("/clash@100"), std::string("file"));  // the file stays reachable
  m.stat_of("/tests/nothing", &status);
  QCOMPARE(status, -ENOENT);
  m.stat_of("/no/such/dir", &status);
  QCOMPARE(status, -ENOENT);
  m.stat_of("/bad@name", &status);
  QCOMPARE(status, -ENOENT);
  std::vector<FileSystem::DirEntry> entries;
  QCOMPARE(m.filesystem->readdir("/tests/b.txt", entries), -ENOTDIR);
  QCOMPARE(m.filesystem->readdir("/nothing", entries), -ENOENT);
  std::uint64_t h = 0;
  QCOMPARE(m.filesystem->open("/tests", O_RDONLY, h), -EISDIR);
  // Listings are cached for the attribute timeout.
  auto listings = m.filesystem->stats().listings;
  m.stat_of("/tests/a/1.in");
  m.names("/tests/a");
  QCOMPARE(m.filesystem->stats().listings, listings);
}

void TestMountLogic::readCachesLikeGet() {
  Mounted m;
  put(*m.remote, "/d/f.txt@1420070410", "content of f");
  QCOMPARE(m.cat("/d/f.txt"), std::string("content of f"));
  // Cached as `filetracker get` caches: the versioned entry, mtime = version.
  QVERIFY(m.cache->exists("/d/f.txt@1420070410"));
  QCOMPARE(m.remote->call_counts().get, 1);
  // The next open is served from the cache.
  QCOMPARE(m.cat("/d/f.txt"), std::string("content of f"));
  QCOMPARE(m.remote->call_counts().get, 1);
  // Reads hand the kernel the cache file's own descriptor.
  std::uint64_t h = 0;
  QCOMPARE(m.filesystem->open("/d/f.txt", O_RDONLY, h), 0);
  int fd = m.filesystem->cached_fd(h);
  QVERIFY(fd >= 0);
  struct stat by_fd {}, cached {};
  QCOMPARE(::fstat(fd, &by_fd), 0);
  QCOMPARE(::stat(m.cache->path_of("/d/f.txt").c_str(), &cached), 0);
  QCOMPARE(by_fd.st_ino, cached.st_ino);
  m.filesystem->release(h);
  // Nothing is left in the private directory.
  QVERIFY(fs::is_empty(m.temp->path()));
}

void TestMountLogic::concurrentOpensFetchOnce() {
  Mounted m;
  std::string big(4 << 20, 'x');
  put(*m.remote, "/big@1420070410", big);
  m.stat_of("/big");  // the listing is in
  std::vector<std::thread> threads;
  std::atomic<int> good{0};
  for (int i = 0; i < 8; ++i)
    threads.emplace_back([&] {
      if (m.cat("/big") == big) ++good;
    });
  for (auto& t : threads) t.join();
  QCOMPARE(good.load(), 8);
  QCOMPARE(m.remote->call_counts().get, 1);
  QVERIFY(m.filesystem->stats().fetches <= 8);
}

void TestMountLogic::versionedPaths() {
  Mounted m;
  put(*m.remote, "/f@1420070410", "newest");
  QCOMPARE(m.cat("/f@1420070410"), std::string("newest"));
  struct stat st = m.stat_of("/f@1420070410");
  QCOMPARE(st.st_mode & 07777, mode_t(0444));  // a version never changes
  QCOMPARE(st.st_mtime, time_t(1420070410));
  int status = 0;
  m.stat_of("/f@1420070409", &status);  // the store has no such version
  QCOMPARE(status, -ENOENT);
  QCOMPARE(m.cat("/f@1420070409"), std::string("<errno ") + std::to_string(ENOENT) + ">");
  std::uint64_t h = 0;
  QCOMPARE(m.filesystem->open("/f@1420070410", O_WRONLY, h), -EROFS);
  QCOMPARE(m.filesystem->create("/g@5", O_WRONLY | O_CREAT, h), -EINVAL);
  // Never listed.
  QCOMPARE(m.names("/"), (Strings{".", "..", "f"}));
  // A version the server no longer has but the cache does is served from
  // the cache (which holds one version per name).
  put(*m.cache, "/d/old@1000", "old content");
  put(*m.remote, "/d/old@2000", "new content");
  QCOMPARE(m.cat("/d/old@1000"), std::string("old content"));
  QCOMPARE(m.cat("/d/old"), std::string("new content"));
  QCOMPARE(m.cat("/d/old@1000"), std::string("<errno ") + std::to_string(ENOENT) + ">");  // replaced in the cache
}

void TestMountLogic::writeStoresOnClose() {
  Mounted m;
  put(*m.remote, "/d/existing@1420070410", "x");
  const auto before = std::time(nullptr);
  std::uint64_t h = 0;
  QCOMPARE(m.filesystem->create("/d/new.txt", O_WRONLY | O_CREAT | O_TRUNC, h), 0);
  // Visible while being written, with what has been written.
  QCOMPARE(m.filesystem->write(h, "hello ", 6, 0), 6L);
  QCOMPARE(m.filesystem->write(h, "world", 5, 6), 5L);
  QCOMPARE(m.stat_of("/d/new.txt").st_size, off_t(11));
  QCOMPARE(m.names("/d"), (Strings{".", "..", "existing", "new.txt"}));
  QVERIFY(!m.remote->exists("/d/new.txt"));  // not before close
  QCOMPARE(m.filesystem->flush(h), 0);
  QCOMPARE(m.remote->content("/d/new.txt"), std::string("hello world"));
  Version v = m.remote->file_version("/d/new.txt");
  QVERIFY(v >= before && v <= std::time(nullptr) + 1);
  QCOMPARE(m.filesystem->release(h), 0);
  QCOMPARE(m.remote->call_counts().add, 2);  // the put above and one upload
  // Cached under the version stored, like `filetracker put`.
  QVERIFY(m.cache->exists(versioned_name("/d/new.txt", v)));
  QCOMPARE(m.stat_of("/d/new.txt").st_mtime, time_t(v));
  QCOMPARE(m.cat("/d/new.txt"), std::string("hello world"));
  // Overwriting with O_TRUNC needs no download.
  int gets = m.remote->call_counts().get;
  QCOMPARE(m.write_file("/d/existing", "replaced", false), 0);
  QCOMPARE(m.remote->content("/d/existing"), std::string("replaced"));
  QCOMPARE(m.remote->call_counts().get, gets);
  // An empty new file is stored too (touch), at release.
  QCOMPARE(m.filesystem->create("/d/empty", O_WRONLY | O_CREAT, h), 0);
  QCOMPARE(m.filesystem->flush(h), 0);
  QCOMPARE(m.filesystem->release(h), 0);
  QCOMPARE(m.remote->content("/d/empty"), std::string());
  QVERIFY(fs::is_empty(m.temp->path()));
}

void TestMountLogic::secondWriteInOneSecondGetsANewVersion() {
  Mounted m;
  Version future = std::time(nullptr) + 3600;
  put(*m.remote, "/g@" + std::to_string(future), "from the future");
  QCOMPARE(m.write_file("/f", "first"), 0);
  Version first = m.remote->file_version("/f");
  QCOMPARE(m.write_file("/f", "second", false), 0);
  Version second = m.remote->file_version("/f");
  QVERIFY(second > first);  // a versioned name keeps meaning one content
  QCOMPARE(m.cat("/f"), std::string("second"));
  QCOMPARE(m.cat("/f@" + std::to_string(second)), std::string("second"));
  // The cache followed: it holds the new content under the new version.
  QVERIFY(m.cache->exists("/f@" + std::to_string(second)));
  // A version ahead of our clock is replaced by a newer one, not ignored.
  QCOMPARE(m.write_file("/g", "now", false), 0);
  QCOMPARE(m.remote->content("/g"), std::string("now"));
  QCOMPARE(m.remote->file_version("/g"), future + 1);
}

void TestMountLogic::openForAppendStartsFromTheStoredContent() {
  Mounted m;
  put(*m.remote, "/log@1420070410", "line 1\n");
  std::uint64_t h = 0;
  QCOMPARE(m.filesystem->open("/log", O_WRONLY | O_APPEND, h), 0);
  QCOMPARE(m.filesystem->write(h, "line 2\n", 7, 0), 7L);  // O_APPEND: the offset does not matter
  QCOMPARE(m.filesystem->release(h), 0);
  QCOMPARE(m.remote->content("/log"), std::string("line 1\nline 2\n"));
  // Open without writing: nothing stored.
  int adds = m.remote->call_counts().add;
  QCOMPARE(m.filesystem->open("/log", O_RDWR, h), 0);
  QCOMPARE(m.filesystem->flush(h), 0);
  QCOMPARE(m.filesystem->release(h), 0);
  QCOMPARE(m.remote->call_counts().add, adds);
  // Writing again after a close of a dup'd descriptor copies first: the
  // version just stored (linked into the cache) stays as it was.
  QCOMPARE(m.filesystem->open("/log", O_RDWR, h), 0);
  QCOMPARE(m.filesystem->write(h, "X", 1, 0), 1L);
  QCOMPARE(m.filesystem->flush(h), 0);
  Version v = m.remote->file_version("/log");
  QVERIFY(m.cache->exists("/log@" + std::to_string(v)));
  auto cached = [&] {
    std::ifstream in(m.cache->path_of("/log"), std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  QCOMPARE(cached(), std::string("Xine 1\nline 2\n"));
  QCOMPARE(m.filesystem->write(h, "Y", 1, 1), 1L);
  QCOMPARE(cached(), std::string("Xine 1\nline 2\n"));  // not modified in place
  QCOMPARE(m.filesystem->release(h), 0);
  QCOMPARE(m.cat("/log"), std::string("XYne 1\nline 2\n"));
}

void TestMountLogic::truncateByPath() {
  Mounted m;
  put(*m.remote, "/t@1420070410", "0123456789");
  QCOMPARE(m.filesystem->truncate("/t", 4), 0);
  QCOMPARE(m.remote->content("/t"), std::string("0123"));
  QCOMPARE(m.filesystem->truncate("/t", 0), 0);
  QCOMPARE(m.remote->content("/t"), std::string());
  QCOMPARE(m.filesystem->truncate("/nothing", 0), -ENOENT);
}

void TestMountLogic::uploadFailureIsEioAtCloseAndLogged() {
  Mounted m;
  m.remote->fail_uploads = true;
  std::uint64_t h = 0;
  QCOMPARE(m.filesystem->create("/f", O_WRONLY | O_CREAT, h), 0);
  QCOMPARE(m.filesystem->write(h, "data", 4, 0), 4L);
  QCOMPARE(m.filesystem->flush(h), -EIO);  // what close(2) returns
  QCOMPARE(m.filesystem->fsync(h), -EIO);
  {
    std::lock_guard lock(m.log_mutex);
    QVERIFY(!m.log.empty());
    QVERIFY2(m.log[0].find("/f") != std::string::npos && m.log[0].find("connection refused") != std::string::npos,
             m.log[0].c_str());
  }
  // The data stays: once the server is back, release stores it.
  m.remote->fail_uploads = false;
  QCOMPARE(m.filesystem->release(h), 0);
  QCOMPARE(m.remote->content("/f"), std::string("data"));
}

void TestMountLogic::unlinkDeletes() {
  Mounted m;
  put(*m.remote, "/d/a@1420070410", "a");
  put(*m.remote, "/d/b@1420070410", "b");
  QCOMPARE(m.cat("/d/a"), std::string("a"));
  QCOMPARE(m.filesystem->unlink("/d/a"), 0);
  QVERIFY(!m.remote->exists("/d/a"));
  QVERIFY(!m.cache->exists("/d/a"));
  QCOMPARE(m.names("/d"), (Strings{".", "..", "b"}));
  QCOMPARE(m.filesystem->unlink("/d/a"), -ENOENT);
  QCOMPARE(m.filesystem->unlink("/d"), -EISDIR);
  QCOMPARE(m.filesystem->rmdir("/d"), -ENOTEMPTY);
  QCOMPARE(m.filesystem->unlink("/d/b"), 0);
  // The directory stays, empty, as on any file system, until rmdir.
  QCOMPARE(m.names("/d"), (Strings{".", ".."}));
  QCOMPARE(m.filesystem->rmdir("/d"), 0);
  int status = 0;
  m.stat_of("/d", &status);
  QCOMPARE(status, -ENOENT);
}

void TestMountLogic::unlinkWhileWritingStoresNothing() {
  Mounted m;
  std::uint64_t h = 0;
  QCOMPARE(m.filesystem->create("/tmpfile", O_RDWR | O_CREAT, h), 0);
  QCOMPARE(m.filesystem->write(h, "scratch", 7, 0), 7L);
  QCOMPARE(m.filesystem->unlink("/tmpfile"), 0);
  int status = 0;
  m.stat_of("/tmpfile", &status);
  QCOMPARE(status, -ENOENT);
  char buffer[16];
  QCOMPARE(m.filesystem->read(h, buffer, sizeof buffer, 0), 7L);  // the open file still works
  struct stat st {};
  QCOMPARE(m.filesystem->getattr("", st, h), 0);  // fstat of an unlinked file
  QCOMPARE(st.st_size, off_t(7));
  QCOMPARE(m.filesystem->release(h), 0);
  QVERIFY(!m.remote->exists("/tmpfile"));
}

void TestMountLogic::renameUploadsThenDeletes() {
  Mounted m;
  put(*m.remote, "/d/old@1420070410", "payload");
  put(*m.remote, "/d/target@1420070411", "to be replaced");
  QCOMPARE(m.filesystem->rename("/d/old", "/d/target", RENAME_NOREPLACE), -EEXIST);
  QCOMPARE(m.filesystem->rename("/d/old", "/d/target"), 0);
  QVERIFY(!m.remote->exists("/d/old"));
  QCOMPARE(m.remote->content("/d/target"), std::string("payload"));
  QVERIFY(m.remote->file_version("/d/target") > 1420070411);
  QCOMPARE(m.names("/d"), (Strings{".", "..", "target"}));
  QCOMPARE(m.cat("/d/target"), std::string("payload"));
  // Into a new directory.
  QCOMPARE(m.filesystem->rename("/d/target", "/e/moved"), -ENOENT);  // no /e yet
  QCOMPARE(m.filesystem->mkdir("/e"), 0);
  QCOMPARE(m.filesystem->rename("/d/target", "/e/moved"), 0);
  QCOMPARE(m.remote->content("/e/moved"), std::string("payload"));
  QCOMPARE(m.filesystem->rename("/nothing", "/x"), -ENOENT);
  QCOMPARE(m.filesystem->rename("/e/moved", "/e", 0), -EISDIR);  // a file over a directory
  QCOMPARE(m.filesystem->rename("/e/moved", "/y", RENAME_EXCHANGE), -EINVAL);
  // The editor's save: write a temp file, rename it over the original.
  QCOMPARE(m.write_file("/e/.moved.swp", "edited"), 0);
  QCOMPARE(m.filesystem->rename("/e/.moved.swp", "/e/moved"), 0);
  QCOMPARE(m.cat("/e/moved"), std::string("edited"));
  QCOMPARE(m.names("/e"), (Strings{".", "..", "moved"}));
  QVERIFY(!m.remote->exists("/e/.moved.swp"));
}

void TestMountLogic::renameOfAFileBeingWritten() {
  Mounted m;
  std::uint64_t h = 0;
  QCOMPARE(m.filesystem->create("/a", O_WRONLY | O_CREAT, h), 0);
  QCOMPARE(m.filesystem->write(h, "abc", 3, 0), 3L);
  QCOMPARE(m.filesystem->rename("/a", "/b"), 0);
  QCOMPARE(m.filesystem->flush(h), 0);
  QCOMPARE(m.filesystem->release(h), 0);
  QVERIFY(!m.remote->exists("/a"));
  QCOMPARE(m.remote->content("/b"), std::string("abc"));
}

void TestMountLogic::renameDirectories() {
  Mounted m;
  put(*m.remote, "/full/f@1420070410", "f");
  QCOMPARE(m.filesystem->rename("/full", "/other"), -EXDEV);  // mv copies and deletes itself
  QCOMPARE(m.filesystem->mkdir("/empty"), 0);
  QCOMPARE(m.filesystem->mkdir("/empty/sub"), 0);
  QCOMPARE(m.filesystem->rename("/empty", "/moved"), 0);
  QVERIFY(S_ISDIR(m.stat_of("/moved/sub").st_mode));
  int status = 0;
  m.stat_of("/empty", &status);
  QCOMPARE(status, -ENOENT);
  QCOMPARE(m.filesystem->rename("/moved", "/moved/sub/x"), -EINVAL);
}

void TestMountLogic::mkdirLivesUntilAFileIsStored() {
  Mounted m;
  QCOMPARE(m.filesystem->mkdir("/new"), 0);
  QCOMPARE(m.filesystem->mkdir("/new"), -EEXIST);
  QCOMPARE(m.filesystem->mkdir("/nope/deeper"), -ENOENT);
  QCOMPARE(m.filesystem->mkdir("/bad@1"), -EINVAL);
  QCOMPARE(m.filesystem->mkdir("/new/sub"), 0);
  QCOMPARE(m.names("/"), (Strings{".", "..", "new"}));
  QCOMPARE(m.names("/new/sub"), (Strings{".", ".."}));
  QCOMPARE(m.filesystem->rmdir("/new"), -ENOTEMPTY);
  QCOMPARE(m.filesystem->rmdir("/new/sub"), 0);
  QCOMPARE(m.write_file("/new/file", "x"), 0);
  QCOMPARE(m.remote->content("/new/file"), std::string("x"));
  // Real now; empty again after its last file goes, until rmdir.
  QCOMPARE(m.filesystem->unlink("/new/file"), 0);
  QVERIFY(S_ISDIR(m.stat_of("/new").st_mode));
  QCOMPARE(m.filesystem->rmdir("/new"), 0);
  int status = 0;
  m.stat_of("/new", &status);
  QCOMPARE(status, -ENOENT);
  // A file cannot be created where no directory is.
  std::uint64_t h = 0;
  QCOMPARE(m.filesystem->create("/ghost/file", O_WRONLY | O_CREAT, h), -ENOENT);
}

void TestMountLogic::readOnlyRefusesChanges() {
  MountOptions options;
  options.read_only = true;
  Mounted m(options);
  put(*m.remote, "/f@1420070410", "x");
  std::uint64_t h = 0;
  QCOMPARE(m.filesystem->open("/f", O_WRONLY, h), -EROFS);
  QCOMPARE(m.filesystem->open("/f", O_RDONLY | O_TRUNC, h), -EROFS);
  QCOMPARE(m.filesystem->create("/g", O_WRONLY | O_CREAT, h), -EROFS);
  QCOMPARE(m.filesystem->unlink("/f"), -EROFS);
  QCOMPARE(m.filesystem->rename("/f", "/g"), -EROFS);
  QCOMPARE(m.filesystem->mkdir("/d"), -EROFS);
  QCOMPARE(m.filesystem->truncate("/f", 0), -EROFS);
  QCOMPARE(m.stat_of("/f").st_mode & 07777, mode_t(0444));
  QCOMPARE(m.cat("/f"), std::string("x"));
  struct statvfs vfs {};
  QCOMPARE(m.filesystem->statfs(vfs), 0);
  QVERIFY(vfs.f_flag & ST_RDONLY);
  QCOMPARE(m.remote->content("/f"), std::string("x"));
}

void TestMountLogic::attributeChangesAreRefused() {
  Mounted m;
  put(*m.remote, "/f@1420070410", "x");
  QCOMPARE(m.filesystem->chmod("/f", 0600), -EPERM);
  QCOMPARE(m.filesystem->chmod("/f", 0644), 0);  // no change: fine (cp -p, sed -i)
  QCOMPARE(m.filesystem->chown("/f", ::getuid() + 1, static_cast<gid_t>(-1)), -EPERM);
  QCOMPARE(m.filesystem->chown("/f", ::getuid(), ::getgid()), 0);
  struct timespec explicit_times[2] = {{1000, 0}, {1000, 0}};
  QCOMPARE(m.filesystem->utimens("/f", explicit_times, std::nullopt), -EPERM);
  struct timespec now_times[2] = {{0, UTIME_NOW}, {0, UTIME_NOW}};
  QCOMPARE(m.filesystem->utimens("/f", now_times, std::nullopt), 0);  // touch of an existing file
  QCOMPARE(m.filesystem->chmod("/nothing", 0644), -ENOENT);
  QCOMPARE(m.stat_of("/f").st_mtime, time_t(1420070410));  // unchanged
}

void TestMountLogic::streamsFilesAboveTheCacheLimit() {
  MountOptions options;
  options.cache_limit = 1000;
  Mounted m(options);
  std::string big(5000, 'b');
  put(*m.remote, "/big@1420070410", big);
  put(*m.remote, "/small@1420070410", "small");
  std::uint64_t h = 0;
  QCOMPARE(m.filesystem->open("/big", O_RDONLY, h), 0);
  QCOMPARE(m.filesystem->cached_fd(h), -1);  // streamed
  m.filesystem->release(h);
  QCOMPARE(m.cat("/big"), big);
  QVERIFY(!m.cache->exists("/big"));  // never cached
  QCOMPARE(m.cat("/small"), std::string("small"));
  QVERIFY(m.cache->exists("/small"));
}

void TestMountLogic::shutdownDropsUnclosedWriters() {
  Mounted m;
  std::uint64_t h = 0;
  QCOMPARE(m.filesystem->create("/half", O_WRONLY | O_CREAT, h), 0);
  QCOMPARE(m.filesystem->write(h, "partial", 7, 0), 7L);
  QCOMPARE(m.filesystem->shutdown(), 1);
  QVERIFY(!m.remote->exists("/half"));
  std::lock_guard lock(m.log_mutex);
  QVERIFY(!m.log.empty() && m.log.back().find("/half: not stored") != std::string::npos);
}

QTEST_GUILESS_MAIN(TestMountLogic)
#include "test_mount_logic.moc"
