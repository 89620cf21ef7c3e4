// The compare and sync view (issue 15) on the real main window against the
// real filetracker-server (with extensions, and --no-extensions where the
// GUI has to ask per file and read contents to hash them), and on the local
// store: opened from the File menu's "Compare with local folder…" and by a
// folder dropped with Alt; a file changed with its size and date kept is
// found by content; "Upload changed and missing" previews exactly what it
// will do and sends only the differing files (the server's /metrics counts
// the PUTs), deleting the server's extras when asked; the reverse direction
// with local extras deleted (and the folders they leave empty); Cancel while
// hashing; a local name that is no valid filetracker name left out with the
// reason; and a second compare after a sync finds everything the same.
#include <QCheckBox>
#include <QDialogButtonBox>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QLabel>
#include <QListWidget>
#include <QMenu>
#include <QMenuBar>
#include <QMimeData>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>
#include <QTreeView>

#include <filesystem>
#include <fstream>

#include "content.hpp"
#include "files.hpp"
#include "filetracker/local_data_store.hpp"
#include "i18n/translations.hpp"
#include "raw_http.hpp"
#include "session/folder_comparer.hpp"
#include "settings_isolation.hpp"
#include "temp_dirs.hpp"
#include "widgets/compare_dialog.hpp"
#include "widgets/drop_views.hpp"
#include "widgets/main_actions.hpp"
#include "window_fixture.hpp"

using namespace ft::ui;
using ft::SyncStatus;

namespace {

constexpr qint64 kVersion = 1420070410;

const char* nameOf(SyncStatus status) {
  switch (status) {
    case SyncStatus::OnlyLocal: return "only local";
    case SyncStatus::OnlyRemote: return "only remote";
    case SyncStatus::Differs: return "differs";
    case SyncStatus::Same: return "same";
    case SyncStatus::Unsure: break;
  }
  return "unsure";
}

// "a.txt: differs", … in name order (a failed comparison shows them all).
QStringList statuses(const CompareDialog* dialog) {
  QStringList result;
  for (const ft::SyncItem& item : dialog->items())
    result << QString::fromStdString(item.relative) + QStringLiteral(": ") + QLatin1String(nameOf(item.status));
  return result;
}

QStringList expect(const QMap<QString, SyncStatus>& statuses) {
  QStringList result;
  for (auto it = statuses.begin(); it != statuses.end(); ++it) result << it.key() + QStringLiteral(": ") + QLatin1String(nameOf(it.value()));
  return result;
}

// Clicks OK on the preview of the next sync after checking its lines.
void confirmPreview(const QStringList& expected, bool* answered, QStringList* seen) {
  test::answerNextModal(
      [expected, seen](QWidget* modal) {
        auto* list = modal->findChild<QListWidget*>(QStringLiteral("previewList"));
        if (!list) return;
        for (int i = 0; i < list->count(); ++i) *seen << list->item(i)->text();
        auto* buttons = modal->findChild<QDialogButtonBox*>();
        if (*seen == expected)
          buttons->button(QDialogButtonBox::Ok)->click();
        else
          buttons->button(QDialogButtonBox::Cancel)->click();
      },
      answered);
}

void sendDrop(QWidget* viewport, const QPoint& pos, const QStringList& localPaths, Qt::KeyboardModifiers modifiers) {
  QMimeData mime;
  QList<QUrl> urls;
  for (const QString& p : localPaths) urls << QUrl::fromLocalFile(p);
  mime.setUrls(urls);
  QDragEnterEvent enter(pos, Qt::CopyAction, &mime, Qt::LeftButton, modifiers);
  QCoreApplication::sendEvent(viewport, &enter);
  QDragMoveEvent move(pos, Qt::CopyAction, &mime, Qt::LeftButton, modifiers);
  QCoreApplication::sendEvent(viewport, &move);
  QDropEvent drop(QPointF(pos), Qt::CopyAction, &mime, Qt::LeftButton, modifiers);
  QCoreApplication::sendEvent(viewport, &drop);
  QVERIFY(drop.isAccepted());
}

}  // namespace

