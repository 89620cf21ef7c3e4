// AtomicFile: temp file in the destination's directory, fsync, rename.
#include <QScopeGuard>
#include <QtTest>

#include "errors.hpp"
#include "files.hpp"
#include "filetracker/atomic_file.hpp"
#include "filetracker/confined_dir.hpp"
#include "forked_child.hpp"
#include "temp_dirs.hpp"

namespace fs = std::filesystem;

class TestAtomicFile : public QObject {
  Q_OBJECT

 private slots:
  void commitWritesContentAndVersion() {
    auto dir = test::scratch_dir();
    const fs::path dest = test::path_of(*dir) / "a" / "b" / "file.txt";  // parents are created
    {
      ft::AtomicFile f(dest);
      // An unnamed temp file: nothing in the directory at all until commit.
      QVERIFY(f.unnamed());
      QVERIFY(f.temp_path().empty());
      f.write("hello ");
      f.write(std::string_view("world"));
      QVERIFY(test::entries(dest.parent_path()).isEmpty());
      f.commit(1420070410);
    }
    QCOMPARE(test::read_file(dest), std::string("hello world"));
    QCOMPARE(test::mtime_of(dest), 1420070410LL);
    QCOMPARE(test::entries(dest.parent_path()), QStringList{"file.txt"});
  }

  void namedTempFileWithoutOTmpfile() {
    // As on a file system without O_TMPFILE: a named temp file beside the
    // destination, renamed over it.
    ft::set_unnamed_files_enabled(false);
    auto restore = qScopeGuard([] { ft::set_unnamed_files_enabled(true); });
    auto dir = test::scratch_dir();
    const fs::path dest = test::path_of(*dir) / "file.txt";
    test::write_file(dest, "old");
    {
      ft::AtomicFile f(dest);
      QVERIFY(!f.unnamed());
      QCOMPARE(f.temp_path().parent_path(), dest.parent_path());
      QVERIFY(ft::is_temp_name(f.temp_path().filename().string()));
      f.write("new");
      QCOMPARE(test::entries(dest.parent_path()).size(), qsizetype(2));
      f.commit(1000);
    }
    QCOMPARE(test::read_file(dest), std::string("new"));
    QCOMPARE(test::entries(dest.parent_path()), QStringList{"file.txt"});
    {
      ft::AtomicFile f(dest);
      f.write("partial");
    }
    QCOMPARE(test::entries(dest.parent_path()), QStringList{"file.txt"});
  }

  void killedWriterLeavesNoTempFile() {
    // SIGKILL in the middle of a write: an unnamed temp file vanishes with
    // the process (a named one would stay behind for ever).
    auto dir = test::scratch_dir();
    const fs::path dest = test::path_of(*dir) / "out.bin";
    test::Child child([&](int, int out) {
      ft::AtomicFile f(dest);
      f.write(std::string(1 << 20, 'x'));
      test::Child::put(out, 'W');
      ::pause();
    });
    QCOMPARE(child.receive(10000), std::optional<char>('W'));
    child.kill9();
    QCOMPARE(child.wait(), -1);
    QVERIFY(test::entries(test::path_of(*dir)).isEmpty());
  }

  void replacingKeepsTheDestinationAtomicUnnamed() {
    auto dir = test::scratch_dir();
    const fs::path dest = test::path_of(*dir) / "f";
    test::write_file(dest, "old");
    const auto old_inode = test::inode_of(dest);
    ft::AtomicFile f(dest);
    f.write("new");
    QCOMPARE(test::read_file(dest), std::string("old"));
    f.commit();
    QCOMPARE(test::read_file(dest), std::string("new"));
    QVERIFY(test::inode_of(dest) != old_inode);
    QCOMPARE(test::entries(test::path_of(*dir)), QStringList{"f"});
  }

  void replaceKeepsOldUntilCommit() {
    auto dir = test::scratch_dir();
    const fs::path dest = test::path_of(*dir) / "f";
    test::write_file(dest, "old");
    ft::AtomicFile f(dest);
    f.write("new content");
    QCOMPARE(test::read_file(dest), std::string("old"));
    f.commit();
    QCOMPARE(test::read_file(dest), std::string("new content"));
  }

  void abandonedWriteLeavesNothing() {
    auto dir = test::scratch_dir();
    const fs::path dest = test::path_of(*dir) / "f";
    test::write_file(dest, "old");
    {
      ft::AtomicFile f(dest);
      f.write("partial");
      // destroyed without commit (an exception unwinding, say)
    }
    QCOMPARE(test::read_file(dest), std::string("old"));
    QCOMPARE(test::entries(test::path_of(*dir)), QStringList{"f"});
    {
      ft::AtomicFile f(dest);
      f.write("x");
      f.abort();
      QVERIFY(test::error_of([&] { f.write("more"); }));
    }
    QCOMPARE(test::entries(test::path_of(*dir)), QStringList{"f"});
  }

  void commitOntoDirectoryFails() {
    auto dir = test::scratch_dir();
    const fs::path dest = test::path_of(*dir) / "d";
    fs::create_directories(dest / "inner");
    {
      ft::AtomicFile f(dest);
      f.write("x");
      const auto e = test::error_of([&] { f.commit(); });
      QVERIFY(e);
      QCOMPARE(e->code(), ft::ErrorCode::Io);
      QVERIFY(std::string(e->what()).find(dest.string()) != std::string::npos);
    }
    QVERIFY(fs::is_directory(dest / "inner"));
    QCOMPARE(test::entries(test::path_of(*dir)), QStringList{"d"});
  }

  void unwritableDirectoryFails() {
    if (::geteuid() == 0) QSKIP("root ignores directory permissions");
    auto dir = test::scratch_dir();
    const fs::path ro = test::path_of(*dir) / "ro";
    fs::create_directories(ro);
    fs::permissions(ro, fs::perms::owner_read | fs::perms::owner_exec);
    const auto e = test::error_of([&] { ft::AtomicFile f(ro / "x"); });
    fs::permissions(ro, fs::perms::owner_all);
    QVERIFY(e);
    QCOMPARE(e->code(), ft::ErrorCode::Io);
  }

  void tempNames_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("temp");
    QTest::newRow("ours") << ".file.txt.tmp.abc123" << true;
    QTest::newRow("plain") << "file.txt" << false;
    QTest::newRow("hidden") << ".hidden" << false;
    QTest::newRow("tmp without dot prefix") << "file.tmp.abc" << false;
  }
  void tempNames() {
    QFETCH(QString, name);
    QFETCH(bool, temp);
    QCOMPARE(ft::is_temp_name(name.toStdString()), temp);
  }

  void setMtime() {
    auto dir = test::scratch_dir();
    const fs::path f = test::path_of(*dir) / "f";
    test::write_file(f, "x");
    ft::set_mtime(f, 1000);
    QCOMPARE(test::mtime_of(f), 1000LL);
    QVERIFY(test::error_of([&] { ft::set_mtime(test::path_of(*dir) / "missing", 1); }));
  }
};

QTEST_GUILESS_MAIN(TestAtomicFile)
#include "test_atomic_file.moc"
