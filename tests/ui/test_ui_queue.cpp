// Issue 15, a transfer queue that lasts, and several servers, on the real
// main window against the real filetracker-server: the queue (finished,
// failed, paused, queued rows) survives destroying the window and comes back
// in a new one, on its own server; uploads whose local file changed or
// vanished meanwhile fail with the reason; nothing secret is written; pause
// and resume of a big download held half-way by a proxy leave no partial
// file; the ETA is shown; the bandwidth limit slows transfers down; each
// server profile gets its own cache folder (the first keeps the old shared
// one, the settings dialog says so); the title names the profile and server.
#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QSettings>
#include <QSpinBox>
#include <QStandardPaths>
#include <QStatusBar>
#include <QToolButton>
#include <QTreeView>

#include "content.hpp"
#include "event_loop_wait.hpp"
#include "files.hpp"
#include "forked_child.hpp"
#include "holding_proxy.hpp"
#include "i18n/translations.hpp"
#include "settings/settings_keys.hpp"
#include "settings_isolation.hpp"
#include "temp_dirs.hpp"
#include "widgets/drop_views.hpp"
#include "widgets/settings_dialog.hpp"
#include "widgets/transfers_dock.hpp"
#include "window_fixture.hpp"

using namespace ft::ui;

class TestUiQueue : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase();
  void init();
  void cleanup();
  void queueSurvivesRestart();
  void unreadableQueueFileIsSetAside();
  void queueFileSurvivesKill9();
  void quitAndResumeNextTime();
  void pauseAndResumeBigDownload();
  void pauseRunningUploadAndQueue();
  void bandwidthLimitSlowsTransfers();
  void rowsOfAnotherServerWait();
  void serverProfilesGetTheirOwnCache();
  void titleAndStatusNameTheProfile();

 private:
  TransferQueue* queue() { return f_.window->session()->transfers(); }
  TransfersDock* dock() { return f_.window->transfersDock(); }
  void selectRows(const QList<int>& rows);
  QToolButton* pauseQueueButton();
  int rowNamed(const QString& name);
  QByteArray serverContent(const std::string& name);
  void newWindow();

  test::WindowFixture f_;
};

void TestUiQueue::initTestCase() {
  f_.work = std::make_unique<QTemporaryDir>(test::tempTemplate(QStringLiteral("ft-ui-queue")));
  QVERIFY(f_.work->isValid());
  test::isolateSettings(f_.work->filePath(QStringLiteral("settings")));
  QCOMPARE(installTranslations(QLocale(QLocale::English, QLocale::UnitedStates)), QStringLiteral("en"));
}

void TestUiQueue::init() {
  QSettings().clear();
  f_.server = std::make_unique<TestServer>();
  QVERIFY2(f_.server->start(), "the real filetracker-server must start");
  newWindow();
}

void TestUiQueue::newWindow() {
  f_.window = std::make_unique<MainWindow>();
  f_.window->show();
  f_.window->session()->setUrlOpener([](const QUrl&) { return true; });
}

void TestUiQueue::cleanup() {
  if (f_.window) f_.window->session()->transfers()->cancelAll();
  f_.window.reset();
  f_.server.reset();
}

void TestUiQueue::selectRows(const QList<int>& rows) {
  auto* selection = dock()->view()->selectionModel();
  selection->clearSelection();
  for (int r : rows) selection->select(queue()->model()->index(r, 0), QItemSelectionModel::Select | QItemSelectionModel::Rows);
}

QToolButton* TestUiQueue::pauseQueueButton() {
  for (auto* b : dock()->findChildren<QToolButton*>()) {
    if (b->defaultAction() == dock()->pauseQueueAction()) return b;
  }
  return nullptr;
}

int TestUiQueue::rowNamed(const QString& name) {
  for (int r = 0; r < queue()->model()->rowCount(); ++r) {
    if (queue()->model()->at(r).remoteName() == name) return r;
  }
  return -1;
}

