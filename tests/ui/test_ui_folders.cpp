// Folders on the real main window against the real filetracker-server:
// subfolders first with what is below them, entering and leaving them with
// the mouse and the keys, back and forward, the path bar (Ctrl+L, a pasted
// name with @version), downloading and deleting a folder, the glob filter.
#include <QFileInfo>
#include <QLineEdit>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTableView>
#include <QTest>

#include "event_loop_wait.hpp"
#include "files.hpp"
#include "i18n/translations.hpp"
#include "settings_isolation.hpp"
#include "temp_dirs.hpp"
#include "widgets/drop_views.hpp"
#include "widgets/remote_view.hpp"
#include "window_fixture.hpp"

using namespace ft::ui;

class TestUiFolders : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase();
  void init();
  void cleanup();
  void subfoldersFirstWithTheirContent();
  void enterAndLeaveWithMouseAndKeys();
  void pathBarJumpsToPastedName_data();
  void pathBarJumpsToPastedName();
  void downloadFolderKeepsRelativePaths();
  void deleteFolderCountsAndConfirms();
  void realFolderDeleteDefaultsToCancel();
  void filterGlobsEscAndFolderChange_data();
  void filterGlobsEscAndFolderChange();

 private:
  void seedTree();
  FileTableView* table() const { return f_.window->fileView(); }
  QLineEdit* pathBar() const { return f_.window->findChild<QLineEdit*>(QStringLiteral("pathBar")); }
  void activate();

  test::WindowFixture f_;
  qint64 deepVersion_ = 1650000000;
};

void TestUiFolders::initTestCase() {
  f_.work = std::make_unique<QTemporaryDir>(test::tempTemplate(QStringLiteral("ft-ui-folders")));
  QVERIFY(f_.work->isValid());
  test::isolateSettings(f_.work->filePath(QStringLiteral("settings")));
  QCOMPARE(installTranslations(QLocale(QLocale::English, QLocale::UnitedStates)), QStringLiteral("en"));
}

void TestUiFolders::init() {
  f_.server = std::make_unique<TestServer>();
  QVERIFY2(f_.server->start(), "the real filetracker-server must start");
  f_.window = std::make_unique<MainWindow>();
  f_.window->show();
  f_.window->setConflictResolver([](const ConflictDetails&) { return ConflictChoice::Overwrite; });
  QVERIFY(f_.open(f_.profileFor(f_.server->url())));
  seedTree();
}

void TestUiFolders::cleanup() {
  if (f_.window) f_.window->session()->transfers()->cancelAll();
  f_.window.reset();
  f_.server.reset();
}

// /p: a.txt, z.txt, sub1/ (x: 10 bytes, deep/y: 20 bytes), sub2/ (q: 3 bytes)
void TestUiFolders::seedTree() {
  f_.put("/p/z.txt", "zz");
  f_.put("/p/a.txt", "a");
  f_.put("/p/sub1/x.bin", std::string(10, 'x'));
  f_.put("/p/sub1/deep/y.bin@" + std::to_string(deepVersion_), std::string(20, 'y'));
  f_.put("/p/sub2/q.txt", "qqq");
  f_.put("/other/o.txt", "o");
}

void TestUiFolders::activate() {
  f_.window->activateWindow();
  QVERIFY(QTest::qWaitForWindowActive(f_.window.get()));
}