class TestUiCompare : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    f_.work = std::make_unique<QTemporaryDir>(test::tempTemplate(QStringLiteral("ft-ui-compare")));
    QVERIFY(f_.work->isValid());
    test::isolateSettings(f_.work->filePath(QStringLiteral("settings")));
    QCOMPARE(installTranslations(QLocale(QLocale::English, QLocale::UnitedStates)), QStringLiteral("en"));
  }
  void cleanup() {
    if (f_.window) f_.window->session()->transfers()->cancelAll();
    f_.window.reset();
    f_.server.reset();
  }

  void servers_data() {
    QTest::addColumn<QStringList>("serverArgs");
    QTest::newRow("with extensions") << QStringList{};
    QTest::newRow("without extensions (plain v2)") << QStringList{"--no-extensions"};
  }

  void uploadChangedAndMissing_data() { servers_data(); }
  void uploadChangedAndMissing() {
    QFETCH(QStringList, serverArgs);
    const QString local = startWithPackage(serverArgs, QStringLiteral("up"));
    QVERIFY(!local.isEmpty());

    // From the File menu's action, with the current folder.
    QAction* action = f_.window->actions()->compareFolder;
    QVERIFY(f_.window->menuBar()->actions().first()->menu()->actions().contains(action));
    QTRY_VERIFY(action->isEnabled());
    CompareDialog* dialog = openCompare([&] { action->trigger(); }, local);
    QVERIFY(dialog);
    QVERIFY(dialog->windowTitle().contains(QStringLiteral("/pkg")));
    const QMap<QString, SyncStatus> expected{{"a.txt", SyncStatus::Differs},  // same size and date, other bytes
                                             {"same.txt", SyncStatus::Same},
                                             {"only-remote.txt", SyncStatus::OnlyRemote},
                                             {"sub/only-local.txt", SyncStatus::OnlyLocal},
                                             {"sub/grown.txt", SyncStatus::Differs}};
    QCOMPARE(statuses(dialog), expect(expected));
    QCOMPARE(dialog->filter(SyncStatus::Differs)->text(), QStringLiteral("Differs (2)"));
    QCOMPARE(dialog->filter(SyncStatus::Same)->text(), QStringLiteral("Same (1)"));
    QCOMPARE(dialog->filter(SyncStatus::OnlyLocal)->text(), QStringLiteral("Only local (1)"));
    QCOMPARE(dialog->filter(SyncStatus::OnlyRemote)->text(), QStringLiteral("Only on the server (1)"));
    // The filter shows only the statuses ticked.
    QCOMPARE(dialog->view()->model()->rowCount(), 5);
    QTest::mouseClick(dialog->filter(SyncStatus::Same), Qt::LeftButton);
    QTest::mouseClick(dialog->filter(SyncStatus::OnlyRemote), Qt::LeftButton);
    QCOMPARE(dialog->view()->model()->rowCount(), 3);
    QStringList shown;
    for (int r = 0; r < dialog->view()->model()->rowCount(); ++r) shown << dialog->view()->model()->index(r, 0).data().toString();
    QCOMPARE(shown, (QStringList{"a.txt", "sub/grown.txt", "sub/only-local.txt"}));

    // Upload changed and missing, deleting the server's extras: the preview
    // lists exactly that; only the two differing files and the new one are sent.
    QTest::mouseClick(dialog->deleteRemoteExtras(), Qt::LeftButton);
    QVERIFY(dialog->deleteRemoteExtras()->isChecked());
    const double putsBefore = test::requestsCounted(f_.server->port(), "PUT");
    QSignalSpy synced(dialog, &CompareDialog::syncFinished);
    QSignalSpy compared(dialog, &CompareDialog::compareFinished);
    bool answered = false;
    QStringList seen;
    confirmPreview({"Upload /pkg/a.txt (changed)", "Upload /pkg/sub/grown.txt (changed)",
                    "Upload /pkg/sub/only-local.txt (new)", "Delete /pkg/only-remote.txt from the server"},
                   &answered, &seen);
    QTest::mouseClick(dialog->uploadButton(), Qt::LeftButton);
    QVERIFY(answered);
    QVERIFY2(synced.wait(30000) || synced.count() == 1, qPrintable(seen.join('\n')));
    QCOMPARE(synced.at(0).at(0).toInt(), 4);  // done
    QCOMPARE(synced.at(0).at(1).toInt(), 0);  // failed
    QCOMPARE(test::requestsCounted(f_.server->port(), "PUT") - putsBefore, 3.0);
    auto store = f_.curl();
    QCOMPARE(readAll(*store, "/pkg/a.txt"), std::string("ALPHA"));
    QCOMPARE(readAll(*store, "/pkg/sub/grown.txt"), std::string("grown a lot"));
    QCOMPARE(readAll(*store, "/pkg/sub/only-local.txt"), std::string("new here"));
    QVERIFY(!store->exists("/pkg/only-remote.txt"));
    QVERIFY(store->file_version("/pkg/a.txt") > kVersion);  // newer than the version it replaced

    // Compared again by itself: all the same, nothing left to upload.
    QTRY_VERIFY_WITH_TIMEOUT(compared.count() >= 1 && !dialog->isComparing(), 30000);
    QCOMPARE(dialog->count(SyncStatus::Same), 4);
    QCOMPARE(int(dialog->items().size()), 4);
    QVERIFY(dialog->plan(ft::SyncDirection::Upload).empty());
    QVERIFY2(dialog->statusLabel()->text() == QStringLiteral("Synced: 4 actions done. Both folders hold the same 4 files."),
             qPrintable(dialog->statusLabel()->text()));
  }

  void downloadChangedAndMissing_data() { servers_data(); }
  void downloadChangedAndMissing() {
    QFETCH(QStringList, serverArgs);
    const QString local = startWithPackage(serverArgs, QStringLiteral("down"));
    QVERIFY(!local.isEmpty());
    QVERIFY(test::writeFile(local + "/old/deep/extra.txt", "gone soon"));
    CompareDialog* dialog = openCompare([&] { f_.window->actions()->compareFolder->trigger(); }, local);
    QVERIFY(dialog);
    QCOMPARE(dialog->count(SyncStatus::OnlyLocal), 2);
    QCOMPARE(statuses(dialog), expect({{"a.txt", SyncStatus::Differs},
                                                         {"same.txt", SyncStatus::Same},
                                                         {"only-remote.txt", SyncStatus::OnlyRemote},
                                                         {"old/deep/extra.txt", SyncStatus::OnlyLocal},
                                                         {"sub/only-local.txt", SyncStatus::OnlyLocal},
                                                         {"sub/grown.txt", SyncStatus::Differs}}));

    QTest::mouseClick(dialog->deleteLocalExtras(), Qt::LeftButton);
    QSignalSpy synced(dialog, &CompareDialog::syncFinished);
    bool answered = false;
    QStringList seen;
    confirmPreview({"Download " + local + "/a.txt (changed)", "Download " + local + "/only-remote.txt (new)",
                    "Download " + local + "/sub/grown.txt (changed)", "Delete " + local + "/old/deep/extra.txt (local)",
                    "Delete " + local + "/sub/only-local.txt (local)"},
                   &answered, &seen);
    const double putsBefore = test::requestsCounted(f_.server->port(), "PUT");
    QTest::mouseClick(dialog->downloadButton(), Qt::LeftButton);
    QVERIFY(answered);
    QVERIFY2(synced.wait(30000) || synced.count() == 1, qPrintable(seen.join('\n')));
    QCOMPARE(synced.at(0).at(1).toInt(), 0);
    QCOMPARE(test::requestsCounted(f_.server->port(), "PUT"), putsBefore);  // nothing sent to the server
    QCOMPARE(test::readFile(local + "/a.txt"), QByteArray("alpha"));
    QCOMPARE(test::readFile(local + "/only-remote.txt"), QByteArray("there only"));
    QCOMPARE(test::readFile(local + "/sub/grown.txt"), QByteArray("small"));
    QVERIFY(!QFileInfo::exists(local + "/sub/only-local.txt"));
    QVERIFY(!QFileInfo::exists(local + "/old"));  // the folders the deletion emptied
    QVERIFY(QFileInfo(local + "/sub").isDir());   // still holds grown.txt
    QCOMPARE(test::mtime_of(std::filesystem::path((local + "/only-remote.txt").toStdString())), kVersion);

    QTRY_VERIFY_WITH_TIMEOUT(!dialog->isComparing() && !dialog->items().empty(), 30000);
    QCOMPARE(dialog->count(SyncStatus::Same), int(dialog->items().size()));
    QCOMPARE(int(dialog->items().size()), 4);
  }

  // Cancel while the worker hashes: the comparison stops, nothing can be
  // synced from a half-made comparison, and Compare again finishes it.
  // Then Cancel while the sync's big upload runs.
  void cancelWhileHashing() {
    const QString local = startWithPackage({}, QStringLiteral("cancel"));
    QVERIFY(!local.isEmpty());
    const std::string big = test::randomBytes(32 << 20, 7).toStdString();
    f_.put("/pkg/big.bin@" + std::to_string(kVersion), big);
    QByteArray changed = QByteArray::fromStdString(big);
    changed[changed.size() - 1] = char(changed.back() ^ 1);
    QVERIFY(test::writeFile(local + "/big.bin", changed));

    QPointer<CompareDialog> dialog;
    bool cancelled = false;
    auto connection = connect(f_.window.get(), &MainWindow::compareShown, this, [&](CompareDialog* shown) {
      dialog = shown;
      auto* comparer = shown->findChild<FolderComparer*>();
      QVERIFY(comparer);
      // The moment hashing starts, the user clicks Cancel.
      connect(comparer, &FolderComparer::progress, shown, [&, shown](FolderComparer::Phase phase) {
        if (phase != FolderComparer::Phase::Hashing || cancelled) return;
        QVERIFY(shown->cancelButton()->isEnabled());
        QTest::mouseClick(shown->cancelButton(), Qt::LeftButton);
        cancelled = true;
      });
    });
    f_.window->setCompareFolderChooser([local] { return local; });
    f_.window->actions()->compareFolder->trigger();
    disconnect(connection);
    QVERIFY(dialog);
    QTRY_VERIFY_WITH_TIMEOUT(!dialog->isComparing(), 30000);
    QVERIFY(cancelled);
    QCOMPARE(dialog->statusLabel()->text(), QStringLiteral("Comparison cancelled."));
    QVERIFY(dialog->items().empty());
    QVERIFY(!dialog->uploadButton()->isEnabled());
    QVERIFY(!dialog->downloadButton()->isEnabled());
    QVERIFY(!dialog->cancelButton()->isEnabled());

    QSignalSpy compared(dialog.data(), &CompareDialog::compareFinished);
    QTest::mouseClick(dialog->compareButton(), Qt::LeftButton);
    QVERIFY(compared.wait(30000));
    QVERIFY(statuses(dialog).contains("big.bin: differs"));  // same size, one bit differs
    QVERIFY(dialog->uploadButton()->isEnabled());

    // Cancel during the sync: the transfers stop, the server keeps what it
    // had (uploads are atomic), and the comparison after it says so.
    QSignalSpy synced(dialog.data(), &CompareDialog::syncFinished);
    bool answered = false;
    test::answerNextModal(
        [](QWidget* modal) { modal->findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok)->click(); }, &answered);
    QTest::mouseClick(dialog->uploadButton(), Qt::LeftButton);
    QVERIFY(answered);
    QVERIFY(dialog->isSyncing());
    QVERIFY(dialog->cancelButton()->isEnabled());
    QTest::mouseClick(dialog->cancelButton(), Qt::LeftButton);
    QVERIFY(synced.count() == 1 || synced.wait(30000));
    QVERIFY(synced.at(0).at(1).toInt() >= 1);  // the big upload did not finish
    QTRY_VERIFY_WITH_TIMEOUT(!dialog->isComparing() && !dialog->items().empty(), 30000);
    QVERIFY2(dialog->statusLabel()->text().startsWith(QStringLiteral("Sync cancelled after")),
             qPrintable(dialog->statusLabel()->text()));
    QVERIFY(statuses(dialog).contains("big.bin: differs"));
    auto store = f_.curl();
    QCOMPARE(readAll(*store, "/pkg/big.bin"), big);
  }

  // A local file whose name is no valid filetracker name (not UTF-8): the
  // preview says it will not be uploaded and why; the rest goes.
  void invalidLocalNameIsNotUploaded() {
    f_.server = std::make_unique<TestServer>();
    QVERIFY(f_.server->start());
    const QString local = f_.local(QStringLiteral("badname"));
    QVERIFY(test::writeFile(local + "/ok.txt", "fine"));
    std::ofstream(std::filesystem::path(local.toStdString()) / "caf\xe9.txt") << "latin-1 name";
    f_.window = std::make_unique<MainWindow>();
    f_.window->show();
    QVERIFY(f_.open(f_.profileFor(f_.server->url())));
    CompareDialog* dialog = openCompare([&] { f_.window->compareFolders(local, QStringLiteral("/pkg")); }, local);
    QVERIFY(dialog);
    QCOMPARE(dialog->count(SyncStatus::OnlyLocal), 2);
    QStringList seen;
    bool answered = false;
    test::answerNextModal(
        [&seen](QWidget* modal) {
          auto* list = modal->findChild<QListWidget*>(QStringLiteral("previewList"));
          for (int i = 0; list && i < list->count(); ++i) seen << list->item(i)->text();
          modal->findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok)->click();
        },
        &answered);
    const double putsBefore = test::requestsCounted(f_.server->port(), "PUT");
    QSignalSpy synced(dialog, &CompareDialog::syncFinished);
    QTest::mouseClick(dialog->uploadButton(), Qt::LeftButton);
    QVERIFY(answered);
    QCOMPARE(seen.size(), 2);
    QCOMPARE(seen.at(0), QStringLiteral("Upload /pkg/ok.txt (new)"));
    QVERIFY2(seen.at(1).startsWith(QStringLiteral("Not uploaded: ")) && seen.at(1).contains(QStringLiteral("caf")),
             qPrintable(seen.at(1)));
    // Closed while the sync runs: it goes on, and the dialog goes after it.
    QPointer<CompareDialog> guard(dialog);
    QVERIFY(dialog->isSyncing());
    dialog->close();
    QVERIFY(guard && !dialog->isVisible());
    QVERIFY(synced.count() == 1 || synced.wait(30000));
    QCOMPARE(synced.at(0).at(1).toInt(), 0);
    QCOMPARE(test::requestsCounted(f_.server->port(), "PUT") - putsBefore, 1.0);
    QTRY_VERIFY(guard.isNull());
  }

  // A local folder dropped with Alt onto the table opens the comparison with
  // the folder shown (without Alt it would be uploaded).
  void altDropCompares() {
    const QString local = startWithPackage({}, QStringLiteral("drop"));
    QVERIFY(!local.isEmpty());
    QSignalSpy shown(f_.window.get(), &MainWindow::compareShown);
    const double putsBefore = test::requestsCounted(f_.server->port(), "PUT");
    sendDrop(f_.window->fileView()->viewport(), QPoint(10, 10), {local}, Qt::AltModifier);
    QTRY_COMPARE(shown.count(), 1);
    auto* dialog = shown.at(0).at(0).value<CompareDialog*>();
    QVERIFY(dialog);
    QTRY_VERIFY_WITH_TIMEOUT(!dialog->isComparing() && !dialog->items().empty(), 30000);
    QCOMPARE(dialog->count(SyncStatus::Differs), 2);
    QCOMPARE(test::requestsCounted(f_.server->port(), "PUT"), putsBefore);  // compared, not uploaded
    dialog->close();
  }

  // The local stand-alone store (no server): the same view and actions.
  void localStore() {
    f_.window = std::make_unique<MainWindow>();
    f_.window->show();
    ConnectionProfile profile;
    profile.name = QStringLiteral("local");
    profile.cacheDirectory = f_.local(QStringLiteral("local-store"));
    f_.window->openProfile(profile, false);
    QTRY_VERIFY(f_.window->session()->isReady());
    QVERIFY(!f_.window->session()->isRemote());
    {
      ft::LocalDataStore store(profile.cacheDirectory.toStdString());
      std::istringstream a("alpha"), b("there only");
      store.add_stream("/pkg/a.txt@" + std::to_string(kVersion), a);
      store.add_stream("/pkg/only-remote.txt@" + std::to_string(kVersion), b);
    }
    const QString local = f_.local(QStringLiteral("local-side"));
    QVERIFY(test::writeFile(local + "/a.txt", "ALPHA"));
    QVERIFY(test::writeFile(local + "/new.txt", "new"));
    CompareDialog* dialog = nullptr;
    {
      QSignalSpy shown(f_.window.get(), &MainWindow::compareShown);
      f_.window->compareFolders(local, QStringLiteral("/pkg"));
      QCOMPARE(shown.count(), 1);
      dialog = shown.at(0).at(0).value<CompareDialog*>();
    }
    QTRY_VERIFY_WITH_TIMEOUT(!dialog->isComparing() && !dialog->items().empty(), 30000);
    QCOMPARE(statuses(dialog), expect({{"a.txt", SyncStatus::Differs},
                                                         {"new.txt", SyncStatus::OnlyLocal},
                                                         {"only-remote.txt", SyncStatus::OnlyRemote}}));
    QSignalSpy synced(dialog, &CompareDialog::syncFinished);
    bool answered = false;
    QStringList seen;
    confirmPreview({"Upload /pkg/a.txt (changed)", "Upload /pkg/new.txt (new)"}, &answered, &seen);
    QTest::mouseClick(dialog->uploadButton(), Qt::LeftButton);
    QVERIFY(answered);
    QVERIFY2(synced.wait(30000) || synced.count() == 1, qPrintable(seen.join('\n')));
    QTRY_VERIFY_WITH_TIMEOUT(!dialog->isComparing() && !dialog->items().empty(), 30000);
    QCOMPARE(statuses(dialog), expect({{"a.txt", SyncStatus::Same},
                                                         {"new.txt", SyncStatus::Same},
                                                         {"only-remote.txt", SyncStatus::OnlyRemote}}));
    ft::LocalDataStore store(profile.cacheDirectory.toStdString());
    auto stream = store.get_stream("/pkg/a.txt");
    QCOMPARE(std::string(std::istreambuf_iterator<char>(*stream.stream), {}), std::string("ALPHA"));
  }

 private:
  // A server with /pkg, a window on /pkg, and a local folder that differs
  // from it in every way a package does; returns the local folder.
  QString startWithPackage(const QStringList& serverArgs, const QString& name) {
    f_.server = std::make_unique<TestServer>(QString(), serverArgs);
    if (!f_.server->start()) return {};
    const std::string v = "@" + std::to_string(kVersion);
    f_.put("/pkg/a.txt" + v, "alpha");
    f_.put("/pkg/same.txt" + v, "the same");
    f_.put("/pkg/only-remote.txt" + v, "there only");
    f_.put("/pkg/sub/grown.txt" + v, "small");
    const QString local = f_.local(name + (serverArgs.isEmpty() ? QStringLiteral("-ext") : QStringLiteral("-plain")));
    // Same size and the same date as the server's version, other content.
    if (!test::writeFile(local + "/a.txt", "ALPHA")) return {};
    test::touch(std::filesystem::path((local + "/a.txt").toStdString()), kVersion);
    if (!test::writeFile(local + "/same.txt", "the same")) return {};
    if (!test::writeFile(local + "/sub/only-local.txt", "new here")) return {};
    if (!test::writeFile(local + "/sub/grown.txt", "grown a lot")) return {};
    f_.window = std::make_unique<MainWindow>();
    f_.window->show();
    if (!f_.open(f_.profileFor(f_.server->url()))) return {};
    if (!f_.goTo(QStringLiteral("/pkg"))) return {};
    return local;
  }

  // Runs `trigger` with `local` as the folder chosen; returns the dialog once compared.
  CompareDialog* openCompare(const std::function<void()>& trigger, const QString& local) {
    f_.window->setCompareFolderChooser([local] { return local; });
    QSignalSpy shown(f_.window.get(), &MainWindow::compareShown);
    trigger();
    if (shown.count() != 1) return nullptr;
    auto* dialog = shown.at(0).at(0).value<CompareDialog*>();
    if (!QTest::qWaitFor([dialog] { return !dialog->isComparing(); }, 30000)) return nullptr;
    if (!dialog->errorString().isEmpty()) qWarning("compare failed: %s", qPrintable(dialog->errorString()));
    return dialog;
  }

  static std::string readAll(ft::DataStore& store, const std::string& name) {
    auto stream = store.get_stream(name);
    return std::string(std::istreambuf_iterator<char>(*stream.stream), {});
  }

  test::WindowFixture f_;
};

QTEST_MAIN(TestUiCompare)
#include "test_ui_compare.moc"
