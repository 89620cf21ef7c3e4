// The screenshot of issue 15's transfer queue, from the real window on a
// real server: the Transfers dock with a download trickling through a
// HoldingProxy (its speed and time left shown), rows paused on their own
// and rows queued behind them, the queue's summary line and the bandwidth
// limit; the title names the profile and its server. In the UI language of
// the locale (LANG). Run under Xvfb with a window manager:
//
//   Xvfb :99 -screen 0 1024x768x24 &   DISPLAY=:99 openbox &
//   DISPLAY=:99 LANG=pl_PL.UTF-8 queue_tour --out installer/screenshots
//
// Its filetracker-server (FT_DEFAULT_SERVER_BIN, or FILETRACKER_SERVER_BIN)
// and the proxy are stopped when the tour ends, whatever the way.
#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QProcess>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTreeView>

#include <cstdio>
#include <sstream>

#include "content.hpp"
#include "event_loop_wait.hpp"
#include "filetracker/remote_data_store.hpp"
#include "holding_proxy.hpp"
#include "i18n/translations.hpp"
#include "test_server.hpp"
#include "tour.hpp"
#include "widgets/main_window.hpp"
#include "widgets/transfers_dock.hpp"

using namespace ft::ui;
using test::pause;
using test::waitFor;

#ifndef FT_DEFAULT_SERVER_BIN
#define FT_DEFAULT_SERVER_BIN ""
#endif

int main(int argc, char* argv[]) {
  QApplication app(argc, argv);
  tour::setUp(QStringLiteral("queue-tour"));
  QCommandLineParser parser;
  parser.addHelpOption();
  const QCommandLineOption out = tour::outOption();
  parser.addOption(out);
  parser.process(app);
  const QString shots = tour::screenshotDir(parser.value(out));
  tour::useBuiltServer(FT_DEFAULT_SERVER_BIN);
  QTemporaryDir scratch;
  TestServer server(scratch.filePath(QStringLiteral("server")));
  QDir().mkpath(scratch.filePath(QStringLiteral("server")));
  if (!server.start()) return 1;
  {
    std::istringstream in(test::randomBytes(24 << 20, 4).toStdString());
    ft::make_remote_data_store(server.url().toStdString())->add_stream("/zadania/abc/testy.tar", in);
  }
  // Downloads trickle through the proxy: the running row stays on screen.
  test::HoldingProxy proxy(server.port(), test::HoldingProxy::Held::ToClient, 48 * 1024, 100);

  MainWindow window;
  window.resize(1024, 740);
  window.move(0, 0);
  window.show();
  ConnectionProfile profile;
  profile.name = QStringLiteral("sędziowie");
  profile.serverUrl = proxy.url();
  profile.cacheDirectory = scratch.filePath(QStringLiteral("cache"));
  window.openProfile(profile, false);
  if (!waitFor([&] { return window.session()->isReady(); }, 10000)) return 1;
  TransferQueue* queue = window.session()->transfers();
  window.transfersDock()->bandwidthBox()->setValue(2048);
  const QString local = scratch.filePath(QStringLiteral("local"));
  QDir().mkpath(local);
  const quint64 download = queue->enqueueDownload(DownloadRequest{QStringLiteral("/zadania/abc/testy.tar"), local + QStringLiteral("/testy.tar"), false});
  QList<quint64> later;
  for (int i = 1; i <= 5; ++i) {
    const QString file = local + QStringLiteral("/%1a.in").arg(i);
    test::writeRandomFile(file, 3 << 20, quint32(i));
    later << queue->enqueueUpload(UploadRequest{file, QStringLiteral("/zadania/abc/testy/%1a.in").arg(i), std::nullopt});
  }
  // Two paused on their own before they start.
  queue->setConcurrencyLimit(1);
  window.transfersDock()->concurrencyBox()->setValue(1);
  queue->pause(later[0]);
  queue->pause(later[1]);
  (void)waitFor([&] { return queue->find(download)->etaSeconds() > 0; }, 15000);
  pause(2500);  // a smoothed speed and a time left
  tour::shoot(shots, QStringLiteral("issue15-transfer-queue"), 0);
  queue->cancelAll();
  queue->setJournalDirectory(QString());
  // The tour's saved queue goes with it.
  QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)).removeRecursively();
  return 0;
}
