#include "admin/admin_tabs.hpp"

#include <QAction>
#include <QFileDialog>
#include <QMenu>
#include <QMessageBox>
#include <QSettings>
#include <QScrollArea>
#include <QTabWidget>
#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>

#include "admin/cache_report_view.hpp"
#include "admin/checks_view.hpp"
#include "admin/users_view.hpp"
#include "dashboard/server_dashboard.hpp"
#include "session/profile_session.hpp"
#include "settings/settings_keys.hpp"

namespace ft::ui {

AdminTabs::AdminTabs(ProfileSession* session, QTabWidget* tabs, QWidget* window)
    : QObject(window), session_(session), tabs_(tabs), window_(window) {
  dashboard_ = new ServerDashboard(session, tabs);
  users_ = new UsersView(session, tabs);
  checks_ = new ChecksView(session, tabs);
  // Each page scrolls: a hidden tab's minimum size is still the tab
  // widget's, and the dashboard's charts must not make the window taller
  // than a 1024x700 screen (test_ui_settings polishFitsAt1024x700).
  for (QWidget* page : {static_cast<QWidget*>(dashboard_), static_cast<QWidget*>(users_), static_cast<QWidget*>(checks_)}) {
    auto* scroll = new QScrollArea(tabs);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(page);
    tabs_->addTab(scroll, QString());
  }
  showDashboard_ = new QAction(window);
  showDashboard_->setObjectName(QStringLiteral("showDashboardAction"));
  showDashboard_->setCheckable(true);
  showDashboard_->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_D));  // Ctrl+D: bookmark (browser convention)
  openCacheReport_ = new QAction(window);
  openCacheReport_->setObjectName(QStringLiteral("openCacheReportAction"));
  {
    QSettings settings;
    showDashboard_->setChecked(settings_keys::kDashboardShown.read(settings));
  }
  connect(showDashboard_, &QAction::toggled, this, [this](bool on) {
    QSettings settings;
    settings_keys::kDashboardShown.write(settings, on);
    updateTabs();
    if (on) tabs_->setCurrentIndex(pageIndex(dashboard_));
  });
  connect(openCacheReport_, &QAction::triggered, this, [this] {
    const QString path = reportChooser_ ? reportChooser_()
                                        : QFileDialog::getOpenFileName(window_, tr("Open a cache report"), QString(),
                                                                       tr("Cache reports (*.json);;All files (*)"));
    if (!path.isEmpty()) openReport(path);
  });
  connect(session_, &ProfileSession::storeChanged, this, &AdminTabs::updateTabs);
  connect(session_, &ProfileSession::ready, this, &AdminTabs::updateTabs);
  connect(session_, &ProfileSession::accessChanged, this, &AdminTabs::updateTabs);
  retranslate();
  updateTabs();
}

void AdminTabs::addToMenus(QMenu* fileMenu, QMenu* viewMenu) {
  // Before the settings: File's last group is Settings, then Quit.
  QAction* before = fileMenu->actions().size() >= 3 ? fileMenu->actions()[fileMenu->actions().size() - 3] : nullptr;
  fileMenu->insertAction(before, openCacheReport_);
  viewMenu->addSeparator();
  viewMenu->addAction(showDashboard_);
}

void AdminTabs::retranslate() {
  tabs_->setTabText(pageIndex(dashboard_), tr("Dashboard"));
  tabs_->setTabText(pageIndex(users_), tr("Users and access"));
  tabs_->setTabText(pageIndex(checks_), tr("Checks"));
  showDashboard_->setText(tr("Server &dashboard"));
  showDashboard_->setToolTip(tr("Health, traffic and storage of the server, sampled once a second while shown"));
  openCacheReport_->setText(tr("Open cache &report…"));
  openCacheReport_->setToolTip(tr("Inspect a judge machine's cache from the file `filetracker cache ls --json` wrote"));
  dashboard_->retranslate();
  users_->retranslate();
  checks_->retranslate();
}

int AdminTabs::pageIndex(QWidget* page) const {
  for (QWidget* w = page; w; w = w->parentWidget())
    if (int i = tabs_->indexOf(w); i >= 0) return i;
  return -1;
}

bool AdminTabs::adminTabsOffered() const {
  const auto& access = session_->access();
  return session_->isRemote() && session_->isReady() && session_->info().has(QStringLiteral("admin")) && access &&
         !access->anonymous() && access->level == StoreAccess::Level::Admin && access->prefixes.isEmpty();
}

void AdminTabs::updateTabs() {
  tabs_->setTabVisible(pageIndex(dashboard_), showDashboard_->isChecked() && session_->isRemote());
  const bool admin = adminTabsOffered();
  tabs_->setTabVisible(pageIndex(users_), admin);
  tabs_->setTabVisible(pageIndex(checks_), admin);
  showDashboard_->setEnabled(session_->isRemote());
  if (admin) {
    users_->reload();
    checks_->poll();
  }
}

void AdminTabs::openReport(const QString& path) {
  struct Result {
    CacheReport report;
    QString error;
    bool ok = false;
  };
  auto* watcher = new QFutureWatcher<Result>(this);
  connect(watcher, &QFutureWatcher<Result>::finished, this, [this, watcher] {
    watcher->deleteLater();
    const Result r = watcher->result();
    if (!r.ok) {
      emit message(r.error);
      if (!reportChooser_) QMessageBox::warning(window_, tr("Open cache report"), r.error);
      return;
    }
    auto* view = new CacheReportView(r.report, window_);
    view->setAttribute(Qt::WA_DeleteOnClose);
    view->show();
    emit reportOpened(view);
  });
  watcher->setFuture(QtConcurrent::run([path] {
    Result r;
    r.ok = CacheReport::read(path, &r.report, &r.error);
    return r;
  }));
}

}  // namespace ft::ui
