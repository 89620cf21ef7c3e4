// The sync planner shared by `filetracker sync` and the GUI's compare view
// (filetracker/sync_plan.hpp), on real folders: pairing and the statuses
// (a plain server's entry without size or checksum is decided by content,
// never by its listed size 0), the plan of each direction with and without
// deleting extras, upload versions newer than the one replaced, cancelling,
// and removing only the folders that deletions emptied (never the root,
// never through a symbolic link, never a folder that still holds anything),
// and the check that keeps a download from writing through a planted link.
#include <QtTest>

#include <filesystem>
#include <fstream>

#include "filetracker/checksum.hpp"
#include "filetracker/error.hpp"
#include "filetracker/sync_plan.hpp"
#include "temp_dirs.hpp"

namespace fs = std::filesystem;
using namespace ft;

namespace {

void write(const fs::path& path, const std::string& content) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << content;
}

RemoteEntry entry(const std::string& name, const std::string& content, Version version = 100) {
  return RemoteEntry{name, version, content.size(), sha256_hex(content)};
}

SyncStatus statusOf(const std::vector<SyncItem>& items, const std::string& relative) {
  for (const auto& i : items)
    if (i.relative == relative) return i.status;
  throw std::runtime_error("no item " + relative);
}

std::vector<std::string> relatives(const std::vector<SyncAction>& actions) {
  std::vector<std::string> r;
  for (const auto& a : actions) r.push_back(a.item.relative);
  return r;
}

}  // namespace

class TestSyncPlan : public QObject {
  Q_OBJECT

 private slots:
  void init() {
    tmp_ = std::make_unique<QTemporaryDir>(test::tempTemplate("sync-plan"));
    QVERIFY(tmp_->isValid());
    root_ = fs::path(tmp_->path().toStdString()) / "local";
    write(root_ / "same.txt", "same");
    write(root_ / "changed.txt", "AAAA");  // same size as the remote "aaaa"
    write(root_ / "grown.txt", "longer now");
    write(root_ / "sub/new.txt", "new");
  }

  void statusesByContent() {
    const auto local = scan_sync_folder(root_);
    QCOMPARE(local.size(), std::size_t(4));
    const std::vector<RemoteEntry> remote{entry("/r/same.txt", "same"), entry("/r/changed.txt", "aaaa"),
                                          entry("/r/grown.txt", "short"), entry("/r/gone.txt", "x"),
                                          entry("/other/same.txt", "not below /r")};
    int hashedRemote = 0;
    SyncCompareHooks hooks;
    hooks.remote_sha256 = [&](const RemoteEntry&) { return ++hashedRemote, std::string(); };
    const auto items = compare_sync(local, remote, "/r", hooks);
    QCOMPARE(items.size(), std::size_t(5));
    QCOMPARE(statusOf(items, "same.txt"), SyncStatus::Same);
    QCOMPARE(statusOf(items, "changed.txt"), SyncStatus::Differs);
    QCOMPARE(statusOf(items, "grown.txt"), SyncStatus::Differs);
    QCOMPARE(statusOf(items, "gone.txt"), SyncStatus::OnlyRemote);
    QCOMPARE(statusOf(items, "sub/new.txt"), SyncStatus::OnlyLocal);
    QCOMPARE(hashedRemote, 0);  // every entry had its checksum
  }

  // A plain server that said neither size nor checksum lists size 0: the
  // content is read (through the hook) and decides, the same file is Same.
  void plainServerEntryIsComparedByContent() {
    const auto local = scan_sync_folder(root_);
    std::vector<RemoteEntry> remote{{"/r/same.txt", 100, 0, ""}, {"/r/changed.txt", 100, 0, ""}};
    std::vector<std::string> read;
    SyncCompareHooks hooks;
    hooks.remote_sha256 = [&](const RemoteEntry& e) {
      read.push_back(e.name);
      return sha256_hex(e.name == "/r/same.txt" ? "same" : "aaaa");
    };
    const auto items = compare_sync(local, remote, "/r", hooks);
    QCOMPARE(statusOf(items, "same.txt"), SyncStatus::Same);
    QCOMPARE(statusOf(items, "changed.txt"), SyncStatus::Differs);
    QCOMPARE(read.size(), std::size_t(2));
    // Without a way to read it: a clear error, not a guess.
    QVERIFY_THROWS_EXCEPTION(Error, compare_sync(local, remote, "/r", {}));
  }