void TestUiFolders::subfoldersFirstWithTheirContent() {
  QVERIFY(f_.goTo(QStringLiteral("/p")));
  QCOMPARE(f_.rowNames(), (QStringList{"/p/sub1", "/p/sub2", "/p/a.txt", "/p/z.txt"}));
  // Folders stay first whichever way the table is sorted.
  table()->sortByColumn(FileTableModel::NameColumn, Qt::DescendingOrder);
  QCOMPARE(f_.rowNames(), (QStringList{"/p/sub2", "/p/sub1", "/p/z.txt", "/p/a.txt"}));
  table()->sortByColumn(FileTableModel::SizeColumn, Qt::AscendingOrder);
  QCOMPARE(f_.rowNames().mid(2), (QStringList{"/p/a.txt", "/p/z.txt"}));
  table()->sortByColumn(FileTableModel::NameColumn, Qt::AscendingOrder);
  // Each folder says how many files are below it, and their total size
  // (this server lists sizes).
  const QModelIndex sub1 = f_.rowOf(QStringLiteral("/p/sub1"));
  QVERIFY(sub1.data(FileTableModel::IsFolderRole).toBool());
  QTRY_COMPARE(f_.rowOf(QStringLiteral("/p/sub1")).data(FileTableModel::FolderFilesRole).toInt(), 2);
  QCOMPARE(f_.rowOf(QStringLiteral("/p/sub1")).data(FileTableModel::SizeRole).toLongLong(), qint64(30));
  QTRY_COMPARE(f_.rowOf(QStringLiteral("/p/sub2")).data(FileTableModel::FolderFilesRole).toInt(), 1);
  const QModelIndex folder = f_.rowOf(QStringLiteral("/p/sub1"));
  QCOMPARE(folder.siblingAtColumn(FileTableModel::VersionColumn).data().toString(), QStringLiteral("2 files"));
  QCOMPARE(folder.siblingAtColumn(FileTableModel::SizeColumn).data().toString(), QStringLiteral("30 bytes"));
  QVERIFY2(f_.window->statusText().contains(QStringLiteral("2 folders, 2 files")), qPrintable(f_.window->statusText()));
  // A plain server (names only): the count, no size.
  TestServer plain(QString(), {QStringLiteral("--no-extensions")});
  QVERIFY(plain.start());
  f_.put("/p/sub1/x.bin", std::string(10, 'x'), plain.url());
  f_.put("/p/top.txt", "t", plain.url());
  QVERIFY(f_.open(f_.profileFor(plain.url())));
  QVERIFY(f_.goTo(QStringLiteral("/p")));
  QCOMPARE(f_.rowNames().first(), QStringLiteral("/p/sub1"));
  QTRY_COMPARE(f_.rowOf(QStringLiteral("/p/sub1")).data(FileTableModel::FolderFilesRole).toInt(), 1);
  QCOMPARE(f_.rowOf(QStringLiteral("/p/sub1")).siblingAtColumn(FileTableModel::VersionColumn).data().toString(), QStringLiteral("1 file"));
  QCOMPARE(f_.rowOf(QStringLiteral("/p/sub1")).siblingAtColumn(FileTableModel::SizeColumn).data().toString(), QString());
}

void TestUiFolders::enterAndLeaveWithMouseAndKeys() {
  activate();
  QVERIFY(f_.goTo(QStringLiteral("/p")));
  // Double-click enters.
  const QPoint at = table()->visualRect(f_.rowOf(QStringLiteral("/p/sub1"))).center();
  QTest::mouseClick(table()->viewport(), Qt::LeftButton, Qt::NoModifier, at);
  QTest::mouseDClick(table()->viewport(), Qt::LeftButton, Qt::NoModifier, at);
  QVERIFY(f_.waitForDirectory(QStringLiteral("/p/sub1")));
  QCOMPARE(pathBar()->text(), QStringLiteral("/p/sub1"));
  QCOMPARE(f_.rowNames(), (QStringList{"/p/sub1/deep", "/p/sub1/x.bin"}));
  // Backspace goes up, with the folder we came from selected.
  table()->setFocus();
  QTest::keyClick(table(), Qt::Key_Backspace);
  QVERIFY(f_.waitForDirectory(QStringLiteral("/p")));
  QTRY_COMPARE(f_.window->selectedNames(), QStringList{QStringLiteral("/p/sub1")});
  // Return on a folder enters it.
  QVERIFY(f_.select({QStringLiteral("/p/sub2")}));
  QTest::keyClick(table(), Qt::Key_Return);
  QVERIFY(f_.waitForDirectory(QStringLiteral("/p/sub2")));
  // Alt+Left back, Alt+Right forward, Alt+Up up.
  QTest::keyClick(table(), Qt::Key_Left, Qt::AltModifier);
  QVERIFY(f_.waitForDirectory(QStringLiteral("/p")));
  QTest::keyClick(table(), Qt::Key_Right, Qt::AltModifier);
  QVERIFY(f_.waitForDirectory(QStringLiteral("/p/sub2")));
  QTest::keyClick(table(), Qt::Key_Up, Qt::AltModifier);
  QVERIFY(f_.waitForDirectory(QStringLiteral("/p")));
  QTest::keyClick(table(), Qt::Key_Up, Qt::AltModifier);
  QVERIFY(f_.waitForDirectory(QStringLiteral("/")));
  auto* view = f_.window->findChild<RemoteView*>();
  QVERIFY(!view->upAction()->isEnabled());
  QVERIFY(view->backAction()->isEnabled());
  // Backspace typed in the filter edits the filter, it does not go up.
  QVERIFY(f_.goTo(QStringLiteral("/p")));
  f_.window->filterEdit()->setFocus();
  QTest::keyClicks(f_.window->filterEdit(), QStringLiteral("ab"));
  QTest::keyClick(f_.window->filterEdit(), Qt::Key_Backspace);
  QCOMPARE(f_.window->filterEdit()->text(), QStringLiteral("a"));
  test::pause(100);
  QCOMPARE(f_.window->browser()->currentDirectory(), QStringLiteral("/p"));
}

