// The History dialog on the real main window against the real
// filetracker-server with --keep-versions: opened from the File menu's
// action for the selected file, versions newest first, Download…, Open,
// Compare of two versions' text and Restore… (with its confirmation),
// driven with real clicks.
#include <QFile>
#include <QFileInfo>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>
#include <QTreeWidget>

#include "i18n/translations.hpp"
#include "settings_isolation.hpp"
#include "temp_dirs.hpp"
#include "widgets/history_dialog.hpp"
#include "widgets/drop_views.hpp"
#include "widgets/main_actions.hpp"
#include "widgets/remote_view.hpp"
#include "widgets/version_compare_dialog.hpp"
#include "window_fixture.hpp"
#include "wire.hpp"

using namespace ft::ui;

namespace {

QByteArray readFile(const QString& path) {
  QFile f(path);
  return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

}  // namespace

class TestUiHistory : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    f_.work = std::make_unique<QTemporaryDir>(test::tempTemplate(QStringLiteral("ft-ui-history")));
    QVERIFY(f_.work->isValid());
    test::isolateSettings(f_.work->filePath(QStringLiteral("settings")));
    QCOMPARE(installTranslations(QLocale(QLocale::English, QLocale::UnitedStates)), QStringLiteral("en"));
  }
  void init() {
    f_.server = std::make_unique<TestServer>(QString(), QStringList{"--keep-versions", "5"});
    QVERIFY2(f_.server->start(), "the real filetracker-server must start");
    f_.put("/h/a.txt@1000", "first line\nsecond line\nthird line\n");
    f_.put("/h/a.txt@2000", "first line\nline two, edited\nthird line\n");
    f_.put("/h/a.txt@3000", "first line\nline two, edited\nthird line\nfourth line\n");
    f_.put("/h/bin@100", std::string("\xff\xfe binary", 9));
    f_.put("/h/bin@200", "text now");
    f_.window = std::make_unique<MainWindow>();
    f_.window->show();
    QVERIFY(f_.open(f_.profileFor(f_.server->url())));
    QVERIFY(f_.goTo(QStringLiteral("/h")));
  }
  void cleanup() {
    if (f_.window) f_.window->session()->transfers()->cancelAll();
    f_.window.reset();
    f_.server.reset();
  }

  void versionsNewestFirstFromTheAction() {
    QAction* history = f_.window->actions()->history;
    QVERIFY(f_.select({"/h/a.txt"}));
    QTRY_VERIFY(history->isEnabled());
    // In the File menu and the file table's context menu (the same action).
    QVERIFY(f_.window->menuBar()->actions().first()->menu()->actions().contains(history));
    HistoryDialog* dialog = openHistory();
    QVERIFY(dialog);
    QTreeWidget* list = dialog->versionList();
    QCOMPARE(list->topLevelItemCount(), 3);
    QVERIFY(list->topLevelItem(0)->text(0).contains("3000"));
    QVERIFY(list->topLevelItem(1)->text(0).contains("2000"));
    QVERIFY(list->topLevelItem(2)->text(0).contains("1000"));
    QCOMPARE(list->topLevelItem(0)->text(3), QStringLiteral("current"));
    QVERIFY(list->topLevelItem(1)->text(3).startsWith("replaced "));
    QCOMPARE(list->topLevelItem(2)->text(1), QStringLiteral("34 bytes"));
    QCOMPARE(list->topLevelItem(2)->text(2),
             QString::fromLatin1(test::sha256Hex("first line\nsecond line\nthird line\n").left(12)));
    QCOMPARE(dialog->statusText(), QStringLiteral("3 versions"));
    // The current version cannot be restored; one row cannot be compared.
    clickRow(dialog, 0);
    QVERIFY(!button(dialog, "historyRestore")->isEnabled());
    QVERIFY(!button(dialog, "historyCompare")->isEnabled());
    QVERIFY(button(dialog, "historyOpen")->isEnabled());
    // A folder or a local store offers no history.
    QVERIFY(f_.select({}));
    QTRY_VERIFY(!history->isEnabled());
  }

  void downloadAndOpenAKeptVersion() {
    QVERIFY(f_.select({"/h/a.txt"}));
    HistoryDialog* dialog = openHistory();
    QVERIFY(dialog);
    const QString target = f_.local(QStringLiteral("saved-2000.txt"));
    QString suggested;
    dialog->setSaveLocationChooser([&](const QString& s) {
      suggested = s;
      return target;
    });
    clickRow(dialog, 1);
    QSignalSpy saved(dialog, &HistoryDialog::saved);
    QTest::mouseClick(button(dialog, "historyDownload"), Qt::LeftButton);
    QVERIFY(saved.wait(10000));
    QVERIFY(suggested.endsWith("a.txt"));
    QCOMPARE(readFile(target), QByteArray("first line\nline two, edited\nthird line\n"));

    QString openedUrl;
    f_.window->session()->setUrlOpener([&](const QUrl& url) {
      openedUrl = url.toLocalFile();
      return true;
    });
    clickRow(dialog, 2);
    QSignalSpy opened(dialog, &HistoryDialog::opened);
    QTest::mouseClick(button(dialog, "historyOpen"), Qt::LeftButton);
    QVERIFY(opened.wait(10000));
    QVERIFY(openedUrl.endsWith("/a.txt"));
    QCOMPARE(readFile(openedUrl), QByteArray("first line\nsecond line\nthird line\n"));
    QCOMPARE(QFileInfo(openedUrl).permissions() & (QFile::WriteOwner | QFile::WriteGroup | QFile::WriteOther),
             QFile::Permissions());  // a read-only private copy
    // The current file did not change.
    QCOMPARE(f_.rowOf("/h/a.txt").siblingAtColumn(0).data(FileTableModel::VersionRole).toLongLong(), 3000);
  }

  void compareTwoVersions() {
    QVERIFY(f_.select({"/h/a.txt"}));
    HistoryDialog* dialog = openHistory();
    QVERIFY(dialog);
    clickRow(dialog, 0);
    clickRow(dialog, 2, Qt::ControlModifier);
    QVERIFY(button(dialog, "historyCompare")->isEnabled());
    QSignalSpy compared(dialog, &HistoryDialog::compared);
    QTest::mouseClick(button(dialog, "historyCompare"), Qt::LeftButton);
    QVERIFY(compared.wait(10000));
    auto* view = dialog->findChild<VersionCompareDialog*>();
    QVERIFY(view);
    QVERIFY(view->isVisible());
    // Older on the left.
    QCOMPARE(view->leftView()->toPlainText(), QStringLiteral("first line\nsecond line\nthird line\n"));
    QCOMPARE(view->rightView()->toPlainText(), QStringLiteral("first line\nline two, edited\nthird line\nfourth line\n"));
    QCOMPARE(view->differingLines(), 2);  // line 2, and line 4 (only on the right)
    QVERIFY(view->windowTitle().contains("/h/a.txt@1000") && view->windowTitle().contains("/h/a.txt@3000"));
    QVERIFY(view->findChild<QLabel*>(QStringLiteral("compareSummary"))->text().contains("2 lines differ"));
  }

  void compareRefusesBinaryContent() {
    QVERIFY(f_.select({"/h/bin"}));
    HistoryDialog* dialog = openHistory();
    QVERIFY(dialog);
    QCOMPARE(dialog->versionList()->topLevelItemCount(), 2);
    clickRow(dialog, 0);
    clickRow(dialog, 1, Qt::ControlModifier);
    QSignalSpy failed(dialog, &HistoryDialog::failed);
    QTest::mouseClick(button(dialog, "historyCompare"), Qt::LeftButton);
    QVERIFY(failed.wait(10000));
    QCOMPARE(failed.first().first().toString(), QStringLiteral("/h/bin@100 is not a UTF-8 text file: it cannot be compared"));
    QVERIFY(!dialog->findChild<VersionCompareDialog*>());
  }

  void restoreAfterConfirmation() {
    QVERIFY(f_.select({"/h/a.txt"}));
    HistoryDialog* dialog = openHistory();
    QVERIFY(dialog);
    clickRow(dialog, 2);
    // Declined: nothing changes.
    QString asked;
    dialog->setRestoreConfirmer([&](const QString& versioned) {
      asked = versioned;
      return false;
    });
    QTest::mouseClick(button(dialog, "historyRestore"), Qt::LeftButton);
    QCOMPARE(asked, QStringLiteral("/h/a.txt@1000"));
    QTest::qWait(200);
    QCOMPARE(dialog->versionList()->topLevelItemCount(), 3);
    // Accepted: the version is current again under a newer version, the
    // dialog and the window show it.
    dialog->setRestoreConfirmer([](const QString&) { return true; });
    QSignalSpy restored(dialog, &HistoryDialog::restored);
    QSignalSpy loaded(dialog, &HistoryDialog::loaded);
    QTest::mouseClick(button(dialog, "historyRestore"), Qt::LeftButton);
    QVERIFY(restored.wait(10000));
    const qint64 now = restored.first().first().value<RemoteFile>().version;
    QVERIFY(now > 3000);
    QVERIFY(loaded.wait(10000));
    QCOMPARE(dialog->versionList()->topLevelItemCount(), 4);
    QVERIFY(dialog->versionList()->topLevelItem(0)->text(0).contains(QString::number(now)));
    QVERIFY(dialog->statusText().startsWith("Restored /h/a.txt@1000 as /h/a.txt@"));
    std::ostringstream content;
    auto store = f_.curl();
    auto stream = store->get_stream("/h/a.txt");
    content << stream.stream->rdbuf();
    QCOMPARE(content.str(), std::string("first line\nsecond line\nthird line\n"));
    QTRY_COMPARE_WITH_TIMEOUT(f_.rowOf("/h/a.txt").data(FileTableModel::VersionRole).toLongLong(), now, 10000);
  }

 private:
  HistoryDialog* openHistory() {
    HistoryDialog* shown = nullptr;
    QMetaObject::Connection c =
        QObject::connect(f_.window.get(), &MainWindow::historyShown, [&](HistoryDialog* d) { shown = d; });
    f_.window->actions()->history->trigger();
    QObject::disconnect(c);
    if (!shown) return nullptr;
    QSignalSpy loaded(shown, &HistoryDialog::loaded);
    if (shown->versions().isEmpty() && !loaded.wait(10000)) return nullptr;
    return shown;
  }
  static QPushButton* button(HistoryDialog* dialog, const char* name) {
    return dialog->findChild<QPushButton*>(QString::fromLatin1(name));
  }
  static void clickRow(HistoryDialog* dialog, int row, Qt::KeyboardModifiers modifiers = {}) {
    QTreeWidget* list = dialog->versionList();
    const QRect rect = list->visualItemRect(list->topLevelItem(row));
    QTest::mouseClick(list->viewport(), Qt::LeftButton, modifiers, rect.center());
  }

  test::WindowFixture f_;
};

QTEST_MAIN(TestUiHistory)
#include "test_ui_history.moc"
