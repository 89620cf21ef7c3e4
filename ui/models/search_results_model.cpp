#include "models/search_results_model.hpp"

#include <QApplication>
#include <QSet>
#include <QStyle>

#include "common/size_format.hpp"
#include "common/version_text.hpp"
#include "models/file_table_model.hpp"

namespace ft::ui {

int SearchResultsModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(files_.size()); }

int SearchResultsModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant SearchResultsModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) return {};
  const RemoteFile& f = files_[index.row()];
  switch (role) {
    case FileTableModel::FullNameRole: return f.name;
    case FileTableModel::VersionRole: return f.version;
    case FileTableModel::SizeRole: return f.size;
    case FileTableModel::Sha256Role: return f.sha256;
    case FileTableModel::CachedRole: return false;
    case FileTableModel::IsFolderRole: return false;
    case Qt::ToolTipRole: return f.name;
    case SortRole:
      if (index.column() == VersionColumn) return f.version;
      if (index.column() == SizeColumn) return f.size;
      return f.name;
    case Qt::TextAlignmentRole:
      if (index.column() == SizeColumn) return int(Qt::AlignRight | Qt::AlignVCenter);
      return {};
    case Qt::DecorationRole:
      if (index.column() == NameColumn) return QApplication::style()->standardIcon(QStyle::SP_FileIcon);
      return {};
    case Qt::DisplayRole:
      switch (index.column()) {
        case NameColumn: return f.name;
        case VersionColumn: return versionText(f.version);
        case SizeColumn: return f.size < 0 ? QStringLiteral("…") : humanSize(f.size);
      }
      return {};
  }
  return {};
}

QVariant SearchResultsModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
    case NameColumn: return tr("Name");
    case VersionColumn: return tr("Version");
    case SizeColumn: return tr("Size");
  }
  return {};
}

Qt::ItemFlags SearchResultsModel::flags(const QModelIndex& index) const {
  if (!index.isValid()) return Qt::NoItemFlags;
  return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemNeverHasChildren;
}

void SearchResultsModel::clear() {
  beginResetModel();
  files_.clear();
  rows_.clear();
  endResetModel();
}

void SearchResultsModel::append(const QVector<RemoteFile>& files) {
  QVector<RemoteFile> fresh;
  fresh.reserve(files.size());
  for (const RemoteFile& f : files)
    if (!rows_.contains(f.name)) {
      rows_.insert(f.name, int(files_.size() + fresh.size()));
      fresh.push_back(f);
    }
  if (fresh.isEmpty()) return;
  beginInsertRows({}, int(files_.size()), int(files_.size() + fresh.size() - 1));
  files_ += fresh;
  endInsertRows();
}

void SearchResultsModel::remove(const QStringList& names) {
  const QSet<QString> gone(names.begin(), names.end());
  for (int row = int(files_.size()) - 1; row >= 0; --row) {
    if (!gone.contains(files_[row].name)) continue;
    beginRemoveRows({}, row, row);
    files_.removeAt(row);
    endRemoveRows();
  }
  rows_.clear();
  for (int row = 0; row < files_.size(); ++row) rows_.insert(files_[row].name, row);
}

}  // namespace ft::ui
