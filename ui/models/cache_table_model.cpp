#include "models/cache_table_model.hpp"

#include <QDateTime>
#include <QLocale>

#include <sys/stat.h>

#include "common/size_format.hpp"
#include "filetracker/cache_pruner.hpp"
#include "filetracker/local_data_store.hpp"

namespace ft::ui {

std::vector<CacheEntry> CacheTableModel::scan(const QString& cacheDir) {
  std::vector<CacheEntry> result;
  const std::vector<CachedFile> files = scan_caches({CacheLocation{cacheDir.toStdString(), {}}});
  LocalDataStore store(cacheDir.toStdString());
  result.reserve(files.size());
  for (const CachedFile& cached : files) {
    const SplitName split = split_name(cached.file.name);
    CacheEntry entry;
    entry.name = QString::fromStdString(split.name);
    entry.version = split.version.value_or(cached.file.mtime);
    entry.size = qint64(cached.file.size);
    struct stat st {};
    const std::string path = store.path_of(split.name).string();
    entry.lastUse = ::stat(path.c_str(), &st) == 0 ? qint64(st.st_atime) : entry.version;
    result.push_back(std::move(entry));
  }
  return result;
}

CacheTableModel::CacheTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void CacheTableModel::setEntries(std::vector<CacheEntry> entries) {
  beginResetModel();
  entries_ = std::move(entries);
  endResetModel();
}

qint64 CacheTableModel::totalBytes() const {
  qint64 total = 0;
  for (const CacheEntry& e : entries_) total += e.size;
  return total;
}

int CacheTableModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(entries_.size()); }

int CacheTableModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant CacheTableModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) return {};
  const CacheEntry& e = entries_[std::size_t(index.row())];
  if (role == VersionedNameRole) return e.name + QLatin1Char('@') + QString::number(e.version);
  if (role == SortRole) {
    switch (index.column()) {
      case NameColumn: return e.name;
      case VersionColumn: return e.version;
      case SizeColumn: return e.size;
      case LastUseColumn: return e.lastUse;
    }
    return {};
  }
  if (role == Qt::TextAlignmentRole && index.column() == SizeColumn) return int(Qt::AlignRight | Qt::AlignVCenter);
  if (role != Qt::DisplayRole && role != Qt::ToolTipRole) return {};
  const QLocale locale;
  switch (index.column()) {
    case NameColumn: return e.name;
    case VersionColumn:
      return QStringLiteral("%1  (%2)")
          .arg(locale.toString(QDateTime::fromSecsSinceEpoch(e.version), QLocale::ShortFormat))
          .arg(e.version);
    case SizeColumn: return humanSize(e.size);
    // (0: not known, e.g. a cache report's file that was gone when it was written)
    case LastUseColumn: return e.lastUse > 0 ? locale.toString(QDateTime::fromSecsSinceEpoch(e.lastUse), QLocale::ShortFormat) : QString();
  }
  return {};
}

QVariant CacheTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
    case NameColumn: return tr("Name");
    case VersionColumn: return tr("Version");
    case SizeColumn: return tr("Size");
    case LastUseColumn: return tr("Last use");
  }
  return {};
}

}  // namespace ft::ui
