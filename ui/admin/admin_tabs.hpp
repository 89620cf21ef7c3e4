// The admin side of the main window (issue 20): the Server dashboard tab
// (any server profile; View → Server dashboard), the Users and access tab
// and the Checks tab (only for an unrestricted admin of a server that offers
// the "admin" extension), and File → Open cache report… (a judge machine's
// `filetracker cache ls --json`, read-only). Kept out of MainWindow so the
// window only creates it.
#pragma once

#include <QObject>
#include <QPointer>

#include <functional>

class QAction;
class QMenu;
class QTabWidget;
class QWidget;

namespace ft::ui {

class ChecksView;
class ProfileSession;
class ServerDashboard;
class UsersView;
class CacheReportView;

class AdminTabs : public QObject {
  Q_OBJECT
 public:
  AdminTabs(ProfileSession* session, QTabWidget* tabs, QWidget* window);

  // Adds the actions to the window's menus.
  void addToMenus(QMenu* fileMenu, QMenu* viewMenu);
  void retranslate();

  ServerDashboard* dashboard() const { return dashboard_; }
  UsersView* users() const { return users_; }
  ChecksView* checks() const { return checks_; }
  QAction* showDashboard() const { return showDashboard_; }
  QAction* openCacheReport() const { return openCacheReport_; }
  // Is the signed-in principal an unrestricted admin of a server offering "admin"?
  bool adminTabsOffered() const;
  // Reads a cache report off the GUI thread, then shows it in a window of
  // its own (reportOpened), or says in one line why it cannot (message and,
  // unless the chooser is replaced, a message box).
  void openReport(const QString& path);
  // Replaces the file dialog of "Open cache report…" (tests).
  void setReportChooser(std::function<QString()> chooser) { reportChooser_ = std::move(chooser); }

signals:
  void reportOpened(ft::ui::CacheReportView* view);
  void message(const QString& text);

 private:
  // The tab of `page` (each page sits in a scroll area of its own).
  int pageIndex(QWidget* page) const;
  void updateTabs();

  ProfileSession* session_;
  QTabWidget* tabs_;
  QWidget* window_;
  ServerDashboard* dashboard_;
  UsersView* users_;
  ChecksView* checks_;
  QAction* showDashboard_;
  QAction* openCacheReport_;
  std::function<QString()> reportChooser_;
};

}  // namespace ft::ui
