// Cache pruning: the seed cache cleaner's rule, dry run, execution under locks.
#include <QtTest>

#include "data_stores.hpp"
#include "errors.hpp"
#include "files.hpp"
#include "filetracker/cache_pruner.hpp"
#include "filetracker/local_data_store.hpp"
#include "filetracker/lock_manager.hpp"
#include "temp_dirs.hpp"

namespace fs = std::filesystem;
using ft::CachedFile;
using ft::CacheLocation;

namespace {

// "a:400:10,b:300:10" -> files /a@400 (10 bytes), /b@300 (10 bytes)
std::vector<CachedFile> parse_index(const QString& text) {
  std::vector<CachedFile> files;
  for (const QString& item : text.split(',', Qt::SkipEmptyParts)) {
    const QStringList f = item.split(':');
    const ft::Version mtime = f[1].toLongLong();
    files.push_back(CachedFile{{ft::versioned_name("/" + f[0].toStdString(), mtime), mtime, f[2].toULongLong()}, 0});
  }
  return files;
}

QStringList names_of(const std::vector<CachedFile>& files) {
  QStringList out;
  for (const auto& f : files) out << QString::fromStdString(ft::split_name(f.file.name).name).mid(1);
  return out;
}

void add(ft::LocalDataStore& store, const std::string& name, std::size_t size) {
  test::add(store, name, std::string(size, 'x'));
}

}  // namespace

class TestCachePruner : public QObject {
  Q_OBJECT

 private slots:
  void rule_data() {
    QTest::addColumn<QString>("index");
    QTest::addColumn<qulonglong>("limit");
    QTest::addColumn<double>("percent");
    QTest::addColumn<bool>("needed");
    QTest::addColumn<QStringList>("deleted");  // in deletion order
    const QString four = "a:400:10,b:300:10,c:200:10,d:100:10";
    // Newest first: a (10), b (20: reaches 50% of 40) -> b and older go.
    QTest::newRow("half of the limit") << four << 40ULL << 50.0 << true << QStringList{"b", "c", "d"};
    QTest::newRow("under the limit") << four << 41ULL << 50.0 << false << QStringList{};
    QTest::newRow("keep everything below 100%") << four << 40ULL << 100.0 << true << QStringList{"d"};
    QTest::newRow("keep nothing") << four << 40ULL << 0.0 << true << QStringList{"a", "b", "c", "d"};
    QTest::newRow("75% keeps two") << four << 20ULL << 75.0 << true << QStringList{"b", "c", "d"};
    QTest::newRow("order does not matter") << "d:100:10,b:300:10,a:400:10,c:200:10" << 40ULL << 50.0 << true
                                           << QStringList{"b", "c", "d"};
    // Same mtime: smaller first, so the larger file goes.
    QTest::newRow("ties by size") << "big:100:30,small:100:5,mid:100:20" << 50ULL << 50.0 << true
                                  << QStringList{"mid", "big"};
    QTest::newRow("one huge file") << "huge:500:1000,x:100:1" << 100ULL << 50.0 << true << QStringList{"huge", "x"};
    QTest::newRow("empty cache") << "" << 0ULL << 50.0 << false << QStringList{};
    QTest::newRow("zero limit") << "a:1:1" << 0ULL << 50.0 << true << QStringList{"a"};
    QTest::newRow("fractional percent") << "a:3:100,b:2:100,c:1:100" << 300ULL << 66.7 << true
                                        << QStringList{"c"};
  }
  void rule() {
    QFETCH(QString, index);
    QFETCH(qulonglong, limit);
    QFETCH(double, percent);
    QFETCH(bool, needed);
    QFETCH(QStringList, deleted);
    const auto files = parse_index(index);
    const ft::PrunePlan plan = ft::plan_prune(files, limit, percent);
    QCOMPARE(plan.cleaning_needed, needed);
    QCOMPARE(names_of(plan.to_delete), deleted);
    std::uint64_t total = 0, bytes = 0;
    for (const auto& f : files) total += f.file.size;
    for (const auto& f : plan.to_delete) bytes += f.file.size;
    QCOMPARE(plan.total_bytes, total);
    QCOMPARE(plan.file_count, std::uint64_t(files.size()));
    QCOMPARE(plan.bytes_to_delete, bytes);
  }

