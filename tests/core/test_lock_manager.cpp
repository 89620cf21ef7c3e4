// FlockLockManager between real separate processes (fork), and NoOpLockManager.
#include <QtTest>

#include <atomic>
#include <thread>

#include "errors.hpp"
#include "filetracker/lock_manager.hpp"
#include "forked_child.hpp"
#include "temp_dirs.hpp"

namespace fs = std::filesystem;
using test::Child;

namespace {

enum Mode { Shared = 0, Exclusive = 1 };

// A contender is blocked when it has not got the lock after this long; an
// uncontended lock takes microseconds.
constexpr int kBlockedMs = 400;
constexpr int kPromptMs = 10000;

void take(ft::Lock& lock, int mode) {
  if (mode == Exclusive) {
    lock.lock_exclusive();
  } else {
    lock.lock_shared();
  }
}

// A process that takes `name`'s lock in `mode`, reports 'L', waits for 'R',
// unlocks, reports 'U' and exits. With `wait_for_go`, it first waits for 'G'.
// (A child forked while the parent holds an open lock shares that open file
// description, hence that lock, until it exits: tests that release a lock by
// closing it fork the contender before opening the lock.)
std::unique_ptr<Child> lock_holder(const fs::path& locks, const std::string& name, int mode,
                                   bool wait_for_go = false) {
  return std::make_unique<Child>([=](int in, int out) {
    if (wait_for_go) Child::get(in);
    ft::FlockLockManager manager(locks);
    auto lock = manager.lock_for(name);
    take(*lock, mode);
    Child::put(out, 'L');
    Child::get(in);
    lock->unlock();
    Child::put(out, 'U');
    Child::get(in);
    lock->close();
  });
}

}  // namespace

class TestLockManager : public QObject {
  Q_OBJECT

 private slots:
  void exclusion_data() {
    QTest::addColumn<int>("holder");
    QTest::addColumn<int>("contender");
    QTest::addColumn<bool>("blocked");
    QTest::newRow("exclusive excludes shared") << int(Exclusive) << int(Shared) << true;
    QTest::newRow("exclusive excludes exclusive") << int(Exclusive) << int(Exclusive) << true;
    QTest::newRow("shared excludes exclusive") << int(Shared) << int(Exclusive) << true;
    QTest::newRow("shared admits shared") << int(Shared) << int(Shared) << false;
  }
  void exclusion() {
    QFETCH(int, holder);
    QFETCH(int, contender);
    QFETCH(bool, blocked);
    auto dir = test::scratch_dir();
    const fs::path locks = test::path_of(*dir) / "locks";
    auto a = lock_holder(locks, "/tests/x.in", holder);
    QCOMPARE(a->receive(kPromptMs), std::optional<char>('L'));
    // The contender uses a versioned name: all versions share one lock.
    auto b = lock_holder(locks, "/tests/x.in@123", contender);
    if (blocked) {
      QCOMPARE(b->receive(kBlockedMs), std::optional<char>());
      a->send('R');  // the holder lets go...
      QCOMPARE(a->receive(kPromptMs), std::optional<char>('U'));
      QCOMPARE(b->receive(kPromptMs), std::optional<char>('L'));  // ...and the contender gets it
    } else {
      QCOMPARE(b->receive(kPromptMs), std::optional<char>('L'));  // while the holder still holds
      a->send('R');
      QCOMPARE(a->receive(kPromptMs), std::optional<char>('U'));
    }
    b->send('R');
    QCOMPARE(b->receive(kPromptMs), std::optional<char>('U'));
    a->send('X');
    b->send('X');
    QCOMPARE(a->wait(), 0);
    QCOMPARE(b->wait(), 0);
  }

  void differentNamesDoNotInteract() {
    auto dir = test::scratch_dir();
    const fs::path locks = test::path_of(*dir) / "locks";
    auto a = lock_holder(locks, "/a", Exclusive);
    QCOMPARE(a->receive(kPromptMs), std::optional<char>('L'));
    auto b = lock_holder(locks, "/b", Exclusive);
    QCOMPARE(b->receive(kPromptMs), std::optional<char>('L'));
  }

  void tryLockDoesNotBlock() {
    auto dir = test::scratch_dir();
    const fs::path locks = test::path_of(*dir) / "locks";
    auto a = lock_holder(locks, "/f", Shared);
    QCOMPARE(a->receive(kPromptMs), std::optional<char>('L'));
    ft::FlockLockManager manager(locks);
    auto lock = manager.lock_for("/f");
    QVERIFY(!lock->try_lock_exclusive());
    a->send('R');
    QCOMPARE(a->receive(kPromptMs), std::optional<char>('U'));
    QVERIFY(lock->try_lock_exclusive());
  }

  void downgradeAdmitsReaders() {
    auto dir = test::scratch_dir();
    const fs::path locks = test::path_of(*dir) / "locks";
    ft::FlockLockManager manager(locks);
    auto lock = manager.lock_for("/f");
    lock->lock_exclusive();
    auto reader = lock_holder(locks, "/f", Shared);
    QCOMPARE(reader->receive(kBlockedMs), std::optional<char>());
    lock->lock_shared();  // downgrade
    QCOMPARE(reader->receive(kPromptMs), std::optional<char>('L'));
    reader->send('R');
    QCOMPARE(reader->receive(kPromptMs), std::optional<char>('U'));
  }

