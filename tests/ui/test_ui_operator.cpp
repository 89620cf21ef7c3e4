// The defects an operator met in daily work, each on the real main window
// against the real filetracker-server: retry goes to the store the transfer
// was started on; Delete acts on the view the user is in; a download asks
// before overwriting a local file; the path bar, the table and the upload
// target agree after a failed listing; the cache limit applies when saved and
// is enforced after downloads; Quit during transfers defaults to keep running.
#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFileInfo>
#include <QLabel>
#include <QMimeData>
#include <QDropEvent>
#include <QLineEdit>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QToolBar>
#include <QToolButton>
#include <QTreeView>

#include "content.hpp"
#include "event_loop_wait.hpp"
#include "files.hpp"
#include "filetracker/local_data_store.hpp"
#include "i18n/translations.hpp"
#include "settings/settings_keys.hpp"
#include "settings_isolation.hpp"
#include "temp_dirs.hpp"
#include "widgets/cache_view.hpp"
#include "widgets/drop_views.hpp"
#include "widgets/main_actions.hpp"
#include "widgets/remote_view.hpp"
#include "widgets/settings_dialog.hpp"
#include "widgets/transfers_dock.hpp"
#include "window_fixture.hpp"

using namespace ft::ui;

class TestUiOperator : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase();
  void init();
  void cleanup();
  void retryGoesToItsOwnStore();
  void deleteActsOnTheViewInUse();
  void downloadAsksBeforeOverwriting_data();
  void downloadAsksBeforeOverwriting();
  void overwritePromptsShowBothSides();
  void failedListingKeepsPathTableAndTargetTogether();
  void cacheLimitAppliesWhenSaved();
  void cacheOverLimitAfterOpen_data();
  void cacheOverLimitAfterOpen();
  void quitDuringTransfersDefaultsToKeepRunning();

 private:
  test::WindowFixture f_;
};

void TestUiOperator::initTestCase() {
  f_.work = std::make_unique<QTemporaryDir>(test::tempTemplate(QStringLiteral("ft-ui-operator")));
  QVERIFY(f_.work->isValid());
  test::isolateSettings(f_.work->filePath(QStringLiteral("settings")));
  QCOMPARE(installTranslations(QLocale(QLocale::English, QLocale::UnitedStates)), QStringLiteral("en"));
}

void TestUiOperator::init() {
  QSettings().clear();
  f_.server = std::make_unique<TestServer>();
  QVERIFY2(f_.server->start(), "the real filetracker-server must start");
  f_.window = std::make_unique<MainWindow>();
  f_.window->show();
  f_.window->session()->setUrlOpener([](const QUrl&) { return true; });
  QVERIFY(f_.open(f_.profileFor(f_.server->url())));
}

void TestUiOperator::cleanup() {
  if (f_.window) f_.window->session()->transfers()->cancelAll();
  f_.window.reset();
  f_.server.reset();
}

