// Archives in the GUI (issue 13), on the real main window against the real
// filetracker-server: "Upload archive as folder…" unpacks a zip into a tree
// on the server, byte for byte and with the entries' mtimes as versions; an
// archive dropped onto the Remote view asks whether to upload the file or
// unpack it (and "Remember until I quit" stops asking); "Download as
// archive…" packs a folder or a selection into .zip / .tar / .tar.gz with
// versions as mtimes; cancelling an unpack half-way stops it (the rest is
// not uploaded); a hostile archive is refused with one message listing its
// entries and nothing is stored. Archives are made in the test.
#include <QCheckBox>
#include <QLineEdit>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QSettings>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTabWidget>
#include <QTreeView>

#include <iterator>
#include <map>

#include "archive_maker.hpp"
#include "content.hpp"
#include "event_loop_wait.hpp"
#include "files.hpp"
#include "access_file.hpp"
#include "holding_proxy.hpp"
#include "i18n/translations.hpp"
#include "settings_isolation.hpp"
#include "temp_dirs.hpp"
#include "tls_certificate.hpp"
#include "widgets/certificate_dialog.hpp"
#include "widgets/login_dialog.hpp"
#include "transfers/archive_task.hpp"
#include "widgets/drop_views.hpp"
#include "widgets/main_actions.hpp"
#include "widgets/transfers_dock.hpp"
#include "window_fixture.hpp"

using namespace ft::ui;

