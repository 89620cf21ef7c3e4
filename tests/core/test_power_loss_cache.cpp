// Power loss at every step of the local cache's writes (and of AtomicFile's
// own): the FaultInjectionEnv cuts the power at call n, rolls the disk back
// to what had been made durable, and the cache is opened again. SIGKILL
// cannot test this (the page cache survives a killed process); this can, and
// removing any one fsync of those paths makes a row here fail
// (tests/power_loss_mutations.py proves it, one fsync at a time).
//
// Invariants after every reboot:
//   - a write that returned (acknowledged) is there, intact, with its version;
//   - one that did not left the old state or the new one, never a torn or
//     empty file under the real name;
//   - the other cached files are untouched, and `cache verify` finds no damage.
#include <QtTest>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <functional>
#include <sstream>

#include "data_stores.hpp"
#include "fault_injection_env.hpp"
#include "files.hpp"
#include "filetracker/atomic_file.hpp"
#include "filetracker/confined_dir.hpp"
#include "filetracker/error.hpp"
#include "filetracker/local_data_store.hpp"
#include "temp_dirs.hpp"

namespace fs = std::filesystem;

namespace {

const std::string kName = "/a/b/c.txt";
const std::string kOld = std::string(3000, 'o') + "old content";
const std::string kNew = std::string(5000, 'n') + "new content";
const std::string kNeighbour = "a neighbour that must never change";

enum class Scenario {
  FreshWrite,    // the first write into a cache that does not exist yet
  Replace,       // a newer version over a cached one
  NewDirectory,  // a write that makes directories inside an existing cache
  LinkIn,        // add_file of the caller's file: hard-linked into the cache
  NamedTemp,     // replace where the file system has no O_TMPFILE
  CopyFallback,  // replace where the unnamed file cannot be linked in
  AtomicPath,    // AtomicFile by path, making its parent directories
};

struct State {
  long long version;
  std::string content;
};

// A write as the program does it, through `env`; true when it returned.
bool run(Scenario scenario, const fs::path& root, ft::Env* env) {
  const fs::path cache = root / "cache";
  try {
    switch (scenario) {
      case Scenario::FreshWrite: {
        ft::LocalDataStore store(cache, env);
        std::istringstream in(kNew);
        store.add_stream(kName + "@200", in);
        return true;
      }
      case Scenario::Replace:
      case Scenario::NamedTemp:
      case Scenario::CopyFallback: {
        ft::LocalDataStore store(cache, env);
        std::istringstream in(kNew);
        store.add_stream(kName + "@200", in);
        return true;
      }
      case Scenario::NewDirectory: {
        ft::LocalDataStore store(cache, env);
        std::istringstream in(kNew);
        store.add_stream("/a/new/dir/c.txt@200", in);
        return true;
      }
      case Scenario::LinkIn: {
        // The caller's file, just written (not synced by anyone): the cache
        // must make its content durable before it names it.
        const fs::path mine = root / "mine.txt";
        if (!test::write_file(mine, kNew)) return false;
        ::chmod(mine.c_str(), 0644);
        test::touch(mine, 200);
        ft::LocalDataStore store(cache, env);
        store.add_file(kName + "@200", mine, false);
        return true;
      }
      case Scenario::AtomicPath: {
        ft::AtomicFile out(root / "out" / "x" / "y.txt", 0644, env);
        out.write(kNew);
        out.commit(200);
        return true;
      }
    }
  } catch (const ft::Error&) {
  }
  return false;
}

// What is there before the write (all durable: the Env of the test counts
// what is there when it starts so; made through one that skips the real
// fsyncs only to keep the test fast).
void set_up(Scenario scenario, const fs::path& root) {
  if (scenario == Scenario::FreshWrite || scenario == Scenario::AtomicPath) return;
  test::FaultInjectionEnv no_real_fsyncs(root);
  ft::LocalDataStore store(root / "cache", &no_real_fsyncs);
  std::istringstream neighbour(kNeighbour);
  store.add_stream("/a/neighbour.txt@50", neighbour);
  if (scenario != Scenario::NewDirectory && scenario != Scenario::LinkIn) {
    std::istringstream in(kOld);
    store.add_stream(kName + "@100", in);
  }
}

// The states `name` may be in after the reboot (nullopt: absent).
std::vector<std::optional<State>> allowed(Scenario scenario, bool acknowledged) {
  const State fresh{200, kNew};
  if (acknowledged) return {fresh};
  switch (scenario) {
    case Scenario::Replace:
    case Scenario::NamedTemp:
    case Scenario::CopyFallback:
      return {State{100, kOld}, fresh};
    default:
      return {std::nullopt, fresh};
  }
}

std::string written_name(Scenario scenario) {
  return scenario == Scenario::NewDirectory ? "/a/new/dir/c.txt" : kName;
}

QString describe(const std::optional<State>& s) {
  if (!s) return QStringLiteral("absent");
  return QStringLiteral("version %1, %2 bytes").arg(s->version).arg(s->content.size());
}

// The state after the reboot, read as the next program would; the failure
// (a torn file, damage) as a message.
std::optional<State> observe(Scenario scenario, const fs::path& root, QString* problem) {
  if (scenario == Scenario::AtomicPath) {
    const fs::path path = root / "out" / "x" / "y.txt";
    if (!fs::exists(path)) return std::nullopt;
    return State{test::mtime_of(path), test::read_file(path)};
  }
  test::FaultInjectionEnv next_boot(root);  // no crash planned: the real calls, without real fsyncs
  ft::LocalDataStore store(root / "cache", &next_boot);
  const std::string name = written_name(scenario);
  if (!store.exists(name)) return std::nullopt;
  std::string versioned;
  std::string content;
  try {
    content = test::read(store, name, &versioned);
  } catch (const ft::Error& e) {
    *problem = QStringLiteral("reading it: %1").arg(e.what());
    return std::nullopt;
  }
  const auto check = store.verify_file(name);
  if (check.state == ft::LocalDataStore::FileCheck::State::Damaged)
    *problem = QStringLiteral("cache verify: %1").arg(QString::fromStdString(check.message));
  return State{ft::split_name(versioned).version.value_or(-1), content};
}

bool same(const std::optional<State>& a, const std::optional<State>& b) {
  if (!a || !b) return !a && !b;
  return a->version == b->version && a->content == b->content;
}

QString journal_text(const test::FaultInjectionEnv& env) {
  QStringList lines;
  for (const auto& line : env.journal()) lines << QString::fromStdString(line);
  return lines.join(QLatin1Char('\n'));
}

}  // namespace