  void badPercent_data() {
    QTest::addColumn<double>("percent");
    QTest::newRow("negative") << -1.0;
    QTest::newRow("over 100") << 100.5;
    QTest::newRow("nan") << std::nan("");
  }
  void badPercent() {
    QFETCH(double, percent);
    const auto e = test::error_of([&] { ft::plan_prune({}, 10, percent); });
    QVERIFY(e);
    QCOMPARE(e->code(), ft::ErrorCode::InvalidArgument);
  }

  void dryRunThenExecute() {
    auto dir = test::scratch_dir();
    const fs::path cache = test::path_of(*dir) / "cache";
    ft::LocalDataStore store(cache);
    add(store, "/new@400", 100);
    add(store, "/d/mid@300", 100);
    add(store, "/d/old@200", 100);
    add(store, "/oldest@100", 100);
    test::write_file(cache / "files" / ".new.tmp.zz", std::string(5000, 't'));  // not a cache file
    const std::vector<CacheLocation> caches{{cache, {}}};

    const auto summary = ft::summarize_cache(cache);
    QCOMPARE(summary.file_count, std::uint64_t(4));
    QCOMPARE(summary.total_bytes, std::uint64_t(400));

    const ft::PrunePlan plan = ft::plan_cache_prune(caches, 300, 50);
    QVERIFY(plan.cleaning_needed);
    QCOMPARE(names_of(plan.to_delete), (QStringList{"d/mid", "d/old", "oldest"}));
    QCOMPARE(plan.bytes_to_delete, std::uint64_t(300));
    QCOMPARE(ft::summarize_cache(cache).file_count, std::uint64_t(4));  // a dry run deletes nothing

    std::vector<std::pair<std::size_t, std::size_t>> calls;
    const ft::PruneResult result =
        ft::execute_prune(caches, plan, [&](std::size_t done, std::size_t total) {
          calls.emplace_back(done, total);
          return true;
        });
    QCOMPARE(names_of(result.deleted), (QStringList{"d/mid", "d/old", "oldest"}));
    QCOMPARE(result.deleted_bytes, std::uint64_t(300));
    QVERIFY(result.errors.empty());
    QVERIFY(!result.cancelled);
    QCOMPARE(calls.front(), (std::pair<std::size_t, std::size_t>(0, 3)));
    QCOMPARE(calls.back(), (std::pair<std::size_t, std::size_t>(3, 3)));
    QVERIFY(store.exists("/new@400"));
    QVERIFY(!fs::exists(cache / "files" / "d"));  // emptied directories go
    QVERIFY(!fs::exists(cache / "locks" / "d"));  // and so do the lock files
    QCOMPARE(ft::summarize_cache(cache).total_bytes, std::uint64_t(100));
    // Below the limit now: nothing more to do.
    QVERIFY(!ft::plan_cache_prune(caches, 300, 50).cleaning_needed);
  }