  void upgradeExcludesReaders() {
    auto dir = test::scratch_dir();
    const fs::path locks = test::path_of(*dir) / "locks";
    ft::FlockLockManager manager(locks);
    auto lock = manager.lock_for("/f");
    lock->lock_shared();
    lock->lock_exclusive();  // upgrade
    auto reader = lock_holder(locks, "/f", Shared);
    QCOMPARE(reader->receive(kBlockedMs), std::optional<char>());
    lock->unlock();
    QCOMPARE(reader->receive(kPromptMs), std::optional<char>('L'));
    reader->send('R');
    QCOMPARE(reader->receive(kPromptMs), std::optional<char>('U'));
  }

  void closeReleases() {
    auto dir = test::scratch_dir();
    const fs::path locks = test::path_of(*dir) / "locks";
    auto other = lock_holder(locks, "/f", Exclusive, true);
    ft::FlockLockManager manager(locks);
    auto lock = manager.lock_for("/f");
    lock->lock_exclusive();
    other->send('G');
    QCOMPARE(other->receive(kBlockedMs), std::optional<char>());
    lock->close();
    lock->close();  // twice is fine
    QCOMPARE(other->receive(kPromptMs), std::optional<char>('L'));
    QVERIFY(test::error_of([&] { lock->lock_shared(); }));  // unusable after close
  }

  void lockFileLayout() {
    auto dir = test::scratch_dir();
    const fs::path locks = test::path_of(*dir) / "locks";
    ft::FlockLockManager manager(locks);
    QVERIFY(fs::exists(locks / "tree.lock"));
    {
      auto lock = manager.lock_for("/a/b/c.txt@5");
      lock->lock_shared();
      QVERIFY(fs::is_regular_file(locks / "a" / "b" / "c.txt"));  // <locks>/<name>, no version
      lock->close(true);  // delete the lock file and empty directories
    }
    QVERIFY(!fs::exists(locks / "a"));
    QVERIFY(fs::exists(locks / "tree.lock"));
    {
      auto keep = manager.lock_for("/a/keep");
      auto gone = manager.lock_for("/a/gone");
      gone->lock_exclusive();
      gone->close(true);
      QVERIFY(fs::exists(locks / "a" / "keep"));  // a non-empty directory stays
      QVERIFY(!fs::exists(locks / "a" / "gone"));
    }
  }

  void deletedWhileWaiting() {
    // A waits for the lock while its holder deletes the lock file. A must not
    // end up "holding" a lock on the deleted file: a third process taking the
    // lock of the same name afterwards must still be excluded by A.
    auto dir = test::scratch_dir();
    const fs::path locks = test::path_of(*dir) / "locks";
    auto waiter = lock_holder(locks, "/f", Exclusive, true);
    ft::FlockLockManager manager(locks);
    auto lock = manager.lock_for("/f");
    lock->lock_exclusive();
    waiter->send('G');
    QCOMPARE(waiter->receive(kBlockedMs), std::optional<char>());
    lock->close(true);  // deletes the lock file while the waiter waits on it
    QCOMPARE(waiter->receive(kPromptMs), std::optional<char>('L'));
    ft::FlockLockManager other(locks);
    auto third = other.lock_for("/f");
    QVERIFY(!third->try_lock_exclusive());
    waiter->send('R');
    QCOMPARE(waiter->receive(kPromptMs), std::optional<char>('U'));
    QVERIFY(third->try_lock_exclusive());
  }

  void threadsExcludeEachOtherDespiteDeletes() {
    // Threads of one process, each with its own lock objects (own open
    // files), under churn: some close with delete_lock_file, so lock files and
    // their directories keep disappearing and being recreated.
    auto dir = test::scratch_dir();
    ft::FlockLockManager manager(test::path_of(*dir) / "locks");
    std::atomic<int> inside{0};
    std::atomic<int> overlaps{0};
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < 150; ++i) {
          try {
            auto lock = manager.lock_for("/deep/dir/name@" + std::to_string(i));
            lock->lock_exclusive();
            if (inside.fetch_add(1) != 0) ++overlaps;
            std::this_thread::yield();
            inside.fetch_sub(1);
            lock->close((i + t) % 3 == 0);
          } catch (const std::exception&) {
            ++failures;
          }
        }
      });
    }
    for (auto& th : threads) th.join();
    QCOMPARE(overlaps.load(), 0);
    QCOMPARE(failures.load(), 0);
  }

  void invalidNames() {
    auto dir = test::scratch_dir();
    ft::FlockLockManager manager(test::path_of(*dir));
    ft::NoOpLockManager noop;
    for (const char* bad : {"relative", "/a/../b", "/a@x"}) {
      auto e = test::error_of([&] { manager.lock_for(bad); });
      QVERIFY(e);
      QCOMPARE(e->code(), ft::ErrorCode::InvalidArgument);
      QVERIFY(test::error_of([&] { noop.lock_for(bad); }));
    }
  }

  void noOpLocksNeverBlock() {
    ft::NoOpLockManager noop;
    auto a = noop.lock_for("/f");
    auto b = noop.lock_for("/f");
    a->lock_exclusive();
    b->lock_exclusive();
    QVERIFY(b->try_lock_exclusive());
    a->lock_shared();
    a->unlock();
    a->close(true);
  }
};

QTEST_GUILESS_MAIN(TestLockManager)
#include "test_lock_manager.moc"
