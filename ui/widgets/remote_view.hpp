// The Remote view, the window's first tab: the directory tree beside the
// current directory's path, name filter and file table, all driven by the
// RemoteBrowser. It follows the browser (the tree and the path show the
// directory it loaded; clicking a tree item opens that directory) and asks it
// for the versions and sizes of the rows on screen when a plain server did
// not list them.
#pragma once

#include <QTimer>
#include <QWidget>

class QLabel;
class QLineEdit;
class QSplitter;

namespace ft::ui {

class DirectoryTreeView;
class FileTableView;
class RemoteBrowser;

class RemoteView : public QWidget {
  Q_OBJECT
 public:
  explicit RemoteView(RemoteBrowser* browser, QWidget* parent = nullptr);

  DirectoryTreeView* tree() const { return tree_; }
  FileTableView* table() const { return table_; }
  QLineEdit* filter() const { return filter_; }
  QSplitter* splitter() const { return splitter_; }

  // Shows `directory` as the current one: the path, and the tree expanded to
  // it with it selected.
  void showDirectory(const QString& directory);
  // Another store: the path shows "/" until its root is listed.
  void resetPath();
  // The local store is its own cache: a "cached" column would say yes everywhere.
  void setCachedColumnVisible(bool visible);
  void retranslate();

 private:
  void scheduleVisibleMetadata();
  void requestVisibleMetadata();

  RemoteBrowser* browser_;
  QSplitter* splitter_;
  DirectoryTreeView* tree_;
  FileTableView* table_;
  QLineEdit* filter_;
  QLabel* pathLabel_;
  QTimer metadataTimer_;
};

}  // namespace ft::ui
