// The browser's main window: the Remote view (directory tree + files table
// with filter) and the Cache view as tabs, the Transfers dock, the status
// bar; menus, toolbar and context menus show MainActions. The window turns
// an action into work for the session layer (uploads, downloads, deletes,
// private copies) and shows what comes back. The store behind it is the
// ProfileSession's (server or the local stand-alone store).
#pragma once

#include <QMainWindow>
#include <QPointer>
#include <QSslCertificate>
#include <QSslError>
#include <QTimer>

#include <functional>
#include <memory>
#include <optional>

#include "session/profile_session.hpp"
#include "session/remote_browser.hpp"
#include "session/upload_planner.hpp"
#include "widgets/prompts.hpp"

class QLineEdit;
class QTabWidget;

namespace ft::ui {

class AdminTabs;
class CacheView;
class CertificateDialog;
class CompareDialog;
class HistoryDialog;
class LoginDialog;
class DirectoryTreeView;
class FileTableView;
class MainActions;
class MainMenus;
class RemoteView;
class StatusFields;
class TransfersDock;

class MainWindow : public QMainWindow {
  Q_OBJECT
 public:
  explicit MainWindow(QWidget* parent = nullptr);
  ~MainWindow() override;

  ProfileSession* session() { return &session_; }
  RemoteBrowser* browser() { return browser_; }
  FileTableView* fileView() const;
  DirectoryTreeView* treeView() const;
  QLineEdit* filterEdit() const;
  CacheView* cacheView() const { return cacheView_; }
  TransfersDock* transfersDock() const { return transfersDock_; }
  QTabWidget* tabs() const { return tabs_; }
  MainActions* actions() const { return actions_.get(); }
  // The dashboard, users, checks tabs and the cache report (issue 20).
  AdminTabs* adminTabs() const { return adminTabs_; }
  // The sign-in and certificate prompts while they are shown (else null).
  LoginDialog* loginDialog() const;
  CertificateDialog* certificateDialog() const;
  QString statusText() const;
  // The window's title for the session's profile and server.
  static QString windowTitleFor(const ProfileSession& session);

  // Opens a profile (remembering it as the current one when `remember`).
  void openProfile(const ConnectionProfile& profile, bool remember = true);

  // Hooks for the dialogs, replaceable (tests, and other front ends).
  void setConflictResolver(ConflictResolver resolver) { conflictResolver_ = std::move(resolver); }
  void setDeleteConfirmer(std::function<bool(const QStringList&)> confirmer) { deleteConfirmer_ = std::move(confirmer); }
  void setFolderChooser(std::function<QString()> chooser) { folderChooser_ = std::move(chooser); }
  // The local folder "Compare with local folder…" compares (empty: cancelled).
  void setCompareFolderChooser(std::function<QString()> chooser) { compareFolderChooser_ = std::move(chooser); }
  // Offers the clean-up when a download or Open took the cache over its
  // limit (total, limit): true to clean up. Tests replace the message box.
  void setCacheLimitPrompt(std::function<bool(qint64, qint64)> prompt) { cacheLimitPrompt_ = std::move(prompt); }
  void setFolderDeleteConfirmer(std::function<bool(const FolderDeletion&)> confirmer) {
    folderDeleteConfirmer_ = std::move(confirmer);
  }
  // Archives (issue 13): the archive to unpack (empty: none), the folder to
  // unpack it into (given the proposal; empty: cancelled), the archive file
  // to write (given the proposal; empty: cancelled). Default: file dialogs.
  void setArchiveChooser(std::function<QString()> chooser) { archiveChooser_ = std::move(chooser); }
  void setArchiveTargetChooser(std::function<QString(const QString&)> chooser) { archiveTargetChooser_ = std::move(chooser); }
  void setArchiveSaveChooser(std::function<QString(const QString&)> chooser) { archiveSaveChooser_ = std::move(chooser); }

