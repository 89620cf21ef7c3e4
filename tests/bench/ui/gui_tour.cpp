// A scripted tour of the real main window for looking at it: run under Xvfb,
// it connects to a server, opens a directory, starts transfers, shows the
// cache view and a properties dialog, and at each step takes a screenshot of
// the X display with ImageMagick's `import -window root` (the real pixels).
//
//   Xvfb :99 -screen 0 1400x900x24 &
//   DISPLAY=:99 LANG=pl_PL.UTF-8 gui_tour --server URL --dir /tests/zadanie-a
//       --upload BIGFILE --out /tmp/shots [--dark]
#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QLineEdit>
#include <QPalette>
#include <QProcess>
#include <QStyleFactory>
#include <QTabWidget>
#include <QTest>
#include <QTimer>

#include "event_loop_wait.hpp"

#include "i18n/translations.hpp"
#include "widgets/main_window.hpp"
#include "widgets/properties_dialog.hpp"
#include "widgets/cache_view.hpp"
#include "widgets/drop_views.hpp"
#include "tour.hpp"
#include "widgets/transfers_dock.hpp"

using namespace ft::ui;
using test::pause;
using test::waitFor;

namespace {

void shoot(const QString& out, const QString& name) { tour::shoot(out, name, 600); }

QPalette darkPalette() {
  QPalette p;
  const QColor window(45, 45, 48), base(30, 30, 32), text(220, 220, 220), highlight(42, 130, 218);
  p.setColor(QPalette::Window, window);
  p.setColor(QPalette::WindowText, text);
  p.setColor(QPalette::Base, base);
  p.setColor(QPalette::AlternateBase, QColor(38, 38, 41));
  p.setColor(QPalette::ToolTipBase, window);
  p.setColor(QPalette::ToolTipText, text);
  p.setColor(QPalette::Text, text);
  p.setColor(QPalette::Button, window);
  p.setColor(QPalette::ButtonText, text);
  p.setColor(QPalette::Highlight, highlight);
  p.setColor(QPalette::HighlightedText, Qt::white);
  p.setColor(QPalette::PlaceholderText, QColor(140, 140, 140));
  p.setColor(QPalette::Disabled, QPalette::Text, QColor(120, 120, 120));
  p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(120, 120, 120));
  p.setColor(QPalette::Disabled, QPalette::WindowText, QColor(120, 120, 120));
  p.setColor(QPalette::Link, QColor(100, 170, 255));
  return p;
}

}  // namespace

int main(int argc, char* argv[]) {
  QApplication app(argc, argv);
  tour::setUp(QStringLiteral("gui-tour"));
  QCommandLineParser parser;
  parser.addHelpOption();
  QCommandLineOption server(QStringLiteral("server"), QStringLiteral("server URL"), QStringLiteral("URL"));
  QCommandLineOption dir(QStringLiteral("dir"), QStringLiteral("directory to show"), QStringLiteral("DIR"), QStringLiteral("/"));
  QCommandLineOption upload(QStringLiteral("upload"), QStringLiteral("big local files to upload"), QStringLiteral("FILE"));
  const QCommandLineOption out = tour::outOption();
  QCommandLineOption cache(QStringLiteral("cache-dir"), QStringLiteral("cache"), QStringLiteral("DIR"), QDir::tempPath() + QStringLiteral("/ft-tour-cache"));
  QCommandLineOption dark(QStringLiteral("dark"), QStringLiteral("dark palette"));
  QCommandLineOption prefix(QStringLiteral("prefix"), QStringLiteral("file name prefix"), QStringLiteral("P"), QStringLiteral("tour"));
  parser.addOptions({server, dir, upload, out, cache, dark, prefix});
  parser.process(app);
  if (parser.isSet(dark)) {
    QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    QApplication::setPalette(darkPalette());
  }
  const QString shots = tour::screenshotDir(parser.value(out));
  const QString p = parser.value(prefix);

  MainWindow window;
  window.resize(1380, 860);
  window.move(10, 10);
  window.show();
  ConnectionProfile profile;
  profile.name = QStringLiteral("tour");
  profile.serverUrl = parser.value(server);
  profile.cacheDirectory = parser.value(cache);
  profile.cacheLimit = qint64(8) << 20;
  window.openProfile(profile, false);
  if (!waitFor([&] { return window.session()->isReady(); }, 10000)) return 1;
  window.browser()->openDirectory(parser.value(dir));
  (void)waitFor([&] { return !window.browser()->isLoading() && window.browser()->fileModel()->rowCount() > 0; }, 10000);
  window.fileView()->selectRow(2);
  shoot(shots, p + QStringLiteral("-1-remote"));

  // Busy transfers: open a few files into the cache, upload big ones.
  QStringList names;
  for (int r = 0; r < qMin(12, window.browser()->proxyModel()->rowCount()); ++r) {
    names << window.browser()->proxyModel()->index(r, 0).data(FileTableModel::FullNameRole).toString();
  }
  window.setConflictResolver([](const ConflictDetails&) { return ConflictChoice::OverwriteAll; });
  if (parser.isSet(upload)) window.uploadPaths(parser.values(upload), parser.value(dir));
  pause(300);
  window.session()->fetchIntoCache(names, Transfer::Kind::Download, [](bool, const QString&) {});
  (void)waitFor([&] { return window.session()->transfers()->activeCount() > 0; }, 5000);
  pause(2500);
  shoot(shots, p + QStringLiteral("-2-transfers"));

  (void)waitFor([&] { return window.session()->transfers()->pendingCount() == 0; }, 120000);
  window.tabs()->setCurrentWidget(window.cacheView());
  window.cacheView()->reload();
  (void)waitFor([&] { return !window.cacheView()->isBusy(); }, 10000);
  shoot(shots, p + QStringLiteral("-3-cache"));

  window.tabs()->setCurrentIndex(0);
  window.filterEdit()->setText(QStringLiteral("1"));
  window.fileView()->selectRow(0);
  window.showProperties();
  pause(1500);
  shoot(shots, p + QStringLiteral("-4-filter-properties"));
  return 0;
}
