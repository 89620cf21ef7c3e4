// The real main window against the real filetracker-server on loopback:
// upload by a simulated drop, folder upload, download, open into the cache,
// delete, overwrite prompt, cancel half-way, retry after a server restart,
// cache clean-up, the filter, drag out, the plain-v2 fallback and the local
// stand-alone store.
#include <QAbstractItemModelTester>
#include <QApplication>
#include <QClipboard>
#include <QDir>
#include <QDropEvent>
#include <QFileInfo>
#include <QLineEdit>
#include <QMimeData>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStatusBar>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>

#include <sys/stat.h>

#include <sstream>

#include "content.hpp"
#include "files.hpp"
#include "filetracker/cache_pruner.hpp"
#include "filetracker/checksum.hpp"
#include "filetracker/local_data_store.hpp"
#include "filetracker/remote_data_store.hpp"
#include "i18n/translations.hpp"
#include "settings_isolation.hpp"
#include "temp_dirs.hpp"
#include "holding_proxy.hpp"
#include "test_server.hpp"
#include "widgets/cache_view.hpp"
#include "widgets/drop_views.hpp"
#include "widgets/main_window.hpp"
#include "widgets/properties_dialog.hpp"
#include "widgets/transfers_dock.hpp"

using namespace ft::ui;

namespace {

void sendDrop(QWidget* viewport, const QPoint& pos, const QStringList& localPaths) {
  QMimeData mime;
  QList<QUrl> urls;
  for (const QString& p : localPaths) urls << QUrl::fromLocalFile(p);
  mime.setUrls(urls);
  QDragEnterEvent enter(pos, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
  QCoreApplication::sendEvent(viewport, &enter);
  QVERIFY(enter.isAccepted());
  QDragMoveEvent move(pos, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
  QCoreApplication::sendEvent(viewport, &move);
  QDropEvent drop(QPointF(pos), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
  QCoreApplication::sendEvent(viewport, &drop);
  QVERIFY(drop.isAccepted());
}

}  // namespace

class TestUiMainWindow : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase();
  void init();
  void cleanup();
  void modelsPassTester();
  void uploadByDropOnTable();
  void uploadByDropOnTreeDirectory();
  void uploadFolderRecursively();
  void overwritePrompt_data();
  void overwritePrompt();
  void downloadSelected();
  void openIntoCache();
  void openGivesPrivateCopy_data();
  void openGivesPrivateCopy();
  void openWithoutTempFolderFailsCleanly();
  void dragOutFetchesIntoCache_data();
  void dragOutFetchesIntoCache();
  void deleteWithConfirmation();
  void filterBox();
  void cancelTransferHalfWay();
  void retryAfterServerRestart();
  void cacheViewCleanUp();
  void plainServerFallback();
  void plainServerSortFetchesAllMetadata();
  void localStoreMode();

 private:
  void openServer(const QString& url);
  void waitForDirectory(const QString& dir);
  void selectNames(const QStringList& names);
  QStringList tableNames() const;
  std::unique_ptr<ft::DataStore> curl() const { return ft::make_remote_data_store(server_->url().toStdString()); }
  QString local(const QString& relative) const { return work_->filePath(relative); }

  std::unique_ptr<QTemporaryDir> work_;
  std::unique_ptr<TestServer> server_;
  std::unique_ptr<MainWindow> window_;
  QStringList opened_;
};

void TestUiMainWindow::initTestCase() {
  work_ = std::make_unique<QTemporaryDir>(test::tempTemplate(QStringLiteral("ft-ui-window")));
  QVERIFY(work_->isValid());
  test::isolateSettings(work_->filePath(QStringLiteral("settings")));
  QCOMPARE(installTranslations(QLocale(QLocale::English, QLocale::UnitedStates)), QStringLiteral("en"));
}

void TestUiMainWindow::init() {
  // A fresh server and cache for every test: tests do not see each other's files.
  server_ = std::make_unique<TestServer>();
  QVERIFY2(server_->start(), "the real filetracker-server must start");
  window_ = std::make_unique<MainWindow>();
  window_->show();
  opened_.clear();
  window_->session()->setUrlOpener([this](const QUrl& url) {
    opened_ << url.toLocalFile();
    return true;
  });
  window_->setConflictResolver([](const ConflictDetails&) { return ConflictChoice::Overwrite; });
  window_->setDeleteConfirmer([](const QStringList&) { return true; });
  openServer(server_->url());
}

void TestUiMainWindow::cleanup() {
  if (window_) window_->session()->transfers()->cancelAll();
  window_.reset();
  server_.reset();
}

void TestUiMainWindow::openServer(const QString& url) {
  static int n = 0;
  ConnectionProfile profile;
  profile.name = QStringLiteral("test");
  profile.serverUrl = url;
  profile.cacheDirectory = local(QStringLiteral("cache-%1").arg(++n));
  profile.cacheLimit = 1 << 20;
  window_->openProfile(profile, false);
  QTRY_VERIFY(window_->session()->isReady());
  waitForDirectory(QStringLiteral("/"));
}

void TestUiMainWindow::waitForDirectory(const QString& dir) {
  QTRY_VERIFY(!window_->browser()->isLoading() && window_->browser()->fileModel()->directory() == dir);
}

QStringList TestUiMainWindow::tableNames() const {
  QStringList names;
  auto* proxy = window_->browser()->proxyModel();
  // The files (subfolders have rows too, first: test_ui_folders).
  for (int r = 0; r < proxy->rowCount(); ++r) {
    if (!proxy->index(r, 0).data(FileTableModel::IsFolderRole).toBool()) {
      names << proxy->index(r, 0).data(FileTableModel::FullNameRole).toString();
    }
  }
  names.sort();
  return names;
}

void TestUiMainWindow::selectNames(const QStringList& names) {
  auto* proxy = window_->browser()->proxyModel();
  auto* selection = window_->fileView()->selectionModel();
  selection->clearSelection();
  for (int r = 0; r < proxy->rowCount(); ++r) {
    if (names.contains(proxy->index(r, 0).data(FileTableModel::FullNameRole).toString())) {
      selection->select(proxy->index(r, 0), QItemSelectionModel::Select | QItemSelectionModel::Rows);
    }
  }
  QCOMPARE(window_->selectedNames().size(), names.size());
}

void TestUiMainWindow::modelsPassTester() {
  QAbstractItemModelTester files(window_->browser()->fileModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
  QAbstractItemModelTester proxy(window_->browser()->proxyModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
  QAbstractItemModelTester tree(window_->browser()->treeModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
  QAbstractItemModelTester transfers(window_->session()->transfers()->model(),
                                     QAbstractItemModelTester::FailureReportingMode::QtTest);
  QAbstractItemModelTester cache(window_->cacheView()->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
  // Exercise them all: uploads, listings, tree expansion, cache reload.
  QVERIFY(test::writeFile(local(QStringLiteral("mt/d/x.txt")), "x"));
  QVERIFY(test::writeFile(local(QStringLiteral("mt/y.txt")), "yy"));
  QSignalSpy done(window_.get(), &MainWindow::uploadsFinished);
  window_->uploadPaths({local(QStringLiteral("mt/d")), local(QStringLiteral("mt/y.txt"))}, QStringLiteral("/"));
  QTRY_COMPARE(done.count(), 1);
  QTRY_COMPARE(tableNames(), QStringList{QStringLiteral("/y.txt")});
  QTRY_VERIFY(window_->browser()->treeModel()->indexOfPath(QStringLiteral("/d")).isValid());
  window_->browser()->openDirectory(QStringLiteral("/d"));
  waitForDirectory(QStringLiteral("/d"));
  QCOMPARE(tableNames(), QStringList{QStringLiteral("/d/x.txt")});
  window_->filterEdit()->setText(QStringLiteral("zzz"));
  QCOMPARE(window_->browser()->proxyModel()->rowCount(), 0);
  window_->filterEdit()->clear();
  window_->session()->transfers()->clearFinished();
  window_->cacheView()->reload();
  QTRY_VERIFY(!window_->cacheView()->isBusy());
}

void TestUiMainWindow::uploadByDropOnTable() {
  QVERIFY(test::writeFile(local(QStringLiteral("drop/one.txt")), "first file\n"));
  QVERIFY(test::writeFile(local(QStringLiteral("drop/two.txt")), "second file\n"));
  QSignalSpy done(window_.get(), &MainWindow::uploadsFinished);
  sendDrop(window_->fileView()->viewport(), QPoint(20, 20),
           {local(QStringLiteral("drop/one.txt")), local(QStringLiteral("drop/two.txt"))});
  QTRY_COMPARE_WITH_TIMEOUT(done.count(), 1, 30000);
  QCOMPARE(done.at(0).at(0).toInt(), 2);
  auto store = curl();
  QVERIFY(store->exists("/one.txt"));
  QVERIFY(store->exists("/two.txt"));
  std::ostringstream content;
  content << store->get_stream("/one.txt").stream->rdbuf();
  QCOMPARE(QByteArray::fromStdString(content.str()), QByteArray("first file\n"));
  // The table shows them, with sizes, after the automatic refresh.
  QTRY_COMPARE(tableNames(), (QStringList{"/one.txt", "/two.txt"}));
  QVERIFY(window_->statusText().contains(QStringLiteral("2 files")));
}

void TestUiMainWindow::uploadByDropOnTreeDirectory() {
  auto store = curl();
  std::istringstream seed("seed");
  store->add_stream("/target/dir/seed.txt", seed);
  window_->refresh();
  auto* tree = window_->treeView();
  auto* model = window_->browser()->treeModel();
  QTRY_VERIFY(model->indexOfPath(QStringLiteral("/target")).isValid());
  tree->expand(model->indexOfPath(QStringLiteral("/target")));
  QTRY_VERIFY(model->indexOfPath(QStringLiteral("/target/dir")).isValid());
  const QModelIndex dir = model->indexOfPath(QStringLiteral("/target/dir"));
  tree->scrollTo(dir);
  const QPoint pos = tree->visualRect(dir).center();
  QVERIFY(test::writeFile(local(QStringLiteral("treedrop/new.txt")), "into the tree\n"));
  QSignalSpy done(window_.get(), &MainWindow::uploadsFinished);
  sendDrop(tree->viewport(), pos, {local(QStringLiteral("treedrop/new.txt"))});
  QTRY_COMPARE_WITH_TIMEOUT(done.count(), 1, 30000);
  QVERIFY(store->exists("/target/dir/new.txt"));
}

void TestUiMainWindow::uploadFolderRecursively() {
  QVERIFY(test::writeFile(local(QStringLiteral("folder/top.txt")), "top"));
  QVERIFY(test::writeFile(local(QStringLiteral("folder/sub/a.txt")), "a"));
  QVERIFY(test::writeFile(local(QStringLiteral("folder/sub/deeper/b.bin")), test::randomBytes(200000)));
  QSignalSpy done(window_.get(), &MainWindow::uploadsFinished);
  window_->uploadPaths({local(QStringLiteral("folder"))}, QStringLiteral("/up"));
  QTRY_COMPARE_WITH_TIMEOUT(done.count(), 1, 30000);
  QCOMPARE(done.at(0).at(0).toInt(), 3);
  QStringList names;
  for (const ft::FileInfo& f : curl()->list_files()) names << QString::fromStdString(ft::split_name(f.name).name);
  names.sort();
  QCOMPARE(names, (QStringList{"/up/folder/sub/a.txt", "/up/folder/sub/deeper/b.bin", "/up/folder/top.txt"}));
  QCOMPARE(qint64(curl()->file_size("/up/folder/sub/deeper/b.bin")), 200000);
}

void TestUiMainWindow::overwritePrompt_data() {
  QTest::addColumn<int>("choice");
  QTest::addColumn<QByteArray>("expected");
  QTest::addColumn<int>("uploaded");
  QTest::newRow("overwrite all") << int(ConflictChoice::OverwriteAll) << QByteArray("new") << 2;
  QTest::newRow("skip all") << int(ConflictChoice::SkipAll) << QByteArray("old") << 0;
  QTest::newRow("skip one by one") << int(ConflictChoice::Skip) << QByteArray("old") << 0;
}

void TestUiMainWindow::overwritePrompt() {
  QFETCH(int, choice);
  QFETCH(QByteArray, expected);
  QFETCH(int, uploaded);
  auto store = curl();
  for (const char* n : {"/ow/a.txt@100", "/ow/b.txt@100"}) {
    std::istringstream old("old");
    store->add_stream(n, old);
  }
  QVERIFY(test::writeFile(local(QStringLiteral("ow/a.txt")), "new"));
  QVERIFY(test::writeFile(local(QStringLiteral("ow/b.txt")), "new"));
  QStringList asked;
  window_->setConflictResolver([&](const ConflictDetails& conflict) {
    asked << conflict.name;
    return ConflictChoice(choice);
  });
  QSignalSpy done(window_.get(), &MainWindow::uploadsFinished);
  window_->uploadPaths({local(QStringLiteral("ow/a.txt")), local(QStringLiteral("ow/b.txt"))}, QStringLiteral("/ow"));
  QTRY_COMPARE_WITH_TIMEOUT(done.count(), 1, 30000);
  QCOMPARE(done.at(0).at(0).toInt(), uploaded);
  // "All" answers are asked once; one-by-one answers once per file.
  QCOMPARE(asked.size(), ConflictChoice(choice) == ConflictChoice::Skip ? 2 : 1);
  QCOMPARE(asked.first(), QStringLiteral("/ow/a.txt"));
  for (const char* n : {"/ow/a.txt", "/ow/b.txt"}) {
    std::ostringstream content;
    content << store->get_stream(n).stream->rdbuf();
    QCOMPARE(QByteArray::fromStdString(content.str()), expected);
  }
}

void TestUiMainWindow::downloadSelected() {
  auto store = curl();
  const QByteArray big = test::randomBytes(5 << 20, 3);
  QVERIFY(test::writeFile(local(QStringLiteral("src/big.bin")), big));
  store->add_file("/dl/big.bin@1500000000", local(QStringLiteral("src/big.bin")).toStdString());
  std::istringstream small("small");
  store->add_stream("/dl/small.txt", small);
  window_->browser()->openDirectory(QStringLiteral("/dl"));
  waitForDirectory(QStringLiteral("/dl"));
  selectNames({QStringLiteral("/dl/big.bin"), QStringLiteral("/dl/small.txt")});
  const QString dest = local(QStringLiteral("downloads"));
  QDir().mkpath(dest);
  window_->setFolderChooser([dest] { return dest; });
  QSignalSpy idle(window_->session()->transfers(), &TransferQueue::idle);
  // The default concurrency limit is 2: never more running at once.
  int mostActive = 0;
  TransferQueue* queue = window_->session()->transfers();
  QCOMPARE(queue->concurrencyLimit(), 2);
  connect(queue->model(), &QAbstractItemModel::dataChanged, this,
          [&] { mostActive = qMax(mostActive, queue->activeCount()); });
  for (int i = 0; i < 4; ++i) {
    queue->enqueueDownload(DownloadRequest{QStringLiteral("/dl/small.txt"), dest + QStringLiteral("/copy%1.txt").arg(i), false});
  }
  QSignalSpy planned(window_.get(), &MainWindow::downloadsFinished);
  window_->downloadSelected();
  QTRY_COMPARE_WITH_TIMEOUT(planned.count(), 1, 30000);
  QTRY_VERIFY_WITH_TIMEOUT(idle.count() >= 1 && window_->session()->transfers()->pendingCount() == 0, 30000);
  QCOMPARE(test::readFile(dest + QStringLiteral("/big.bin")), big);
  QCOMPARE(test::readFile(dest + QStringLiteral("/small.txt")), QByteArray("small"));
  QCOMPARE(test::readFile(dest + QStringLiteral("/copy3.txt")), QByteArray("small"));
  QCOMPARE(mostActive, 2);
  // Rows in the dock say done.
  auto* model = queue->model();
  QCOMPARE(model->rowCount(), 6);
  for (int r = 0; r < 6; ++r) QCOMPARE(model->at(r).state, Transfer::State::Finished);
}

void TestUiMainWindow::openIntoCache() {
  auto store = curl();
  std::istringstream in("open me\n");
  store->add_stream("/docs/readme.txt@1600000000", in);
  window_->browser()->openDirectory(QStringLiteral("/docs"));
  waitForDirectory(QStringLiteral("/docs"));
  selectNames({QStringLiteral("/docs/readme.txt")});
  QSignalSpy opened(window_.get(), &MainWindow::opened);
  window_->openSelected();
  QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 30000);
  const QString cached = window_->session()->cacheDirectory() + QStringLiteral("/files/docs/readme.txt");
  // The application gets a private copy (openGivesPrivateCopy), the cache the download.
  QCOMPARE(opened_.size(), 1);
  QVERIFY(opened_.first() != cached);
  QCOMPARE(test::readFile(opened_.first()), QByteArray("open me\n"));
  QCOMPARE(test::readFile(cached), QByteArray("open me\n"));
  // The cache keeps the version as the mtime, and the table says "cached".
  QCOMPARE(QFileInfo(cached).lastModified().toSecsSinceEpoch(), 1600000000);
  auto* files = window_->browser()->fileModel();
  QTRY_VERIFY(files->row(files->rowOfName(QStringLiteral("/docs/readme.txt"))).cached);
  // Copy name / versioned name.
  window_->copySelectedNames(false);
  QCOMPARE(QApplication::clipboard()->text(), QStringLiteral("/docs/readme.txt"));
  window_->copySelectedNames(true);
  QCOMPARE(QApplication::clipboard()->text(), QStringLiteral("/docs/readme.txt@1600000000"));
  // Properties show the SHA-256 (from the listing, or a HEAD).
  window_->showProperties();
  auto* dialog = window_->findChild<PropertiesDialog*>();
  QVERIFY(dialog);
  QTRY_COMPARE(dialog->shaText(), QString::fromStdString(ft::sha256_hex("open me\n")));
  dialog->close();
}

// "Open" must never hand out the stored file (local store) or the cache file
// (remote store, hard-linked with other files): an editor saving in place
// would change the store behind the user's back. It gets a read-only copy in
// a per-run temporary folder, removed when the window (session) goes away.
void TestUiMainWindow::openGivesPrivateCopy_data() {
  QTest::addColumn<bool>("remote");
  QTest::newRow("remote store, cache file") << true;
  QTest::newRow("local store, stored file") << false;
}

void TestUiMainWindow::openGivesPrivateCopy() {
  QFETCH(bool, remote);
  static int n = 0;
  const QByteArray content("stored content, do not touch\n");
  QString storedPath;  // the file Open must not hand out
  if (remote) {
    auto store = curl();
    std::istringstream in(content.toStdString());
    store->add_stream("/p/doc.txt@1600000000", in);
    storedPath = window_->session()->cacheDirectory() + QStringLiteral("/files/p/doc.txt");
  } else {
    ConnectionProfile profile;
    profile.name = QStringLiteral("local");
    profile.cacheDirectory = local(QStringLiteral("private-copy-local-%1").arg(++n));
    ft::LocalDataStore store(profile.cacheDirectory.toStdString());
    std::istringstream in(content.toStdString());
    store.add_stream("/p/doc.txt@1600000000", in);
    storedPath = QString::fromStdString(store.path_of("/p/doc.txt").string());
    window_->openProfile(profile, false);
    QTRY_VERIFY(window_->session()->isReady());
    QVERIFY(!window_->session()->isRemote());
  }
  window_->browser()->openDirectory(QStringLiteral("/p"));
  waitForDirectory(QStringLiteral("/p"));
  selectNames({QStringLiteral("/p/doc.txt")});
  QSignalSpy opened(window_.get(), &MainWindow::opened);
  window_->openSelected();
  QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 30000);
  QCOMPARE(opened_.size(), 1);
  const QString copy = opened_.first();
  QCOMPARE(opened.at(0).at(0).toStringList(), QStringList{copy});
  QCOMPARE(test::readFile(storedPath), content);  // the download (remote) or the store (local)

  // Same base name (the desktop picks the application by it), same content,
  // same date; a different file, not a hard link: another inode.
  QCOMPARE(QFileInfo(copy).fileName(), QStringLiteral("doc.txt"));
  QCOMPARE(test::readFile(copy), content);
  QCOMPARE(QFileInfo(copy).lastModified().toSecsSinceEpoch(), 1600000000);
  struct stat copyStat {}, storedStat {};
  QCOMPARE(::stat(QFile::encodeName(copy).constData(), &copyStat), 0);
  QCOMPARE(::stat(QFile::encodeName(storedPath).constData(), &storedStat), 0);
  QVERIFY(copyStat.st_ino != storedStat.st_ino || copyStat.st_dev != storedStat.st_dev);
  QCOMPARE(copyStat.st_mode & 07777, mode_t(0444));
  const QString folder = window_->session()->openCopies()->folder();
  QVERIFY(!folder.isEmpty());
  QVERIFY2(copy.startsWith(folder + QLatin1Char('/')), qPrintable(copy));
  QVERIFY(!copy.startsWith(window_->session()->cacheDirectory() + QLatin1Char('/')));

  // An application that forces a write into the copy changes only the copy.
  QVERIFY(QFile::setPermissions(copy, QFileDevice::ReadOwner | QFileDevice::WriteOwner));
  QVERIFY(test::writeFile(copy, "edited by an application\n"));
  QCOMPARE(test::readFile(copy), QByteArray("edited by an application\n"));
  QCOMPARE(test::readFile(storedPath), content);

  // Opening again gives a fresh copy beside the edited one, not the edit.
  window_->openSelected();
  QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 2, 30000);
  QCOMPARE(opened_.size(), 2);
  QVERIFY(opened_.at(1) != copy);
  QCOMPARE(test::readFile(opened_.at(1)), content);
  QCOMPARE(test::readFile(copy), QByteArray("edited by an application\n"));

  // The folder goes away with the window.
  QVERIFY(QFileInfo::exists(folder));
  window_.reset();
  QVERIFY(!QFileInfo::exists(folder));
  QCOMPARE(test::readFile(storedPath), content);
}

// No place for the private copy: a one-line error in the status bar, nothing
// handed to an application (never the cache file instead), nothing changed.
void TestUiMainWindow::openWithoutTempFolderFailsCleanly() {
  auto store = curl();
  std::istringstream in("keep me\n");
  store->add_stream("/q/doc.txt@1600000000", in);
  window_->browser()->openDirectory(QStringLiteral("/q"));
  waitForDirectory(QStringLiteral("/q"));
  selectNames({QStringLiteral("/q/doc.txt")});
  // TMPDIR below a regular file: the temporary folder cannot be created.
  QVERIFY(test::writeFile(local(QStringLiteral("not-a-dir")), "file"));
  const QByteArray savedTmp = qgetenv("TMPDIR");
  qputenv("TMPDIR", QFile::encodeName(local(QStringLiteral("not-a-dir/tmp"))));
  QSignalSpy opened(window_.get(), &MainWindow::opened);
  window_->openSelected();
  QTRY_VERIFY2_WITH_TIMEOUT(window_->statusBar()->currentMessage().startsWith(QStringLiteral("Cannot open: ")),
                            qPrintable(window_->statusBar()->currentMessage() + QStringLiteral(" opened: ") + opened_.join(u',')), 30000);
  if (savedTmp.isNull()) {
    qunsetenv("TMPDIR");
  } else {
    qputenv("TMPDIR", savedTmp);
  }
  const QString message = window_->statusBar()->currentMessage();
  QVERIFY2(message.contains(QStringLiteral("temporary folder")) && !message.contains(QLatin1Char('\n')), qPrintable(message));
  QCOMPARE(opened.count(), 0);
  QVERIFY(opened_.isEmpty());
  QVERIFY(window_->session()->openCopies()->folder().isEmpty());
  const QString cached = window_->session()->cacheDirectory() + QStringLiteral("/files/q/doc.txt");
  QCOMPARE(test::readFile(cached), QByteArray("keep me\n"));
  // With a usable TMPDIR again, Open works.
  window_->openSelected();
  QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 30000);
  QCOMPARE(opened_.size(), 1);
  QCOMPARE(test::readFile(opened_.first()), QByteArray("keep me\n"));
}

// Dragging rows out hands the drop target private writable copies, never the
// cache file (remote store, hard-linked with other files) or the stored file
// (local store): an editor that opens the drop in place must not change the
// store. Writable, because a file manager carries the mode over to the
// user's own copy.
void TestUiMainWindow::dragOutFetchesIntoCache_data() {
  QTest::addColumn<bool>("remote");
  QTest::newRow("remote store, cache file") << true;
  QTest::newRow("local store, stored file") << false;
}

void TestUiMainWindow::dragOutFetchesIntoCache() {
  QFETCH(bool, remote);
  static int n = 0;
  const QByteArray content("dragged\n");
  QString storedPath;  // the file the drop target must not be handed
  if (remote) {
    auto store = curl();
    std::istringstream in(content.toStdString());
    store->add_stream("/drag/out.txt@1600000000", in);
    storedPath = window_->session()->cacheDirectory() + QStringLiteral("/files/drag/out.txt");
  } else {
    ConnectionProfile profile;
    profile.name = QStringLiteral("local");
    profile.cacheDirectory = local(QStringLiteral("drag-out-local-%1").arg(++n));
    ft::LocalDataStore store(profile.cacheDirectory.toStdString());
    std::istringstream in(content.toStdString());
    store.add_stream("/drag/out.txt@1600000000", in);
    storedPath = QString::fromStdString(store.path_of("/drag/out.txt").string());
    window_->openProfile(profile, false);
    QTRY_VERIFY(window_->session()->isReady());
    QVERIFY(!window_->session()->isRemote());
  }
  window_->browser()->openDirectory(QStringLiteral("/drag"));
  waitForDirectory(QStringLiteral("/drag"));
  selectNames({QStringLiteral("/drag/out.txt")});
  auto* proxy = window_->browser()->proxyModel();
  QScopedPointer<QMimeData> mime(proxy->mimeData(window_->fileView()->selectionModel()->selectedRows(0)));
  QVERIFY(mime);
  QVERIFY(mime->hasFormat(QStringLiteral("text/uri-list")));
  // Asking for the URLs (what a file manager does on drop) fetches the file.
  const QList<QUrl> urls = mime->urls();
  QCOMPARE(urls.size(), 1);
  QVERIFY(urls.first().isLocalFile());
  const QString copy = urls.first().toLocalFile();
  QCOMPARE(test::readFile(copy), content);
  QCOMPARE(test::readFile(storedPath), content);  // fetched into the cache (remote) or the store (local)

  // Same base name and date, another inode, in the per-run folder.
  QCOMPARE(QFileInfo(copy).fileName(), QStringLiteral("out.txt"));
  QCOMPARE(QFileInfo(copy).lastModified().toSecsSinceEpoch(), 1600000000);
  struct stat copyStat {}, storedStat {};
  QCOMPARE(::stat(QFile::encodeName(copy).constData(), &copyStat), 0);
  QCOMPARE(::stat(QFile::encodeName(storedPath).constData(), &storedStat), 0);
  QVERIFY(copyStat.st_ino != storedStat.st_ino || copyStat.st_dev != storedStat.st_dev);
  const QString folder = window_->session()->openCopies()->folder();
  QVERIFY(!folder.isEmpty());
  QVERIFY2(copy.startsWith(folder + QLatin1Char('/')), qPrintable(copy));
  QVERIFY(!copy.startsWith(window_->session()->cacheDirectory() + QLatin1Char('/')));

  // Writable by the user as it is (no chmod first): an editor saving in
  // place changes the copy only.
  QVERIFY2((copyStat.st_mode & S_IRUSR) && (copyStat.st_mode & S_IWUSR), qPrintable(QString::number(copyStat.st_mode, 8)));
  QVERIFY(QFileInfo(copy).isWritable());
  QVERIFY(test::writeFile(copy, "edited in place by the drop target\n"));
  QCOMPARE(test::readFile(copy), QByteArray("edited in place by the drop target\n"));
  QCOMPARE(test::readFile(storedPath), content);

  // The same mime data asked again gives the same copies (one drop, one
  // answer); a new drag gives a fresh copy, not the edit.
  QCOMPARE(mime->urls(), urls);
  QScopedPointer<QMimeData> again(proxy->mimeData(window_->fileView()->selectionModel()->selectedRows(0)));
  const QList<QUrl> second = again->urls();
  QCOMPARE(second.size(), 1);
  QVERIFY(second.first() != urls.first());
  QCOMPARE(test::readFile(second.first().toLocalFile()), content);

  // The folder goes away with the window.
  QVERIFY(QFileInfo::exists(folder));
  window_.reset();
  QVERIFY(!QFileInfo::exists(folder));
  QCOMPARE(test::readFile(storedPath), content);
}

void TestUiMainWindow::deleteWithConfirmation() {
  auto store = curl();
  for (const char* n : {"/del/a.txt", "/del/b.txt", "/del/keep.txt"}) {
    std::istringstream in(n);
    store->add_stream(n, in);
  }
  window_->browser()->openDirectory(QStringLiteral("/del"));
  waitForDirectory(QStringLiteral("/del"));
  selectNames({QStringLiteral("/del/a.txt"), QStringLiteral("/del/b.txt")});
  QStringList confirmed;
  bool answer = false;
  window_->setDeleteConfirmer([&](const QStringList& names) {
    confirmed = names;
    return answer;
  });
  // Declined: nothing happens.
  window_->deleteSelected();
  confirmed.sort();
  QCOMPARE(confirmed, (QStringList{"/del/a.txt", "/del/b.txt"}));
  QVERIFY(store->exists("/del/a.txt"));
  answer = true;
  QSignalSpy done(window_.get(), &MainWindow::deletionsFinished);
  window_->deleteSelected();
  QTRY_COMPARE(done.count(), 1);
  QCOMPARE(done.at(0).at(0).toInt(), 2);
  QVERIFY(!store->exists("/del/a.txt"));
  QVERIFY(!store->exists("/del/b.txt"));
  QVERIFY(store->exists("/del/keep.txt"));
  QTRY_COMPARE(tableNames(), QStringList{QStringLiteral("/del/keep.txt")});
}

void TestUiMainWindow::filterBox() {
  auto store = curl();
  for (const char* n : {"/f/alpha.txt", "/f/beta.txt", "/f/gamma.log", "/f/ALPHA2.log"}) {
    std::istringstream in(n);
    store->add_stream(n, in);
  }
  window_->browser()->openDirectory(QStringLiteral("/f"));
  waitForDirectory(QStringLiteral("/f"));
  QCOMPARE(window_->browser()->proxyModel()->rowCount(), 4);
  QTest::keyClicks(window_->filterEdit(), QStringLiteral("alpha"));
  QCOMPARE(window_->browser()->proxyModel()->rowCount(), 2);
  QVERIFY2(window_->statusText().contains(QStringLiteral("2 of 4")), qPrintable(window_->statusText()));
  window_->filterEdit()->setText(QStringLiteral(".log"));
  QCOMPARE(window_->browser()->proxyModel()->rowCount(), 2);
  window_->filterEdit()->clear();
  QCOMPARE(window_->browser()->proxyModel()->rowCount(), 4);
}

void TestUiMainWindow::cancelTransferHalfWay() {
  // Through a proxy that lets the upload trickle until its row shows
  // progress, then holds it (not a byte more) until the user has cancelled:
  // the cancel provably hits a transfer in flight.
  test::HoldingProxy proxy(server_->port(), test::HoldingProxy::Held::ToServer);
  QVERIFY(proxy.listening());
  openServer(proxy.url());
  const QString big = local(QStringLiteral("cancel/huge.bin"));
  QDir().mkpath(QFileInfo(big).absolutePath());
  QVERIFY(test::writeRandomFile(big, 8 << 20));
  TransferQueue* queue = window_->session()->transfers();
  window_->uploadPaths({big}, QStringLiteral("/c"));
  QTRY_VERIFY(queue->model()->rowCount() == 1);
  const quint64 id = queue->model()->at(0).id;
  // Running (compressed, on the wire) with some progress shown.
  QTRY_VERIFY_WITH_TIMEOUT(queue->find(id)->state == Transfer::State::Running && queue->find(id)->done > 0, 60000);
  proxy.hold();
  QTRY_VERIFY(proxy.holding());
  const quint64 passed = proxy.held_direction_bytes();
  const int openBefore = proxy.connections_open();
  QVERIFY(queue->find(id)->isActive());
  QVERIFY(queue->find(id)->done < queue->find(id)->total);
  window_->transfersDock()->view()->selectionModel()->select(queue->model()->index(0, 0),
                                                            QItemSelectionModel::Select | QItemSelectionModel::Rows);
  QVERIFY(window_->transfersDock()->cancelAction()->isEnabled());
  window_->transfersDock()->cancelAction()->trigger();
  QTRY_COMPARE(queue->find(id)->state, Transfer::State::Cancelled);
  QCOMPARE(proxy.held_direction_bytes(), passed);  // held until the cancel
  QVERIFY(window_->transfersDock()->retryAction()->isEnabled());
  QVERIFY(queue->model()->index(0, TransferModel::StateColumn).data().toString().contains(QStringLiteral("Cancelled")));
  QTRY_VERIFY(QDir(window_->session()->cacheDirectory() + QStringLiteral("/tmp"))
                  .entryList(QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot)
                  .isEmpty());
  // What the client had sent flows on, then its close: the server sees a
  // body cut off, stores nothing and drops the half upload.
  proxy.release();
  QTRY_VERIFY(proxy.connections_open() < openBefore);  // the upload's connection, closed through
  QVERIFY(proxy.held_direction_bytes() < quint64(8 << 20));
  QVERIFY(!curl()->exists("/c/huge.bin"));
  QTRY_VERIFY(QDir(server_->dataDir() + QStringLiteral("/blobs/tmp")).isEmpty());
}

void TestUiMainWindow::retryAfterServerRestart() {
  QVERIFY(test::writeFile(local(QStringLiteral("retry/r.txt")), "retried\n"));
  std::istringstream in("download me");
  curl()->add_stream("/retry/d.txt", in);
  window_->browser()->openDirectory(QStringLiteral("/retry"));
  waitForDirectory(QStringLiteral("/retry"));
  selectNames({QStringLiteral("/retry/d.txt")});
  server_->stop();
  TransferQueue* queue = window_->session()->transfers();
  const QString dest = local(QStringLiteral("retry-out"));
  window_->setFolderChooser([dest] { return dest; });
  window_->downloadSelected();
  QTRY_COMPARE(queue->model()->rowCount(), 1);  // queued once the local folder is checked
  const quint64 down = queue->model()->at(0).id;
  const quint64 up = queue->enqueueUpload(UploadRequest{local(QStringLiteral("retry/r.txt")), QStringLiteral("/retry/r.txt"), {}});
  QTRY_COMPARE_WITH_TIMEOUT(queue->find(up)->state, Transfer::State::Failed, 30000);
  QTRY_COMPARE(queue->find(down)->state, Transfer::State::Failed);
  // The reason, not a code: Qt's "Connection refused".
  QVERIFY2(queue->find(down)->error.contains(QStringLiteral("refused"), Qt::CaseInsensitive),
           qPrintable(queue->find(down)->error));
  QVERIFY(queue->model()->index(queue->model()->rowOf(down), TransferModel::StateColumn).data().toString().contains(
      QStringLiteral("refused"), Qt::CaseInsensitive));
  const QString oldUrl = server_->url();
  QVERIFY(server_->restart());
  // A transfer retries on its own server only (test_ui_operator).
  if (server_->url() != oldUrl) QSKIP("the server's port was taken meanwhile");
  queue->retry(up);
  queue->retry(down);
  QTRY_COMPARE_WITH_TIMEOUT(queue->find(up)->state, Transfer::State::Finished, 30000);
  QTRY_COMPARE_WITH_TIMEOUT(queue->find(down)->state, Transfer::State::Finished, 30000);
  QVERIFY(curl()->exists("/retry/r.txt"));
  QCOMPARE(test::readFile(dest + QStringLiteral("/d.txt")), QByteArray("download me"));
}

void TestUiMainWindow::cacheViewCleanUp() {
  // Fill the cache beyond its 1 MiB limit with files of known versions.
  const QString cacheDir = window_->session()->cacheDirectory();
  {
    ft::LocalDataStore cache(cacheDir.toStdString());
    for (int i = 0; i < 6; ++i) {
      std::istringstream in(test::randomBytes(300000, quint32(i)).toStdString());
      cache.add_stream("/cache/f" + std::to_string(i) + ".bin@" + std::to_string(1000 + i), in);
    }
  }
  const auto expected = ft::plan_cache_prune({ft::CacheLocation{cacheDir.toStdString(), {}}}, 1 << 20, 100.0);
  QVERIFY(!expected.to_delete.empty());
  QStringList expectedNames;
  for (const auto& f : expected.to_delete) expectedNames << QString::fromStdString(f.file.name);

  CacheView* view = window_->cacheView();
  window_->tabs()->setCurrentWidget(view);
  view->reload();
  QTRY_VERIFY(!view->isBusy());
  QCOMPARE(view->model()->rowCount(), 6);
  QStringList shown;
  view->setPlanConfirmer([&](const QStringList& names, qint64 bytes) {
    shown = names;
    return bytes > 0;
  });
  QTest::mouseClick(view->cleanUpButton(), Qt::LeftButton);
  QTRY_VERIFY(!shown.isEmpty());
  // Exactly the dry run's list, in its order.
  QCOMPARE(shown, expectedNames);
  QTRY_VERIFY_WITH_TIMEOUT(!view->isBusy() && view->model()->rowCount() == 6 - expectedNames.size(), 30000);
  QVERIFY(view->model()->totalBytes() < (1 << 20));
  for (const QString& n : expectedNames) {
    QVERIFY(!QFileInfo::exists(cacheDir + QStringLiteral("/files") + ft::ui::parentDirectoryOf(n.section(QLatin1Char('@'), 0, 0)) +
                               QLatin1Char('/') + ft::ui::baseNameOf(n.section(QLatin1Char('@'), 0, 0))));
  }
  // Remove selected.
  view->view()->selectRow(0);
  QStringList removing;
  view->setRemoveConfirmer([&](const QStringList& names) {
    removing = names;
    return true;
  });
  const int before = view->model()->rowCount();
  view->removeSelected();
  QCOMPARE(removing.size(), 1);
  QTRY_VERIFY(!view->isBusy() && view->model()->rowCount() == before - 1);
}

void TestUiMainWindow::plainServerFallback() {
  TestServer plain(QString(), {QStringLiteral("--no-extensions")});
  QVERIFY(plain.start());
  auto store = ft::make_remote_data_store(plain.url().toStdString());
  for (int i = 0; i < 30; ++i) {
    std::istringstream in(std::string(std::size_t(i + 1), 'x'));
    store->add_stream("/p/file" + std::to_string(i) + ".txt@" + std::to_string(1700000000 + i), in);
  }
  std::istringstream deep("deep");
  store->add_stream("/p/sub/deep.txt", deep);
  openServer(plain.url());
  QVERIFY(window_->session()->info().extensions.isEmpty());
  QVERIFY2(window_->statusText().contains(QStringLiteral("Protocol v2")), qPrintable(window_->statusText()));
  window_->browser()->openDirectory(QStringLiteral("/p"));
  waitForDirectory(QStringLiteral("/p"));
  QCOMPARE(window_->browser()->fileModel()->rowCount(), 31);  // the files and, first, the folder sub
  QCOMPARE(window_->browser()->fileModel()->folderCount(), 1);
  // The tree is derived from the plain listing.
  QTRY_VERIFY(window_->browser()->treeModel()->indexOfPath(QStringLiteral("/p/sub")).isValid());
  // Versions and sizes arrive by HEAD for the rows on screen.
  auto* proxy = window_->browser()->proxyModel();
  QTRY_VERIFY_WITH_TIMEOUT(proxy->index(1, 0).data(FileTableModel::VersionRole).toLongLong() > 0, 20000);
  const QString first = proxy->index(1, 0).data(FileTableModel::FullNameRole).toString();
  const int i = first.mid(7).section(QLatin1Char('.'), 0, 0).toInt();
  QCOMPARE(proxy->index(1, 0).data(FileTableModel::VersionRole).toLongLong(), 1700000000 + i);
  QCOMPARE(proxy->index(1, 0).data(FileTableModel::SizeRole).toLongLong(), i + 1);
  // Uploads and downloads work on the plain server too.
  QVERIFY(test::writeFile(local(QStringLiteral("plain/up.txt")), "plain upload"));
  QSignalSpy done(window_.get(), &MainWindow::uploadsFinished);
  window_->uploadPaths({local(QStringLiteral("plain/up.txt"))}, QStringLiteral("/p"));
  QTRY_COMPARE(done.count(), 1);
  QVERIFY(store->exists("/p/up.txt"));
}

// A plain v2 server lists names only; sorting by size or version must fetch
// them (HEAD) for every row, not just the ones on screen, then sort again.
// Changing directory cancels the fetch.
void TestUiMainWindow::plainServerSortFetchesAllMetadata() {
  TestServer plain(QString(), {QStringLiteral("--no-extensions")});
  QVERIFY(plain.start());
  auto store = ft::make_remote_data_store(plain.url().toStdString());
  constexpr int kFiles = 150;  // far more than one screen of rows
  for (int i = 0; i < kFiles; ++i) {
    // Size falls as the name grows; versions are shuffled.
    std::istringstream in(std::string(std::size_t(kFiles - i), 'x'));
    store->add_stream("/s/f" + std::to_string(i) + ".txt@" + std::to_string(1700000000 + (i * 37) % kFiles), in);
  }
  openServer(plain.url());
  QVERIFY(window_->session()->info().extensions.isEmpty());
  auto* browser = window_->browser();
  auto* proxy = browser->proxyModel();
  QSignalSpy progress(browser, &RemoteBrowser::sortMetadataProgress);
  browser->openDirectory(QStringLiteral("/s"));
  waitForDirectory(QStringLiteral("/s"));
  QCOMPARE(proxy->rowCount(), kFiles);
  QVERIFY(!browser->isFetchingForSort());  // sorted by name: nothing to fetch

  // Sorting by version starts the fetch (progress in the status bar);
  // changing directory cancels it.
  window_->fileView()->sortByColumn(FileTableModel::VersionColumn, Qt::DescendingOrder);
  QVERIFY(browser->isFetchingForSort());
  QVERIFY(!progress.isEmpty());
  QVERIFY(progress.last().at(1).toInt() > 0);
  QVERIFY2(window_->statusBar()->currentMessage().contains(QStringLiteral("Fetching versions and sizes")),
           qPrintable(window_->statusBar()->currentMessage()));
  browser->openDirectory(QStringLiteral("/"));
  QVERIFY(!browser->isFetchingForSort());
  QCOMPARE(progress.last().at(1).toInt(), 0);  // cancelled
  QVERIFY(window_->statusBar()->currentMessage().isEmpty());
  waitForDirectory(QStringLiteral("/"));

  // Back in the directory (still sorted by version) the fetch starts again;
  // sorting by size meanwhile is applied once every row has its metadata.
  progress.clear();
  browser->openDirectory(QStringLiteral("/s"));
  waitForDirectory(QStringLiteral("/s"));
  window_->fileView()->sortByColumn(FileTableModel::SizeColumn, Qt::AscendingOrder);
  QTRY_VERIFY_WITH_TIMEOUT(!browser->isFetchingForSort(), 60000);
  QVERIFY(!progress.isEmpty());
  QCOMPARE(progress.last().at(0).toInt(), progress.last().at(1).toInt());
  QVERIFY(progress.last().at(1).toInt() > 0);
  QTRY_VERIFY(!browser->fileModel()->isSorting());
  QCOMPARE(proxy->rowCount(), kFiles);
  for (int r = 0; r < kFiles; ++r) {
    // Ascending size = descending index: row r is file kFiles-1-r.
    const QModelIndex index = proxy->index(r, FileTableModel::NameColumn);
    const int i = kFiles - 1 - r;
    QCOMPARE(index.data(FileTableModel::FullNameRole).toString(), QStringLiteral("/s/f%1.txt").arg(i));
    QCOMPARE(index.data(FileTableModel::SizeRole).toLongLong(), qint64(kFiles - i));
    QCOMPARE(index.data(FileTableModel::VersionRole).toLongLong(), qint64(1700000000 + (i * 37) % kFiles));
  }
  // Every version is known now: sorting by version is immediate and complete.
  progress.clear();
  window_->fileView()->sortByColumn(FileTableModel::VersionColumn, Qt::AscendingOrder);
  QVERIFY(!browser->isFetchingForSort());
  QVERIFY(progress.isEmpty());
  for (int r = 0; r < kFiles; ++r) {
    QCOMPARE(proxy->index(r, 0).data(FileTableModel::VersionRole).toLongLong(), qint64(1700000000 + r));
  }
}

void TestUiMainWindow::localStoreMode() {
  ConnectionProfile profile;
  profile.name = QStringLiteral("local");
  profile.cacheDirectory = local(QStringLiteral("local-store"));
  window_->openProfile(profile, false);
  QTRY_VERIFY(window_->session()->isReady());
  QVERIFY(!window_->session()->isRemote());
  // The profile's name, then what it is (issue 15: the status bar names the profile).
  QVERIFY2(window_->statusText().startsWith(QStringLiteral("local: local store ") + local(QStringLiteral("local-store"))),
           qPrintable(window_->statusText()));
  QVERIFY(!window_->tabs()->isTabVisible(1));  // no separate cache
  QVERIFY(test::writeFile(local(QStringLiteral("lf/doc.txt")), "local content"));
  QVERIFY(test::writeFile(local(QStringLiteral("lf/sub/x.txt")), "x"));
  QSignalSpy done(window_.get(), &MainWindow::uploadsFinished);
  sendDrop(window_->fileView()->viewport(), QPoint(10, 10), {local(QStringLiteral("lf"))});
  QTRY_COMPARE(done.count(), 1);
  QCOMPARE(done.at(0).at(0).toInt(), 2);
  ft::LocalDataStore store(profile.cacheDirectory.toStdString());
  QVERIFY(store.exists("/lf/doc.txt"));
  QVERIFY(store.exists("/lf/sub/x.txt"));
  QTRY_VERIFY(window_->browser()->treeModel()->indexOfPath(QStringLiteral("/lf")).isValid());
  window_->browser()->openDirectory(QStringLiteral("/lf"));
  waitForDirectory(QStringLiteral("/lf"));
  QCOMPARE(tableNames(), QStringList{QStringLiteral("/lf/doc.txt")});
  selectNames({QStringLiteral("/lf/doc.txt")});
  const QString dest = local(QStringLiteral("local-out"));
  window_->setFolderChooser([dest] { return dest; });
  window_->downloadSelected();
  QTRY_COMPARE(test::readFile(dest + QStringLiteral("/doc.txt")), QByteArray("local content"));
  // A copy, not a hard link into the store.
  QVERIFY(QFileInfo(dest + QStringLiteral("/doc.txt")).canonicalFilePath() !=
          QFileInfo(QString::fromStdString(store.path_of("/lf/doc.txt").string())).canonicalFilePath());
  QSignalSpy opened(window_.get(), &MainWindow::opened);
  window_->openSelected();
  QTRY_COMPARE(opened.count(), 1);
  QCOMPARE(opened_.size(), 1);
  QCOMPARE(test::readFile(opened_.first()), QByteArray("local content"));
  QSignalSpy deleted(window_.get(), &MainWindow::deletionsFinished);
  window_->deleteSelected();
  QTRY_COMPARE_WITH_TIMEOUT(deleted.count(), 1, 20000);
  QVERIFY(!store.exists("/lf/doc.txt"));
  // Copy name / versioned name.
  window_->browser()->refresh();
  QTRY_COMPARE(tableNames(), QStringList{});
}

QTEST_MAIN(TestUiMainWindow)
#include "test_ui_main_window.moc"