Q_DECLARE_METATYPE(Scenario)

class TestPowerLossCache : public QObject {
  Q_OBJECT

 private slots:
  void init() { ft::set_unnamed_files_enabled(true); }
  void cleanup() { ft::set_unnamed_files_enabled(true); }

  void modelLosesWhatWasNotSynced();
  void everyStep_data();
  void everyStep();
};

// The model itself: an unsynced file is lost with its name, a synced one
// whose directory was not synced loses its name, a rename is undone.
void TestPowerLossCache::modelLosesWhatWasNotSynced() {
  auto dir = test::memory_scratch_dir(QStringLiteral("power-model"));
  const fs::path root = test::path_of(*dir);
  QVERIFY(test::write_file(root / "kept.txt", "durable"));
  test::FaultInjectionEnv env(root);
  ft::UniqueFd rootfd(::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));

  // Written and named before the directory's sync below, the content never
  // synced: there, but empty.
  int fd = env.open_at(rootfd.get(), "unsynced.txt", O_WRONLY | O_CREAT | O_EXCL, 0644);
  QVERIFY(fd >= 0);
  QCOMPARE(env.write(fd, "abc", 3), ssize_t(3));
  ::close(fd);
  // Content and directory synced, then unlinked without a sync: back.
  fd = env.open_at(rootfd.get(), "unnamed.txt", O_WRONLY | O_CREAT | O_EXCL, 0644);
  QVERIFY(fd >= 0);
  QCOMPARE(env.write(fd, "xyz", 3), ssize_t(3));
  QCOMPARE(env.sync(fd), 0);
  ::close(fd);
  QCOMPARE(env.sync(rootfd.get()), 0);
  QVERIFY(::unlinkat(rootfd.get(), "unnamed.txt", 0) == 0);
  // Content synced, but not the directory: gone.
  fd = env.open_at(rootfd.get(), "late.txt", O_WRONLY | O_CREAT | O_EXCL, 0644);
  QCOMPARE(env.write(fd, "late", 4), ssize_t(4));
  QCOMPARE(env.sync(fd), 0);
  ::close(fd);
  // A rename of a durable file, never synced: undone.
  QCOMPARE(env.rename_at(rootfd.get(), "kept.txt", rootfd.get(), "moved.txt"), 0);
  env.crash_at(env.steps());
  QCOMPARE(env.unlink_at(rootfd.get(), "moved.txt", 0), -EIO);
  QVERIFY(fs::exists(root / "moved.txt"));  // the lost call did nothing
  QVERIFY(!env.powered());
  QCOMPARE(env.sync(rootfd.get()), -EIO);

  env.lose_power();
  QCOMPARE(test::read_file(root / "kept.txt"), std::string("durable"));
  QVERIFY(!fs::exists(root / "moved.txt"));
  QVERIFY(!fs::exists(root / "late.txt"));
  QVERIFY(fs::exists(root / "unsynced.txt"));
  QCOMPARE(fs::file_size(root / "unsynced.txt"), std::uintmax_t(0));
  QVERIFY(fs::exists(root / "unnamed.txt"));
  QCOMPARE(test::read_file(root / "unnamed.txt"), std::string("xyz"));
}