QByteArray TestUiQueue::serverContent(const std::string& name) {
  auto store = f_.curl();
  if (!store->exists(name)) return QByteArray("<missing>");
  ft::DataStore::Stream s = store->get_stream(name);
  const std::string body(std::istreambuf_iterator<char>(*s.stream), {});
  return QByteArray::fromStdString(body);
}

// Five uploads queued with the queue paused (one of them paused on its own),
// one finished before, two whose local files are removed or changed while
// the window is gone: a new window on the same profile shows all eight rows
// as they were (the finished one with its result, the two failed with the
// reason, the queue still paused); resuming sends the five, byte for byte.
// The queue file never holds the password of the profile's URL.
void TestUiQueue::queueSurvivesRestart() {
  const QString url = f_.server->url();
  QString withSecret = url;
  withSecret.replace(QStringLiteral("http://"), QStringLiteral("http://op:hunter2-secret@"));
  const ConnectionProfile profile = f_.profileFor(withSecret);
  QVERIFY(f_.open(profile));

  const QString dir = f_.local(QStringLiteral("restart"));
  QVERIFY(QDir().mkpath(dir));
  QVERIFY(test::writeRandomFile(dir + QStringLiteral("/done.bin"), 100000, 1));
  f_.window->uploadPaths({dir + QStringLiteral("/done.bin")}, QStringLiteral("/q"));
  QTRY_VERIFY_WITH_TIMEOUT(queue()->model()->rowCount() == 1 && queue()->model()->at(0).state == Transfer::State::Finished,
                           20000);

  // The whole queue paused (the dock's button): what is queued now waits.
  QVERIFY(pauseQueueButton());
  QTest::mouseClick(pauseQueueButton(), Qt::LeftButton);
  QVERIFY(queue()->isQueuePaused());
  QStringList paths;
  QHash<QString, QByteArray> contents;
  for (int i = 1; i <= 5; ++i) {
    const QString p = dir + QStringLiteral("/f%1.bin").arg(i);
    QVERIFY(test::writeRandomFile(p, 200000 + i * 1000, quint32(10 + i)));
    paths << p;
    contents[QStringLiteral("/q/f%1.bin").arg(i)] = test::readFile(p);
  }
  QVERIFY(test::writeFile(dir + QStringLiteral("/gone.txt"), "will vanish\n"));
  QVERIFY(test::writeFile(dir + QStringLiteral("/changed.txt"), "before\n"));
  paths << dir + QStringLiteral("/gone.txt") << dir + QStringLiteral("/changed.txt");
  f_.window->uploadPaths(paths, QStringLiteral("/q"));
  QTRY_COMPARE_WITH_TIMEOUT(queue()->model()->rowCount(), 8, 20000);
  // One of them paused on its own, with the keyboard in the dock.
  const int f1 = rowNamed(QStringLiteral("/q/f1.bin"));
  QVERIFY(f1 >= 0);
  selectRows({f1});
  dock()->view()->setFocus();
  QVERIFY(dock()->pauseAction()->isEnabled());
  QTest::keyClick(dock()->view(), Qt::Key_P, Qt::ControlModifier);
  QCOMPARE(queue()->model()->at(f1).state, Transfer::State::Paused);
  test::pause(300);
  for (int r = 1; r < 8; ++r) QVERIFY(!queue()->model()->at(r).isActive());
  QVERIFY(!f_.curl()->exists("/q/f2.bin"));

  // Quit: the window goes, the queue file stays.
  f_.window.reset();
  const QString journalDir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/transfers");
  const QStringList files = QDir(journalDir).entryList({QStringLiteral("*.json")}, QDir::Files);
  QVERIFY2(!files.isEmpty(), qPrintable(journalDir));
  for (const QString& f : files) {
    const QByteArray saved = test::readFile(journalDir + QLatin1Char('/') + f);
    QVERIFY2(!saved.contains("hunter2"), saved.constData());
  }
  QVERIFY(QFile::remove(dir + QStringLiteral("/gone.txt")));
  QVERIFY(test::writeFile(dir + QStringLiteral("/changed.txt"), "after, and longer\n"));

  newWindow();
  QVERIFY(f_.open(profile));
  QCOMPARE(queue()->model()->rowCount(), 8);
  QVERIFY(queue()->isQueuePaused());
  QVERIFY(dock()->pauseQueueAction()->isChecked());
  const Transfer& done = queue()->model()->at(rowNamed(QStringLiteral("/q/done.bin")));
  QCOMPARE(done.state, Transfer::State::Finished);
  QVERIFY(done.result.version > 0);
  QCOMPARE(done.result.size, qint64(100000));
  const Transfer& gone = queue()->model()->at(rowNamed(QStringLiteral("/q/gone.txt")));
  QCOMPARE(gone.state, Transfer::State::Failed);
  QVERIFY2(gone.error.contains(QStringLiteral("gone")), qPrintable(gone.error));
  const Transfer& changed = queue()->model()->at(rowNamed(QStringLiteral("/q/changed.txt")));
  QCOMPARE(changed.state, Transfer::State::Failed);
  QVERIFY2(changed.error.contains(QStringLiteral("changed")), qPrintable(changed.error));
  QVERIFY(queue()->model()->index(rowNamed(QStringLiteral("/q/changed.txt")), TransferModel::StateColumn)
              .data()
              .toString()
              .contains(QStringLiteral("changed since it was queued")));
  QCOMPARE(queue()->model()->at(rowNamed(QStringLiteral("/q/f1.bin"))).state, Transfer::State::Paused);
  for (int i = 2; i <= 5; ++i) {
    QCOMPARE(queue()->model()->at(rowNamed(QStringLiteral("/q/f%1.bin").arg(i))).state, Transfer::State::Queued);
  }
  test::pause(300);
  QVERIFY(!f_.curl()->exists("/q/f2.bin"));  // still paused after the restart

  // Resume the queue: f2..f5 go; f1, paused on its own, waits for its Resume.
  QVERIFY(pauseQueueButton());
  QTest::mouseClick(pauseQueueButton(), Qt::LeftButton);
  QVERIFY(!queue()->isQueuePaused());
  QTRY_VERIFY_WITH_TIMEOUT(queue()->activeCount() == 0 && f_.curl()->exists("/q/f5.bin"), 30000);
  QCOMPARE(queue()->model()->at(rowNamed(QStringLiteral("/q/f1.bin"))).state, Transfer::State::Paused);
  QVERIFY(!f_.curl()->exists("/q/f1.bin"));
  selectRows({rowNamed(QStringLiteral("/q/f1.bin"))});
  QVERIFY(dock()->resumeAction()->isEnabled());
  dock()->resumeAction()->trigger();
  QTRY_COMPARE_WITH_TIMEOUT(queue()->model()->at(rowNamed(QStringLiteral("/q/f1.bin"))).state, Transfer::State::Finished,
                            30000);
  for (auto it = contents.cbegin(); it != contents.cend(); ++it) {
    QVERIFY2(serverContent(it.key().toStdString()) == it.value(), qPrintable(it.key()));
  }
  QVERIFY(!f_.curl()->exists("/q/gone.txt"));
  QVERIFY(!f_.curl()->exists("/q/changed.txt"));
}