void TestUiFolders::pathBarJumpsToPastedName_data() {
  QTest::addColumn<QString>("typed");
  QTest::addColumn<QString>("directory");
  QTest::addColumn<QString>("selected");  // empty: nothing
  QTest::newRow("a file") << "/p/sub1/deep/y.bin" << "/p/sub1/deep" << "/p/sub1/deep/y.bin";
  QTest::newRow("a file with its version") << QStringLiteral("/p/sub1/deep/y.bin@%1").arg(deepVersion_) << "/p/sub1/deep"
                                           << "/p/sub1/deep/y.bin";
  QTest::newRow("a folder") << "/p/sub2" << "/p/sub2" << "";
  QTest::newRow("a folder with a slash, spaces") << "  /p/sub1/ " << "/p/sub1" << "";
}

void TestUiFolders::pathBarJumpsToPastedName() {
  QFETCH(QString, typed);
  QFETCH(QString, directory);
  QFETCH(QString, selected);
  activate();
  table()->setFocus();
  QTest::keyClick(table(), Qt::Key_L, Qt::ControlModifier);
  QTRY_VERIFY(pathBar()->hasFocus());
  QCOMPARE(pathBar()->selectedText(), QStringLiteral("/"));
  QTest::keyClicks(pathBar(), typed);
  QTest::keyClick(pathBar(), Qt::Key_Return);
  QVERIFY(f_.waitForDirectory(directory));
  QTRY_COMPARE(pathBar()->text(), directory);
  if (!selected.isEmpty()) {
    QTRY_COMPARE(f_.window->selectedNames(), QStringList{selected});
    QVERIFY(table()->hasFocus());
  }
  // Back returns to where we were.
  QTest::keyClick(table(), Qt::Key_Left, Qt::AltModifier);
  QVERIFY(f_.waitForDirectory(QStringLiteral("/")));
  // A bad name: a one-line error, the folder stays.
  QTest::keyClick(table(), Qt::Key_L, Qt::ControlModifier);
  QTest::keyClicks(pathBar(), QStringLiteral("/p/../etc"));
  QTest::keyClick(pathBar(), Qt::Key_Return);
  QVERIFY2(f_.window->statusBar()->currentMessage().startsWith(QStringLiteral("Cannot go to /p/../etc")),
           qPrintable(f_.window->statusBar()->currentMessage()));
  QCOMPARE(f_.window->browser()->currentDirectory(), QStringLiteral("/"));
  QTest::keyClick(pathBar(), Qt::Key_Escape);
  QCOMPARE(pathBar()->text(), QStringLiteral("/"));
}

void TestUiFolders::downloadFolderKeepsRelativePaths() {
  QVERIFY(f_.goTo(QStringLiteral("/p")));
  QVERIFY(f_.select({QStringLiteral("/p/sub1"), QStringLiteral("/p/a.txt")}));
  const QString dest = f_.local(QStringLiteral("folder-out"));
  f_.window->setFolderChooser([dest] { return dest; });
  QSignalSpy done(f_.window.get(), &MainWindow::downloadsFinished);
  f_.window->downloadSelected();
  QTRY_COMPARE_WITH_TIMEOUT(done.count(), 1, 30000);
  QCOMPARE(done.at(0).at(0).toInt(), 3);
  QCOMPARE(test::readFile(dest + QStringLiteral("/a.txt")), QByteArray("a"));
  QCOMPARE(test::readFile(dest + QStringLiteral("/sub1/x.bin")), QByteArray(10, 'x'));
  QCOMPARE(test::readFile(dest + QStringLiteral("/sub1/deep/y.bin")), QByteArray(20, 'y'));
  QVERIFY(!QFileInfo::exists(dest + QStringLiteral("/sub2")));
  // Each file was a transfer (progress, cancel) in the dock.
  TransferQueue* queue = f_.window->session()->transfers();
  QCOMPARE(queue->model()->rowCount(), 3);
  for (int r = 0; r < 3; ++r) QCOMPARE(queue->model()->at(r).state, Transfer::State::Finished);
}

