#include "models/directory_tree_model.hpp"

#include <QApplication>
#include <QStyle>

#include <algorithm>

#include "common/icons.hpp"
#include "common/size_format.hpp"

namespace ft::ui {

int DirectoryTreeModel::Node::row() const {
  if (!parent) return 0;
  for (std::size_t i = 0; i < parent->children.size(); ++i) {
    if (parent->children[i].get() == this) return int(i);
  }
  return 0;
}

DirectoryTreeModel::DirectoryTreeModel(QObject* parent) : QAbstractItemModel(parent) {
  folderIcon_ = QApplication::style()->standardIcon(QStyle::SP_DirIcon);
  serverIcon_ = ownIcon(QStringLiteral("server.svg"), QStyle::SP_DriveNetIcon);
  localIcon_ = QApplication::style()->standardIcon(QStyle::SP_DriveHDIcon);
  reset();
}

DirectoryTreeModel::~DirectoryTreeModel() = default;

void DirectoryTreeModel::setRootLabel(const QString& label, bool remote) {
  rootLabel_ = label;
  remote_ = remote;
  const QModelIndex rootIndex = index(0, 0);
  emit dataChanged(rootIndex, rootIndex);
}

void DirectoryTreeModel::setFolderUsage(const FolderUsage& usage) {
  usage_.insert(usage.path, usage);
  if (Node* node = byPath_.value(usage.path)) {
    const QModelIndex at = indexOfNode(node);
    emit dataChanged(at, at, {Qt::ToolTipRole});
  }
}

void DirectoryTreeModel::reset() {
  beginResetModel();
  usage_.clear();
  invisibleRoot_ = std::make_unique<Node>();
  invisibleRoot_->loaded = true;
  auto root = std::make_unique<Node>();
  root->path = QStringLiteral("/");
  root->parent = invisibleRoot_.get();
  root_ = root.get();
  invisibleRoot_->children.push_back(std::move(root));
  byPath_.clear();
  byPath_.insert(root_->path, root_);
  endResetModel();
}

void DirectoryTreeModel::forget(Node* node) {
  byPath_.remove(node->path);
  for (auto& child : node->children) forget(child.get());
}

void DirectoryTreeModel::setSubdirectories(const QString& path, const QStringList& names) {
  Node* node = byPath_.value(path.isEmpty() ? QStringLiteral("/") : path);
  if (!node) return;
  node->loading = false;
  QStringList wanted = names;
  wanted.sort();
  wanted.removeDuplicates();
  const QModelIndex parentIndex = indexOfNode(node);
  // Remove children that are gone.
  for (int i = int(node->children.size()) - 1; i >= 0; --i) {
    if (!wanted.contains(node->children[std::size_t(i)]->name)) {
      beginRemoveRows(parentIndex, i, i);
      forget(node->children[std::size_t(i)].get());
      node->children.erase(node->children.begin() + i);
      endRemoveRows();
    }
  }
  // Insert new ones in sorted position.
  for (const QString& name : wanted) {
    auto it = std::lower_bound(node->children.begin(), node->children.end(), name,
                               [](const std::unique_ptr<Node>& n, const QString& v) { return n->name < v; });
    if (it != node->children.end() && (*it)->name == name) continue;
    const int row = int(it - node->children.begin());
    auto child = std::make_unique<Node>();
    child->name = name;
    child->path = joinName(node->path, name);
    child->parent = node;
    beginInsertRows(parentIndex, row, row);
    byPath_.insert(child->path, child.get());
    node->children.insert(node->children.begin() + row, std::move(child));
    endInsertRows();
  }
  if (!node->loaded) {
    node->loaded = true;
    // hasChildren may have changed from "maybe" to "no".
    emit dataChanged(parentIndex, parentIndex);
  }
}

QModelIndex DirectoryTreeModel::indexOfPath(const QString& path) const {
  const Node* node = byPath_.value(path);
  return node ? indexOfNode(node) : QModelIndex();
}

QModelIndex DirectoryTreeModel::ensurePath(const QString& path) {
  Node* node = root_;
  const QStringList parts = path.split(QLatin1Char('/'), Qt::SkipEmptyParts);
  for (const QString& part : parts) {
    const QString childPath = joinName(node->path, part);
    Node* child = byPath_.value(childPath);
    if (!child) {
      auto it = std::lower_bound(node->children.begin(), node->children.end(), part,
                                 [](const std::unique_ptr<Node>& n, const QString& v) { return n->name < v; });
      const int row = int(it - node->children.begin());
      auto made = std::make_unique<Node>();
      made->name = part;
      made->path = childPath;
      made->parent = node;
      child = made.get();
      beginInsertRows(indexOfNode(node), row, row);
      byPath_.insert(childPath, child);
      node->children.insert(node->children.begin() + row, std::move(made));
      endInsertRows();
    }
    node = child;
  }
  return indexOfNode(node);
}

QString DirectoryTreeModel::pathOf(const QModelIndex& index) const {
  const Node* node = nodeOf(index);
  return node && node != invisibleRoot_.get() ? node->path : QString();
}

DirectoryTreeModel::Node* DirectoryTreeModel::nodeOf(const QModelIndex& index) const {
  if (!index.isValid()) return invisibleRoot_.get();
  return static_cast<Node*>(index.internalPointer());
}

QModelIndex DirectoryTreeModel::indexOfNode(const Node* node) const {
  if (!node || node == invisibleRoot_.get()) return {};
  return createIndex(node->row(), 0, const_cast<Node*>(node));
}

QModelIndex DirectoryTreeModel::index(int row, int column, const QModelIndex& parent) const {
  if (column != 0 || row < 0) return {};
  const Node* node = nodeOf(parent);
  if (row >= int(node->children.size())) return {};
  return createIndex(row, 0, node->children[std::size_t(row)].get());
}

QModelIndex DirectoryTreeModel::parent(const QModelIndex& child) const {
  if (!child.isValid()) return {};
  const Node* node = nodeOf(child);
  return indexOfNode(node->parent);
}

int DirectoryTreeModel::rowCount(const QModelIndex& parent) const {
  if (parent.column() > 0) return 0;
  return int(nodeOf(parent)->children.size());
}

int DirectoryTreeModel::columnCount(const QModelIndex&) const { return 1; }

QVariant DirectoryTreeModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid)) return {};
  const Node* node = nodeOf(index);
  switch (role) {
    case Qt::DisplayRole:
      if (node == root_) return rootLabel_.isEmpty() ? QStringLiteral("/") : rootLabel_;
      return node->name;
    case Qt::ToolTipRole: {
      const auto it = usage_.constFind(node->path);
      if (it == usage_.constEnd()) return node->path;
      const QString files = tr("%n file(s)", "", int(it->files));
      return it->bytes < 0 ? tr("%1: %2").arg(node->path, files)
                           : tr("%1: %2, %3").arg(node->path, files, humanSize(it->bytes));
    }
    case Qt::DecorationRole:
      if (node == root_) return remote_ ? serverIcon_ : localIcon_;
      return folderIcon_;
    case PathRole: return node->path;
  }
  return {};
}

Qt::ItemFlags DirectoryTreeModel::flags(const QModelIndex& index) const {
  if (!index.isValid()) return Qt::NoItemFlags;
  return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsDropEnabled;
}

bool DirectoryTreeModel::hasChildren(const QModelIndex& parent) const {
  const Node* node = nodeOf(parent);
  if (parent.column() > 0) return false;
  return !node->loaded || !node->children.empty();
}

bool DirectoryTreeModel::canFetchMore(const QModelIndex& parent) const {
  if (!parent.isValid()) return false;
  const Node* node = nodeOf(parent);
  return !node->loaded && !node->loading;
}

void DirectoryTreeModel::fetchMore(const QModelIndex& parent) {
  if (!parent.isValid()) return;
  Node* node = nodeOf(parent);
  if (node->loaded || node->loading) return;
  node->loading = true;
  emit listingRequested(node->path);
}

}  // namespace ft::ui