// A queue file that is not one (cut, hand-edited) does not stop the window:
// it is set aside as *.corrupt, the status bar says so, the queue starts empty.
void TestUiQueue::unreadableQueueFileIsSetAside() {
  const ConnectionProfile profile = f_.profileFor(f_.server->url());
  QVERIFY(f_.open(profile));
  QVERIFY(test::writeFile(f_.local(QStringLiteral("x.txt")), "x\n"));
  f_.window->uploadPaths({f_.local(QStringLiteral("x.txt"))}, QStringLiteral("/"));
  QTRY_VERIFY_WITH_TIMEOUT(queue()->model()->rowCount() == 1 && queue()->model()->at(0).isOver(), 20000);
  const QString key = queue()->storeKey();
  const QString file = queue()->journal().fileFor(key);
  f_.window.reset();
  QVERIFY(QFile::exists(file));
  QVERIFY(test::writeFile(file, "{\"format\": 1, \"transfers\": [ {\"kind\""));
  newWindow();
  QVERIFY(f_.open(profile));
  QCOMPARE(queue()->model()->rowCount(), 0);
  QVERIFY(QFile::exists(file + QStringLiteral(".corrupt")));
  QVERIFY2(f_.window->statusBar()->currentMessage().contains(QStringLiteral("corrupt")),
           qPrintable(f_.window->statusBar()->currentMessage()));
}

