// The Remote view's directory tree. Filetracker has no real directories: they
// are derived from the names, one level at a time, as the user expands them
// (fetchMore asks the browser to list that directory).
#pragma once

#include <QAbstractItemModel>
#include <QHash>
#include <QIcon>

#include <memory>
#include <vector>

#include "store/disk_usage.hpp"

namespace ft::ui {

class DirectoryTreeModel : public QAbstractItemModel {
  Q_OBJECT
 public:
  enum Role { PathRole = Qt::UserRole + 1 };

  explicit DirectoryTreeModel(QObject* parent = nullptr);
  ~DirectoryTreeModel() override;

  // The root item's label (the server URL or the local store's folder).
  void setRootLabel(const QString& label, bool remote = true);
  // Forgets everything below the root (a new store, or a full refresh).
  void reset();
  // The listing of `path` found these immediate subdirectories.
  void setSubdirectories(const QString& path, const QStringList& names);
  QModelIndex indexOfPath(const QString& path) const;
  // Makes sure every directory on the way to `path` has a node (a directory
  // opened directly, e.g. from the command line, before its parents were
  // listed). Nodes made here are listed when expanded.
  QModelIndex ensurePath(const QString& path);
  QString pathOf(const QModelIndex& index) const;
  // What is below `usage.path` (disk usage): shown in its tooltip.
  void setFolderUsage(const FolderUsage& usage);

  QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
  QModelIndex parent(const QModelIndex& child) const override;
  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  Qt::ItemFlags flags(const QModelIndex& index) const override;
  bool hasChildren(const QModelIndex& parent = {}) const override;
  bool canFetchMore(const QModelIndex& parent) const override;
  void fetchMore(const QModelIndex& parent) override;

 signals:
  // The view wants the subdirectories of `path`; answer with setSubdirectories.
  void listingRequested(const QString& path);

 private:
  struct Node {
    QString name;
    QString path;
    Node* parent = nullptr;
    std::vector<std::unique_ptr<Node>> children;
    bool loaded = false;
    bool loading = false;
    int row() const;
  };
  Node* nodeOf(const QModelIndex& index) const;
  QModelIndex indexOfNode(const Node* node) const;
  void forget(Node* node);

  std::unique_ptr<Node> invisibleRoot_;
  Node* root_ = nullptr;  // "/"
  QString rootLabel_;
  QHash<QString, Node*> byPath_;
  QHash<QString, FolderUsage> usage_;  // by path; forgotten on reset()
  QIcon folderIcon_;
  QIcon serverIcon_;
  QIcon localIcon_;
  bool remote_ = true;
};

}  // namespace ft::ui