// A failed upload retried after connecting to another server went to that
// server. Now the row names its server, and a retry elsewhere is refused
// with the reason; back on the same server and cache, the retry goes there.
void TestUiOperator::retryGoesToItsOwnStore() {
  TestServer other;
  QVERIFY(other.start());
  const QString firstUrl = f_.server->url();
  const QString firstCache = f_.window->session()->cacheDirectory();
  QVERIFY(test::writeFile(f_.local(QStringLiteral("retry/r.txt")), "meant for the first server\n"));
  TransferQueue* queue = f_.window->session()->transfers();
  f_.server->stop();
  f_.window->uploadPaths({f_.local(QStringLiteral("retry/r.txt"))}, QStringLiteral("/"));
  QTRY_COMPARE_WITH_TIMEOUT(queue->model()->rowCount(), 1, 20000);
  const quint64 id = queue->model()->at(0).id;
  QTRY_COMPARE_WITH_TIMEOUT(queue->find(id)->state, Transfer::State::Failed, 20000);
  QCOMPARE(queue->model()->index(0, TransferModel::ServerColumn).data().toString(), firstUrl);
  QCOMPARE(queue->model()->headerData(TransferModel::ServerColumn, Qt::Horizontal).toString(), QStringLiteral("Server"));

  // Connected to another server: Retry in the dock is refused, the row and
  // the status bar say why, and nothing reaches that server.
  QVERIFY(f_.open(f_.profileFor(other.url())));
  TransfersDock* dock = f_.window->transfersDock();
  QSignalSpy refused(dock, &TransfersDock::retryRefused);
  dock->view()->selectionModel()->select(queue->model()->index(0, 0), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
  QVERIFY(dock->retryAction()->isEnabled());
  dock->retryAction()->trigger();
  QCOMPARE(refused.count(), 1);
  const QString reason = refused.at(0).at(0).toString();
  QVERIFY2(reason.contains(firstUrl) && reason.contains(other.url()), qPrintable(reason));
  QCOMPARE(queue->find(id)->state, Transfer::State::Failed);
  QVERIFY(queue->model()->index(0, TransferModel::StateColumn).data().toString().contains(QStringLiteral("not retried")));
  QVERIFY2(f_.window->statusBar()->currentMessage().contains(QStringLiteral("not retried")),
           qPrintable(f_.window->statusBar()->currentMessage()));
  test::pause(300);
  QVERIFY(!f_.curl(other.url())->exists("/r.txt"));

  // The same server and cache again: the retry goes there.
  QVERIFY(f_.server->restart());
  if (f_.server->url() != firstUrl) QSKIP("the first server's port was taken meanwhile");
  QVERIFY(f_.open(f_.profileFor(firstUrl, firstCache)));
  QCOMPARE(queue->retry(id), QString());
  QTRY_COMPARE_WITH_TIMEOUT(queue->find(id)->state, Transfer::State::Finished, 20000);
  QVERIFY(f_.curl()->exists("/r.txt"));
  QVERIFY(!f_.curl(other.url())->exists("/r.txt"));
}

// The toolbar's Delete on the Cache tab offered to delete the Server tab's
// selection. Now it removes the Cache tab's selection from the cache (and
// says so), Del works there, and its enabled state follows that tab.
void TestUiOperator::deleteActsOnTheViewInUse() {
  f_.put("/srv/a.txt", "server file");
  f_.put("/srv/b.txt", "server file");
  QVERIFY(f_.goTo(QStringLiteral("/srv")));
  QVERIFY(f_.select({QStringLiteral("/srv/a.txt"), QStringLiteral("/srv/b.txt")}));
  const QString cacheDir = f_.window->session()->cacheDirectory();
  {
    ft::LocalDataStore cache(cacheDir.toStdString());
    std::istringstream one("cached one"), two("cached two");
    cache.add_stream("/c/one.bin@1000", one);
    cache.add_stream("/c/two.bin@1001", two);
  }
  QStringList serverAsked;
  f_.window->setDeleteConfirmer([&](const QStringList& names) {
    serverAsked = names;
    return true;
  });
  CacheView* cache = f_.window->cacheView();
  QStringList cacheAsked;
  cache->setRemoveConfirmer([&](const QStringList& names) {
    cacheAsked = names;
    return true;
  });
  f_.window->tabs()->setCurrentWidget(cache);
  cache->reload();
  QTRY_VERIFY(!cache->isBusy() && cache->model()->rowCount() == 2);
  QAction* del = f_.window->actions()->deleteFiles;
  // Nothing selected in the Cache tab: Delete is off, whatever the Server tab holds.
  cache->view()->clearSelection();
  QVERIFY(!del->isEnabled());
  QCOMPARE(del->text().remove(QLatin1Char('&')), QStringLiteral("Remove from cache…"));
  cache->view()->selectRow(0);
  QVERIFY(del->isEnabled());
  const QString first = cache->view()->model()->index(0, 0).data(CacheTableModel::VersionedNameRole).toString();

  // The toolbar button, clicked.
  auto* toolBar = f_.window->findChild<QToolBar*>(QStringLiteral("mainToolBar"));
  QVERIFY(toolBar);
  QWidget* button = toolBar->widgetForAction(del);
  QVERIFY(button);
  QTest::mouseClick(button, Qt::LeftButton);
  QCOMPARE(cacheAsked, QStringList{first});
  QVERIFY(serverAsked.isEmpty());
  QTRY_VERIFY(!cache->isBusy() && cache->model()->rowCount() == 1);
  QVERIFY2(f_.window->statusBar()->currentMessage().contains(QStringLiteral("from the local cache")),
           qPrintable(f_.window->statusBar()->currentMessage()));
  QVERIFY(f_.curl()->exists("/srv/a.txt") && f_.curl()->exists("/srv/b.txt"));

  // Del in the cache table.
  f_.window->activateWindow();
  QVERIFY(QTest::qWaitForWindowActive(f_.window.get()));
  cache->view()->setFocus();
  cache->view()->selectRow(0);
  const QString second = cache->view()->model()->index(0, 0).data(CacheTableModel::VersionedNameRole).toString();
  cacheAsked.clear();
  QTest::keyClick(cache->view(), Qt::Key_Delete);
  QCOMPARE(cacheAsked, QStringList{second});
  QTRY_VERIFY(!cache->isBusy() && cache->model()->rowCount() == 0);
  QVERIFY(serverAsked.isEmpty());
  QVERIFY(f_.curl()->exists("/srv/a.txt") && f_.curl()->exists("/srv/b.txt"));

  // Back on the Server tab, Delete is about the server's selection again.
  f_.window->tabs()->setCurrentIndex(0);
  QVERIFY(del->isEnabled());
  QCOMPARE(del->text().remove(QLatin1Char('&')), QStringLiteral("Delete…"));
  QSignalSpy deleted(f_.window.get(), &MainWindow::deletionsFinished);
  del->trigger();
  QTRY_COMPARE(deleted.count(), 1);
  serverAsked.sort();
  QCOMPARE(serverAsked, (QStringList{"/srv/a.txt", "/srv/b.txt"}));
  QVERIFY(!f_.curl()->exists("/srv/a.txt"));
}

// A download silently replaced a local file of the same name.
void TestUiOperator::downloadAsksBeforeOverwriting_data() {
  QTest::addColumn<int>("choice");
  QTest::addColumn<int>("asked");       // how many times the prompt comes
  QTest::addColumn<QByteArray>("a");    // dest/a.txt afterwards
  QTest::addColumn<QByteArray>("aCopy");  // dest/a (1).txt afterwards (empty: none)
  QTest::newRow("overwrite") << int(ConflictChoice::Overwrite) << 2 << QByteArray("remote a") << QByteArray();
  QTest::newRow("skip") << int(ConflictChoice::Skip) << 2 << QByteArray("local a!!") << QByteArray();
  QTest::newRow("keep both") << int(ConflictChoice::KeepBoth) << 2 << QByteArray("local a!!") << QByteArray("remote a");
  QTest::newRow("skip all") << int(ConflictChoice::SkipAll) << 1 << QByteArray("local a!!") << QByteArray();
  QTest::newRow("keep both, all") << int(ConflictChoice::KeepBothAll) << 1 << QByteArray("local a!!") << QByteArray("remote a");
  QTest::newRow("cancel") << int(ConflictChoice::Cancel) << 1 << QByteArray("local a!!") << QByteArray();
}

void TestUiOperator::downloadAsksBeforeOverwriting() {
  QFETCH(int, choice);
  QFETCH(int, asked);
  QFETCH(QByteArray, a);
  QFETCH(QByteArray, aCopy);
  f_.put("/dl/a.txt@1600000000", "remote a");
  f_.put("/dl/b.txt@1600000001", "remote b");
  f_.put("/dl/new.txt", "remote new");
  const QString dest = f_.local(QStringLiteral("dl-%1").arg(QTest::currentDataTag()).replace(QLatin1Char(' '), QLatin1Char('-')));
  QVERIFY(test::writeFile(dest + QStringLiteral("/a.txt"), "local a!!"));
  QVERIFY(test::writeFile(dest + QStringLiteral("/b.txt"), "local b"));
  QVERIFY(f_.goTo(QStringLiteral("/dl")));
  QVERIFY(f_.select({QStringLiteral("/dl/a.txt"), QStringLiteral("/dl/b.txt"), QStringLiteral("/dl/new.txt")}));
  QList<ConflictDetails> conflicts;
  f_.window->setConflictResolver([&](const ConflictDetails& c) {
    conflicts << c;
    return ConflictChoice(choice);
  });
  f_.window->setFolderChooser([dest] { return dest; });
  QSignalSpy done(f_.window.get(), &MainWindow::downloadsFinished);
  f_.window->downloadSelected();
  QTRY_COMPARE_WITH_TIMEOUT(done.count(), 1, 20000);
  QCOMPARE(conflicts.size(), asked);
  const ConflictDetails& c = conflicts.first();
  QCOMPARE(c.direction, ConflictDetails::Direction::Download);
  QCOMPARE(c.name, QStringLiteral("/dl/a.txt"));
  QCOMPARE(c.localPath, dest + QStringLiteral("/a.txt"));
  QCOMPARE(c.localSize, qint64(9));
  QCOMPARE(c.remoteSize, qint64(8));
  QCOMPARE(c.remoteVersion, qint64(1600000000));
  QVERIFY(qAbs(c.localModified - QDateTime::currentSecsSinceEpoch()) < 120);
  QCOMPARE(c.remaining, 2);
  QCOMPARE(test::readFile(dest + QStringLiteral("/a.txt")), a);
  QCOMPARE(QFileInfo::exists(dest + QStringLiteral("/a (1).txt")), !aCopy.isEmpty());
  if (!aCopy.isEmpty()) QCOMPARE(test::readFile(dest + QStringLiteral("/a (1).txt")), aCopy);
  // A file that was not there is downloaded whatever the answers (unless cancelled).
  if (ConflictChoice(choice) == ConflictChoice::Cancel) {
    QVERIFY(!QFileInfo::exists(dest + QStringLiteral("/new.txt")));
  } else {
    QCOMPARE(test::readFile(dest + QStringLiteral("/new.txt")), QByteArray("remote new"));
  }
}

// The real prompts: both sides' size and date, for downloads and uploads;
// Skip is the default; "Keep both" only for downloads.
void TestUiOperator::overwritePromptsShowBothSides() {
  f_.put("/ow/a.txt@1600000000", "remote a");
  const QString dest = f_.local(QStringLiteral("ow-real"));
  QVERIFY(test::writeFile(dest + QStringLiteral("/a.txt"), "local a, longer"));
  QVERIFY(f_.goTo(QStringLiteral("/ow")));
  QVERIFY(f_.select({QStringLiteral("/ow/a.txt")}));
  f_.window->setConflictResolver(nullptr);
  f_.window->setFolderChooser([dest] { return dest; });
  QString text;
  QString defaultButton;
  bool hadKeepBoth = false;
  bool answered = false;
  test::answerNextModal(
      [&](QWidget* dialog) {
        auto* box = qobject_cast<QMessageBox*>(dialog);
        QVERIFY(box);
        text = box->text() + QLatin1Char('\n') + box->informativeText();
        defaultButton = box->defaultButton() ? box->defaultButton()->text().remove(QLatin1Char('&')) : QString();
        QAbstractButton* keep = test::buttonLabelled(box, QStringLiteral("Keep both"));
        hadKeepBoth = keep != nullptr;
        if (keep) keep->click();
      },
      &answered);
  QSignalSpy done(f_.window.get(), &MainWindow::downloadsFinished);
  f_.window->downloadSelected();
  QTRY_COMPARE_WITH_TIMEOUT(done.count(), 1, 20000);
  QVERIFY(answered);
  QVERIFY(hadKeepBoth);
  QCOMPARE(defaultButton, QStringLiteral("Skip"));
  QVERIFY2(text.contains(QStringLiteral("15 bytes")) && text.contains(QStringLiteral("8 bytes")), qPrintable(text));
  QVERIFY2(text.contains(QLocale().toString(QDateTime::fromSecsSinceEpoch(1600000000), QLocale::ShortFormat)), qPrintable(text));
  QCOMPARE(test::readFile(dest + QStringLiteral("/a (1).txt")), QByteArray("remote a"));
  QCOMPARE(test::readFile(dest + QStringLiteral("/a.txt")), QByteArray("local a, longer"));

  // The upload prompt: the same details, no "Keep both" (the store keeps versions).
  answered = false;
  text.clear();
  test::answerNextModal(
      [&](QWidget* dialog) {
        auto* box = qobject_cast<QMessageBox*>(dialog);
        QVERIFY(box);
        text = box->text() + QLatin1Char('\n') + box->informativeText();
        hadKeepBoth = test::buttonLabelled(box, QStringLiteral("Keep both")) != nullptr;
        defaultButton = box->defaultButton() ? box->defaultButton()->text().remove(QLatin1Char('&')) : QString();
        box->defaultButton()->click();
      },
      &answered);
  QSignalSpy uploaded(f_.window.get(), &MainWindow::uploadsFinished);
  f_.window->uploadPaths({dest + QStringLiteral("/a.txt")}, QStringLiteral("/ow"));
  QTRY_COMPARE_WITH_TIMEOUT(uploaded.count(), 1, 20000);
  QVERIFY(answered);
  QVERIFY(!hadKeepBoth);
  QCOMPARE(defaultButton, QStringLiteral("Skip"));
  QCOMPARE(uploaded.at(0).at(2).toInt(), 1);  // skipped
  QVERIFY2(text.contains(QStringLiteral("15 bytes")) && text.contains(QStringLiteral("8 bytes")), qPrintable(text));
  QVERIFY2(text.contains(QStringLiteral("In the store")), qPrintable(text));
}

// Server down, then a click in the tree: the header said one folder, the
// upload target was another. Now the path bar, the table and the upload
// target name the clicked folder, and the failed upload has a Transfers row.
void TestUiOperator::failedListingKeepsPathTableAndTargetTogether() {
  f_.put("/x/one.txt", "one");
  f_.put("/y/two.txt", "two");
  f_.window->refresh();
  auto* model = f_.window->browser()->treeModel();
  QTRY_VERIFY(model->indexOfPath(QStringLiteral("/y")).isValid());
  QVERIFY(f_.goTo(QStringLiteral("/x")));
  auto* path = f_.window->findChild<QLineEdit*>(QStringLiteral("pathBar"));
  QVERIFY(path);
  QCOMPARE(path->text(), QStringLiteral("/x"));
  f_.server->stop();
  QSignalSpy failed(f_.window->browser(), &RemoteBrowser::loadFailed);
  // A click on /y in the tree.
  QTreeView* tree = f_.window->treeView();
  const QModelIndex y = model->indexOfPath(QStringLiteral("/y"));
  tree->scrollTo(y);
  QTest::mouseClick(tree->viewport(), Qt::LeftButton, Qt::NoModifier, tree->visualRect(y).center());
  QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 20000);
  QCOMPARE(path->text(), QStringLiteral("/y"));
  QCOMPARE(f_.window->browser()->currentDirectory(), QStringLiteral("/y"));
  QCOMPARE(f_.window->browser()->fileModel()->directory(), QStringLiteral("/y"));
  QCOMPARE(f_.window->browser()->proxyModel()->rowCount(), 0);
  QCOMPARE(model->pathOf(tree->currentIndex()), QStringLiteral("/y"));
  // A drop on the table uploads into /y, and its failure is a Transfers row.
  QVERIFY(test::writeFile(f_.local(QStringLiteral("drop/new.txt")), "new"));
  QMimeData mime;
  mime.setUrls({QUrl::fromLocalFile(f_.local(QStringLiteral("drop/new.txt")))});
  QDropEvent drop(QPointF(20, 20), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
  QDragEnterEvent enter(QPoint(20, 20), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
  QCoreApplication::sendEvent(f_.window->fileView()->viewport(), &enter);
  QCoreApplication::sendEvent(f_.window->fileView()->viewport(), &drop);
  TransferQueue* queue = f_.window->session()->transfers();
  QTRY_COMPARE_WITH_TIMEOUT(queue->model()->rowCount(), 1, 20000);
  QTRY_COMPARE_WITH_TIMEOUT(queue->model()->at(0).state, Transfer::State::Failed, 20000);
  QCOMPARE(queue->model()->at(0).upload.name, QStringLiteral("/y/new.txt"));
  QVERIFY(!queue->model()->at(0).error.isEmpty());
  QVERIFY(queue->model()->index(0, TransferModel::StateColumn).data().toString().startsWith(QStringLiteral("Failed")));
}

namespace {

// Saves the profile the window has open, so the Settings dialog lists it.
void saveProfiles(const ConnectionProfile& open) {
  QSettings settings;
  ProfileSettings profiles(settings);
  profiles.setProfiles({open});
  profiles.setCurrentProfileName(open.name);
  profiles.setFirstRunDone(true);
}

}  // namespace

// Saving a new cache limit in Settings did nothing until a reconnect (which
// also lost the folder the user was in). Now it holds at once.
void TestUiOperator::cacheLimitAppliesWhenSaved() {
  f_.put("/deep/dir/f.txt", "f");
  saveProfiles(f_.window->session()->profile());
  QVERIFY(f_.goTo(QStringLiteral("/deep/dir")));
  f_.window->cacheView()->reload();
  QTRY_VERIFY(f_.window->statusText().contains(QStringLiteral("of 1.0 MiB")));
  const StoreBackend* store = f_.window->session()->store();
  bool answered = false;
  test::answerNextModal(
      [&](QWidget* dialog) {
        QVERIFY(qobject_cast<SettingsDialog*>(dialog));
        auto* limit = dialog->findChild<QSpinBox*>(QStringLiteral("cacheLimit"));
        QVERIFY(limit);
        limit->setValue(3);
        auto* buttons = dialog->findChild<QDialogButtonBox*>();
        QTest::mouseClick(buttons->button(QDialogButtonBox::Save), Qt::LeftButton);
      },
      &answered);
  f_.window->actions()->settings->trigger();
  QVERIFY(answered);
  QCOMPARE(f_.window->session()->profile().cacheLimit, qint64(3) << 20);
  QCOMPARE(f_.window->session()->cache()->limit(), qint64(3) << 20);
  QVERIFY(f_.window->session()->store() == store);  // not reconnected
  QVERIFY(f_.window->session()->isReady());
  QCOMPARE(f_.window->browser()->currentDirectory(), QStringLiteral("/deep/dir"));
  QCOMPARE(f_.window->browser()->fileModel()->directory(), QStringLiteral("/deep/dir"));
  QTRY_VERIFY2(f_.window->statusText().contains(QStringLiteral("of 3.0 MiB")), qPrintable(f_.window->statusText()));
  QVERIFY(f_.window->cacheView()->findChild<QLabel*>(QStringLiteral("cacheSummary"))->text().contains(QStringLiteral("3.0 MiB")));
}

// An Open that took the cache over its limit left it there. Now the window
// offers the clean-up, or runs it when Settings say so.
void TestUiOperator::cacheOverLimitAfterOpen_data() {
  QTest::addColumn<bool>("automatic");
  QTest::newRow("offered") << false;
  QTest::newRow("automatic") << true;
}

void TestUiOperator::cacheOverLimitAfterOpen() {
  QFETCH(bool, automatic);
  QSettings().setValue(settings_keys::kCacheAutoCleanUp.key(), automatic);
  for (int i = 0; i < 3; ++i) {
    f_.put("/big/f" + std::to_string(i) + ".bin@" + std::to_string(1600000000 + i),
           test::randomBytes(450000, quint32(i)).toStdString());
  }
  QVERIFY(f_.goTo(QStringLiteral("/big")));
  int offered = 0;
  qint64 offeredTotal = 0;
  f_.window->setCacheLimitPrompt([&](qint64 total, qint64 limit) {
    ++offered;
    offeredTotal = total;
    return limit == (1 << 20);
  });
  CacheView* cache = f_.window->cacheView();
  int planned = 0;
  cache->setPlanConfirmer([&](const QStringList& names, qint64) {
    ++planned;
    return !names.isEmpty();
  });
  // One file at a time, as an operator would: under the limit, then over.
  QSignalSpy opened(f_.window.get(), &MainWindow::opened);
  for (int i = 0; i < 3; ++i) {
    QVERIFY(f_.select({QStringLiteral("/big/f%1.bin").arg(i)}));
    f_.window->openSelected();
    QTRY_COMPARE_WITH_TIMEOUT(opened.count(), i + 1, 20000);
  }
  if (automatic) {
    QTRY_VERIFY_WITH_TIMEOUT(!cache->isBusy() && cache->model()->rowCount() > 0 && cache->model()->totalBytes() <= (1 << 20), 20000);
    QCOMPARE(offered, 0);
    QCOMPARE(planned, 0);
  } else {
    QTRY_COMPARE_WITH_TIMEOUT(offered, 1, 20000);
    QVERIFY(offeredTotal > (1 << 20));
    QTRY_COMPARE_WITH_TIMEOUT(planned, 1, 20000);
    QTRY_VERIFY_WITH_TIMEOUT(!cache->isBusy() && cache->model()->totalBytes() <= (1 << 20), 20000);
    QCOMPARE(f_.window->tabs()->currentWidget(), cache);
  }
  QTRY_VERIFY(f_.window->statusText().contains(QStringLiteral("Cache: ")));
  test::pause(200);
  QCOMPARE(offered, automatic ? 0 : 1);  // once, not again and again
}

// Quit with transfers running: Return in the question quit and cancelled
// them. Now the default (Return, Esc) keeps the program running.
void TestUiOperator::quitDuringTransfersDefaultsToKeepRunning() {
  f_.put("/q/file.bin", test::randomBytes(1 << 20, 7).toStdString());
  TransferQueue* queue = f_.window->session()->transfers();
  queue->setConcurrencyLimit(1);
  const QString dest = f_.local(QStringLiteral("quit"));
  for (int i = 0; i < 3; ++i) {
    queue->enqueueDownload(DownloadRequest{QStringLiteral("/q/file.bin"), dest + QStringLiteral("/f%1.bin").arg(i), false});
  }
  QString defaultButton;
  QString escapeButton;
  bool answered = false;
  test::answerNextModal(
      [&](QWidget* dialog) {
        auto* box = qobject_cast<QMessageBox*>(dialog);
        QVERIFY(box);
        defaultButton = box->defaultButton()->text().remove(QLatin1Char('&'));
        escapeButton = box->escapeButton() ? box->escapeButton()->text().remove(QLatin1Char('&')) : QString();
        QTest::keyClick(box, Qt::Key_Return);
      },
      &answered);
  QVERIFY(!f_.window->close());  // the close is refused
  QVERIFY(answered);
  QCOMPARE(defaultButton, QStringLiteral("Keep running"));
  QCOMPARE(escapeButton, QStringLiteral("Keep running"));
  QVERIFY(f_.window->isVisible());
  for (int r = 0; r < queue->model()->rowCount(); ++r) QVERIFY(queue->model()->at(r).state != Transfer::State::Cancelled);
  QTRY_VERIFY_WITH_TIMEOUT(queue->pendingCount() == 0, 20000);
  QCOMPARE(test::readFile(dest + QStringLiteral("/f2.bin")).size(), 1 << 20);

  // Choosing to quit cancels them.
  queue->enqueueDownload(DownloadRequest{QStringLiteral("/q/file.bin"), dest + QStringLiteral("/g.bin"), false});
  test::answerNextModal([&](QWidget* dialog) {
    auto* box = qobject_cast<QMessageBox*>(dialog);
    QVERIFY(box);
    test::buttonLabelled(box, QStringLiteral("Cancel transfers and quit"))->click();
  });
  QVERIFY(f_.window->close());
  QVERIFY(!f_.window->isVisible());
  // A running job's cancel ends it from the event loop (its reply's abort,
  // a worker thread's flag), so the count may drop a moment later.
  QTRY_COMPARE_WITH_TIMEOUT(queue->pendingCount(), 0, 10000);
  // Nothing half-written: g.bin is absent or whole, and no temporary file.
  const QStringList left = QDir(dest).entryList(QDir::Files | QDir::Hidden);
  for (const QString& name : left)
    QVERIFY2(QStringList({"f0.bin", "f1.bin", "f2.bin", "g.bin"}).contains(name), qPrintable(left.join(' ')));
  if (left.contains(QStringLiteral("g.bin"))) QCOMPARE(test::readFile(dest + QStringLiteral("/g.bin")).size(), 1 << 20);
}

QTEST_MAIN(TestUiOperator)
#include "test_ui_operator.moc"
