// LocalDataStore: the Python client's cache layout (files/<name>, version =
// mtime), atomic writes, hard links, the seed's version rules.
#include <QtTest>

#include <fcntl.h>
#include <sys/stat.h>

#include <sstream>

#include "data_stores.hpp"
#include "errors.hpp"
#include "files.hpp"
#include "filetracker/atomic_file.hpp"
#include "filetracker/local_data_store.hpp"
#include "temp_dirs.hpp"

namespace fs = std::filesystem;
using ft::ErrorCode;
using ft::LocalDataStore;

using test::add;

namespace {

// Every entry under `dir`, recursively, relative, sorted.
std::vector<std::string> tree(const fs::path& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    out.push_back(e.path().lexically_relative(dir).generic_string() + (e.is_directory() ? "/" : ""));
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

class TestLocalDataStore : public QObject {
  Q_OBJECT

 private slots:
  void layoutMatchesPythonClient() {
    auto dir = test::scratch_dir();
    const fs::path cache = test::path_of(*dir);
    LocalDataStore store(cache);
    QVERIFY(fs::is_directory(cache / "files"));
    QCOMPARE(add(store, "/tests/a/1.in@1420070410", "content"), std::string("/tests/a/1.in@1420070410"));
    const fs::path file = cache / "files" / "tests" / "a" / "1.in";
    QCOMPARE(test::read_file(file), std::string("content"));
    QCOMPARE(test::mtime_of(file), 1420070410LL);
    // files/ exactly as the Python client lays it out; our checksum records
    // beside it in meta/, which the Python client never looks at.
    QCOMPARE(tree(cache), (std::vector<std::string>{"files/", "files/tests/", "files/tests/a/", "files/tests/a/1.in",
                                                    "meta/", "meta/tests/", "meta/tests/a/", "meta/tests/a/1.in"}));
    QCOMPARE(store.path_of("/tests/a/1.in@5"), file);
  }

  void readsCacheWrittenByPythonClient() {
    // What the seed writes: plain files under files/, version = mtime.
    auto dir = test::scratch_dir();
    const fs::path cache = test::path_of(*dir);
    test::write_file(cache / "files" / "x" / "y.txt", "from python");
    test::touch(cache / "files" / "x" / "y.txt", 1500000000);
    test::write_file(cache / "files" / "top", "t");
    test::touch(cache / "files" / "top", 1400000000);
    LocalDataStore store(cache);
    QVERIFY(store.exists("/x/y.txt"));
    QVERIFY(store.exists("/x/y.txt@1500000000"));
    QVERIFY(!store.exists("/x/y.txt@1500000001"));
    QCOMPARE(store.file_version("/x/y.txt@7"), ft::Version(1500000000));  // version in the name ignored
    QCOMPARE(store.file_size("/x/y.txt"), std::uint64_t(11));
    std::string versioned;
    QCOMPARE(test::read(store, "/x/y.txt", &versioned), std::string("from python"));
    QCOMPARE(versioned, std::string("/x/y.txt@1500000000"));
    auto files = store.list_files();
    std::sort(files.begin(), files.end(), [](auto& a, auto& b) { return a.name < b.name; });
    QCOMPARE(files, (std::vector<ft::FileInfo>{{"/top@1400000000", 1400000000, 1}, {"/x/y.txt@1500000000", 1500000000, 11}}));
  }

  void addVersionRules_data() {
    QTest::addColumn<qlonglong>("second");
    QTest::addColumn<bool>("replaces");
    QTest::newRow("older is ignored") << 1000LL << false;
    QTest::newRow("equal is ignored") << 2000LL << false;
    QTest::newRow("newer replaces") << 3000LL << true;
  }
  void addVersionRules() {
    QFETCH(qlonglong, second);
    QFETCH(bool, replaces);
    auto dir = test::scratch_dir();
    LocalDataStore store(test::path_of(*dir));
    add(store, "/f@2000", "first");
    const std::string result = add(store, "/f@" + std::to_string(second), "second");
    const ft::Version expected = replaces ? second : 2000;
    QCOMPARE(result, "/f@" + std::to_string(expected));
    QCOMPARE(store.file_version("/f"), expected);
    QCOMPARE(test::read(store, "/f"), std::string(replaces ? "second" : "first"));
  }

  void addWithoutVersionUsesNow() {
    auto dir = test::scratch_dir();
    LocalDataStore store(test::path_of(*dir));
    add(store, "/f@9999999999", "future");
    const auto before = static_cast<ft::Version>(::time(nullptr));
    const std::string v = add(store, "/f", "now");  // no version: always stored
    const auto stored = ft::split_name(v).version.value();
    QVERIFY(stored >= before && stored <= before + 5);
    QCOMPARE(test::read(store, "/f"), std::string("now"));
  }

  void addFileHardLinks() {
    auto dir = test::scratch_dir();
    const fs::path root = test::path_of(*dir);
    LocalDataStore store(root / "cache");
    const fs::path src = root / "src.txt";
    test::write_file(src, "linked");
    test::touch(src, 1234567890);
    QCOMPARE(store.add_file("/a/b", src), std::string("/a/b@1234567890"));  // version = the file's mtime
    QCOMPARE(test::inode_of(store.path_of("/a/b")), test::inode_of(src));
    // With the file's own mtime as the version: linked too.
    QCOMPARE(store.add_file("/c@1234567890", src), std::string("/c@1234567890"));
    QCOMPARE(test::inode_of(store.path_of("/c")), test::inode_of(src));
  }

  void addFileWithOtherVersionCopies() {
    auto dir = test::scratch_dir();
    const fs::path root = test::path_of(*dir);
    LocalDataStore store(root / "cache");
    const fs::path src = root / "src.txt";
    test::write_file(src, "copied");
    test::touch(src, 1000);
    QCOMPARE(store.add_file("/a@5000", src), std::string("/a@5000"));
    QVERIFY(test::inode_of(store.path_of("/a")) != test::inode_of(src));
    QCOMPARE(test::mtime_of(src), 1000LL);  // the caller's file is untouched
    QCOMPARE(test::mtime_of(store.path_of("/a")), 5000LL);
    QCOMPARE(test::read_file(store.path_of("/a")), std::string("copied"));
    // Older than stored: ignored, and the stored version is reported.
    QCOMPARE(store.add_file("/a@10", src), std::string("/a@5000"));
  }

  void addFileErrors() {
    auto dir = test::scratch_dir();
    const fs::path root = test::path_of(*dir);
    LocalDataStore store(root / "cache");
    auto e = test::error_of([&] { store.add_file("/a", root / "missing"); });
    QVERIFY(e);
    QVERIFY(std::string(e->what()).find("missing") != std::string::npos);
    e = test::error_of([&] { store.add_file("/a", root); });  // a directory
    QVERIFY(e);
    QCOMPARE(e->code(), ErrorCode::InvalidArgument);
    e = test::error_of([&] { add(store, "relative", "x"); });
    QVERIFY(e);
    QCOMPARE(e->code(), ErrorCode::InvalidArgument);
    e = test::error_of([&] { add(store, "/a/../b", "x"); });
    QVERIFY(e);
    QCOMPARE(e->code(), ErrorCode::InvalidArgument);
    e = test::error_of([&] { add(store, "/a@-5", "x"); });  // a valid name, but no mtime can hold it
    QVERIFY(e);
    QCOMPARE(e->code(), ErrorCode::InvalidArgument);
    QVERIFY(std::string(e->what()).find("/a@-5") != std::string::npos);
    QCOMPARE(tree(root / "cache"), std::vector<std::string>{"files/"});
  }

  // Versions the cache's file system cannot keep as an mtime are refused,
  // not stored as another version (ext4 clamps to 2446: year 9999 came back
  // as 2446); names that are not UTF-8 are refused like everywhere else.
  void refusesWhatItCannotKeep_data() {
    QTest::addColumn<QByteArray>("name");
    QTest::addColumn<QByteArray>("words");
    QTest::newRow("year 9999") << QByteArray("/late@253402300799") << QByteArray("cannot keep the version 253402300799");
    QTest::newRow("year 2500") << QByteArray("/late@16725225600") << QByteArray("cannot keep the version 16725225600");
    QTest::newRow("not UTF-8") << QByteArray("/caf\xe9@10") << QByteArray("it is not valid UTF-8");
  }
  void refusesWhatItCannotKeep() {
    QFETCH(QByteArray, name);
    QFETCH(QByteArray, words);
    auto dir = test::scratch_dir();
    const fs::path root = test::path_of(*dir);
    if (name.contains("late")) {
      // Only a file system that clamps shows it (ext4 does, tmpfs does not).
      const fs::path probe = root / "probe";
      test::write_file(probe, "x");
      struct timespec times[2] = {{253402300799, 0}, {253402300799, 0}};
      struct stat st {};
      if (::utimensat(AT_FDCWD, probe.c_str(), times, 0) != 0 || ::stat(probe.c_str(), &st) != 0 ||
          st.st_mtime == 253402300799)
        QSKIP("this file system keeps year-9999 mtimes");
    }
    LocalDataStore store(root / "cache");
    auto e = test::error_of([&] { add(store, name.toStdString(), "x"); });
    QVERIFY(e);
    QCOMPARE(e->code(), ErrorCode::InvalidArgument);
    QVERIFY2(std::string(e->what()).find(words.toStdString()) != std::string::npos, e->what());
    QVERIFY(std::string(e->what()).find('\n') == std::string::npos);
    QCOMPARE(tree(root / "cache"), std::vector<std::string>{"files/"});
    // A version it can keep still goes in.
    QCOMPARE(add(store, "/ok@1420070410", "x"), std::string("/ok@1420070410"));
  }

  void getFileHardLinks() {
    auto dir = test::scratch_dir();
    const fs::path root = test::path_of(*dir);
    LocalDataStore store(root / "cache");
    add(store, "/d/f@1420070410", "payload");
    const fs::path dest = root / "out" / "deep" / "f.txt";  // parents are created
    QCOMPARE(store.get_file("/d/f@1420070410", dest), std::string("/d/f@1420070410"));
    QCOMPARE(test::read_file(dest), std::string("payload"));
    QCOMPARE(test::inode_of(dest), test::inode_of(store.path_of("/d/f")));
    QCOMPARE(test::mtime_of(dest), 1420070410LL);
    // Unversioned: whatever is cached.
    const fs::path dest2 = root / "out2";
    QCOMPARE(store.get_file("/d/f", dest2), std::string("/d/f@1420070410"));
    // Again onto the same (already linked) destination: fine, still the same.
    QCOMPARE(store.get_file("/d/f", dest2), std::string("/d/f@1420070410"));
    QCOMPARE(test::inode_of(dest2), test::inode_of(store.path_of("/d/f")));
  }

  void getFileReplacesExistingDestination() {
    auto dir = test::scratch_dir();
    const fs::path root = test::path_of(*dir);
    LocalDataStore store(root / "cache");
    add(store, "/f@100", "cached");
    const fs::path dest = root / "dest";
    test::write_file(dest, "something else entirely");
    QCOMPARE(store.get_file("/f@100", dest), std::string("/f@100"));
    QCOMPARE(test::read_file(dest), std::string("cached"));
    QCOMPARE(test::mtime_of(dest), 100LL);
    // No temp link left behind.
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(root)) names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    QCOMPARE(names, (std::vector<std::string>{"cache", "dest"}));
  }

  void getMissingOrWrongVersion_data() {
    QTest::addColumn<QString>("name");
    QTest::newRow("missing") << "/nothing";
    QTest::newRow("wrong version") << "/f@99";
    QTest::newRow("missing versioned") << "/nothing@100";
  }
  void getMissingOrWrongVersion() {
    QFETCH(QString, name);
    auto dir = test::scratch_dir();
    const fs::path root = test::path_of(*dir);
    LocalDataStore store(root / "cache");
    add(store, "/f@100", "cached");
    const std::string n = name.toStdString();
    const fs::path fresh = root / "fresh";
    const fs::path existing = root / "existing";
    test::write_file(existing, "keep me");
    for (const fs::path& dest : {fresh, existing}) {
      const auto e = test::error_of([&] { store.get_file(n, dest); });
      QVERIFY(e);
      QCOMPARE(e->code(), ErrorCode::NotFound);
      QVERIFY2(std::string(e->what()).find(ft::split_name(n).name) != std::string::npos, e->what());
    }
    QVERIFY(!fs::exists(fresh));  // nothing created
    QCOMPARE(test::read_file(existing), std::string("keep me"));  // nothing changed
    QVERIFY(test::error_of([&] { store.get_stream(n); }));
    QVERIFY(!store.exists(n));
    if (n != "/f@99") QVERIFY(test::error_of([&] { store.file_version(n); }));
    QVERIFY(test::error_of([&] { store.file_size(n); }));
  }

  void streamServesTheVersionItReports() {
    auto dir = test::scratch_dir();
    LocalDataStore store(test::path_of(*dir));
    add(store, "/f@100", "old content");
    auto got = store.get_stream("/f@100");
    // Replaced while the stream is open: the stream still reads the old
    // version it reported (the replacement is a new inode).
    add(store, "/f@200", "new content");
    std::ostringstream out;
    out << got.stream->rdbuf();
    QCOMPARE(got.versioned_name, std::string("/f@100"));
    QCOMPARE(out.str(), std::string("old content"));
    QCOMPARE(test::read(store, "/f"), std::string("new content"));
  }

  void bigFileStreams() {
    auto dir = test::scratch_dir();
    LocalDataStore store(test::path_of(*dir));
    std::string big(3 * 1024 * 1024 + 11, '\0');
    for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>(i * 7 + i / 1000);
    add(store, "/big@1", big);
    QCOMPARE(store.file_size("/big@1"), std::uint64_t(big.size()));
    QVERIFY(test::read(store, "/big@1") == big);
  }

  void deleteVersionRules_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("deleted");
    QTest::newRow("unversioned") << "/d/f" << true;
    QTest::newRow("same version") << "/d/f@200" << true;
    QTest::newRow("newer version given") << "/d/f@300" << true;
    QTest::newRow("older version given: the newer stays") << "/d/f@100" << false;
  }
  void deleteVersionRules() {
    QFETCH(QString, name);
    QFETCH(bool, deleted);
    auto dir = test::scratch_dir();
    const fs::path cache = test::path_of(*dir);
    LocalDataStore store(cache);
    add(store, "/d/f@200", "x");
    store.delete_file(name.toStdString());
    QCOMPARE(store.exists("/d/f"), !deleted);
    // Directories that became empty go too; files/ itself stays.
    QCOMPARE(fs::exists(cache / "files" / "d"), !deleted);
    QVERIFY(fs::is_directory(cache / "files"));
  }

