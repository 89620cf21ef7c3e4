// The entries of one directory (Remote view's table): its subfolders first
// (with how many files and bytes are below each, once known), then its files:
// name, version (date and integer), size, cached. Rows are prepared off the GUI thread (prepareRows),
// with a natural sort key, already sorted and indexed. The rows stay where
// they are stored; the view order is a permutation, so re-sorting a big
// table is computed on a worker thread and applied as one cheap layout change.
#pragma once

#include <QAbstractTableModel>
#include <QHash>
#include <QSet>

#include <functional>
#include <optional>
#include <vector>

#include "store/store_types.hpp"

namespace ft::ui {

class FileTableModel : public QAbstractTableModel {
  Q_OBJECT
 public:
  enum Column { NameColumn, VersionColumn, SizeColumn, CachedColumn, ColumnCount };
  enum Role { FullNameRole = Qt::UserRole + 1, VersionRole, SizeRole, Sha256Role, CachedRole, IsFolderRole, FolderFilesRole };

  struct Row {
    RemoteFile file;  // a folder: its full name only
    QString baseName;
    QString key;  // naturalSortKey(baseName): case-folded, numbers compare as numbers
    bool cached = false;
    bool folder = false;
    int folderFiles = -1;  // files below the folder at any depth; -1 not counted yet
  };
  // A key whose plain binary order is the "natural" order of names:
  // case-insensitive, and runs of digits compare by value (file2 < file10).
  static QString naturalSortKey(const QString& name);
  // Rows ready to show: built, sorted and indexed off the GUI thread, so
  // showing 100,000 files costs the GUI thread only a model reset.
  struct Prepared {
    std::vector<Row> rows;      // storage order
    std::vector<int> order;     // view row -> storage index
    QHash<QString, int> byName;  // name -> storage index
  };
  // The view order of `rows` for a column and direction (stable).
  // REQUIRES: may run on any thread.
  static std::vector<int> sortedOrder(const std::vector<Row>& rows, int column, Qt::SortOrder order);
  // Tables with more rows than this are sorted on a worker thread.
  static constexpr int kAsyncSortRows = 20000;
  // REQUIRES: may run on any thread (no model access).
  // `folders`: the subfolders' full names, listed first.
  static Prepared prepareRows(const QVector<RemoteFile>& files, const QSet<QString>& cachedNames, int sortColumn = NameColumn,
                              Qt::SortOrder order = Qt::AscendingOrder, const QStringList& folders = {});

  explicit FileTableModel(QObject* parent = nullptr);

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
  Qt::ItemFlags flags(const QModelIndex& index) const override;
  QStringList mimeTypes() const override;
  QMimeData* mimeData(const QModelIndexList& indexes) const override;
  Qt::DropActions supportedDragActions() const override { return Qt::CopyAction; }

  void setRows(const QString& directory, Prepared prepared);
  // Sorts the rows themselves (the proxy only filters): native comparisons,
  // no QVariant, persistent indexes (selection) kept. Big tables are sorted
  // on a worker thread: the new order appears with layoutChanged a moment
  // later (isSorting() meanwhile).
  void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;
  bool isSorting() const { return sorting_; }
  // True when a row lacks what sorting by `column` compares (a plain server
  // lists names only; versions and sizes come by HEAD).
  bool isMissingSortData(int column) const;
  int sortColumn() const { return sortColumn_; }
  Qt::SortOrder sortOrder() const { return sortOrder_; }
  void clear();
  const QString& directory() const { return directory_; }
  const Row& row(int r) const { return storage_[std::size_t(order_[std::size_t(r)])]; }
  int rowOfName(const QString& name) const {
    const int at = byName_.value(name, -1);
    return at < 0 ? -1 : position_[std::size_t(at)];
  }
  // Fills in what a HEAD answered.
  void updateFile(const RemoteFile& file);
  void setCached(const QString& name, bool cached);
  // What is below a folder row: `files` at any depth, `bytes` in all (-1: the store did not list sizes).
  void setFolderSummary(const QString& folder, int files, qint64 bytes);
  int folderCount() const { return folders_; }
  // Fast comparison for the sort proxy (no QVariant).
  bool lessThan(int left, int right, int column) const;
  static bool rowLessThan(const Row& a, const Row& b, int column);

  // Supplies the local files for a drag to the file manager (the rows are
  // fetched into the cache first). Set by the window.
  using DragFileProvider = std::function<QList<QUrl>(const QStringList& names)>;
  void setDragFileProvider(DragFileProvider provider) { dragProvider_ = std::move(provider); }

 signals:
  // sort() was asked for (by the view or anyone); the new order may follow later.
  void sortRequested(int column, Qt::SortOrder order);

 private:
  QString directory_;
  void applyOrder(std::vector<int> order);

  std::vector<Row> storage_;
  std::vector<int> order_;     // view row -> storage index
  std::vector<int> position_;  // storage index -> view row
  QHash<QString, int> byName_;  // name -> storage index
  quint64 sortGeneration_ = 0;  // the newest sort request (older results are dropped)
  bool sorting_ = false;
  int folders_ = 0;
  DragFileProvider dragProvider_;
  int sortColumn_ = NameColumn;
  Qt::SortOrder sortOrder_ = Qt::AscendingOrder;
};

}  // namespace ft::ui