void TestUiFolders::deleteFolderCountsAndConfirms() {
  QVERIFY(f_.goTo(QStringLiteral("/p")));
  QVERIFY(f_.select({QStringLiteral("/p/sub1")}));
  QList<FolderDeletion> asked;
  bool answer = false;
  f_.window->setFolderDeleteConfirmer([&](const FolderDeletion& d) {
    asked << d;
    return answer;
  });
  f_.window->setDeleteConfirmer([](const QStringList&) {
    qWarning("the file confirmation was asked for a folder");
    return false;
  });
  f_.window->deleteSelected();
  QTRY_COMPARE(asked.size(), 1);
  QCOMPARE(asked.first().folders, QStringList{QStringLiteral("/p/sub1")});
  QCOMPARE(asked.first().fileCount, 2);
  QCOMPARE(asked.first().bytes, qint64(30));
  QCOMPARE(asked.first().location, f_.server->url());
  QVERIFY(f_.curl()->exists("/p/sub1/x.bin"));  // declined: nothing goes
  answer = true;
  QSignalSpy deleted(f_.window.get(), &MainWindow::deletionsFinished);
  f_.window->deleteSelected();
  QTRY_COMPARE_WITH_TIMEOUT(deleted.count(), 1, 20000);
  QCOMPARE(deleted.at(0).at(0).toInt(), 2);
  QVERIFY(!f_.curl()->exists("/p/sub1/x.bin"));
  QVERIFY(!f_.curl()->exists("/p/sub1/deep/y.bin"));
  QVERIFY(f_.curl()->exists("/p/sub2/q.txt"));
  QVERIFY(f_.curl()->exists("/p/a.txt"));
  QTRY_COMPARE(f_.rowNames(), (QStringList{"/p/sub2", "/p/a.txt", "/p/z.txt"}));
}

// The real question: names the folder, counts files and bytes, Cancel is the
// default (Return and Esc keep everything).
void TestUiFolders::realFolderDeleteDefaultsToCancel() {
  QVERIFY(f_.goTo(QStringLiteral("/p")));
  QVERIFY(f_.select({QStringLiteral("/p/sub1")}));
  QString text;
  QString defaultButton;
  bool answered = false;
  test::answerNextModal(
      [&](QWidget* dialog) {
        auto* box = qobject_cast<QMessageBox*>(dialog);
        QVERIFY(box);
        text = box->text();
        defaultButton = box->defaultButton()->text().remove(QLatin1Char('&'));
        QTest::keyClick(box, Qt::Key_Return);
      },
      &answered);
  f_.window->deleteSelected();
  QTRY_VERIFY(answered);
  QVERIFY2(text.contains(QStringLiteral("/p/sub1")) && text.contains(QStringLiteral("2 files, 30 bytes")), qPrintable(text));
  QCOMPARE(defaultButton, QStringLiteral("Cancel"));
  test::pause(300);
  QVERIFY(f_.curl()->exists("/p/sub1/x.bin"));
  QVERIFY(f_.curl()->exists("/p/sub1/deep/y.bin"));
}

void TestUiFolders::filterGlobsEscAndFolderChange_data() {
  QTest::addColumn<QString>("filter");
  QTest::addColumn<QStringList>("shown");
  QTest::newRow("*.out") << "*.out" << QStringList{"/g/1.out", "/g/2.out"};
  QTest::newRow("1?.in") << "1?.in" << QStringList{"/g/10.in", "/g/1a.in"};
  QTest::newRow("[12].out") << "[12].out" << QStringList{"/g/1.out", "/g/2.out"};
  QTest::newRow("a part, any case") << "A.i" << QStringList{"/g/1a.in"};
  QTest::newRow("nothing") << "*.zip" << QStringList{};
}

void TestUiFolders::filterGlobsEscAndFolderChange() {
  QFETCH(QString, filter);
  QFETCH(QStringList, shown);
  for (const char* n : {"/g/1.in", "/g/1a.in", "/g/10.in", "/g/1.out", "/g/2.out"}) f_.put(n, n);
  activate();
  QVERIFY(f_.goTo(QStringLiteral("/g")));
  QLineEdit* edit = f_.window->filterEdit();
  edit->setFocus();
  QTest::keyClicks(edit, filter);
  QStringList names = f_.rowNames();
  names.sort();
  QCOMPARE(names, shown);
  QVERIFY2(f_.window->statusText().contains(QStringLiteral("filtered: %1 of 5").arg(shown.size())), qPrintable(f_.window->statusText()));
  // Esc clears it.
  QTest::keyClick(edit, Qt::Key_Escape);
  QCOMPARE(edit->text(), QString());
  QCOMPARE(f_.rowNames().size(), 5);
  // Changing folder clears it too.
  QTest::keyClicks(edit, filter);
  QVERIFY(f_.goTo(QStringLiteral("/p")));
  QCOMPARE(edit->text(), QString());
  QCOMPARE(f_.rowNames().size(), 4);
  QVERIFY2(!f_.window->statusText().contains(QStringLiteral("filtered")), qPrintable(f_.window->statusText()));
}

QTEST_MAIN(TestUiFolders)
#include "test_ui_folders.moc"