  void deleteKeepsNonEmptyDirectories() {
    auto dir = test::scratch_dir();
    const fs::path cache = test::path_of(*dir);
    LocalDataStore store(cache);
    add(store, "/a/b/c@1", "x");
    add(store, "/a/other@1", "y");
    store.delete_file("/a/b/c");
    QCOMPARE(tree(cache / "files"), (std::vector<std::string>{"a/", "a/other"}));
    const auto e = test::error_of([&] { store.delete_file("/a/b/c"); });
    QVERIFY(e);
    QCOMPARE(e->code(), ErrorCode::NotFound);
  }

  void listSkipsTempFilesAndBadNames() {
    auto dir = test::scratch_dir();
    const fs::path cache = test::path_of(*dir);
    LocalDataStore store(cache);
    add(store, "/ok@10", "1");
    // A crashed writer's leftover, and a file no name can address.
    test::write_file(cache / "files" / ".ok.tmp.abc123", "torn");
    test::write_file(cache / "files" / "bad@dir" / "f", "?");
    test::write_file(cache / "files" / "x@notaversion", "?");
    const auto files = store.list_files();
    QCOMPARE(files, (std::vector<ft::FileInfo>{{"/ok@10", 10, 1}}));
  }

  void fileAndDirectoryConflict() {
    auto dir = test::scratch_dir();
    LocalDataStore store(test::path_of(*dir));
    add(store, "/a/b@1", "x");
    // "/a" is a directory in the cache: storing a file there fails cleanly.
    const auto e = test::error_of([&] { add(store, "/a@2", "y"); });
    QVERIFY(e);
    QVERIFY(store.exists("/a/b@1"));
    QVERIFY(!store.exists("/a"));
  }

  void replaceWithLink() {
    auto dir = test::scratch_dir();
    const fs::path root = test::path_of(*dir);
    test::write_file(root / "src", "S");
    test::write_file(root / "dst", "D");
    QVERIFY(ft::replace_with_link(root / "src", root / "dst"));
    QCOMPARE(test::inode_of(root / "dst"), test::inode_of(root / "src"));
    QVERIFY(ft::replace_with_link(root / "src", root / "new" / "dir" / "x"));
    QCOMPARE(test::read_file(root / "new" / "dir" / "x"), std::string("S"));
    QVERIFY(test::error_of([&] { ft::replace_with_link(root / "nope", root / "y"); }));
  }
};

QTEST_GUILESS_MAIN(TestLocalDataStore)
#include "test_local_data_store.moc"
