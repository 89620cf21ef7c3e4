// MemoryDataStore (the seed's DummyDataStore).
#include <QtTest>

#include "data_stores.hpp"
#include "errors.hpp"
#include "files.hpp"
#include "filetracker/memory_data_store.hpp"
#include "temp_dirs.hpp"

using ft::ErrorCode;
using ft::MemoryDataStore;

using test::add;
using test::read;

class TestMemoryDataStore : public QObject {
  Q_OBJECT

 private slots:
  void addVersionRules_data() {
    QTest::addColumn<qlonglong>("second");
    QTest::addColumn<bool>("replaces");
    QTest::newRow("older is ignored") << 1000LL << false;
    QTest::newRow("equal overwrites") << 2000LL << true;
    QTest::newRow("newer replaces") << 3000LL << true;
  }
  void addVersionRules() {
    QFETCH(qlonglong, second);
    QFETCH(bool, replaces);
    MemoryDataStore store;
    QCOMPARE(add(store, "/f@2000", "first"), std::string("/f@2000"));
    const std::string got = add(store, "/f@" + std::to_string(second), "second");
    QCOMPARE(got, "/f@" + std::to_string(replaces ? second : 2000));
    QCOMPARE(store.content("/f"), std::string(replaces ? "second" : "first"));
  }

  void addWithoutVersion() {
    MemoryDataStore store;
    const auto before = static_cast<ft::Version>(::time(nullptr));
    const auto v1 = ft::split_name(add(store, "/f", "a")).version.value();
    QVERIFY(v1 >= before);
    // A second add in the same second still gets a newer version.
    const auto v2 = ft::split_name(add(store, "/f", "b")).version.value();
    QVERIFY(v2 > v1);
    add(store, "/g@9999999999", "future");
    QCOMPARE(ft::split_name(add(store, "/g", "x")).version.value(), ft::Version(10000000000));
  }

  void queries() {
    MemoryDataStore store;
    add(store, "/a/b@10", "hello");
    QVERIFY(store.exists("/a/b"));
    QVERIFY(store.exists("/a/b@10"));
    QVERIFY(!store.exists("/a/b@11"));
    QVERIFY(!store.exists("/a"));
    QCOMPARE(store.file_version("/a/b@3"), ft::Version(10));
    QCOMPARE(store.file_size("/a/b"), std::uint64_t(5));
    std::string versioned;
    QCOMPARE(read(store, "/a/b", &versioned), std::string("hello"));
    QCOMPARE(versioned, std::string("/a/b@10"));
    for (const char* missing : {"/a/b@11", "/zzz"}) {
      auto e = test::error_of([&] { store.get_stream(missing); });
      QVERIFY(e);
      QCOMPARE(e->code(), ErrorCode::NotFound);
      QVERIFY(std::string(e->what()).find(missing) != std::string::npos);
      QVERIFY(test::error_of([&] { store.file_size(missing); }));
    }
    QVERIFY(test::error_of([&] { store.file_version("/zzz"); }));
    QVERIFY(test::error_of([&] { store.exists("no-slash"); }));
  }

  void deleteRules() {
    MemoryDataStore store;
    add(store, "/f@200", "x");
    store.delete_file("/f@100");  // stored version is newer: stays
    QVERIFY(store.exists("/f"));
    store.delete_file("/f@200");
    QVERIFY(!store.exists("/f"));
    add(store, "/g@5", "x");
    store.delete_file("/g");
    QVERIFY(!store.exists("/g"));
    auto e = test::error_of([&] { store.delete_file("/g"); });
    QVERIFY(e);
    QCOMPARE(e->code(), ErrorCode::NotFound);
  }

  void filesViaDefaults() {
    auto dir = test::scratch_dir();
    const auto root = test::path_of(*dir);
    test::write_file(root / "in", "from file");
    MemoryDataStore store;
    QCOMPARE(store.add_file("/x@7", root / "in"), std::string("/x@7"));
    QCOMPARE(store.get_file("/x", root / "sub" / "out"), std::string("/x@7"));
    QCOMPARE(test::read_file(root / "sub" / "out"), std::string("from file"));
    QCOMPARE(test::mtime_of(root / "sub" / "out"), 7LL);  // the version travels as mtime
    QVERIFY(test::error_of([&] { store.get_file("/nope", root / "never"); }));
    QVERIFY(!std::filesystem::exists(root / "never"));
  }

  void listAndCounts() {
    MemoryDataStore store;
    add(store, "/b@2", "bb");
    add(store, "/a@1", "a");
    QCOMPARE(store.list_files(), (std::vector<ft::FileInfo>{{"/a@1", 1, 1}, {"/b@2", 2, 2}}));
    store.exists("/a");
    store.file_size("/a");
    read(store, "/b");
    store.delete_file("/a");
    const auto c = store.call_counts();
    QCOMPARE(c.add, 2);
    QCOMPARE(c.query, 2);
    QCOMPARE(c.get, 1);
    QCOMPARE(c.remove, 1);
    QCOMPARE(c.list, 1);
  }
};

QTEST_GUILESS_MAIN(TestMemoryDataStore)
#include "test_memory_data_store.moc"
