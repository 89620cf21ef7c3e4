// Search (issue 15) and disk usage on the real main window against the real
// filetracker-server: Ctrl+F opens the search in the Remote view, a pattern
// typed and Enter pressed streams the matches into the results table;
// scope, size and date bounds; bad input changes nothing; the main view's
// actions on selected results (copy name, properties, delete, open
// containing folder); Cancel in the middle of a search over many files (a
// proxy holds the server's answers, so the search is provably unfinished);
// a plain protocol-v2 server (--no-extensions: the fallback); the folder
// Size column and tree tooltips from the server's "du" extension.
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTest>

#include <sstream>

#include "common/size_format.hpp"
#include "filetracker/local_data_store.hpp"
#include "filetracker/protocol.hpp"
#include "holding_proxy.hpp"
#include "i18n/translations.hpp"
#include "models/directory_tree_model.hpp"
#include "models/search_results_model.hpp"
#include "process.hpp"
#include "raw_http.hpp"
#include "settings_isolation.hpp"
#include "temp_dirs.hpp"
#include "upstream_layout.hpp"
#include "settings/bookmark_store.hpp"
#include "widgets/bookmarks_view.hpp"
#include "widgets/drop_views.hpp"
#include "widgets/main_actions.hpp"
#include "widgets/path_completer.hpp"
#include "widgets/remote_view.hpp"
#include "widgets/search_view.hpp"
#include "window_fixture.hpp"

using namespace ft::ui;

class TestUiSearch : public QObject {
  Q_OBJECT

