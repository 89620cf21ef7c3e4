#include "models/file_table_model.hpp"

#include <algorithm>

#include <QApplication>
#include <QDateTime>
#include <QLocale>
#include <QStyle>

#include "models/remote_files_mime_data.hpp"
#include "widgets/size_format.hpp"

namespace ft::ui {

namespace {
void sortRows(std::vector<FileTableModel::Row>& rows, int column, Qt::SortOrder order) {
  if (order == Qt::AscendingOrder) {
    std::stable_sort(rows.begin(), rows.end(),
                     [column](const auto& a, const auto& b) { return FileTableModel::rowLessThan(a, b, column); });
  } else {
    std::stable_sort(rows.begin(), rows.end(),
                     [column](const auto& a, const auto& b) { return FileTableModel::rowLessThan(b, a, column); });
  }
}
}  // namespace

FileTableModel::Prepared FileTableModel::prepareRows(const QVector<RemoteFile>& files, const QSet<QString>& cachedNames,
                                                     int sortColumn, Qt::SortOrder order) {
  Prepared prepared;
  std::vector<Row>& rows = prepared.rows;
  rows.reserve(std::size_t(files.size()));
  for (const RemoteFile& file : files) {
    Row row;
    row.file = file;
    row.baseName = baseNameOf(file.name);
    row.key = naturalSortKey(row.baseName);
    row.cached = cachedNames.contains(file.name);
    rows.push_back(std::move(row));
  }
  sortRows(rows, sortColumn, order);
  prepared.byName.reserve(qsizetype(rows.size()));
  for (std::size_t i = 0; i < rows.size(); ++i) prepared.byName.insert(rows[i].file.name, int(i));
  return prepared;
}

QString FileTableModel::naturalSortKey(const QString& name) {
  // Each run of digits becomes '0', a length marker, then the digits without
  // leading zeros: a longer number sorts after a shorter one, equal lengths
  // compare digit by digit. '0' keeps digits before letters as in ASCII.
  const QString folded = name.toCaseFolded();
  QString key;
  key.reserve(folded.size() + 8);
  for (qsizetype i = 0; i < folded.size();) {
    if (!folded[i].isDigit() || folded[i].unicode() > 0x7f) {
      key += folded[i++];
      continue;
    }
    qsizetype end = i;
    while (end < folded.size() && folded[end].unicode() >= '0' && folded[end].unicode() <= '9') ++end;
    qsizetype start = i;
    while (start + 1 < end && folded[start] == QLatin1Char('0')) ++start;
    key += QLatin1Char('0');
    key += QChar(char16_t(0x30 + qMin<qsizetype>(end - start, 0xff)));
    key += QStringView(folded).mid(start, end - start);
    i = end;
  }
  return key;
}

FileTableModel::FileTableModel(QObject* parent) : QAbstractTableModel(parent) {}

int FileTableModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(rows_.size()); }

int FileTableModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant FileTableModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) return {};
  const Row& r = rows_[std::size_t(index.row())];
  switch (role) {
    case FullNameRole: return r.file.name;
    case VersionRole: return r.file.version;
    case SizeRole: return r.file.size;
    case Sha256Role: return r.file.sha256;
    case CachedRole: return r.cached;
    case Qt::ToolTipRole: return r.file.name;
    case Qt::TextAlignmentRole:
      if (index.column() == SizeColumn) return int(Qt::AlignRight | Qt::AlignVCenter);
      return {};
    case Qt::DecorationRole:
      if (index.column() == NameColumn) return QApplication::style()->standardIcon(QStyle::SP_FileIcon);
      return {};
    case Qt::DisplayRole:
      break;
    default:
      return {};
  }
  switch (index.column()) {
    case NameColumn: return r.baseName;
    case VersionColumn: {
      if (r.file.version < 0) return QStringLiteral("…");
      const QDateTime when = QDateTime::fromSecsSinceEpoch(r.file.version);
      return QStringLiteral("%1  (%2)").arg(QLocale().toString(when, QLocale::ShortFormat)).arg(r.file.version);
    }
    case SizeColumn: return r.file.size < 0 ? QStringLiteral("…") : humanSize(r.file.size);
    case CachedColumn: return r.cached ? tr("yes") : QString();
  }
  return {};
}