// A writer killed with SIGKILL at any moment while it saves the queue again
// and again (files of 1 to 400 rows): what is read back is always one whole
// saved queue (its row count one of those written), never a torn file, and
// no temporary file is left beside it.
void TestUiQueue::queueFileSurvivesKill9() {
  const QString dir = f_.local(QStringLiteral("journal-kill"));
  const TransferJournal journal(dir);
  const QString key = QStringLiteral("http://127.0.0.1:1\n/cache");
  auto contentOf = [&](int rows) {
    TransferJournal::Content c;
    for (int i = 0; i < rows; ++i) {
      Transfer t;
      t.kind = Transfer::Kind::Upload;
      t.upload = UploadRequest{QStringLiteral("/tmp/file-%1.bin").arg(i), QStringLiteral("/k/file-%1.bin").arg(i), std::nullopt};
      t.storeKey = key;
      t.state = Transfer::State::Queued;
      c.rows << t;
    }
    return c;
  };
  QCOMPARE(journal.save(key, contentOf(1)), QString());
  for (int round = 0; round < 12; ++round) {
    test::Child writer([&](int, int out) {
      test::Child::put(out, 'r');
      for (int i = 0;; ++i) (void)journal.save(key, contentOf(1 + (i * 37) % 400));
    });
    QCOMPARE(writer.receive(10000), std::optional<char>('r'));
    test::pause(5 + round * 7);
    writer.kill9();
    writer.wait();
    QString error;
    const TransferJournal::Content back = journal.load(key, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY(back.rows.size() >= 1 && back.rows.size() <= 400);
    QCOMPARE(back.rows.last().upload.name, QStringLiteral("/k/file-%1.bin").arg(back.rows.size() - 1));
    QCOMPARE(QDir(dir).entryList(QDir::Files | QDir::Hidden), QStringList{QFileInfo(journal.fileFor(key)).fileName()});
  }
}

// Quit with a download running (held half-way by the proxy): the question
// offers to resume next time; chosen, the window goes, no partial file is
// left, and the next window on the profile fetches it whole.
void TestUiQueue::quitAndResumeNextTime() {
  const QByteArray expected = test::randomBytes(4 << 20, 21);
  f_.put("/later/file.bin", expected.toStdString());
  test::HoldingProxy proxy(f_.server->port(), test::HoldingProxy::Held::ToClient);
  QVERIFY(proxy.listening());
  const ConnectionProfile profile = f_.profileFor(proxy.url());
  QVERIFY(f_.open(profile));
  const QString dest = f_.local(QStringLiteral("later/file.bin"));
  QVERIFY(QDir().mkpath(QFileInfo(dest).path()));
  const quint64 id = queue()->enqueueDownload(DownloadRequest{QStringLiteral("/later/file.bin"), dest, false});
  QTRY_VERIFY_WITH_TIMEOUT(queue()->find(id)->state == Transfer::State::Running && queue()->find(id)->done > 0, 30000);
  proxy.hold();
  QTRY_VERIFY(proxy.holding());
  bool answered = false;
  test::answerNextModal(
      [](QWidget* dialog) {
        auto* box = qobject_cast<QMessageBox*>(dialog);
        QVERIFY(box);
        QAbstractButton* later = test::buttonLabelled(box, QStringLiteral("Quit, resume them next time"));
        QVERIFY(later);
        later->click();
      },
      &answered);
  QVERIFY(f_.window->close());
  QVERIFY(answered);
  f_.window.reset();
  QVERIFY(!QFile::exists(dest));
  proxy.release();
  newWindow();
  QVERIFY(f_.open(profile));
  QCOMPARE(queue()->model()->rowCount(), 1);
  QTRY_COMPARE_WITH_TIMEOUT(queue()->model()->at(0).state, Transfer::State::Finished, 60000);
  QVERIFY(test::readFile(dest) == expected);
}

// An 8 MiB download through a proxy that trickles it and then holds it:
// Pause stops the request (the proxy's connection closes), no target file
// and no temporary file is left beside it; the row shows a time left while
// it runs; Resume (the context menu's action) fetches it whole.
void TestUiQueue::pauseAndResumeBigDownload() {
  const QString local = f_.local(QStringLiteral("big/source.bin"));
  QVERIFY(QDir().mkpath(QFileInfo(local).path()));
  QVERIFY(test::writeRandomFile(local, 8 << 20, 3));
  const QByteArray expected = test::readFile(local);
  f_.put("/big/file.bin", expected.toStdString());

  test::HoldingProxy proxy(f_.server->port(), test::HoldingProxy::Held::ToClient, 32768, 100);
  QVERIFY(proxy.listening());
  QVERIFY(f_.open(f_.profileFor(proxy.url())));
  const QString destDir = f_.local(QStringLiteral("big/out"));
  QVERIFY(QDir().mkpath(destDir));
  const QString dest = destDir + QStringLiteral("/file.bin");
  const quint64 id = queue()->enqueueDownload(DownloadRequest{QStringLiteral("/big/file.bin"), dest, false});
  QTRY_VERIFY_WITH_TIMEOUT(queue()->find(id)->state == Transfer::State::Running && queue()->find(id)->done > 0, 30000);
  // The time left, once the speed is known: per row and for the queue.
  const int row = queue()->model()->rowOf(id);
  QTRY_VERIFY_WITH_TIMEOUT(!queue()->model()->index(row, TransferModel::EtaColumn).data().toString().isEmpty(), 10000);
  QTRY_VERIFY_WITH_TIMEOUT(dock()->summaryLabel()->text().contains(QStringLiteral("left")), 10000);
  QCOMPARE(queue()->model()->headerData(TransferModel::EtaColumn, Qt::Horizontal).toString(), QStringLiteral("Time left"));

  proxy.hold();
  QTRY_VERIFY(proxy.holding());
  const int openBefore = proxy.connections_open();
  selectRows({row});
  QVERIFY(dock()->pauseAction()->isEnabled());
  dock()->pauseAction()->trigger();
  QCOMPARE(queue()->find(id)->state, Transfer::State::Paused);
  QVERIFY(queue()->model()->index(row, TransferModel::StateColumn).data().toString() == QStringLiteral("Paused"));
  QVERIFY(dock()->resumeAction()->isEnabled());
  QVERIFY(!dock()->pauseAction()->isEnabled());
  proxy.release();
  QTRY_VERIFY_WITH_TIMEOUT(proxy.connections_open() < openBefore, 10000);  // the request is gone
  QVERIFY(!QFile::exists(dest));
  QCOMPARE(QDir(destDir).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot), QStringList());
  test::pause(300);
  QCOMPARE(queue()->find(id)->state, Transfer::State::Paused);  // it stays paused

  dock()->resumeAction()->trigger();
  QTRY_COMPARE_WITH_TIMEOUT(queue()->find(id)->state, Transfer::State::Finished, 60000);
  QVERIFY(test::readFile(dest) == expected);
  QCOMPARE(QDir(destDir).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot), QStringList{QStringLiteral("file.bin")});
}