  void busyAndChangedFilesAreSkipped() {
    auto dir = test::scratch_dir();
    const fs::path cache = test::path_of(*dir) / "cache";
    ft::LocalDataStore store(cache);
    add(store, "/keep@400", 100);
    add(store, "/busy@300", 100);
    add(store, "/changed@200", 100);
    add(store, "/gone@150", 100);
    add(store, "/plain@100", 100);
    const std::vector<CacheLocation> caches{{cache, {}}};
    const ft::PrunePlan plan = ft::plan_cache_prune(caches, 500, 40);  // keep below 200 bytes
    QCOMPARE(names_of(plan.to_delete), (QStringList{"busy", "changed", "gone", "plain"}));

    // Someone reads /busy right now (a shared lock, another open file).
    ft::FlockLockManager locks(cache / "locks");
    auto reader = locks.lock_for("/busy");
    reader->lock_shared();
    // /changed got a newer version after the scan; /gone was deleted.
    add(store, "/changed@250", 100);
    store.delete_file("/gone");

    const ft::PruneResult result = ft::execute_prune(caches, plan);
    QCOMPARE(names_of(result.deleted), QStringList{"plain"});
    QCOMPARE(names_of(result.skipped_busy), QStringList{"busy"});
    QCOMPARE(names_of(result.skipped_changed), (QStringList{"changed", "gone"}));
    QVERIFY(result.errors.empty());
    QVERIFY(store.exists("/busy@300"));
    QVERIFY(store.exists("/changed@250"));
    QVERIFY(!store.exists("/plain"));
    reader->close();
  }

  void severalCachesAsOneIndex() {
    auto dir = test::scratch_dir();
    const fs::path one = test::path_of(*dir) / "one";
    const fs::path two = test::path_of(*dir) / "two";
    ft::LocalDataStore a(one), b(two);
    add(a, "/x@400", 100);
    add(b, "/x@300", 100);  // same name, other cache
    add(a, "/y@200", 100);
    add(b, "/z@100", 100);
    const std::vector<CacheLocation> caches{{one, {}}, {two, test::path_of(*dir) / "two-locks"}};
    const ft::PruneResult result = ft::prune_caches(caches, 400, 50);
    QCOMPARE(result.deleted.size(), std::size_t(3));
    QVERIFY(a.exists("/x@400"));
    QVERIFY(!b.exists("/x"));
    QVERIFY(!a.exists("/y"));
    QVERIFY(!b.exists("/z"));
    // A missing cache directory is an empty cache.
    QCOMPARE(ft::scan_caches({{test::path_of(*dir) / "none", {}}}).size(), std::size_t(0));
  }

  void staleTempFiles() {
    auto dir = test::scratch_dir();
    const fs::path cache = test::path_of(*dir) / "cache";
    ft::LocalDataStore store(cache);
    add(store, "/d/real@100", 10);  // old, but a real file: never touched
    const fs::path stale = cache / "files" / "d" / ".real.tmp.old123";
    const fs::path fresh = cache / "files" / "d" / ".real.tmp.new456";
    test::write_file(stale, std::string(70, 's'));
    test::touch(stale, ::time(nullptr) - 7200);
    test::write_file(fresh, std::string(30, 'f'));  // a write in progress, maybe
    const auto cleaned = ft::remove_stale_temp_files(cache, std::chrono::hours(1));
    QCOMPARE(cleaned.removed, std::vector<fs::path>{stale});
    QCOMPARE(cleaned.bytes, std::uint64_t(70));
    QVERIFY(!fs::exists(stale));
    QVERIFY(fs::exists(fresh));
    QVERIFY(store.exists("/d/real@100"));
    QVERIFY(ft::remove_stale_temp_files(test::path_of(*dir) / "no-cache").removed.empty());
  }

  void cancel() {
    auto dir = test::scratch_dir();
    const fs::path cache = test::path_of(*dir) / "cache";
    ft::LocalDataStore store(cache);
    for (int i = 1; i <= 5; ++i) add(store, "/f" + std::to_string(i) + "@" + std::to_string(i), 10);
    const std::vector<CacheLocation> caches{{cache, {}}};
    const ft::PrunePlan plan = ft::plan_cache_prune(caches, 10, 0);
    QCOMPARE(plan.to_delete.size(), std::size_t(5));
    const auto result = ft::execute_prune(caches, plan, [](std::size_t done, std::size_t) { return done < 2; });
    QVERIFY(result.cancelled);
    QCOMPARE(result.deleted.size(), std::size_t(2));
    QCOMPARE(ft::summarize_cache(cache).file_count, std::uint64_t(3));
  }
};

QTEST_GUILESS_MAIN(TestCachePruner)
#include "test_cache_pruner.moc"
