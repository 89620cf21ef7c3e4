// The sidebar's Bookmarks (below the folder tree): folders of the current
// connection profile the user keeps at hand. Clicking one goes there; "Add
// current folder" (Ctrl+D in the Remote view), Rename (F2, or the label
// edited in place), Remove (Del) and reordering by drag (or Ctrl+Shift+Up
// and Down) change the list,
// which is saved for that profile at once (settings/bookmark_store.hpp).
#pragma once

#include <QListWidget>

#include "settings/bookmark_store.hpp"

class QAction;

namespace ft::ui {

class BookmarksView : public QListWidget {
  Q_OBJECT
 public:
  explicit BookmarksView(QWidget* parent = nullptr);

  // Shows (and from now on edits) the bookmarks of this profile.
  void setProfile(const QString& profileName);
  const QString& profileName() const { return profile_; }
  QList<Bookmark> bookmarks() const;
  // Adds `path` at the end, labelled with its folder name; a folder already
  // bookmarked is only selected. Returns whether it was added.
  bool addFolder(const QString& path);
  void renameCurrent();
  void removeCurrent();
  // Moves the current bookmark `delta` places (negative: up).
  void moveCurrent(int delta);

  QAction* addBookmarkAction() const { return add_; }
  QAction* renameAction() const { return rename_; }
  QAction* removeAction() const { return remove_; }
  QAction* moveUpAction() const { return moveUp_; }
  QAction* moveDownAction() const { return moveDown_; }
  void retranslate();

 signals:
  void navigateRequested(const QString& path);

 protected:
  // An empty list says how to fill it.
  void paintEvent(QPaintEvent* event) override;

 private:
  void save();
  void append(const Bookmark& bookmark);
  void updateActions();

  QString profile_;
  bool loading_ = false;
  QAction* add_;
  QAction* rename_;
  QAction* remove_;
  QAction* moveUp_;
  QAction* moveDown_;
};

}  // namespace ft::ui