void TestPowerLossCache::everyStep_data() {
  QTest::addColumn<Scenario>("scenario");
  QTest::newRow("fresh cache, first write") << Scenario::FreshWrite;
  QTest::newRow("replace a cached version") << Scenario::Replace;
  QTest::newRow("write making directories") << Scenario::NewDirectory;
  QTest::newRow("add_file links the caller's file in") << Scenario::LinkIn;
  QTest::newRow("replace, no O_TMPFILE (named temp)") << Scenario::NamedTemp;
  QTest::newRow("replace, unnamed file not linkable (copy)") << Scenario::CopyFallback;
  QTest::newRow("AtomicFile by path, new parents") << Scenario::AtomicPath;
}

void TestPowerLossCache::everyStep() {
  QFETCH(Scenario, scenario);
  ft::set_unnamed_files_enabled(scenario != Scenario::NamedTemp);
  // Count the steps of the whole write, then cut the power at each in turn
  // (and once after the last: nothing lost may undo an acknowledged write).
  std::size_t total = 0;
  {
    auto dir = test::memory_scratch_dir(QStringLiteral("power-count"));
    set_up(scenario, test::path_of(*dir));
    test::FaultInjectionEnv env(test::path_of(*dir));
    env.set_refuse_unnamed_links(scenario == Scenario::CopyFallback);
    QVERIFY(run(scenario, test::path_of(*dir), &env));
    total = env.steps();
  }
  QVERIFY(total > 5);
  for (std::size_t crash = 0; crash <= total; ++crash) {
    auto dir = test::memory_scratch_dir(QStringLiteral("power"));
    const fs::path root = test::path_of(*dir);
    set_up(scenario, root);
    test::FaultInjectionEnv env(root);
    env.set_refuse_unnamed_links(scenario == Scenario::CopyFallback);
    env.crash_at(crash);
    const bool acknowledged = run(scenario, root, &env);
    const QString journal = journal_text(env);
    env.lose_power();

    QString problem;
    const auto state = observe(scenario, root, &problem);
    const auto expected = allowed(scenario, acknowledged);
    bool ok = false;
    for (const auto& e : expected) ok = ok || same(state, e);
    const QString where = QStringLiteral("power lost at step %1 of %2 (%3), found %4; the steps:\n%5")
                              .arg(crash)
                              .arg(total)
                              .arg(acknowledged ? "write acknowledged" : "write failed")
                              .arg(describe(state), journal);
    QVERIFY2(problem.isEmpty(), qPrintable(problem + "\n" + where));
    QVERIFY2(ok, qPrintable(where));
    if (scenario != Scenario::FreshWrite && scenario != Scenario::AtomicPath) {
      ft::LocalDataStore store(root / "cache");
      std::string versioned;
      QCOMPARE(test::read(store, "/a/neighbour.txt", &versioned), kNeighbour);
      QCOMPARE(versioned, std::string("/a/neighbour.txt@50"));
    }
  }
}

QTEST_GUILESS_MAIN(TestPowerLossCache)
#include "test_power_loss_cache.moc"