// An upload held half-way by the proxy: pausing the whole queue stops its
// PUT (the row is queued again); the server stores nothing of it; resuming
// the queue sends it whole.
void TestUiQueue::pauseRunningUploadAndQueue() {
  test::HoldingProxy proxy(f_.server->port(), test::HoldingProxy::Held::ToServer);
  QVERIFY(proxy.listening());
  QVERIFY(f_.open(f_.profileFor(proxy.url())));
  const QString big = f_.local(QStringLiteral("up/huge.bin"));
  QVERIFY(QDir().mkpath(QFileInfo(big).path()));
  QVERIFY(test::writeRandomFile(big, 4 << 20, 5));
  f_.window->uploadPaths({big}, QStringLiteral("/u"));
  QTRY_COMPARE_WITH_TIMEOUT(queue()->model()->rowCount(), 1, 20000);
  const quint64 id = queue()->model()->at(0).id;
  QTRY_VERIFY_WITH_TIMEOUT(queue()->find(id)->state == Transfer::State::Running && queue()->find(id)->done > 0, 60000);
  proxy.hold();
  QTRY_VERIFY(proxy.holding());
  dock()->pauseQueueAction()->trigger();  // the whole queue
  QVERIFY(queue()->isQueuePaused());
  QCOMPARE(queue()->find(id)->state, Transfer::State::Queued);  // to start again with the queue
  QVERIFY2(dock()->summaryLabel()->text().contains(QStringLiteral("Queue paused")), qPrintable(dock()->summaryLabel()->text()));
  proxy.release();
  test::pause(500);
  QVERIFY(!f_.curl()->exists("/u/huge.bin"));
  QTRY_VERIFY(QDir(f_.server->dataDir() + QStringLiteral("/blobs/tmp")).isEmpty());
  dock()->pauseQueueAction()->trigger();
  QVERIFY(!queue()->isQueuePaused());
  QTRY_COMPARE_WITH_TIMEOUT(queue()->find(id)->state, Transfer::State::Finished, 60000);
  QVERIFY(serverContent("/u/huge.bin") == test::readFile(big));
}