  void plansPerDirection() {
    const auto local = scan_sync_folder(root_);
    const std::vector<RemoteEntry> remote{entry("/r/same.txt", "same"), entry("/r/changed.txt", "aaaa", 5000),
                                          entry("/r/gone.txt", "x")};
    const auto items = compare_sync(local, remote, "/r", {});

    const SyncPlan up = plan_sync(items, SyncDirection::Upload, false);
    QCOMPARE(relatives(up.copies), (std::vector<std::string>{"changed.txt", "grown.txt", "sub/new.txt"}));
    QCOMPARE(up.added(), std::size_t(2));
    QCOMPARE(up.updated(), std::size_t(1));
    QVERIFY(up.deletions.empty());
    QCOMPARE(up.extras_kept, std::size_t(1));
    QCOMPARE(up.same, std::size_t(1));
    // Newer than the stored version even when that is ahead of the clock.
    QCOMPARE(sync_upload_version(up.copies[0], 1000), Version(5001));
    QCOMPARE(sync_upload_version(up.copies[1], 1000), Version(1000));

    const SyncPlan upDelete = plan_sync(items, SyncDirection::Upload, true);
    QCOMPARE(relatives(upDelete.deletions), std::vector<std::string>{"gone.txt"});
    QCOMPARE(upDelete.extras_kept, std::size_t(0));

    const SyncPlan down = plan_sync(items, SyncDirection::Download, true);
    QCOMPARE(relatives(down.copies), (std::vector<std::string>{"changed.txt", "gone.txt"}));
    QCOMPARE(relatives(down.deletions), (std::vector<std::string>{"grown.txt", "sub/new.txt"}));
    QVERIFY(!down.empty());

    // Unsettled items cannot be planned.
    QVERIFY_THROWS_EXCEPTION(Error, plan_sync(pair_sync_sides(local, remote, "/r"), SyncDirection::Upload, false));
  }

  void cancelStopsBeforeHashing() {
    const auto local = scan_sync_folder(root_);
    SyncCompareHooks hooks;
    hooks.cancelled = [] { return true; };
    try {
      compare_sync(local, {entry("/r/same.txt", "same")}, "/r", hooks);
      QFAIL("not cancelled");
    } catch (const Error& e) {
      QCOMPARE(e.code(), ErrorCode::Cancelled);
    }
    // The scan of a big folder stops too.
    int asked = 0;
    try {
      scan_sync_folder(root_, {}, [&] { return ++asked > 2; });
      QFAIL("scan not cancelled");
    } catch (const Error& e) {
      QCOMPARE(e.code(), ErrorCode::Cancelled);
    }
    QCOMPARE(asked, 3);
    // Reporting hashes call back per chunk, and a throw there stops it.
    write(root_ / "big.bin", std::string(1 << 20, 'x'));
    std::uint64_t seen = 0;
    QCOMPARE(sha256_file_reporting(root_ / "big.bin", [&](std::uint64_t n) { seen += n; }),
             sha256_hex(std::string(1 << 20, 'x')));
    QCOMPARE(seen, std::uint64_t(1 << 20));
    QVERIFY_THROWS_EXCEPTION(Error, sha256_file_reporting(root_ / "big.bin", [](std::uint64_t) {
      throw Error(ErrorCode::Cancelled, "cancelled");
    }));
  }

  void skipsSpecialFiles() {
    fs::create_symlink(root_ / "same.txt", root_ / "link.txt");
    std::vector<fs::path> skipped;
    const auto local = scan_sync_folder(root_, [&](const fs::path& p) { skipped.push_back(p); });
    QVERIFY(!local.count("link.txt"));
    QCOMPARE(skipped, std::vector<fs::path>{root_ / "link.txt"});
  }

  // A download never writes through a planted link, onto a folder, or below a file.
  void downloadTargetsAreChecked() {
    fs::create_directories(root_ / "../elsewhere");
    fs::create_directory_symlink(root_ / "../elsewhere", root_ / "planted");
    check_sync_target(root_, root_ / "sub/new.txt");       // an existing file: replaced atomically
    check_sync_target(root_, root_ / "fresh/deep/x.txt");  // nothing there yet
    QVERIFY_THROWS_EXCEPTION(Error, check_sync_target(root_, root_ / "planted/x.txt"));
    QVERIFY_THROWS_EXCEPTION(Error, check_sync_target(root_, root_ / "sub"));
    QVERIFY_THROWS_EXCEPTION(Error, check_sync_target(root_, root_ / "same.txt/x.txt"));
  }

  void removesOnlyEmptiedFolders() {
    write(root_ / "a/b/c/extra.txt", "x");
    write(root_ / "keep/one.txt", "x");
    write(root_ / "keep/deep/two.txt", "x");
    fs::create_directories(root_ / "elsewhere/inner");
    fs::create_directory_symlink(root_ / "elsewhere", root_ / "linked");
    fs::remove(root_ / "a/b/c/extra.txt");
    fs::remove(root_ / "keep/deep/two.txt");
    fs::remove(root_ / "same.txt");
    const auto removed = remove_emptied_directories(
        root_, {root_ / "a/b/c/extra.txt", root_ / "keep/deep/two.txt", root_ / "same.txt",
                root_ / "linked/inner/x.txt", root_ / "../outside/x.txt"});
    QVERIFY(!fs::exists(root_ / "a"));
    QVERIFY(!fs::exists(root_ / "keep/deep"));
    QVERIFY(fs::is_directory(root_ / "keep"));  // still holds one.txt
    QVERIFY(fs::is_directory(root_));
    QVERIFY(fs::is_directory(root_ / "elsewhere/inner"));  // not through the link
    QCOMPARE(removed.size(), std::size_t(4));  // a/b/c, a/b, a, keep/deep
  }

 private:
  std::unique_ptr<QTemporaryDir> tmp_;
  fs::path root_;
};

QTEST_MAIN(TestSyncPlan)
#include "test_sync_plan.moc"
