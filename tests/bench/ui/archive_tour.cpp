// The screenshots of issue 13, from the real window on a real server: the
// prompt for an archive dropped onto the Remote view, the Transfers dock
// with an archive being unpacked (slowed down by a HoldingProxy so that it
// is on screen), and the message refusing a hostile archive. In the UI
// language of the locale (LANG). Run under Xvfb with a window manager:
//
//   Xvfb :99 -screen 0 1024x768x24 &   DISPLAY=:99 openbox &
//   DISPLAY=:99 LANG=pl_PL.UTF-8 archive_tour --out installer/screenshots
//
// Its filetracker-server (FT_DEFAULT_SERVER_BIN, or FILETRACKER_SERVER_BIN)
// and the proxy are stopped when the tour ends, whatever the way.
#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QMessageBox>
#include <QMimeData>
#include <QProcess>
#include <QPushButton>
#include <QSettings>
#include <QTemporaryDir>
#include <QTimer>
#include <QTreeView>

#include <sstream>

#include "archive_maker.hpp"
#include "content.hpp"
#include "event_loop_wait.hpp"
#include "filetracker/remote_data_store.hpp"
#include "holding_proxy.hpp"
#include "i18n/translations.hpp"
#include "test_server.hpp"
#include "tour.hpp"
#include "widgets/drop_views.hpp"
#include "widgets/main_window.hpp"
#include "widgets/transfers_dock.hpp"

using namespace ft::ui;
using test::pause;
using test::waitFor;

#ifndef FT_DEFAULT_SERVER_BIN
#define FT_DEFAULT_SERVER_BIN ""
#endif

namespace {

QString shots;

void shoot(const QString& name) { tour::shoot(shots, name); }

void put(const QString& url, const std::string& name, const std::string& content) {
  std::istringstream in(content);
  ft::make_remote_data_store(url.toStdString())->add_stream(name, in);
}

void drop(QWidget* viewport, const QString& path) {
  QMimeData mime;
  mime.setUrls({QUrl::fromLocalFile(path)});
  QDragEnterEvent enter(QPoint(200, 120), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
  QCoreApplication::sendEvent(viewport, &enter);
  QDropEvent event(QPointF(200, 120), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
  QCoreApplication::sendEvent(viewport, &event);
}

}  // namespace

int main(int argc, char* argv[]) {
  QApplication app(argc, argv);
  tour::setUp(QStringLiteral("archive-tour"));
  QCommandLineParser parser;
  parser.addHelpOption();
  const QCommandLineOption out = tour::outOption();
  parser.addOption(out);
  parser.process(app);
  shots = tour::screenshotDir(parser.value(out));
  tour::useBuiltServer(FT_DEFAULT_SERVER_BIN);
  QTemporaryDir scratch;
  TestServer server(scratch.filePath(QStringLiteral("server")));
  QDir().mkpath(scratch.filePath(QStringLiteral("server")));
  if (!server.start()) return 1;
  put(server.url(), "/zadania/abc/treść.pdf@1700000000", std::string(48000, 't'));
  put(server.url(), "/zadania/abc/testy/1a.in@1700000100", "1 2\n");
  // Uploads trickle through the proxy: the archive row stays on screen.
  test::HoldingProxy proxy(server.port(), test::HoldingProxy::Held::ToServer, 8 * 1024, 100);

  // The archives: a task package, and one with hostile entries.
  std::vector<test::ArchiveEntrySpec> package;
  for (int i = 1; i <= 8; ++i) {
    package.push_back(test::fileEntry("testy/" + std::to_string(i) + "b.in", test::randomBytes(96 * 1024, quint32(i))));
  }
  package.push_back(test::fileEntry("treść.txt", "Policz sumę.\n"));
  const QString zip = scratch.filePath(QStringLiteral("zadanie-b.zip"));
  if (!test::makeArchive(zip, QStringLiteral("zip-store"), package).isEmpty()) return 1;
  test::ArchiveEntrySpec link;
  link.path = "testy/passwd";
  link.kind = test::ArchiveEntrySpec::Kind::Symlink;
  link.target = "/etc/passwd";
  const QString evil = scratch.filePath(QStringLiteral("podejrzane.zip"));
  if (!test::makeArchive(evil, QStringLiteral("zip"),
                         {test::fileEntry("../../.bashrc", "x"), test::fileEntry("/etc/cron.d/job", "x"), link,
                          test::fileEntry("ok.txt", "fine\n")})
           .isEmpty())
    return 1;

  MainWindow window;
  window.resize(1024, 700);
  window.move(0, 0);
  window.show();
  ConnectionProfile profile;
  profile.name = QStringLiteral("tour");
  profile.serverUrl = proxy.url();
  profile.cacheDirectory = scratch.filePath(QStringLiteral("cache"));
  window.openProfile(profile, false);
  if (!waitFor([&] { return window.session()->isReady(); }, 10000)) return 1;
  window.browser()->navigate(QStringLiteral("/zadania"));
  (void)waitFor([&] { return !window.browser()->isLoading() && window.browser()->fileModel()->directory() == QLatin1String("/zadania"); }, 10000);
  pause(500);

  // 1. The drop prompt: shot, then "Unpack into a folder".
  auto* timer = new QTimer(&app);
  timer->setInterval(50);
  QObject::connect(timer, &QTimer::timeout, &app, [timer] {
    auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
    if (!box || !box->isVisible()) return;
    timer->stop();
    shoot(QStringLiteral("issue13-1-archive-drop-prompt"));
    box->buttons().at(1)->click();  // the second: Unpack into a folder
  });
  timer->start();
  drop(window.fileView()->viewport(), zip);

  // 2. The archive row in progress.
  TransferQueue* queue = window.session()->transfers();
  (void)waitFor([&] { return queue->model()->rowCount() > 0 && queue->model()->at(0).entriesDone >= 2; }, 60000);
  // Selected, as the user would before pressing Cancel.
  window.transfersDock()->view()->selectionModel()->select(
      queue->model()->index(0, 0), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
  shoot(QStringLiteral("issue13-2-archive-row-in-progress"));
  queue->cancelAll();
  (void)waitFor([&] { return queue->pendingCount() == 0; }, 20000);
  proxy.release();

  // 3. The refusal.
  window.unpackArchive(evil, QStringLiteral("/zadania/podejrzane"));
  (void)waitFor([&] { return window.findChild<QMessageBox*>(QStringLiteral("archiveRefusal")) != nullptr; }, 20000);
  shoot(QStringLiteral("issue13-3-archive-refused"));
  return 0;
}