// The dock's Limit: 512 KiB/s makes a 1.5 MiB upload and download take well
// over two seconds each (about three; the exact rate is the benchmark's,
// bench_transfer_limit); back to unlimited, the same is quick. The limit is
// remembered for the next window.
void TestUiQueue::bandwidthLimitSlowsTransfers() {
  QVERIFY(f_.open(f_.profileFor(f_.server->url())));
  const QString src = f_.local(QStringLiteral("limit/a.bin"));
  QVERIFY(QDir().mkpath(QFileInfo(src).path()));
  QVERIFY(test::writeRandomFile(src, 3 << 19, 9));  // 1.5 MiB, incompressible
  dock()->bandwidthBox()->setValue(512);
  QCOMPARE(queue()->bandwidthLimit(), qint64(512) * 1024);
  QElapsedTimer clock;
  clock.start();
  f_.window->uploadPaths({src}, QStringLiteral("/l"));
  QTRY_VERIFY_WITH_TIMEOUT(queue()->model()->rowCount() == 1 && queue()->model()->at(0).isOver(), 60000);
  QCOMPARE(queue()->model()->at(0).state, Transfer::State::Finished);
  const qint64 upMs = clock.elapsed();
  QVERIFY2(upMs > 2000, qPrintable(QString::number(upMs)));
  QVERIFY2(dock()->summaryLabel()->text().contains(QStringLiteral("limit 512")), qPrintable(dock()->summaryLabel()->text()));

  const QString dest = f_.local(QStringLiteral("limit/back.bin"));
  clock.restart();
  const quint64 id = queue()->enqueueDownload(DownloadRequest{QStringLiteral("/l/a.bin"), dest, false});
  QTRY_VERIFY_WITH_TIMEOUT(queue()->find(id)->isOver(), 60000);
  QCOMPARE(queue()->find(id)->state, Transfer::State::Finished);
  const qint64 downMs = clock.elapsed();
  QVERIFY2(downMs > 2000, qPrintable(QString::number(downMs)));
  QVERIFY(test::readFile(dest) == test::readFile(src));

  f_.window->close();  // saves the window's state, the limit with it
  f_.window.reset();
  newWindow();
  QCOMPARE(f_.window->transfersDock()->bandwidthBox()->value(), 512);
  f_.window->transfersDock()->bandwidthBox()->setValue(0);
  QVERIFY(f_.open(f_.profileFor(f_.server->url())));
  QCOMPARE(queue()->bandwidthLimit(), qint64(0));
  clock.restart();
  const quint64 fast = queue()->enqueueDownload(DownloadRequest{QStringLiteral("/l/a.bin"), dest + QStringLiteral("2"), false});
  QTRY_VERIFY_WITH_TIMEOUT(queue()->find(fast)->isOver(), 60000);
  QCOMPARE(queue()->find(fast)->state, Transfer::State::Finished);
  QVERIFY2(clock.elapsed() < downMs, qPrintable(QString::number(clock.elapsed())));
}

