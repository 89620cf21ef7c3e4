// The screenshots of issue 16 (version history): the real main window on a
// server it is given (started with --keep-versions), the History dialog of
// one file and the Compare window of two of its versions, each captured
// with ImageMagick's `import -window root` (run under Xvfb + a window manager).
//
//   DISPLAY=:99 LANG=pl_PL.UTF-8 history_tour --server URL --file /tests/a/1.out --out /tmp/shots
#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QProcess>
#include <QTreeWidget>

#include "event_loop_wait.hpp"
#include "i18n/translations.hpp"
#include "models/file_table_model.hpp"
#include "session/remote_browser.hpp"
#include "store/remote_store.hpp"
#include "widgets/drop_views.hpp"
#include "widgets/history_dialog.hpp"
#include "widgets/main_window.hpp"
#include "tour.hpp"
#include "widgets/version_compare_dialog.hpp"

using namespace ft::ui;

namespace {

void shoot(const QString& out, const QString& name) { tour::shoot(out, name, 800); }

}  // namespace

int main(int argc, char* argv[]) {
  QApplication app(argc, argv);
  tour::setUp(QStringLiteral("history-tour"));
  QCommandLineParser parser;
  parser.addHelpOption();
  QCommandLineOption server(QStringLiteral("server"), QStringLiteral("server URL"), QStringLiteral("URL"));
  QCommandLineOption file(QStringLiteral("file"), QStringLiteral("file whose history to show"), QStringLiteral("NAME"));
  const QCommandLineOption out = tour::outOption();
  parser.addOptions({server, file, out});
  parser.process(app);
  const QString shots = tour::screenshotDir(parser.value(out));
  const QString name = parser.value(file);

  MainWindow window;
  window.resize(1300, 820);
  window.move(10, 10);
  window.show();
  ConnectionProfile profile;
  profile.name = QStringLiteral("tour");
  profile.serverUrl = parser.value(server);
  profile.cacheDirectory = QDir::tempPath() + QStringLiteral("/ft-history-tour-cache");
  profile.cacheLimit = qint64(8) << 20;
  window.openProfile(profile, false);
  if (!test::waitFor([&] { return window.session()->isReady(); }, 10000)) return 1;
  window.browser()->openDirectory(parentDirectoryOf(name));
  (void)test::waitFor([&] { return !window.browser()->isLoading() && window.browser()->fileModel()->rowCount() > 0; }, 10000);
  auto* proxy = window.browser()->proxyModel();
  for (int r = 0; r < proxy->rowCount(); ++r)
    if (proxy->index(r, 0).data(FileTableModel::FullNameRole).toString() == name) window.fileView()->selectRow(r);

  HistoryDialog* dialog = nullptr;
  QObject::connect(&window, &MainWindow::historyShown, [&](HistoryDialog* d) { dialog = d; });
  window.showHistory();
  if (!dialog || !test::waitFor([&] { return !dialog->versions().isEmpty(); }, 10000)) return 1;
  dialog->move(200, 180);
  QTreeWidget* list = dialog->versionList();
  list->topLevelItem(0)->setSelected(true);
  if (list->topLevelItemCount() > 2) list->topLevelItem(2)->setSelected(true);
  shoot(shots, QStringLiteral("issue16-history"));

  QMetaObject::invokeMethod(dialog->findChild<QWidget*>(QStringLiteral("historyCompare")), "click");
  (void)test::waitFor([&] { return dialog->findChild<VersionCompareDialog*>() != nullptr; }, 10000);
  if (auto* compare = dialog->findChild<VersionCompareDialog*>()) compare->move(120, 60);
  shoot(shots, QStringLiteral("issue16-compare"));
  return 0;
}
