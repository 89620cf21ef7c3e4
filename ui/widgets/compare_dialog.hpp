// "Compare with local folder…" (issue 15): a local folder and a folder of the
// store side by side, each file's status by content (only local, only on
// the server, differs, same), filtered by status with the counts; the
// comparison runs asynchronously with progress and Cancel (FolderComparer).
// Then "Upload changed and missing" (optionally deleting the server's
// extras) or the reverse "Download changed and missing" (optionally deleting
// the local extras): a preview lists exactly what will happen, and once
// confirmed the transfer queue carries it out (FolderSync), after which the
// folders are compared again.
#pragma once

#include <QDialog>
#include <QPointer>

#include <memory>

#include "filetracker/sync_plan.hpp"

class QCheckBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QSortFilterProxyModel;
class QStandardItemModel;
class QTreeView;

namespace ft::ui {

class FolderComparer;
class FolderSync;
class ProfileSession;

class CompareDialog : public QDialog {
  Q_OBJECT
 public:
  enum Column { NameColumn, StatusColumn, LocalSizeColumn, RemoteSizeColumn, ColumnCount };
  // The item's SyncStatus (an int) on the Name column.
  static constexpr int StatusRole = Qt::UserRole + 1;

  CompareDialog(ProfileSession* session, QString localFolder, QString remoteDirectory, QWidget* parent = nullptr);
  ~CompareDialog() override;

  // Starts (again) comparing; compareFinished() follows.
  void compare();
  bool isComparing() const;
  bool isSyncing() const;
  // The last comparison (empty while comparing).
  const std::vector<SyncItem>& items() const { return items_; }
  int count(SyncStatus status) const;
  QString errorString() const { return error_; }
  // The plan the buttons would carry out now (what the preview lists).
  SyncPlan plan(SyncDirection direction) const;

  QTreeView* view() const { return view_; }
  QCheckBox* filter(SyncStatus status) const;
  QPushButton* uploadButton() const { return upload_; }
  QPushButton* downloadButton() const { return download_; }
  QCheckBox* deleteRemoteExtras() const { return deleteRemote_; }
  QCheckBox* deleteLocalExtras() const { return deleteLocal_; }
  QPushButton* cancelButton() const { return cancel_; }
  QPushButton* compareButton() const { return compareAgain_; }
  QLabel* statusLabel() const { return status_; }

  // Lines of the preview for `plan` ("Upload /r/a.txt (new)", …).
  QStringList previewLines(const SyncPlan& plan, SyncDirection direction) const;

 signals:
  void compareFinished();
  // A sync ended (and the comparison after it started).
  void syncFinished(int done, int failed);

 protected:
  void changeEvent(QEvent* event) override;
  // While a sync runs, closing hides the dialog; it goes once the sync has ended.
  void closeEvent(QCloseEvent* event) override;

 private:
  void retranslate();
  void comparerEnded();
  void fill();
  void updateCounts();
  void updateButtons();
  void applyFilter();
  void runSync(SyncDirection direction);
  // `skipped`: the lines of what will not be done, and why.
  bool confirm(const SyncPlan& plan, SyncDirection direction, const QStringList& skipped);
  // Takes the uploads whose local name is no valid filetracker name out of
  // `plan`; returns a line for each.
  QStringList dropInvalidUploads(SyncPlan& plan) const;
  QString statusText(SyncStatus status) const;

  ProfileSession* session_;
  QString localFolder_;
  QString remoteDirectory_;
  std::vector<SyncItem> items_;
  QString error_;
  QPointer<FolderComparer> comparer_;
  QPointer<FolderSync> sync_;
  bool closeWhenSynced_ = false;

  QLabel* sides_;
  QTreeView* view_;
  QStandardItemModel* model_;
  QSortFilterProxyModel* proxy_;
  QCheckBox* filters_[4];
  QLabel* status_;
  QProgressBar* progress_;
  QPushButton* cancel_;
  QPushButton* compareAgain_;
  QPushButton* upload_;
  QCheckBox* deleteRemote_;
  QPushButton* download_;
  QCheckBox* deleteLocal_;
  QPushButton* close_;
};

}  // namespace ft::ui
