// Completion of folder names in the path bar (Ctrl+L): as the user types
// "/problems/ab", the folders of "/problems" starting with "ab" are offered.
// Each folder typed into is listed once (asynchronously, through the
// store); the answer fills the popup when it arrives.
#pragma once

#include <QCompleter>
#include <QPointer>
#include <QStringListModel>

class QLineEdit;

namespace ft::ui {

class ProfileSession;
class StoreJob;

class PathCompleter : public QCompleter {
  Q_OBJECT
 public:
  PathCompleter(ProfileSession* session, QLineEdit* edit);

  // The folder whose subfolders are offered now ("" before the first).
  const QString& listedFolder() const { return folder_; }
  // Forget what was listed (another store, or a refresh).
  void reset();

 private:
  void onEdited(const QString& text);

  ProfileSession* session_;
  QLineEdit* edit_;
  QStringListModel* model_;
  QString folder_;
  QPointer<StoreJob> job_;
};

}  // namespace ft::ui