// Rows queued for one server wait while another is connected (never sent
// there) and run when their own is connected again.
void TestUiQueue::rowsOfAnotherServerWait() {
  TestServer other;
  QVERIFY(other.start());
  const ConnectionProfile first = f_.profileFor(f_.server->url());
  QVERIFY(f_.open(first));
  dock()->pauseQueueAction()->trigger();
  QVERIFY(test::writeFile(f_.local(QStringLiteral("wait/w.txt")), "for the first server\n"));
  f_.window->uploadPaths({f_.local(QStringLiteral("wait/w.txt"))}, QStringLiteral("/"));
  QTRY_COMPARE_WITH_TIMEOUT(queue()->model()->rowCount(), 1, 20000);
  QVERIFY(f_.open(f_.profileFor(other.url())));
  dock()->pauseQueueAction()->trigger();  // resumed, on the other server
  QVERIFY(!queue()->isQueuePaused());
  test::pause(500);
  QCOMPARE(queue()->model()->at(0).state, Transfer::State::Queued);
  QVERIFY2(queue()->model()->index(0, TransferModel::StateColumn).data().toString().contains(f_.server->url()),
           qPrintable(queue()->model()->index(0, TransferModel::StateColumn).data().toString()));
  QVERIFY(!f_.curl(other.url())->exists("/w.txt"));
  QVERIFY(f_.open(first));
  QTRY_COMPARE_WITH_TIMEOUT(queue()->model()->at(0).state, Transfer::State::Finished, 20000);
  QVERIFY(f_.curl()->exists("/w.txt"));
  QVERIFY(!f_.curl(other.url())->exists("/w.txt"));
}

