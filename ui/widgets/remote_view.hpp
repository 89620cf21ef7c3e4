// The Remote view, the window's first tab: the directory tree beside the
// path bar (the current directory; Ctrl+L to type or paste a directory or a
// file's name, with an optional @version, and jump there), name filter and
// file table (subfolders first), all driven by the RemoteBrowser. Keys:
// Backspace and Alt+Up go up, Alt+Left/Right back and forward, Esc in the
// filter clears it; the filter is cleared on changing folder. The search
// (Ctrl+F, search_view.hpp) takes the table's place while shown; the
// sidebar holds the tree and the profile's bookmarks (Ctrl+D adds one); the
// path bar completes folder names. It follows the browser (the tree and the path show the
// directory it loaded; clicking a tree item opens that directory) and asks it
// for the versions and sizes of the rows on screen when a plain server did
// not list them.
#pragma once

#include <QTimer>
#include <QWidget>

class QAction;
class QLabel;
class QLineEdit;
class QSplitter;
class QStackedWidget;

namespace ft::ui {

class BookmarksView;
class DirectoryTreeView;
class FileTableView;
class PathCompleter;
class RemoteBrowser;
class SearchView;

class RemoteView : public QWidget {
  Q_OBJECT
 public:
  explicit RemoteView(RemoteBrowser* browser, QWidget* parent = nullptr);

  DirectoryTreeView* tree() const { return tree_; }
  FileTableView* table() const { return table_; }
  QLineEdit* filter() const { return filter_; }
  QLineEdit* pathBar() const { return path_; }
  QAction* upAction() const { return up_; }
  QAction* backAction() const { return back_; }
  QAction* forwardAction() const { return forward_; }
  QAction* pathAction() const { return editPath_; }
  QSplitter* splitter() const { return splitter_; }
  SearchView* search() const { return search_; }
  BookmarksView* bookmarks() const { return bookmarks_; }
  QAction* bookmarkAction() const { return bookmarkHere_; }
  PathCompleter* pathCompleter() const { return completer_; }

  // The search (Ctrl+F) in place of the folder's table, and back; the
  // results stay until the next search.
  void showSearch();
  void closeSearch();
  bool isSearchShown() const;
  // The table the user sees: the search results while the search is
  // shown, else the folder's.
  FileTableView* activeTable() const;

  // Shows `directory` as the current one: the path, and the tree expanded to
  // it with it selected.
  void showDirectory(const QString& directory);
  // Another store: the path shows "/" until its root is listed.
  void resetPath();
  // The local store is its own cache: a "cached" column would say yes everywhere.
  void setCachedColumnVisible(bool visible);
  void retranslate();

 signals:
  // A status-bar message (a bad name typed in the path bar, say).
  void message(const QString& text);
  // The search was shown or closed.
  void searchShownChanged(bool shown);

 private:
  void updateNavigation();
  void selectPendingFile();
  void scheduleVisibleMetadata();
  void requestVisibleMetadata();

  RemoteBrowser* browser_;
  QSplitter* splitter_;
  DirectoryTreeView* tree_;
  FileTableView* table_;
  QLineEdit* filter_;
  QLineEdit* path_;
  QAction* up_;
  QAction* back_;
  QAction* forward_;
  QAction* editPath_;
  QAction* clearFilter_;
  QTimer metadataTimer_;
  QStackedWidget* stack_;
  QWidget* browse_;
  SearchView* search_;
  BookmarksView* bookmarks_;
  QAction* bookmarkHere_;
  PathCompleter* completer_;
};

}  // namespace ft::ui