  SearchView* search() const { return f_.window->findChild<SearchView*>(QStringLiteral("searchView")); }
  RemoteView* remote() const { return f_.window->findChild<RemoteView*>(); }
  // The result names in view order.
  QStringList results() const {
    QStringList names;
    QAbstractItemModel* m = search()->results()->model();
    for (int r = 0; r < m->rowCount(); ++r) names << m->index(r, 0).data(FileTableModel::FullNameRole).toString();
    return names;
  }
  // Ctrl+F, the pattern typed, Enter; waits for the search to end.
  bool runSearch(const QString& pattern, bool wholeStore = false) {
    f_.window->actions()->find->trigger();
    if (!remote()->isSearchShown()) return false;
    search()->scopeBox()->setCurrentIndex(wholeStore ? 1 : 0);
    search()->patternEdit()->clear();
    QTest::keyClicks(search()->patternEdit(), pattern);
    QTest::keyClick(search()->patternEdit(), Qt::Key_Return);
    return QTest::qWaitFor([&] { return !search()->isSearching(); }, 30000);
  }
  bool selectResult(const QString& name) {
    QAbstractItemModel* m = search()->results()->model();
    for (int r = 0; r < m->rowCount(); ++r) {
      const QModelIndex index = m->index(r, 0);
      if (index.data(FileTableModel::FullNameRole).toString() != name) continue;
      search()->results()->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect |
                                                                        QItemSelectionModel::Rows);
      return true;
    }
    return false;
  }
  void seed() {
    f_.put("/p/a/1.out@1500000000", "one");
    f_.put("/p/a/2.in@1500000000", "two two");
    f_.put("/p/b/3.out@1600000000", std::string(5000, 'x'));
    f_.put("/p/top.out@1700000000", "top");
    f_.put("/q/4.out@1700000000", "four");
    f_.put("/q/tests/1a.in@1700000000", "1a");
    f_.put("/problems/x/tests/1b.in@1700000000", "1b");
    f_.put("/problems/x/tests/2b.in@1700000000", "2b");
  }

 private slots:
  void initTestCase() {
    f_.work = std::make_unique<QTemporaryDir>(test::tempTemplate(QStringLiteral("ft-ui-search")));
    QVERIFY(f_.work->isValid());
    test::isolateSettings(f_.work->filePath(QStringLiteral("settings")));
    QCOMPARE(installTranslations(QLocale(QLocale::English, QLocale::UnitedStates)), QStringLiteral("en"));
  }
  void init() {
    f_.server = std::make_unique<TestServer>();
    QVERIFY2(f_.server->start(), "the real filetracker-server must start");
    seed();
    f_.window = std::make_unique<MainWindow>();
    f_.window->show();
    QVERIFY(f_.open(f_.profileFor(f_.server->url())));
    f_.window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(f_.window.get()));
  }
  void cleanup() {
    if (f_.window) f_.window->session()->transfers()->cancelAll();
    f_.window.reset();
    f_.server.reset();
  }

  void patternScopeAndEnter() {
    QVERIFY(f_.goTo(QStringLiteral("/p")));
    // Ctrl+F (Edit > Find…) shows the search with the pattern to type in.
    QTest::keySequence(f_.window.get(), QKeySequence::Find);
    QVERIFY(remote()->isSearchShown());
    QTRY_VERIFY(search()->patternEdit()->hasFocus());
    QVERIFY(runSearch(QStringLiteral("*.out")));
    QCOMPARE(results(), (QStringList{"/p/a/1.out", "/p/b/3.out", "/p/top.out"}));
    QVERIFY2(search()->statusLabel()->text().contains(QStringLiteral("3 matches in /p")),
             qPrintable(search()->statusLabel()->text()));
    QVERIFY2(search()->statusLabel()->text().contains(QStringLiteral("done")), qPrintable(search()->statusLabel()->text()));
    QVERIFY(runSearch(QStringLiteral("*.out"), true));
    QCOMPARE(results(), (QStringList{"/p/a/1.out", "/p/b/3.out", "/p/top.out", "/q/4.out"}));
    QVERIFY(runSearch(QStringLiteral("/problems/*/tests/1*.in"), true));
    QCOMPARE(results(), (QStringList{"/problems/x/tests/1b.in"}));
    // The result rows carry what the server listed.
    const QModelIndex row = search()->results()->model()->index(0, SearchResultsModel::SizeColumn);
    QCOMPARE(row.data(FileTableModel::SizeRole).toLongLong(), qint64(2));
    QCOMPARE(row.data(FileTableModel::VersionRole).toLongLong(), qint64(1700000000));
    // Esc closes the search: the folder's table again, as it was.
    QTest::keyClick(search()->patternEdit(), Qt::Key_Escape);
    QVERIFY(!remote()->isSearchShown());
    QCOMPARE(f_.window->browser()->currentDirectory(), QStringLiteral("/p"));
  }

  void sizeAndDateBounds() {
    f_.window->actions()->find->trigger();
    QTest::keyClicks(search()->minSizeEdit(), QStringLiteral("4"));
    QVERIFY(runSearch(QStringLiteral("*"), true));
    QCOMPARE(results(), (QStringList{"/p/a/2.in", "/p/b/3.out", "/q/4.out"}));
    search()->minSizeEdit()->setText(QStringLiteral("1K"));
    QVERIFY(runSearch(QStringLiteral("*"), true));
    QCOMPARE(results(), (QStringList{"/p/b/3.out"}));
    search()->minSizeEdit()->clear();
    search()->maxSizeEdit()->clear();
    search()->newerCheck()->setChecked(true);
    search()->newerEdit()->setDateTime(QDateTime::fromSecsSinceEpoch(1550000000));
    search()->olderCheck()->setChecked(true);
    search()->olderEdit()->setDateTime(QDateTime::fromSecsSinceEpoch(1650000000));
    QVERIFY(runSearch(QStringLiteral("*"), true));
    QCOMPARE(results(), (QStringList{"/p/b/3.out"}));
  }

  void badInputChangesNothing() {
    QVERIFY(runSearch(QStringLiteral("*.in"), true));
    const QStringList before = results();
    QCOMPARE(before.size(), 4);
    search()->minSizeEdit()->setText(QStringLiteral("12X"));
    QTest::keyClick(search()->minSizeEdit(), Qt::Key_Return);
    QVERIFY(!search()->isSearching());
    const QString status = search()->statusLabel()->text();
    QVERIFY2(status.startsWith(QStringLiteral("Cannot search: invalid size \"12X\"")) && !status.contains('\n'),
             qPrintable(status));
    QCOMPARE(results(), before);
    search()->minSizeEdit()->clear();
    // A pattern that cannot be: its one-line reason, no rows.
    search()->patternEdit()->setText(QString(5000, QLatin1Char('a')));
    QTest::keyClick(search()->patternEdit(), Qt::Key_Return);
    QTRY_VERIFY(!search()->isSearching());
    QVERIFY2(search()->statusLabel()->text().contains(QStringLiteral("longer than 4096 bytes")),
             qPrintable(search()->statusLabel()->text()));
    QCOMPARE(search()->resultsModel()->rowCount(), 0);
  }

  void actionsOnSelectedResults() {
    QVERIFY(runSearch(QStringLiteral("*.out"), true));
    QVERIFY(selectResult(QStringLiteral("/p/b/3.out")));
    // Copy name acts on the result, not on the folder's table behind it.
    QTRY_VERIFY(f_.window->actions()->copyName->isEnabled());
    f_.window->actions()->copyName->trigger();
    QCOMPARE(QApplication::clipboard()->text(), QStringLiteral("/p/b/3.out"));
    f_.window->actions()->copyVersionedName->trigger();
    QCOMPARE(QApplication::clipboard()->text(), QStringLiteral("/p/b/3.out@1600000000"));
    QCOMPARE(f_.window->selectedNames(), QStringList{QStringLiteral("/p/b/3.out")});
    QVERIFY(f_.window->actions()->properties->isEnabled());
    QVERIFY(f_.window->actions()->download->isEnabled());

    // Delete from the results: asked about exactly that file, gone from the
    // store and from the results.
    QStringList asked;
    f_.window->setDeleteConfirmer([&](const QStringList& names) {
      asked = names;
      return true;
    });
    QVERIFY(selectResult(QStringLiteral("/q/4.out")));
    QSignalSpy deleted(f_.window.get(), &MainWindow::deletionsFinished);
    f_.window->actions()->deleteFiles->trigger();
    QVERIFY(deleted.wait(30000));
    QCOMPARE(asked, QStringList{QStringLiteral("/q/4.out")});
    QCOMPARE(deleted.first().at(0).toInt(), 1);
    QCOMPARE(results(), (QStringList{"/p/a/1.out", "/p/b/3.out", "/p/top.out"}));
    QCOMPARE(rawRequest(f_.server->port(), "HEAD", "/files/q/4.out").status, 404);

    // Open containing folder: the folder, with the file selected.
    QVERIFY(selectResult(QStringLiteral("/p/a/1.out")));
    QTRY_VERIFY(search()->revealAction()->isEnabled());
    search()->revealAction()->trigger();
    QVERIFY(!remote()->isSearchShown());
    QVERIFY(f_.waitForDirectory(QStringLiteral("/p/a")));
    QTRY_COMPARE(f_.window->selectedNames(), QStringList{QStringLiteral("/p/a/1.out")});
    // Ctrl+F again: the results are still there.
    f_.window->actions()->find->trigger();
    QCOMPARE(results().size(), 3);
  }

  void cancelInTheMiddleOfManyFiles() {
    // 30,000 names (three find pages), imported from an upstream layout.
    QTemporaryDir scratch(test::tempTemplate(QStringLiteral("ft-ui-search-many")));
    test::UpstreamLayout layout(scratch.filePath(QStringLiteral("old")).toStdString());
    for (int i = 0; i < 30000; ++i) {
      const std::string name = "/many/d" + std::to_string(i / 1000) + "/f" + std::to_string(i) + ".in";
      QVERIFY(layout.addFile(name, QByteArray("c") + QByteArray::number(i % 7), 1700000000));
    }
    const QString data = scratch.filePath(QStringLiteral("data"));
    test::ProcessResult imported =
        test::runProcess(TestServer::binary(), {"-d", data, "--import-upstream", scratch.filePath(QStringLiteral("old"))},
                         QProcessEnvironment::systemEnvironment(), 300000);
    QVERIFY2(imported.code == 0, imported.err.constData());
    TestServer many(data);
    QVERIFY(many.start());
    // Answers trickle through the proxy until it holds them.
    test::HoldingProxy proxy(many.port(), test::HoldingProxy::Held::ToClient, 64 * 1024, 50);
    QVERIFY(proxy.listening());
    QVERIFY(f_.open(f_.profileFor(proxy.url())));
    f_.window->actions()->find->trigger();
    search()->scopeBox()->setCurrentIndex(1);
    QTest::keyClicks(search()->patternEdit(), QStringLiteral("*.in"));
    QTest::keyClick(search()->patternEdit(), Qt::Key_Return);
    QVERIFY(search()->isSearching());
    // The first page arrives; then nothing more passes.
    QTRY_VERIFY_WITH_TIMEOUT(search()->resultsModel()->rowCount() > 0, 60000);
    proxy.hold();
    QTRY_VERIFY_WITH_TIMEOUT(proxy.holding(), 10000);
    QVERIFY(search()->isSearching());
    QVERIFY2(search()->statusLabel()->text().contains(QStringLiteral("searching")), qPrintable(search()->statusLabel()->text()));
    const int shown = search()->resultsModel()->rowCount();
    QVERIFY(shown < 30000);
    QTest::mouseClick(search()->cancelButton(), Qt::LeftButton);
    QTRY_VERIFY(!search()->isSearching());
    QVERIFY2(search()->statusLabel()->text().contains(QStringLiteral("cancelled")), qPrintable(search()->statusLabel()->text()));
    QVERIFY(!search()->cancelButton()->isEnabled());
    proxy.release();
    QTest::qWait(500);  // nothing more arrives for the cancelled search
    QCOMPARE(search()->resultsModel()->rowCount(), shown);
    // The same search to its end: every name, each once.
    QVERIFY(runSearch(QStringLiteral("*.in"), true));
    QCOMPARE(search()->resultsModel()->rowCount(), 30000);
    QVERIFY2(search()->statusLabel()->text().contains(QLocale().toString(30000) + QStringLiteral(" matches")),
             qPrintable(search()->statusLabel()->text()));
  }

  void plainServerFallback() {
    TestServer plain(QString(), {QStringLiteral("--no-extensions")});
    QVERIFY(plain.start());
    f_.put("/p/a/1.out@1500000000", "one", plain.url());
    f_.put("/p/b/3.out@1600000000", std::string(5000, 'x'), plain.url());
    f_.put("/p/b/5.in@1600000000", "five", plain.url());
    QVERIFY(f_.open(f_.profileFor(plain.url())));
    QVERIFY(!f_.window->session()->info().has(QStringLiteral("find")));
    QVERIFY(runSearch(QStringLiteral("*.out"), true));
    QCOMPARE(results(), (QStringList{"/p/a/1.out", "/p/b/3.out"}));
    // Bounds against names only: a HEAD per name match, sizes then known.
    f_.window->actions()->find->trigger();
    search()->minSizeEdit()->setText(QStringLiteral("10"));
    QVERIFY(runSearch(QStringLiteral("*.out"), true));
    QCOMPARE(results(), QStringList{QStringLiteral("/p/b/3.out")});
    QCOMPARE(search()->results()->model()->index(0, 0).data(FileTableModel::SizeRole).toLongLong(), qint64(5000));
  }

  void localStore() {
    ConnectionProfile profile;
    profile.name = QStringLiteral("local");
    profile.cacheDirectory = f_.local(QStringLiteral("local-store"));
    ft::LocalDataStore store(profile.cacheDirectory.toStdString());
    for (const char* name : {"/l/a.out@1600000000", "/l/sub/b.out@1600000000", "/l/c.in@1600000000"}) {
      std::istringstream in(std::string("content of ") + name);
      store.add_stream(name, in);
    }
    f_.window->openProfile(profile, false);
    QTRY_VERIFY(f_.window->session()->isReady());
    QVERIFY(!f_.window->session()->isRemote());
    QVERIFY(runSearch(QStringLiteral("*.out"), true));
    QCOMPARE(results(), (QStringList{"/l/a.out", "/l/sub/b.out"}));
    QVERIFY2(search()->statusLabel()->text().contains(QStringLiteral("done")), qPrintable(search()->statusLabel()->text()));
    // Folder sizes are summed here too.
    QVERIFY(f_.goTo(QStringLiteral("/l")));
    QTRY_COMPARE(f_.rowOf(QStringLiteral("/l/sub")).data(FileTableModel::FolderFilesRole).toInt(), 1);
    QCOMPARE(f_.rowOf(QStringLiteral("/l/sub")).data(FileTableModel::SizeRole).toLongLong(),
             qint64(std::string("content of /l/sub/b.out@1600000000").size()));
  }

  void folderSizesFromDiskUsage() {
    QVERIFY(f_.window->session()->info().has(QStringLiteral("du")));
    QVERIFY(f_.goTo(QStringLiteral("/p")));
    QTRY_COMPARE(f_.rowOf(QStringLiteral("/p/a")).data(FileTableModel::FolderFilesRole).toInt(), 2);
    QCOMPARE(f_.rowOf(QStringLiteral("/p/a")).data(FileTableModel::SizeRole).toLongLong(), qint64(10));
    QTRY_COMPARE(f_.rowOf(QStringLiteral("/p/b")).data(FileTableModel::SizeRole).toLongLong(), qint64(5000));
    QCOMPARE(f_.rowOf(QStringLiteral("/p/b")).siblingAtColumn(FileTableModel::SizeColumn).data().toString(),
             humanSize(5000));
    // The tree's tooltip says it too (for the folder shown and its children).
    DirectoryTreeModel* tree = f_.window->browser()->treeModel();
    QTRY_COMPARE(tree->data(tree->indexOfPath(QStringLiteral("/p")), Qt::ToolTipRole).toString(),
                 QStringLiteral("/p: 4 files, ") + humanSize(5013));
    QTRY_COMPARE(tree->data(tree->indexOfPath(QStringLiteral("/p/a")), Qt::ToolTipRole).toString(),
                 QStringLiteral("/p/a: 2 files, ") + humanSize(10));
    // A write is seen by the next listing (the server's cache follows writes).
    f_.put("/p/a/more.txt", std::string(90, 'm'));
    f_.window->actions()->refresh->trigger();
    QTRY_COMPARE(f_.rowOf(QStringLiteral("/p/a")).data(FileTableModel::SizeRole).toLongLong(), qint64(100));
    QCOMPARE(f_.rowOf(QStringLiteral("/p/a")).data(FileTableModel::FolderFilesRole).toInt(), 3);
  }

  void goToPathWithCompletion() {
    QVERIFY(f_.goTo(QStringLiteral("/q")));
    QLineEdit* path = remote()->pathBar();
    remote()->pathAction()->trigger();  // Ctrl+L
    QTRY_VERIFY(path->hasFocus());
    QTest::keyClicks(path, QStringLiteral("/p/"));
    PathCompleter* completer = remote()->pathCompleter();
    // The folders of /p, listed once the slash is typed.
    QTRY_COMPARE(completer->listedFolder(), QStringLiteral("/p"));
    QTRY_COMPARE(completer->model()->rowCount(), 2);
    QCOMPARE(completer->model()->index(0, 0).data().toString(), QStringLiteral("/p/a"));
    QTest::keyClicks(path, QStringLiteral("b"));
    completer->setCompletionPrefix(path->text());
    QCOMPARE(completer->completionCount(), 1);
    QCOMPARE(completer->currentCompletion(), QStringLiteral("/p/b"));
    path->setText(completer->currentCompletion());
    QTest::keyClick(path, Qt::Key_Return);
    QVERIFY(f_.waitForDirectory(QStringLiteral("/p/b")));
    // A file's name: its folder, with the file selected.
    remote()->pathAction()->trigger();
    path->setText(QStringLiteral("/p/a/2.in"));
    QTest::keyClick(path, Qt::Key_Return);
    QVERIFY(f_.waitForDirectory(QStringLiteral("/p/a")));
    QTRY_COMPARE(f_.window->selectedNames(), QStringList{QStringLiteral("/p/a/2.in")});
    // A bad name: one line in the status bar, nothing else changes.
    remote()->pathAction()->trigger();
    path->setText(QStringLiteral("/p/../etc"));
    QTest::keyClick(path, Qt::Key_Return);
    const QString said = f_.window->statusBar()->currentMessage();
    QVERIFY2(said.startsWith(QStringLiteral("Cannot go to /p/../etc: ")) && !said.contains('\n'), qPrintable(said));
    QTest::qWait(200);
    QCOMPARE(f_.window->browser()->currentDirectory(), QStringLiteral("/p/a"));
  }

  void bookmarksPerProfile() {
    BookmarksView* marks = remote()->bookmarks();
    QCOMPARE(marks->count(), 0);
    QVERIFY(f_.goTo(QStringLiteral("/p/a")));
    QCOMPARE(remote()->bookmarkAction()->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_D));
    remote()->bookmarkAction()->trigger();
    QCOMPARE(marks->count(), 1);
    QCOMPARE(marks->item(0)->text(), QStringLiteral("a"));
    QCOMPARE(marks->item(0)->toolTip(), QStringLiteral("/p/a"));
    remote()->bookmarkAction()->trigger();  // the same folder again: not twice
    QCOMPARE(marks->count(), 1);
    QVERIFY(f_.goTo(QStringLiteral("/q")));
    remote()->bookmarkAction()->trigger();
    QVERIFY(f_.goTo(QStringLiteral("/")));
    // A click goes there.
    QTest::mouseClick(marks->viewport(), Qt::LeftButton, Qt::NoModifier, marks->visualItemRect(marks->item(0)).center());
    QVERIFY(f_.waitForDirectory(QStringLiteral("/p/a")));
    // Rename in place (F2).
    marks->setFocus();
    marks->setCurrentRow(0);
    QTest::keyClick(marks, Qt::Key_F2);
    QLineEdit* editor = marks->findChild<QLineEdit*>();
    QVERIFY(editor);
    editor->selectAll();
    QTest::keyClicks(editor, QStringLiteral("Tests A"));
    QTest::keyClick(editor, Qt::Key_Return);
    QTRY_COMPARE(marks->item(0)->text(), QStringLiteral("Tests A"));
    // Reorder: the second moved before the first (Ctrl+Shift+Up; a drag
    // is Qt's InternalMove of the same rows).
    QVERIFY(marks->dragDropMode() == QAbstractItemView::InternalMove);
    marks->setCurrentRow(1);
    QTest::keyClick(marks, Qt::Key_Up, Qt::ControlModifier | Qt::ShiftModifier);
    QCOMPARE(marks->item(0)->toolTip(), QStringLiteral("/q"));
    QCOMPARE(marks->currentRow(), 0);
    {
      QSettings settings;
      const QList<Bookmark> saved = loadBookmarks(settings, QStringLiteral("test"));
      QStringList said;
      for (const Bookmark& b : saved) said << b.label + QLatin1Char('=') + b.path;
      QVERIFY2(saved == (QList<Bookmark>{{"q", "/q"}, {"Tests A", "/p/a"}}), qPrintable(said.join(QLatin1Char(' '))));
    }
    // Del removes the current one.
    marks->setCurrentRow(0);
    marks->setFocus();
    QTest::keyClick(marks, Qt::Key_Delete);
    QCOMPARE(marks->count(), 1);
    // Another profile has its own; the first one's come back with it.
    ConnectionProfile other = f_.profileFor(f_.server->url());
    other.name = QStringLiteral("other");
    QVERIFY(f_.open(other));
    QCOMPARE(marks->count(), 0);
    QVERIFY(f_.open(f_.profileFor(f_.server->url())));
    QCOMPARE(marks->count(), 1);
    QCOMPARE(marks->item(0)->text(), QStringLiteral("Tests A"));
  }

 private:
  mutable test::WindowFixture f_;
};

QTEST_MAIN(TestUiSearch)
#include "test_ui_search.moc"
