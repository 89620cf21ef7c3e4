// The matches of a search (the Search panel of the Remote view): full name,
// version, size, appended as the store finds them. Same columns (name,
// version, size) and roles as FileTableModel, so the main window's actions
// read a selection of results as they read the browser's table.
#pragma once

#include <QAbstractTableModel>
#include <QHash>
#include <QVector>

#include "store/store_types.hpp"

namespace ft::ui {

class SearchResultsModel : public QAbstractTableModel {
  Q_OBJECT
 public:
  enum Column { NameColumn, VersionColumn, SizeColumn, ColumnCount };
  // What sorting compares (name as text, version and size as numbers).
  static constexpr int SortRole = Qt::UserRole + 100;

  using QAbstractTableModel::QAbstractTableModel;

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
  Qt::ItemFlags flags(const QModelIndex& index) const override;

  void clear();
  // Appends the files not shown yet (a name is shown once).
  void append(const QVector<RemoteFile>& files);
  // Drops these names (deleted from the store).
  void remove(const QStringList& names);
  const RemoteFile& file(int row) const { return files_[row]; }
  const QVector<RemoteFile>& files() const { return files_; }

 private:
  QVector<RemoteFile> files_;
  QHash<QString, int> rows_;  // name -> row
};

}  // namespace ft::ui
