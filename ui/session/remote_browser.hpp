// Drives the Remote view's models: lists a directory (JSON one-level listing
// when the server has it, otherwise derived from the plain /list), fills the
// directory tree as it is expanded, fetches versions and sizes (HEAD) for the
// rows on screen against a plain server, and marks the files in the cache.
#pragma once

#include <QElapsedTimer>
#include <QFutureWatcher>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSet>

#include <utility>

#include "models/directory_tree_model.hpp"
#include "models/file_filter_proxy.hpp"
#include "models/file_table_model.hpp"
#include "session/profile_session.hpp"

namespace ft::ui {

class RemoteBrowser : public QObject {
  Q_OBJECT
 public:
  explicit RemoteBrowser(ProfileSession* session, QObject* parent = nullptr);

  ProfileSession* session() const { return session_; }
  DirectoryTreeModel* treeModel() { return &tree_; }
  FileTableModel* fileModel() { return &files_; }
  FileFilterProxy* proxyModel() { return &proxy_; }

  const QString& currentDirectory() const { return current_; }
  bool isLoading() const { return loading_; }
  // Shows `directory` in the table (and lists it for the tree). From the
  // moment it is asked for, it is the current directory everywhere (the
  // path bar, the table, the upload target), also when its listing fails.
  void openDirectory(const QString& directory);
  // The user goes somewhere: like openDirectory, remembered for back/forward.
  void navigate(const QString& directory);
  void goBack();
  void goForward();
  void goUp();
  bool canGoBack() const { return !back_.isEmpty(); }
  bool canGoForward() const { return !forward_.isEmpty(); }
  // What the path bar was given: a directory, or a file's name (with an
  // optional "@version"): the file's directory opens with the file selected
  // (fileToSelect() until the view selects it). A bad name: false and *error.
  bool goTo(const QString& text, QString* error);
  QString takeFileToSelect() { return std::exchange(select_, QString()); }
  // Lists the current directory again, and every expanded one.
  void refresh();
  // HEAD for these names when their metadata is unknown (plain servers).
  void fetchMetadata(const QStringList& names);
  // Re-checks which rows are in the local cache.
  void refreshCachedFlags();
  // Sorting by version or size against a plain server: HEAD for every row
  // still missing them (at most kMaxHeadsInFlight at once), then sort again.
  // Changing directory or store cancels it. Called on every sort request.
  void completeMetadataForSort();
  bool isFetchingForSort() const { return !sortPending_.isEmpty(); }

 signals:
  // The current directory changed (before it is listed).
  void directoryChanged(const QString& directory);
  void directoryLoaded(const QString& directory, int fileCount);
  // goTo() of a name with a version that is not the newest one listed.
  void versionNotListed(const QString& name, qint64 asked, qint64 listed);
  void loadFailed(const QString& reason);
  // Progress of completeMetadataForSort(): `done` of `total` rows answered;
  // finished when done == total (or cancelled with total == 0).
  void sortMetadataProgress(int done, int total);

 private:
  void onStoreChanged();
  void listForTree(const QString& directory);
  void applyListing(const DirectoryListing& listing);
  void pumpMetadata();
  void queueMetadata(const QString& name);
  void cancelSortMetadata();
  void summarizeFolders(const QStringList& folders);
  void cancelSummaries();

  ProfileSession* session_;
  DirectoryTreeModel tree_;
  FileTableModel files_;
  FileFilterProxy proxy_;
  QString current_;
  bool loading_ = false;
  quint64 generation_ = 0;  // ignores answers for a directory no longer shown
  QStringList metadataQueue_;
  QSet<QString> metadataAsked_;
  int metadataInFlight_ = 0;
  QSet<QString> metadataFailed_;  // HEAD failed: not asked again for sorting
  QSet<QString> sortPending_;  // rows completeMetadataForSort() still waits for
  int sortTotal_ = 0;
  // FILETRACKER_GUI_TIMING=1 logs where the time of a directory load goes.
  QStringList back_;
  QStringList forward_;
  QString select_;           // goTo(): the file to select once its directory is shown
  qint64 selectVersion_ = -1;
  QList<QPointer<StoreJob>> summaryJobs_;  // the current directory's disk usage
  bool timing_ = false;
  QElapsedTimer clock_;
};

}  // namespace ft::ui