// Profiles saved by an older version, all on the shared default cache: the
// first server profile keeps it, the next one gets its own folder (saved),
// the local store is never moved; the settings dialog says which is which;
// a new profile gets its own folder, which follows a rename.
void TestUiQueue::serverProfilesGetTheirOwnCache() {
  {
    QSettings settings;
    settings.beginWriteArray(settings_keys::kProfiles, 3);
    const QStringList names{QStringLiteral("Local store"), QStringLiteral("judges"), QStringLiteral("web servers")};
    const QStringList urls{QString(), QStringLiteral("http://127.0.0.1:1"), QStringLiteral("http://127.0.0.1:2")};
    for (int i = 0; i < 3; ++i) {
      settings.setArrayIndex(i);
      settings.setValue(QStringLiteral("name"), names[i]);
      settings.setValue(QStringLiteral("serverUrl"), urls[i]);  // no cacheDirectory: the old shared default
    }
    settings.endArray();
  }
  QSettings settings;
  ProfileSettings store(settings);
  QStringList migrated;
  const QList<ConnectionProfile> profiles = store.profiles(&migrated);
  QCOMPARE(profiles.size(), 3);
  QCOMPARE(profiles[0].cacheDirectory, defaultCacheDirectory());
  QCOMPARE(profiles[1].cacheDirectory, defaultCacheDirectory());
  QCOMPARE(profiles[2].cacheDirectory, profileCacheDirectory(QStringLiteral("web servers")));
  QVERIFY(profileCacheDirectory(QStringLiteral("web servers")) != profileCacheDirectory(QStringLiteral("web_servers")));
  // One folder right below .../profiles, whatever the name.
  const QFileInfo odd(profileCacheDirectory(QStringLiteral("../x")));
  QCOMPARE(odd.dir().dirName(), QStringLiteral("profiles"));
  QVERIFY(!odd.fileName().startsWith(QLatin1Char('.')));
  QCOMPARE(migrated, QStringList{QStringLiteral("web servers")});
  QStringList again;
  QCOMPARE(store.profiles(&again)[2].cacheDirectory, profileCacheDirectory(QStringLiteral("web servers")));
  QVERIFY(again.isEmpty());  // saved: done once

  // What the dialog says, for a migration just done.
  {
    QSettings s;
    s.beginWriteArray(settings_keys::kProfiles, 3);
    s.setArrayIndex(2);
    s.setValue(QStringLiteral("cacheDirectory"), defaultCacheDirectory());
    s.endArray();
  }
  SettingsDialog dialog(profiles[1]);
  dialog.show();
  auto* list = dialog.findChild<QListWidget*>();
  auto* note = dialog.findChild<QLabel*>(QStringLiteral("cacheNote"));
  auto* cacheDir = dialog.findChild<QLineEdit*>(QStringLiteral("cacheDirectory"));
  QVERIFY(list && note && cacheDir);
  QVERIFY2(note->text().contains(QStringLiteral("keeps the former shared cache")), qPrintable(note->text()));
  list->setCurrentRow(2);
  QVERIFY2(note->text().contains(QStringLiteral("its own")) && note->text().contains(QStringLiteral("moved")),
           qPrintable(note->text()));
  QCOMPARE(cacheDir->text(), profileCacheDirectory(QStringLiteral("web servers")));
  // Add: a folder of its own, which follows the name typed.
  for (auto* b : dialog.findChildren<QPushButton*>()) {
    if (b->text().remove(QLatin1Char('&')) == QStringLiteral("Add")) QTest::mouseClick(b, Qt::LeftButton);
  }
  QCOMPARE(list->count(), 4);
  QCOMPARE(cacheDir->text(), profileCacheDirectory(QStringLiteral("Server 4")));
  auto* name = dialog.findChild<QLineEdit*>(QStringLiteral("profileName"));
  name->setText(QStringLiteral("exams"));
  list->setCurrentRow(0);
  list->setCurrentRow(3);
  QCOMPARE(cacheDir->text(), profileCacheDirectory(QStringLiteral("exams")));
}

void TestUiQueue::titleAndStatusNameTheProfile() {
  QCOMPARE(f_.window->windowTitle(), QStringLiteral("Filetracker"));
  ConnectionProfile p = f_.profileFor(f_.server->url());
  p.name = QStringLiteral("judges");
  QVERIFY(f_.open(p));
  QCOMPARE(f_.window->windowTitle(), QStringLiteral("judges (%1) — Filetracker").arg(f_.server->url()));
  QVERIFY2(f_.window->statusText().startsWith(QStringLiteral("judges: server %1").arg(f_.server->url())),
           qPrintable(f_.window->statusText()));
  ConnectionProfile local;
  local.name = QStringLiteral("my files");
  local.cacheDirectory = f_.local(QStringLiteral("local-store"));
  f_.window->openProfile(local, false);
  QTRY_VERIFY(f_.window->session()->isReady());
  QCOMPARE(f_.window->windowTitle(), QStringLiteral("my files (%1) — Filetracker").arg(f_.window->session()->store()->location()));
  QVERIFY2(f_.window->statusText().startsWith(QStringLiteral("my files: local store")), qPrintable(f_.window->statusText()));
}

QTEST_MAIN(TestUiQueue)
#include "test_ui_queue.moc"