namespace {

void sendDrop(QWidget* viewport, const QStringList& localPaths) {
  QMimeData mime;
  QList<QUrl> urls;
  for (const QString& p : localPaths) urls << QUrl::fromLocalFile(p);
  mime.setUrls(urls);
  const QPoint pos(20, 20);
  QDragEnterEvent enter(pos, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
  QCoreApplication::sendEvent(viewport, &enter);
  QVERIFY(enter.isAccepted());
  QDropEvent drop(QPointF(pos), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
  QCoreApplication::sendEvent(viewport, &drop);
  QVERIFY(drop.isAccepted());
}

using Tree = std::map<std::string, QByteArray>;

}  // namespace

class TestUiArchives : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase();
  void init();
  void cleanup();
  void actionsInTheMenus();
  void unpackViaTheAction();
  void dropAsksUploadOrUnpack();
  void downloadFolderAsArchive_data();
  void downloadFolderAsArchive();
  void downloadSelectionAsArchive();
  void cancelMidUnpackStopsTheRest();
  void cancelMidPackLeavesNoArchive();
  void hostileArchiveRefusedWithOneMessage();
  void signedInOverTlsAsTheWindowIs();
  void localStoreUnpacksAndPacks();

 private:
  // Every file below `dir` on the server: name -> content (straight from
  // the server, not through the GUI).
  Tree serverTree(const QString& dir, const QString& url = {});
  qint64 serverVersion(const std::string& name);
  // The one archive row's end (Finished, Failed or Cancelled).
  const Transfer* waitForArchiveRow(int row, int ms = 60000);
  test::WindowFixture f_;
};

void TestUiArchives::initTestCase() {
  f_.work = std::make_unique<QTemporaryDir>(test::tempTemplate(QStringLiteral("ft-ui-archives")));
  QVERIFY(f_.work->isValid());
  test::isolateSettings(f_.work->filePath(QStringLiteral("settings")));
  QCOMPARE(installTranslations(QLocale(QLocale::English, QLocale::UnitedStates)), QStringLiteral("en"));
}

void TestUiArchives::init() {
  QSettings().clear();
  f_.server = std::make_unique<TestServer>();
  QVERIFY2(f_.server->start(), "the real filetracker-server must start");
  f_.window = std::make_unique<MainWindow>();
  f_.window->show();
  f_.window->session()->setUrlOpener([](const QUrl&) { return true; });
  QVERIFY(f_.open(f_.profileFor(f_.server->url())));
}

void TestUiArchives::cleanup() {
  if (f_.window) f_.window->session()->transfers()->cancelAll();
  f_.window.reset();
  f_.server.reset();
}

Tree TestUiArchives::serverTree(const QString& dir, const QString& url) {
  ft::RemoteDataStore remote((url.isEmpty() ? f_.server->url() : url).toStdString());
  Tree tree;
  ft::RemoteListing listing;
  try {
    listing = remote.list(dir.toStdString(), true, true);
  } catch (const std::exception&) {
    return tree;  // no such directory: nothing below it
  }
  for (const ft::RemoteEntry& e : listing.files) {
    ft::DataStore::Stream s = remote.get_stream(e.name);
    tree[e.name] = QByteArray::fromStdString(std::string(std::istreambuf_iterator<char>(*s.stream), {}));
  }
  return tree;
}

qint64 TestUiArchives::serverVersion(const std::string& name) {
  ft::RemoteDataStore remote(f_.server->url().toStdString());
  return qint64(remote.head(name).version);
}

const Transfer* TestUiArchives::waitForArchiveRow(int row, int ms) {
  TransferQueue* queue = f_.window->session()->transfers();
  if (!QTest::qWaitFor([&] { return queue->model()->rowCount() > row && queue->model()->at(row).isOver(); }, ms))
    return nullptr;
  return &queue->model()->at(row);
}

namespace {

// The actions of the context menu `open` pops up (then closed).
QList<QAction*> popupActions(const std::function<void()>& open) {
  QList<QAction*> actions;
  QTimer poll;
  poll.setInterval(20);
  QObject::connect(&poll, &QTimer::timeout, [&] {
    if (auto* menu = qobject_cast<QMenu*>(QApplication::activePopupWidget())) {
      actions = menu->actions();
      menu->close();
    }
  });
  poll.start();
  open();  // QMenu::exec: returns once the menu is closed
  return actions;
}

}  // namespace

// Both actions are in the File menu and in the file table's context menu;
// "Upload archive as folder…" also in the tree's.
void TestUiArchives::actionsInTheMenus() {
  const MainActions* a = f_.window->actions();
  QMenu* file = nullptr;
  for (QAction* top : f_.window->menuBar()->actions()) {
    if (top->menu() && top->menu()->actions().contains(a->uploadFiles)) file = top->menu();
  }
  QVERIFY(file);
  QVERIFY(file->actions().contains(a->uploadArchive));
  QVERIFY(file->actions().contains(a->downloadArchive));
  QCOMPARE(a->uploadArchive->text().remove(QLatin1Char('&')), QStringLiteral("Upload archive as folder…"));
  QCOMPARE(a->downloadArchive->text().remove(QLatin1Char('&')), QStringLiteral("Download as archive…"));
  FileTableView* table = f_.window->fileView();
  const QList<QAction*> inTable = popupActions([&] { emit table->customContextMenuRequested(QPoint(10, 10)); });
  QVERIFY(inTable.contains(a->uploadArchive));
  QVERIFY(inTable.contains(a->downloadArchive));
  DirectoryTreeView* tree = f_.window->treeView();
  const QList<QAction*> inTree = popupActions([&] { emit tree->customContextMenuRequested(QPoint(10, 10)); });
  QVERIFY(inTree.contains(a->uploadArchive));
  // Not for the cache: the Cache tab turns them off.
  f_.window->tabs()->setCurrentIndex(1);
  QVERIFY(!a->uploadArchive->isEnabled());
  QVERIFY(!a->downloadArchive->isEnabled());
  f_.window->tabs()->setCurrentIndex(0);
  QVERIFY(a->uploadArchive->isEnabled());
}

// A zip with nested folders, Polish names and an empty file, unpacked by
// the menu action into the folder it proposes (the archive's name in the
// current folder): the same tree on the server, byte for byte, each file
// with its entry's mtime as version; the view shows the new folder.
void TestUiArchives::unpackViaTheAction() {
  const QByteArray big = test::randomBytes(300 * 1024, 3);
  test::ArchiveEntrySpec folder;
  folder.path = "testy/";
  folder.kind = test::ArchiveEntrySpec::Kind::Directory;
  const std::vector<test::ArchiveEntrySpec> entries = {
      folder,
      test::fileEntry("opis.txt", "Zadanie: policz sumę.\n", 1500000000),
      test::fileEntry("testy/wejście/1.in", "1 2\n", 1500000100),
      test::fileEntry("testy/wyjście/1.out", "3\n", 1500000200),
      test::fileEntry("testy/pusty.txt", QByteArray(), 1500000300),
      test::fileEntry("źródła/głęboko/w/środku/rozw.cpp", big, 1500000400),
  };
  const QString zip = f_.local(QStringLiteral("in/zadanie.zip"));
  QVERIFY(QDir().mkpath(f_.local(QStringLiteral("in"))));
  QCOMPARE(test::makeArchive(zip, QStringLiteral("zip"), entries), QString());
  // The entry "testy/" is a directory: it stores nothing of its own.

  QString proposed;
  f_.window->setArchiveChooser([&] { return zip; });
  f_.window->setArchiveTargetChooser([&](const QString& p) {
    proposed = p;
    return p;
  });
  QAction* action = f_.window->actions()->uploadArchive;
  QVERIFY(action->isEnabled());
  QVERIFY(action->text().contains(QStringLiteral("archive")));
  action->trigger();
  QCOMPARE(proposed, QStringLiteral("/zadanie"));
  const Transfer* t = waitForArchiveRow(0);
  QVERIFY(t);
  QVERIFY2(t->state == Transfer::State::Finished, qPrintable(t->error));
  QCOMPARE(t->kind, Transfer::Kind::ArchiveUpload);
  QCOMPARE(t->entriesDone, qint64(5));
  QCOMPARE(t->entriesTotal, qint64(5));
  TransferModel* model = f_.window->session()->transfers()->model();
  QCOMPARE(model->index(0, TransferModel::NameColumn).data().toString(), QStringLiteral("zadanie.zip → /zadanie"));
  const QString state = model->index(0, TransferModel::StateColumn).data().toString();
  QVERIFY2(state.startsWith(QStringLiteral("Done")) && state.contains(QStringLiteral("5 files stored")), qPrintable(state));
  QCOMPARE(model->index(0, TransferModel::ProgressColumn).data().toString(), QStringLiteral("5 of 5 files · 100.0%"));

  const Tree expected = {
      {"/zadanie/opis.txt", "Zadanie: policz sumę.\n"},
      {"/zadanie/testy/pusty.txt", QByteArray()},
      {"/zadanie/testy/wejście/1.in", "1 2\n"},
      {"/zadanie/testy/wyjście/1.out", "3\n"},
      {"/zadanie/źródła/głęboko/w/środku/rozw.cpp", big},
  };
  QVERIFY(serverTree(QStringLiteral("/zadanie")) == expected);
  QCOMPARE(serverVersion("/zadanie/opis.txt"), qint64(1500000000));
  QCOMPARE(serverVersion("/zadanie/testy/pusty.txt"), qint64(1500000300));
  QCOMPARE(serverVersion("/zadanie/źródła/głęboko/w/środku/rozw.cpp"), qint64(1500000400));
  // The view refreshed by itself: the new folder is a row of "/".
  QTRY_VERIFY_WITH_TIMEOUT(f_.rowNames().contains(QStringLiteral("/zadanie")), 10000);
  QVERIFY(f_.goTo(QStringLiteral("/zadanie/testy")));
  QCOMPARE(f_.rowNames(), (QStringList{QStringLiteral("/zadanie/testy/wejście"), QStringLiteral("/zadanie/testy/wyjście"),
                                       QStringLiteral("/zadanie/testy/pusty.txt")}));
}

// Dropping an archive asks; "Upload the archive file" stores the .zip as
// it is, "Unpack into a folder" makes a folder of its name; with "Remember
// until I quit" ticked the next archive dropped is unpacked without asking
// (and a new window, as after a restart, asks again: nothing was saved).
void TestUiArchives::dropAsksUploadOrUnpack() {
  QVERIFY(QDir().mkpath(f_.local(QStringLiteral("drop"))));
  const QString a = f_.local(QStringLiteral("drop/a.zip"));
  const QString b = f_.local(QStringLiteral("drop/b.tar.gz"));
  const QString c = f_.local(QStringLiteral("drop/c.zip"));
  QCOMPARE(test::makeArchive(a, QStringLiteral("zip"), {test::fileEntry("a1.txt", "a one\n")}), QString());
  QCOMPARE(test::makeArchive(b, QStringLiteral("tar.gz"), {test::fileEntry("dir/b1.txt", "b one\n")}), QString());
  QCOMPARE(test::makeArchive(c, QStringLiteral("zip"), {test::fileEntry("ć.txt", "c one\n")}), QString());
  TransferQueue* queue = f_.window->session()->transfers();
  QWidget* viewport = f_.window->fileView()->viewport();

  // 1. Upload the archive file.
  bool answered = false;
  QString question;
  test::answerNextModal(
      [&](QWidget* dialog) {
        auto* box = qobject_cast<QMessageBox*>(dialog);
        QVERIFY(box);
        QCOMPARE(box->objectName(), QStringLiteral("archiveDropPrompt"));
        question = box->text();
        QVERIFY(box->checkBox());
        QCOMPARE(box->checkBox()->text().remove(QLatin1Char('&')), QStringLiteral("Remember until I quit"));
        QAbstractButton* upload = test::buttonLabelled(box, QStringLiteral("Upload the archive file"));
        QVERIFY(upload);
        QVERIFY(test::buttonLabelled(box, QStringLiteral("Unpack into a folder")));
        upload->click();
      },
      &answered);
  QSignalSpy uploads(f_.window.get(), &MainWindow::uploadsFinished);
  sendDrop(viewport, {a});
  QTRY_VERIFY_WITH_TIMEOUT(answered, 10000);
  QVERIFY2(question.contains(QStringLiteral("a.zip")), qPrintable(question));
  QTRY_COMPARE_WITH_TIMEOUT(uploads.count(), 1, 20000);
  QCOMPARE(uploads.at(0).at(0).toInt(), 1);
  QCOMPARE(serverTree(QStringLiteral("/")).size(), std::size_t(1));
  QCOMPARE(serverTree(QStringLiteral("/"))["/a.zip"], test::readFile(a));
  QCOMPARE(queue->model()->rowCount(), 1);  // one plain upload, no archive row

  // 2. Unpack into a folder, remembered.
  answered = false;
  test::answerNextModal(
      [&](QWidget* dialog) {
        auto* box = qobject_cast<QMessageBox*>(dialog);
        QVERIFY(box);
        box->checkBox()->setChecked(true);
        test::buttonLabelled(box, QStringLiteral("Unpack into a folder"))->click();
      },
      &answered);
  sendDrop(viewport, {b});
  QTRY_VERIFY_WITH_TIMEOUT(answered, 10000);
  const Transfer* t = waitForArchiveRow(1);
  QVERIFY(t);
  QVERIFY2(t->state == Transfer::State::Finished, qPrintable(t->error));
  QCOMPARE(t->archive.remoteDirectory, QStringLiteral("/b"));
  QVERIFY(serverTree(QStringLiteral("/b")) == (Tree{{"/b/dir/b1.txt", "b one\n"}}));

  // 3. No question this time: unpacked straight away (a prompt would be
  // closed by the watch, and counted).
  bool prompted = false;
  QTimer watch;
  watch.setInterval(20);
  connect(&watch, &QTimer::timeout, this, [&] {
    if (QWidget* modal = QApplication::activeModalWidget()) {
      prompted = true;
      modal->close();
    }
  });
  watch.start();
  sendDrop(viewport, {c});
  t = waitForArchiveRow(2);
  watch.stop();
  QVERIFY(t);
  QVERIFY2(t->state == Transfer::State::Finished, qPrintable(t->error));
  QVERIFY(!prompted);
  QVERIFY(serverTree(QStringLiteral("/c")) == (Tree{{"/c/ć.txt", "c one\n"}}));
  QVERIFY(!f_.curl()->exists("/c.zip"));
  QTRY_VERIFY_WITH_TIMEOUT(f_.rowNames().contains(QStringLiteral("/c")), 10000);

  // A new window (the GUI started again) asks again: the answer was not saved.
  QVERIFY(QApplication::activeModalWidget() == nullptr);
  f_.window.reset();
  f_.window = std::make_unique<MainWindow>();
  f_.window->show();
  QVERIFY(f_.open(f_.profileFor(f_.server->url())));
  answered = false;
  test::answerNextModal(
      [&](QWidget* dialog) {
        auto* box = qobject_cast<QMessageBox*>(dialog);
        QVERIFY(box);
        box->button(QMessageBox::Cancel)->click();
      },
      &answered);
  sendDrop(f_.window->fileView()->viewport(), {c});
  QTRY_VERIFY_WITH_TIMEOUT(answered, 10000);
  test::pause(300);
  QCOMPARE(f_.window->session()->transfers()->model()->rowCount(), 0);  // cancelled: nothing queued
}

void TestUiArchives::downloadFolderAsArchive_data() {
  QTest::addColumn<QString>("extension");
  QTest::newRow("zip") << QStringLiteral(".zip");
  QTest::newRow("tar.gz") << QStringLiteral(".tar.gz");
}

// A folder selected, "Download as archive…": the archive holds every file
// below it, paths relative to it, contents identical, mtimes = versions.
// Unpacked into another folder again, the files keep those versions.
void TestUiArchives::downloadFolderAsArchive() {
  QFETCH(QString, extension);
  const QByteArray big = test::randomBytes(200 * 1024, 9);
  f_.put("/d/x.txt@1500000000", "iks\n");
  f_.put("/d/sub/żółć.txt@1500000100", "żółć\n");
  f_.put("/d/sub/deeper/big.bin@1500000200", big.toStdString());
  f_.put("/d/empty@1500000300", "");
  f_.put("/other.txt@1500000400", "not in the folder\n");
  f_.window->browser()->refresh();
  QVERIFY(f_.waitForDirectory(QStringLiteral("/")));
  QTRY_VERIFY_WITH_TIMEOUT(f_.rowOf(QStringLiteral("/d")).isValid(), 10000);
  QVERIFY(f_.select({QStringLiteral("/d")}));
  QAction* action = f_.window->actions()->downloadArchive;
  QVERIFY(action->isEnabled());
  const QString out = f_.local(QStringLiteral("out-%1/d%2").arg(QString::fromLatin1(QTest::currentDataTag()), extension));
  QVERIFY(QDir().mkpath(QFileInfo(out).path()));
  QString proposed;
  f_.window->setArchiveSaveChooser([&](const QString& p) {
    proposed = p;
    return out;
  });
  action->trigger();
  QVERIFY2(proposed.endsWith(QStringLiteral("/d.zip")), qPrintable(proposed));
  const Transfer* t = waitForArchiveRow(0);
  QVERIFY(t);
  QVERIFY2(t->state == Transfer::State::Finished, qPrintable(t->error));
  QCOMPARE(t->kind, Transfer::Kind::ArchiveDownload);
  QCOMPARE(t->entriesDone, qint64(4));
  QCOMPARE(f_.window->session()->transfers()->model()->index(0, TransferModel::NameColumn).data().toString(),
           QStringLiteral("/d → d") + extension);

  QString error;
  const auto read = test::readArchive(out, &error);
  QCOMPARE(error, QString());
  std::map<std::string, test::ReadBackEntry> got(read.begin(), read.end());
  const std::map<std::string, test::ReadBackEntry> expected = {
      {"empty", {QByteArray(), 1500000300}},
      {"sub/deeper/big.bin", {big, 1500000200}},
      {"sub/żółć.txt", {"żółć\n", 1500000100}},
      {"x.txt", {"iks\n", 1500000000}},
  };
  QCOMPARE(got.size(), expected.size());
  for (const auto& [path, entry] : expected) {
    QVERIFY2(got.count(path), path.c_str());
    QVERIFY2(got[path].content == entry.content, path.c_str());
    QCOMPARE(got[path].mtime, entry.mtime);
  }

  // Round trip: the archive unpacked into /copy keeps contents and versions.
  QVERIFY(f_.window->unpackArchive(out, QStringLiteral("/copy")));
  t = waitForArchiveRow(1);
  QVERIFY(t);
  QVERIFY2(t->state == Transfer::State::Finished, qPrintable(t->error));
  const Tree copy = serverTree(QStringLiteral("/copy"));
  const Tree original = serverTree(QStringLiteral("/d"));
  QCOMPARE(copy.size(), original.size());
  for (const auto& [name, content] : original) {
    const std::string copied = "/copy" + name.substr(2);
    QVERIFY2(copy.count(copied) && copy.at(copied) == content, copied.c_str());
    QCOMPARE(serverVersion(copied), serverVersion(name));
  }
}

// A selection (a file and a folder in /d): just those, relative to /d.
void TestUiArchives::downloadSelectionAsArchive() {
  f_.put("/d/x.txt@1500000000", "iks\n");
  f_.put("/d/y.txt@1500000050", "igrek\n");
  f_.put("/d/sub/ż.txt@1500000100", "żet\n");
  f_.put("/d/sub2/no.txt@1500000200", "not selected\n");
  QVERIFY(f_.goTo(QStringLiteral("/d")));
  QVERIFY(f_.select({QStringLiteral("/d/x.txt"), QStringLiteral("/d/sub")}));
  const QString out = f_.local(QStringLiteral("sel/picked.tar"));
  QVERIFY(QDir().mkpath(QFileInfo(out).path()));
  f_.window->setArchiveSaveChooser([&](const QString&) { return out; });
  // From the file table's context menu, as the user reaches it.
  QVERIFY(f_.window->actions()->downloadArchive->isEnabled());
  f_.window->actions()->downloadArchive->trigger();
  const Transfer* t = waitForArchiveRow(0);
  QVERIFY(t);
  QVERIFY2(t->state == Transfer::State::Finished, qPrintable(t->error));
  QString error;
  const auto read = test::readArchive(out, &error);
  QCOMPARE(error, QString());
  std::map<std::string, test::ReadBackEntry> got(read.begin(), read.end());
  QCOMPARE(got.size(), std::size_t(2));
  QCOMPARE(got["x.txt"].content, QByteArray("iks\n"));
  QCOMPARE(got["x.txt"].mtime, 1500000000LL);
  QCOMPARE(got["sub/ż.txt"].content, QByteArray("żet\n"));
  QCOMPARE(got["sub/ż.txt"].mtime, 1500000100LL);

  // A name the writer has no format for: refused before anything starts.
  f_.window->setArchiveSaveChooser([&](const QString&) { return f_.local(QStringLiteral("sel/picked.rar")); });
  f_.window->actions()->downloadArchive->trigger();
  QVERIFY2(f_.window->statusBar()->currentMessage().contains(QStringLiteral(".tar.zst")),
           qPrintable(f_.window->statusBar()->currentMessage()));
  QCOMPARE(f_.window->session()->transfers()->model()->rowCount(), 1);
  QVERIFY(!QFileInfo::exists(f_.local(QStringLiteral("sel/picked.rar"))));
}

// Unpacking through a proxy that lets the upload trickle: once the first
// file is stored, the proxy holds the next one in flight and the user
// cancels the row in the Transfers dock: the row says Cancelled and the
// files after it never reach the server.
void TestUiArchives::cancelMidUnpackStopsTheRest() {
  test::HoldingProxy proxy(f_.server->port(), test::HoldingProxy::Held::ToServer, 16 * 1024, 100);
  QVERIFY(proxy.listening());
  QVERIFY(f_.open(f_.profileFor(proxy.url())));
  std::vector<test::ArchiveEntrySpec> entries;
  for (int i = 0; i < 5; ++i) {
    entries.push_back(test::fileEntry("f" + std::to_string(i) + ".bin", test::randomBytes(128 * 1024, quint32(i + 1))));
  }
  const QString zip = f_.local(QStringLiteral("cancel/big.zip"));
  QVERIFY(QDir().mkpath(QFileInfo(zip).path()));
  QCOMPARE(test::makeArchive(zip, QStringLiteral("zip-store"), entries), QString());
  QVERIFY(f_.window->unpackArchive(zip, QStringLiteral("/big")));
  TransferQueue* queue = f_.window->session()->transfers();
  QTRY_COMPARE_WITH_TIMEOUT(queue->model()->rowCount(), 1, 10000);
  // Running, and the first file stored.
  QTRY_VERIFY_WITH_TIMEOUT(queue->model()->at(0).entriesDone >= 1, 60000);
  QCOMPARE(queue->model()->at(0).state, Transfer::State::Running);
  QCOMPARE(queue->model()->index(0, TransferModel::StateColumn).data().toString(), QStringLiteral("Unpacking"));
  const QString progress = queue->model()->index(0, TransferModel::ProgressColumn).data().toString();
  QVERIFY2(progress.contains(QStringLiteral(" of 5 files · ")) && progress.endsWith(QLatin1Char('%')), qPrintable(progress));
  proxy.hold();
  QTRY_VERIFY_WITH_TIMEOUT(proxy.holding(), 10000);
  QVERIFY(!queue->model()->at(0).isOver());
  TransfersDock* dock = f_.window->transfersDock();
  dock->view()->selectionModel()->select(queue->model()->index(0, 0), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
  QVERIFY(dock->cancelAction()->isEnabled());
  dock->cancelAction()->trigger();
  QTRY_COMPARE_WITH_TIMEOUT(queue->model()->at(0).state, Transfer::State::Cancelled, 20000);
  proxy.release();
  test::pause(500);
  const Tree stored = serverTree(QStringLiteral("/big"));
  QVERIFY2(stored.size() >= 1 && stored.size() < 3, qPrintable(QString::number(stored.size())));
  QVERIFY(stored.count("/big/f0.bin"));
  QVERIFY(!stored.count("/big/f3.bin"));
  QVERIFY(!stored.count("/big/f4.bin"));
  QVERIFY(queue->model()->index(0, TransferModel::StateColumn).data().toString() == QStringLiteral("Cancelled"));

  // Retry finishes the job and does not send again what is there.
  dock->view()->selectionModel()->select(queue->model()->index(0, 0), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
  QVERIFY(dock->retryAction()->isEnabled());
  dock->retryAction()->trigger();
  QTRY_VERIFY_WITH_TIMEOUT(queue->model()->at(0).isOver(), 120000);
  QVERIFY2(queue->model()->at(0).state == Transfer::State::Finished, qPrintable(queue->model()->at(0).error));
  const QString done = queue->model()->index(0, TransferModel::StateColumn).data().toString();
  const QString expectedDone = QStringLiteral("Done: %1 files stored, %2 already there (not sent)")
                                   .arg(5 - int(stored.size()))
                                   .arg(stored.size());
  QVERIFY2(done.startsWith(expectedDone), qPrintable(done));
  QCOMPARE(serverTree(QStringLiteral("/big")).size(), std::size_t(5));
}

// Packing through a proxy that trickles the downloads: cancelled once the
// first file is in the archive, the row says Cancelled and no archive (nor
// any temporary file) is left in the folder.
void TestUiArchives::cancelMidPackLeavesNoArchive() {
  for (int i = 0; i < 5; ++i) {
    f_.put("/pack/f" + std::to_string(i) + ".bin@150000000" + std::to_string(i),
           test::randomBytes(128 * 1024, quint32(i + 10)).toStdString());
  }
  test::HoldingProxy proxy(f_.server->port(), test::HoldingProxy::Held::ToClient, 16 * 1024, 100);
  QVERIFY(proxy.listening());
  QVERIFY(f_.open(f_.profileFor(proxy.url())));
  QTRY_VERIFY_WITH_TIMEOUT(f_.rowOf(QStringLiteral("/pack")).isValid(), 10000);
  QVERIFY(f_.select({QStringLiteral("/pack")}));
  const QString dir = f_.local(QStringLiteral("pack-out"));
  QVERIFY(QDir().mkpath(dir));
  f_.window->setArchiveSaveChooser([&](const QString&) { return dir + QStringLiteral("/pack.zip"); });
  f_.window->actions()->downloadArchive->trigger();
  TransferQueue* queue = f_.window->session()->transfers();
  QTRY_COMPARE_WITH_TIMEOUT(queue->model()->rowCount(), 1, 10000);
  QTRY_VERIFY_WITH_TIMEOUT(queue->model()->at(0).entriesDone >= 1, 60000);
  QCOMPARE(queue->model()->index(0, TransferModel::StateColumn).data().toString(), QStringLiteral("Packing"));
  QVERIFY(queue->model()->index(0, TransferModel::ProgressColumn).data().toString().contains(QStringLiteral(" of 5 files · ")));
  proxy.hold();
  QTRY_VERIFY_WITH_TIMEOUT(proxy.holding(), 10000);
  QVERIFY(!queue->model()->at(0).isOver());
  queue->cancel(queue->model()->at(0).id);
  QTRY_COMPARE_WITH_TIMEOUT(queue->model()->at(0).state, Transfer::State::Cancelled, 20000);
  proxy.release();
  QCOMPARE(test::entries(dir, QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot), QStringList());
}

// "../x", an absolute path and a symbolic link: one message names each of
// them, the row failed, nothing is stored (not even the good file beside
// them). 25 bad entries: the first 20 and "…and 5 more".
void TestUiArchives::hostileArchiveRefusedWithOneMessage() {
  test::ArchiveEntrySpec link;
  link.path = "link";
  link.kind = test::ArchiveEntrySpec::Kind::Symlink;
  link.target = "/etc/passwd";
  const QString zip = f_.local(QStringLiteral("hostile/evil.zip"));
  QVERIFY(QDir().mkpath(QFileInfo(zip).path()));
  QCOMPARE(test::makeArchive(zip, QStringLiteral("zip"),
                             {test::fileEntry("ok.txt", "fine\n"), test::fileEntry("../x", "up\n"),
                              test::fileEntry("/abs.txt", "root\n"), link}),
           QString());
  QVERIFY(f_.window->unpackArchive(zip, QStringLiteral("/h")));
  const Transfer* t = waitForArchiveRow(0);
  QVERIFY(t);
  QCOMPARE(t->state, Transfer::State::Failed);
  QCOMPARE(t->refusedEntries.size(), 3);
  QMessageBox* box = nullptr;
  QTRY_VERIFY_WITH_TIMEOUT((box = f_.window->findChild<QMessageBox*>(QStringLiteral("archiveRefusal"))) != nullptr, 5000);
  QVERIFY(box->isVisible());
  QVERIFY2(box->text().contains(QStringLiteral("evil.zip")) && box->text().contains(QStringLiteral("nothing was stored")),
           qPrintable(box->text()));
  const QStringList lines = box->informativeText().split(QLatin1Char('\n'));
  QCOMPARE(lines.size(), 3);
  QVERIFY2(box->informativeText().contains(QStringLiteral("\"../x\"")), qPrintable(box->informativeText()));
  QVERIFY2(box->informativeText().contains(QStringLiteral("\"/abs.txt\"")), qPrintable(box->informativeText()));
  QVERIFY2(box->informativeText().contains(QStringLiteral("\"link\"")), qPrintable(box->informativeText()));
  QVERIFY(serverTree(QStringLiteral("/")).empty());
  const QString tip = f_.window->session()->transfers()->model()->index(0, 0).data(Qt::ToolTipRole).toString();
  QVERIFY2(tip.contains(QStringLiteral("../x")), qPrintable(tip));
  box->close();
  QTRY_VERIFY(!f_.window->findChild<QMessageBox*>(QStringLiteral("archiveRefusal")));

  std::vector<test::ArchiveEntrySpec> many;
  for (int i = 0; i < 25; ++i) {
    test::ArchiveEntrySpec l = link;
    l.path = "l" + std::to_string(i);
    many.push_back(l);
  }
  const QString tgz = f_.local(QStringLiteral("hostile/links.tar.gz"));
  QCOMPARE(test::makeArchive(tgz, QStringLiteral("tar.gz"), many), QString());
  QVERIFY(f_.window->unpackArchive(tgz, QStringLiteral("/links")));
  t = waitForArchiveRow(1);
  QVERIFY(t);
  QCOMPARE(t->state, Transfer::State::Failed);
  QTRY_VERIFY_WITH_TIMEOUT((box = f_.window->findChild<QMessageBox*>(QStringLiteral("archiveRefusal"))) != nullptr, 5000);
  const QStringList shown = box->informativeText().split(QLatin1Char('\n'));
  QCOMPARE(shown.size(), 21);
  QCOMPARE(shown.last(), QStringLiteral("…and 5 more"));
  QVERIFY(serverTree(QStringLiteral("/")).empty());
  box->close();
}

// A server with --auth (no anonymous access) over HTTPS with a self-signed
// certificate: the user accepts the certificate once and signs in in the
// window's prompts; the archive transfers (core's libcurl, not the
// window's QNetworkAccessManager) go as that user and trust that
// certificate, both ways. Nothing is read from the environment or ~/.netrc.
void TestUiArchives::signedInOverTlsAsTheWindowIs() {
  test::TestCertificate cert;
  QVERIFY(cert.valid());
  test::TestAccessFile access;
  QVERIFY(access.add(QStringLiteral("op"), "op-secret-42", QStringLiteral("admin")));
  f_.window.reset();
  f_.server = std::make_unique<TestServer>(
      QString(), QStringList{QStringLiteral("--auth"), access.path(), QStringLiteral("--tls-cert"), cert.certFile(),
                             QStringLiteral("--tls-key"), cert.keyFile()});
  QVERIFY(f_.server->start());
  const QString url = f_.server->url();
  QVERIFY(url.startsWith(QStringLiteral("https://")));
  f_.window = std::make_unique<MainWindow>();
  f_.window->show();
  f_.window->openProfile(f_.profileFor(url), false);
  QTRY_VERIFY_WITH_TIMEOUT(f_.window->certificateDialog() && f_.window->certificateDialog()->isVisible(), 10000);
  QTest::mouseClick(f_.window->certificateDialog()->acceptOnceButton(), Qt::LeftButton);
  QTRY_VERIFY_WITH_TIMEOUT(f_.window->loginDialog() && f_.window->loginDialog()->isVisible(), 10000);
  LoginDialog* login = f_.window->loginDialog();
  login->findChild<QLineEdit*>(QStringLiteral("user"))->setText(QStringLiteral("op"));
  login->findChild<QLineEdit*>(QStringLiteral("secret"))->setText(QStringLiteral("op-secret-42"));
  login->accept();
  QVERIFY(QTest::qWaitFor([&] { return f_.window->session()->isReady(); }, 10000));
  QVERIFY(f_.waitForDirectory(QStringLiteral("/")));
  // Signed in: the server's /version tells op's level, and uploads are allowed.
  QTRY_VERIFY_WITH_TIMEOUT(f_.window->statusText().contains(QStringLiteral("op")), 10000);
  QTRY_VERIFY_WITH_TIMEOUT(f_.window->actions()->uploadArchive->isEnabled(), 10000);

  const QString zip = f_.local(QStringLiteral("tls/p.zip"));
  QVERIFY(QDir().mkpath(QFileInfo(zip).path()));
  QCOMPARE(test::makeArchive(zip, QStringLiteral("zip"), {test::fileEntry("a/ą.txt", "ą\n", 1500000000)}), QString());
  QVERIFY(f_.window->unpackArchive(zip, QStringLiteral("/p")));
  const Transfer* t = waitForArchiveRow(0);
  QVERIFY(t);
  QVERIFY2(t->state == Transfer::State::Finished, qPrintable(t->error));

  // Straight from the server, as op, trusting the certificate.
  ft::RemoteDataStore remote(url.toStdString());
  ft::RemoteAuth auth;
  auth.user = "op";
  auth.password = "op-secret-42";
  auth.netrc = false;
  auth.ca_file = cert.certFile().toStdString();
  remote.set_auth(auth);
  ft::DataStore::Stream s = remote.get_stream("/p/a/ą.txt");
  QCOMPARE(std::string(std::istreambuf_iterator<char>(*s.stream), {}), std::string("ą\n"));
  QCOMPARE(qint64(remote.head("/p/a/ą.txt").version), qint64(1500000000));

  // And back out as an archive.
  QTRY_VERIFY_WITH_TIMEOUT(f_.rowOf(QStringLiteral("/p")).isValid(), 10000);
  QVERIFY(f_.select({QStringLiteral("/p")}));
  const QString out = f_.local(QStringLiteral("tls/p-out.tar.zst"));
  f_.window->setArchiveSaveChooser([&](const QString&) { return out; });
  f_.window->actions()->downloadArchive->trigger();
  t = waitForArchiveRow(1);
  QVERIFY(t);
  QVERIFY2(t->state == Transfer::State::Finished, qPrintable(t->error));
  QString error;
  const auto read = test::readArchive(out, &error);
  QCOMPARE(error, QString());
  QCOMPARE(read.size(), std::size_t(1));
  QCOMPARE(read.front().first, std::string("a/ą.txt"));
  QCOMPARE(read.front().second.content, QByteArray("ą\n"));
  QCOMPARE(read.front().second.mtime, 1500000000LL);
}

// The local stand-alone store (a profile without a server): unpacked into
// its files/ tree, packed back out of it with the versions as mtimes.
void TestUiArchives::localStoreUnpacksAndPacks() {
  ConnectionProfile p = f_.profileFor(QString(), f_.local(QStringLiteral("local-store")));
  QVERIFY(f_.open(p));
  QVERIFY(!f_.window->session()->isRemote());
  const QString zip = f_.local(QStringLiteral("local/pkg.zip"));
  QVERIFY(QDir().mkpath(QFileInfo(zip).path()));
  QCOMPARE(test::makeArchive(zip, QStringLiteral("zip"),
                             {test::fileEntry("a/ł.txt", "łódź\n", 1500000000), test::fileEntry("c.txt", "", 1500000100)}),
           QString());
  QVERIFY(f_.window->unpackArchive(zip, QStringLiteral("/pkg")));
  const Transfer* t = waitForArchiveRow(0);
  QVERIFY(t);
  QVERIFY2(t->state == Transfer::State::Finished, qPrintable(t->error));
  QCOMPARE(test::readFile(p.cacheDirectory + QStringLiteral("/files/pkg/a/ł.txt")), QByteArray("łódź\n"));
  QVERIFY(QFileInfo(p.cacheDirectory + QStringLiteral("/files/pkg/c.txt")).isFile());
  QTRY_VERIFY_WITH_TIMEOUT(f_.rowOf(QStringLiteral("/pkg")).isValid(), 10000);
  QVERIFY(f_.select({QStringLiteral("/pkg")}));
  const QString out = f_.local(QStringLiteral("local/back.tar.gz"));
  f_.window->setArchiveSaveChooser([&](const QString&) { return out; });
  f_.window->actions()->downloadArchive->trigger();
  t = waitForArchiveRow(1);
  QVERIFY(t);
  QVERIFY2(t->state == Transfer::State::Finished, qPrintable(t->error));
  QString error;
  const auto read = test::readArchive(out, &error);
  QCOMPARE(error, QString());
  std::map<std::string, test::ReadBackEntry> got(read.begin(), read.end());
  QCOMPARE(got.size(), std::size_t(2));
  QCOMPARE(got["a/ł.txt"].content, QByteArray("łódź\n"));
  QCOMPARE(got["a/ł.txt"].mtime, 1500000000LL);
  QCOMPARE(got["c.txt"].content, QByteArray());
  QCOMPARE(got["c.txt"].mtime, 1500000100LL);
}

QTEST_MAIN(TestUiArchives)
#include "test_ui_archives.moc"