QVariant FileTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
    case NameColumn: return tr("Name");
    case VersionColumn: return tr("Version");
    case SizeColumn: return tr("Size");
    case CachedColumn: return tr("Cached");
  }
  return {};
}

Qt::ItemFlags FileTableModel::flags(const QModelIndex& index) const {
  if (!index.isValid()) return Qt::ItemIsDropEnabled;
  return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsDragEnabled | Qt::ItemNeverHasChildren;
}

QStringList FileTableModel::mimeTypes() const {
  return {QStringLiteral("text/uri-list"), QStringLiteral("text/plain")};
}

QMimeData* FileTableModel::mimeData(const QModelIndexList& indexes) const {
  QStringList names;
  for (const QModelIndex& index : indexes) {
    if (!index.isValid() || index.column() != NameColumn) continue;
    names << rows_[std::size_t(index.row())].file.name;
  }
  if (names.isEmpty()) return nullptr;
  return new RemoteFilesMimeData(names, dragProvider_);
}

void FileTableModel::setRows(const QString& directory, Prepared prepared) {
  beginResetModel();
  directory_ = directory;
  rows_ = std::move(prepared.rows);
  byName_ = std::move(prepared.byName);
  if (byName_.size() != qsizetype(rows_.size())) {  // not indexed by prepareRows
    byName_.clear();
    for (std::size_t i = 0; i < rows_.size(); ++i) byName_.insert(rows_[i].file.name, int(i));
  }
  endResetModel();
}

void FileTableModel::sort(int column, Qt::SortOrder order) {
  if (column < 0 || column >= ColumnCount) return;
  sortColumn_ = column;
  sortOrder_ = order;
  emit layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
  // Remember which row each persistent index pointed at, by name.
  const QModelIndexList before = persistentIndexList();
  QStringList names;
  names.reserve(before.size());
  for (const QModelIndex& index : before) names << rows_[std::size_t(index.row())].file.name;
  sortRows(rows_, column, order);
  for (std::size_t i = 0; i < rows_.size(); ++i) byName_[rows_[i].file.name] = int(i);
  QModelIndexList after;
  after.reserve(before.size());
  for (qsizetype i = 0; i < before.size(); ++i) after << index(byName_.value(names[i]), before[i].column());
  changePersistentIndexList(before, after);
  emit layoutChanged({}, QAbstractItemModel::VerticalSortHint);
}

void FileTableModel::clear() { setRows(QString(), Prepared{}); }

void FileTableModel::updateFile(const RemoteFile& file) {
  const int r = rowOfName(file.name);
  if (r < 0) return;
  Row& row = rows_[std::size_t(r)];
  if (file.version >= 0) row.file.version = file.version;
  if (file.size >= 0) row.file.size = file.size;
  if (!file.sha256.isEmpty()) row.file.sha256 = file.sha256;
  emit dataChanged(index(r, 0), index(r, ColumnCount - 1));
}

void FileTableModel::setCached(const QString& name, bool cached) {
  const int r = rowOfName(name);
  if (r < 0 || rows_[std::size_t(r)].cached == cached) return;
  rows_[std::size_t(r)].cached = cached;
  emit dataChanged(index(r, CachedColumn), index(r, CachedColumn));
}

bool FileTableModel::lessThan(int left, int right, int column) const {
  return rowLessThan(rows_[std::size_t(left)], rows_[std::size_t(right)], column);
}

bool FileTableModel::rowLessThan(const Row& a, const Row& b, int column) {
  switch (column) {
    case VersionColumn:
      if (a.file.version != b.file.version) return a.file.version < b.file.version;
      break;
    case SizeColumn:
      if (a.file.size != b.file.size) return a.file.size < b.file.size;
      break;
    case CachedColumn:
      if (a.cached != b.cached) return a.cached < b.cached;
      break;
    default:
      break;
  }
  const int c = QString::compare(a.key, b.key, Qt::CaseSensitive);
  if (c != 0) return c < 0;
  return a.baseName < b.baseName;
}

}  // namespace ft::ui