  // The actions, also reachable from menus, toolbar and context menus.
  void uploadPaths(const QStringList& localPaths, const QString& targetDirectory);
  // Local files dropped onto `targetDirectory`: archives among them ask
  // whether to upload them or unpack them (unless the answer is remembered).
  void dropPaths(const QStringList& localPaths, const QString& targetDirectory);
  // Queues unpacking `archivePath` into `targetDirectory` (a row of the
  // Transfers dock); false and a status message when it cannot be.
  bool unpackArchive(const QString& archivePath, const QString& targetDirectory);
  // "Upload archive as folder…": asks for the archive and the folder.
  void chooseAndUnpackArchive();
  // "Download as archive…": the selection (a folder alone: that folder;
  // nothing selected: the current folder) into an archive file.
  void downloadAsArchive();
  QStringList selectedNames() const;
  QList<RemoteFile> selectedFiles() const;
  QStringList selectedFolders() const;
  void downloadSelected();
  void openSelected();
  void deleteSelected();
  void refresh();
  void copySelectedNames(bool versioned);
  void showProperties();
  // History… of the selected file (widgets/history_dialog.hpp).
  void showHistory();
  // "Compare with local folder…": `localFolder` beside the store's
  // `remoteDirectory` (widgets/compare_dialog.hpp). The action compares
  // with the selected folder, or the current one.
  void compareFolders(const QString& localFolder, const QString& remoteDirectory);
  void chooseAndCompareFolder();

 signals:
  // An upload plan has ended (all its transfers done).
  void uploadsFinished(int uploaded, int failed, int skipped);
  void deletionsFinished(int deleted, int failed);
  void downloadsFinished(int downloaded, int failed, int skipped);
  void opened(const QStringList& localPaths);
  // History… opened this dialog (tests drive it).
  void historyShown(ft::ui::HistoryDialog* dialog);
  void compareShown(ft::ui::CompareDialog* dialog);

 protected:
  void closeEvent(QCloseEvent* event) override;
  void changeEvent(QEvent* event) override;

 private:
  void connectActions();
  void connectViews();
  void connectSession();
  void retranslate();
  void updateActions();
  void updateStatus();
  bool inCacheTab() const;
  void restoreState();
  void saveState();
  QList<QUrl> provideDraggedFiles(const QStringList& names);
  void showSettings();
  void showAbout();
  ConflictResolver conflictResolver();
  void runDeletion(const QList<RemoteFile>& files);
  void checkCacheLimit();
  void askSignIn(const QString& user, const QString& reason);
  void askCertificate(const QSslCertificate& certificate, const QList<QSslError>& errors, const QString& pinned);
  void saveProfile(const ConnectionProfile& profile);
  QString uploadRefusal(const QString& directory) const;
  void onArchiveFinished(const Transfer& transfer, bool ok);

  ProfileSession session_;
  RemoteBrowser* browser_;
  RemoteView* remoteView_;
  CacheView* cacheView_;
  AdminTabs* adminTabs_;
  QTabWidget* tabs_;
  TransfersDock* transfersDock_;
  std::unique_ptr<StatusFields> statusFields_;
  std::unique_ptr<MainActions> actions_;
  std::unique_ptr<MainMenus> menus_;
  QTimer refreshTimer_;
  qint64 cacheBytes_ = -1;
  QString lastError_;

  ConflictResolver conflictResolver_;
  std::function<bool(const QStringList&)> deleteConfirmer_;
  std::function<QString()> folderChooser_;
  std::function<QString()> compareFolderChooser_;
  std::function<bool(const FolderDeletion&)> folderDeleteConfirmer_;
  std::function<bool(qint64, qint64)> cacheLimitPrompt_;
  std::function<QString()> archiveChooser_;
  std::function<QString(const QString&)> archiveTargetChooser_;
  std::function<QString(const QString&)> archiveSaveChooser_;
  // "Remember until I quit" of the archive drop prompt: in memory only.
  std::optional<ArchiveDropChoice> archiveDropChoice_;
  bool cacheGrew_ = false;          // a download into the cache since the last check
  bool overLimitOffered_ = false;   // offered since the cache last went over
  QPointer<LoginDialog> login_;            // the sign-in prompt while it is shown
  QPointer<CertificateDialog> certificate_;  // the certificate prompt while it is shown
};

}  // namespace ft::ui
