// The screenshots of issue 9, from the real window on a real server: a
// folder with subfolders, the download overwrite prompt, the folder delete
// confirmation and the Settings dialog, in the UI language of the locale
// (LANG), each taken with ImageMagick's `import -window root` while the
// dialog is really on screen. Run under Xvfb with a window manager:
//
//   Xvfb :99 -screen 0 1024x768x24 &   (the 1024x700 window and its frame) DISPLAY=:99 openbox &
//   DISPLAY=:99 LANG=pl_PL.UTF-8 folder_tour --out installer/screenshots
//
// It starts its own filetracker-server (FT_DEFAULT_SERVER_BIN, or
// FILETRACKER_SERVER_BIN) on loopback with a temporary data directory; the
// server is stopped when the tour ends, whatever the way (test::Process).
#include <QAbstractButton>
#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QFile>
#include <QMessageBox>
#include <QProcess>
#include <QPushButton>
#include <QSettings>
#include <QTemporaryDir>
#include <QTimer>

#include <sstream>

#include "event_loop_wait.hpp"
#include "filetracker/remote_data_store.hpp"
#include "i18n/translations.hpp"
#include "test_server.hpp"
#include "tour.hpp"
#include "widgets/drop_views.hpp"
#include "widgets/main_actions.hpp"
#include "widgets/main_window.hpp"
#include "widgets/settings_dialog.hpp"

using namespace ft::ui;
using test::pause;
using test::waitFor;

#ifndef FT_DEFAULT_SERVER_BIN
#define FT_DEFAULT_SERVER_BIN ""
#endif

namespace {

QString shots;

void shoot(const QString& name) { tour::shoot(shots, name); }

// Takes the screenshot once the next modal dialog is up, then `close`s it.
void shootNextModal(const QString& name, std::function<void(QWidget*)> close) {
  auto* timer = new QTimer(qApp);
  timer->setInterval(50);
  QObject::connect(timer, &QTimer::timeout, qApp, [timer, name, close] {
    QWidget* modal = QApplication::activeModalWidget();
    if (!modal || !modal->isVisible()) return;
    timer->stop();
    timer->deleteLater();
    shoot(name);
    close(modal);
  });
  timer->start();
}

void clickDefault(QWidget* dialog) {
  if (auto* box = qobject_cast<QMessageBox*>(dialog)) {
    box->defaultButton()->click();
  } else if (auto* d = qobject_cast<QDialog*>(dialog)) {
    d->reject();
  }
}

void put(const QString& url, const std::string& name, const std::string& content) {
  std::istringstream in(content);
  ft::make_remote_data_store(url.toStdString())->add_stream(name, in);
}

bool selectRow(MainWindow& window, const QString& name) {
  auto* proxy = window.browser()->proxyModel();
  for (int r = 0; r < proxy->rowCount(); ++r) {
    const QModelIndex index = proxy->index(r, 0);
    if (index.data(FileTableModel::FullNameRole).toString() == name) {
      window.fileView()->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
      return true;
    }
  }
  return false;
}

}  // namespace

int main(int argc, char* argv[]) {
  QApplication app(argc, argv);
  tour::setUp(QStringLiteral("folder-tour"));
  QCommandLineParser parser;
  parser.addHelpOption();
  const QCommandLineOption out = tour::outOption();
  QCommandLineOption size(QStringLiteral("size"), QStringLiteral("window size"), QStringLiteral("WxH"), QStringLiteral("1024x700"));
  parser.addOptions({out, size});
  parser.process(app);
  shots = tour::screenshotDir(parser.value(out));
  tour::useBuiltServer(FT_DEFAULT_SERVER_BIN);
  QTemporaryDir scratch;
  TestServer server(scratch.filePath(QStringLiteral("server")));
  QDir().mkpath(scratch.filePath(QStringLiteral("server")));
  if (!server.start()) return 1;
  const QString url = server.url();

  // A task package as operators upload them: tests, model solutions, a statement.
  for (int i = 1; i <= 12; ++i) {
    put(url, "/zadania/abc/testy/" + std::to_string(i) + "a.in@1700000" + std::to_string(100 + i), std::string(std::size_t(2000 * i), 'x'));
    put(url, "/zadania/abc/testy/" + std::to_string(i) + "a.out@1700000" + std::to_string(100 + i), std::string(std::size_t(40 * i), 'y'));
  }
  put(url, "/zadania/abc/rozwiązania/wzorcówka.cpp", "int main() {}\n");
  put(url, "/zadania/abc/rozwiązania/brutalne.py", "print(1)\n");
  put(url, "/zadania/abc/grafiki/szkic.png", std::string(150000, 'p'));
  put(url, "/zadania/abc/treść.pdf@1700000000", std::string(480000, 't'));
  put(url, "/zadania/abc/konfiguracja.yml", "limits: 1s\n");

  const QStringList wh = parser.value(size).split(QLatin1Char('x'));
  MainWindow window;
  window.resize(wh.value(0).toInt(), wh.value(1).toInt());
  window.move(0, 0);
  window.show();
  ConnectionProfile profile;
  profile.name = QStringLiteral("tour");
  profile.serverUrl = url;
  profile.cacheDirectory = scratch.filePath(QStringLiteral("cache"));
  profile.cacheLimit = qint64(30) << 20;
  {
    // Saved, so the Settings dialog shows this connection.
    QSettings settings;
    ProfileSettings(settings).setProfiles({profile, defaultLocalProfile()});
  }
  window.openProfile(profile, true);
  if (!waitFor([&] { return window.session()->isReady(); }, 10000)) return 1;
  window.browser()->navigate(QStringLiteral("/zadania/abc"));
  (void)waitFor([&] { return !window.browser()->isLoading() && window.browser()->fileModel()->directory() == QLatin1String("/zadania/abc"); }, 10000);
  (void)waitFor([&] { return window.browser()->fileModel()->row(0).folderFiles >= 0; }, 10000);
  pause(500);
  selectRow(window, QStringLiteral("/zadania/abc/testy"));
  shoot(QStringLiteral("issue9-1-folder-with-subfolders"));

  // The download overwrite prompt: a local treść.pdf already there.
  const QString dest = scratch.filePath(QStringLiteral("pobrane"));
  QDir().mkpath(dest);
  {
    QFile local(dest + QStringLiteral("/treść.pdf"));
    if (local.open(QIODevice::WriteOnly)) local.write(QByteArray(300000, 'l'));
  }
  window.setFolderChooser([dest] { return dest; });
  selectRow(window, QStringLiteral("/zadania/abc/treść.pdf"));
  bool downloaded = false;
  QObject::connect(&window, &MainWindow::downloadsFinished, &window, [&] { downloaded = true; });
  shootNextModal(QStringLiteral("issue9-2-download-overwrite-prompt"), clickDefault);
  window.downloadSelected();
  (void)waitFor([&] { return downloaded; }, 20000);

  // The folder delete confirmation (answered with its default: Cancel).
  selectRow(window, QStringLiteral("/zadania/abc/testy"));
  bool asked = false;
  shootNextModal(QStringLiteral("issue9-3-folder-delete-confirmation"), [&](QWidget* dialog) {
    asked = true;
    clickDefault(dialog);
  });
  window.deleteSelected();
  (void)waitFor([&] { return asked; }, 20000);

  // The Settings dialog over the window.
  shootNextModal(QStringLiteral("issue9-4-settings"), clickDefault);
  window.actions()->settings->trigger();
  return 0;
}
