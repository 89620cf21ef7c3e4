// The browser's main window: the Remote view (directory tree + files table
// with filter), the Cache view, the Transfers dock, menus, toolbar, context
// menus, status bar. The store behind it is the Session's (server or the
// local stand-alone store).
#pragma once

#include <QMainWindow>
#include <QTimer>

#include <functional>

#include "session/remote_browser.hpp"
#include "session/session.hpp"
#include "transfers/upload_planner.hpp"

class QLabel;
class QLineEdit;
class QSplitter;
class QTabWidget;

namespace ft::ui {

class CacheView;
class DirectoryTreeView;
class FileTableView;
class TransfersDock;

class MainWindow : public QMainWindow {
  Q_OBJECT
 public:
  explicit MainWindow(QWidget* parent = nullptr);
  ~MainWindow() override;

  Session* session() { return &session_; }
  RemoteBrowser* browser() { return browser_; }
  FileTableView* fileView() const { return table_; }
  DirectoryTreeView* treeView() const { return tree_; }
  QLineEdit* filterEdit() const { return filter_; }
  CacheView* cacheView() const { return cacheView_; }
  TransfersDock* transfersDock() const { return transfersDock_; }
  QTabWidget* tabs() const { return tabs_; }
  QString statusText() const;

  // Opens a profile (remembering it as the current one when `remember`).
  void openProfile(const ConnectionProfile& profile, bool remember = true);

  // Hooks for the dialogs, replaceable (tests, and other front ends).
  void setConflictResolver(ConflictResolver resolver) { conflictResolver_ = std::move(resolver); }
  void setDeleteConfirmer(std::function<bool(const QStringList&)> confirmer) { deleteConfirmer_ = std::move(confirmer); }
  void setFolderChooser(std::function<QString()> chooser) { folderChooser_ = std::move(chooser); }

  // The actions, also reachable from menus, toolbar and context menus.
  void uploadPaths(const QStringList& localPaths, const QString& targetDirectory);
  QStringList selectedNames() const;
  void downloadSelected();
  void openSelected();
  void deleteSelected();
  void refresh();
  void copySelectedNames(bool versioned);
  void showProperties();

 signals:
  // An upload plan has ended (all its transfers done).
  void uploadsFinished(int uploaded, int failed, int skipped);
  void deletionsFinished(int deleted, int failed);
  void opened(const QStringList& localPaths);

 protected:
  void closeEvent(QCloseEvent* event) override;
  void changeEvent(QEvent* event) override;

 private:
  void createActions();
  void createMenus();
  void retranslate();
  void updateActions();
  void updateStatus();
  void restoreState();
  void saveState();
  void scheduleVisibleMetadata();
  void requestVisibleMetadata();
  QList<QUrl> provideDraggedFiles(const QStringList& names);
  ConflictChoice askConflict(const QString& name);
  void showSettings();

  Session session_;
  RemoteBrowser* browser_;
  QTabWidget* tabs_;
  QSplitter* splitter_;
  DirectoryTreeView* tree_;
  FileTableView* table_;
  QLineEdit* filter_;
  QLabel* pathLabel_;
  CacheView* cacheView_;
  TransfersDock* transfersDock_;
  QLabel* serverLabel_;
  QLabel* protocolLabel_;
  QLabel* countLabel_;
  QLabel* cacheLabel_;
  QTimer metadataTimer_;
  QTimer refreshTimer_;
  qint64 cacheBytes_ = -1;
  int cacheFiles_ = 0;
  QString lastError_;

  ConflictResolver conflictResolver_;
  std::function<bool(const QStringList&)> deleteConfirmer_;
  std::function<QString()> folderChooser_;

  QMenu* fileMenu_ = nullptr;
  QMenu* editMenu_ = nullptr;
  QMenu* viewMenu_ = nullptr;
  QMenu* helpMenu_ = nullptr;
  QToolBar* toolBar_ = nullptr;
  QAction* uploadFilesAction_ = nullptr;
  QAction* uploadFolderAction_ = nullptr;
  QAction* downloadAction_ = nullptr;
  QAction* openAction_ = nullptr;
  QAction* deleteAction_ = nullptr;
  QAction* refreshAction_ = nullptr;
  QAction* copyNameAction_ = nullptr;
  QAction* copyVersionedAction_ = nullptr;
  QAction* propertiesAction_ = nullptr;
  QAction* settingsAction_ = nullptr;
  QAction* quitAction_ = nullptr;
  QAction* aboutAction_ = nullptr;
  QAction* findAction_ = nullptr;
  QAction* selectAllAction_ = nullptr;
};

}  // namespace ft::ui
