// The local cache's files (Cache view): name, version, size, last use.
#pragma once

#include <QAbstractTableModel>

#include <vector>

namespace ft::ui {

struct CacheEntry {
  QString name;      // unversioned
  qint64 version = 0;
  qint64 size = 0;
  qint64 lastUse = 0;  // access time, Unix seconds
};

class CacheTableModel : public QAbstractTableModel {
  Q_OBJECT
 public:
  enum Column { NameColumn, VersionColumn, SizeColumn, LastUseColumn, ColumnCount };
  enum Role { SortRole = Qt::UserRole + 1, VersionedNameRole };

  // Reads the cache at `cacheDir` (blocking: run it on a worker thread).
  static std::vector<CacheEntry> scan(const QString& cacheDir);

  explicit CacheTableModel(QObject* parent = nullptr);
  void setEntries(std::vector<CacheEntry> entries);
  const CacheEntry& entry(int row) const { return entries_[std::size_t(row)]; }
  qint64 totalBytes() const;

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

 private:
  std::vector<CacheEntry> entries_;
};

}  // namespace ft::ui
