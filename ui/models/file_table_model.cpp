#include "models/file_table_model.hpp"

#include <algorithm>

#include <QApplication>
#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>
#include <QStyle>

#include "common/size_format.hpp"
#include "common/version_text.hpp"
#include "models/remote_files_mime_data.hpp"

namespace ft::ui {

std::vector<int> FileTableModel::sortedOrder(const std::vector<Row>& rows, int column, Qt::SortOrder order) {
  std::vector<int> result(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) result[i] = int(i);
  const auto less = [&rows, column](int a, int b) {
    return rowLessThan(rows[std::size_t(a)], rows[std::size_t(b)], column);
  };
  // Folders stay above the files whichever way the table is sorted.
  const auto split = std::stable_partition(result.begin(), result.end(), [&rows](int i) { return rows[std::size_t(i)].folder; });
  for (auto [first, last] : {std::pair{result.begin(), split}, std::pair{split, result.end()}}) {
    if (order == Qt::AscendingOrder) {
      std::stable_sort(first, last, less);
    } else {
      std::stable_sort(first, last, [&less](int a, int b) { return less(b, a); });
    }
  }
  return result;
}

FileTableModel::Prepared FileTableModel::prepareRows(const QVector<RemoteFile>& files, const QSet<QString>& cachedNames,
                                                     int sortColumn, Qt::SortOrder order, const QStringList& folders) {
  Prepared prepared;
  std::vector<Row>& rows = prepared.rows;
  rows.reserve(std::size_t(files.size() + folders.size()));
  for (const QString& folder : folders) {
    Row row;
    row.file.name = folder;
    row.baseName = baseNameOf(folder);
    row.key = naturalSortKey(row.baseName);
    row.folder = true;
    rows.push_back(std::move(row));
  }
  for (const RemoteFile& file : files) {
    Row row;
    row.file = file;
    row.baseName = baseNameOf(file.name);
    row.key = naturalSortKey(row.baseName);
    row.cached = cachedNames.contains(file.name);
    rows.push_back(std::move(row));
  }
  prepared.order = sortedOrder(rows, sortColumn, order);
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

int FileTableModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(order_.size()); }

int FileTableModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant FileTableModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) return {};
  const Row& r = row(index.row());
  switch (role) {
    case FullNameRole: return r.file.name;
    case VersionRole: return r.file.version;
    case SizeRole: return r.file.size;
    case Sha256Role: return r.file.sha256;
    case CachedRole: return r.cached;
    case IsFolderRole: return r.folder;
    case FolderFilesRole: return r.folderFiles;
    case Qt::ToolTipRole: return r.folder ? r.file.name + QLatin1Char('/') : r.file.name;
    case Qt::TextAlignmentRole:
      if (index.column() == SizeColumn) return int(Qt::AlignRight | Qt::AlignVCenter);
      return {};
    case Qt::DecorationRole:
      if (index.column() == NameColumn) {
        return QApplication::style()->standardIcon(r.folder ? QStyle::SP_DirIcon : QStyle::SP_FileIcon);
      }
      return {};
    case Qt::DisplayRole:
      break;
    default:
      return {};
  }
  if (r.folder) {
    switch (index.column()) {
      case NameColumn: return r.baseName;
      // How many files are below it in the Version column (a folder has no
      // version), their total size in the Size column: both fit their widths.
      case VersionColumn: return r.folderFiles < 0 ? QStringLiteral("…") : tr("%n file(s)", "", r.folderFiles);
      case SizeColumn: return r.folderFiles < 0 || r.file.size < 0 ? QString() : humanSize(r.file.size);
      default: return QString();
    }
  }
  switch (index.column()) {
    case NameColumn: return r.baseName;
    case VersionColumn: return versionText(r.file.version);
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
    if (!index.isValid() || index.column() != NameColumn || row(index.row()).folder) continue;
    names << row(index.row()).file.name;
  }
  if (names.isEmpty()) return nullptr;
  return new RemoteFilesMimeData(names, dragProvider_);
}

void FileTableModel::setRows(const QString& directory, Prepared prepared) {
  beginResetModel();
  ++sortGeneration_;  // a sort of the old rows must not land on the new ones
  sorting_ = false;
  directory_ = directory;
  storage_ = std::move(prepared.rows);
  order_ = std::move(prepared.order);
  byName_ = std::move(prepared.byName);
  if (order_.size() != storage_.size()) order_ = sortedOrder(storage_, sortColumn_, sortOrder_);
  if (byName_.size() != qsizetype(storage_.size())) {
    byName_.clear();
    for (std::size_t i = 0; i < storage_.size(); ++i) byName_.insert(storage_[i].file.name, int(i));
  }
  position_.assign(storage_.size(), 0);
  for (std::size_t r = 0; r < order_.size(); ++r) position_[std::size_t(order_[r])] = int(r);
  folders_ = 0;
  for (const Row& r : storage_) folders_ += r.folder ? 1 : 0;
  endResetModel();
}

void FileTableModel::sort(int column, Qt::SortOrder order) {
  if (column < 0 || column >= ColumnCount) return;
  sortColumn_ = column;
  sortOrder_ = order;
  emit sortRequested(column, order);
  const quint64 generation = ++sortGeneration_;
  if (storage_.size() <= std::size_t(kAsyncSortRows)) {
    sorting_ = false;
    applyOrder(sortedOrder(storage_, column, order));
    return;
  }
  // A snapshot (shared strings, no deep copies) sorted on a worker thread.
  sorting_ = true;
  auto snapshot = std::make_shared<const std::vector<Row>>(storage_);
  auto* watcher = new QFutureWatcher<std::vector<int>>(this);
  connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation] {
    watcher->deleteLater();
    if (generation != sortGeneration_) return;
    sorting_ = false;
    applyOrder(watcher->future().takeResult());
  });
  watcher->setFuture(QtConcurrent::run([snapshot, column, order] { return sortedOrder(*snapshot, column, order); }));
}

void FileTableModel::applyOrder(std::vector<int> order) {
  if (order.size() != storage_.size()) return;
  emit layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
  const QModelIndexList before = persistentIndexList();
  std::vector<int> stored;  // what each persistent index pointed at
  stored.reserve(std::size_t(before.size()));
  for (const QModelIndex& index : before) stored.push_back(order_[std::size_t(index.row())]);
  order_ = std::move(order);
  for (std::size_t r = 0; r < order_.size(); ++r) position_[std::size_t(order_[r])] = int(r);
  QModelIndexList after;
  after.reserve(before.size());
  for (qsizetype i = 0; i < before.size(); ++i) {
    after << index(position_[std::size_t(stored[std::size_t(i)])], before[i].column());
  }
  changePersistentIndexList(before, after);
  emit layoutChanged({}, QAbstractItemModel::VerticalSortHint);
}

bool FileTableModel::isMissingSortData(int column) const {
  if (column != VersionColumn && column != SizeColumn) return false;
  for (const Row& r : storage_) {
    if (r.folder) continue;
    if (column == VersionColumn ? r.file.version < 0 : r.file.size < 0) return true;
  }
  return false;
}

void FileTableModel::clear() { setRows(QString(), Prepared{}); }

void FileTableModel::updateFile(const RemoteFile& file) {
  const int at = byName_.value(file.name, -1);
  if (at < 0 || storage_[std::size_t(at)].folder) return;
  Row& row = storage_[std::size_t(at)];
  if (file.version >= 0) row.file.version = file.version;
  if (file.size >= 0) row.file.size = file.size;
  if (!file.sha256.isEmpty()) row.file.sha256 = file.sha256;
  const int r = position_[std::size_t(at)];
  emit dataChanged(index(r, 0), index(r, ColumnCount - 1));
}

void FileTableModel::setFolderSummary(const QString& folder, int files, qint64 bytes) {
  const int at = byName_.value(folder, -1);
  if (at < 0 || !storage_[std::size_t(at)].folder) return;
  Row& row = storage_[std::size_t(at)];
  row.folderFiles = files;
  row.file.size = bytes;
  const int r = position_[std::size_t(at)];
  emit dataChanged(index(r, 0), index(r, ColumnCount - 1));
}

void FileTableModel::setCached(const QString& name, bool cached) {
  const int at = byName_.value(name, -1);
  if (at < 0 || storage_[std::size_t(at)].cached == cached) return;
  storage_[std::size_t(at)].cached = cached;
  const int r = position_[std::size_t(at)];
  emit dataChanged(index(r, CachedColumn), index(r, CachedColumn));
}

bool FileTableModel::lessThan(int left, int right, int column) const {
  return rowLessThan(row(left), row(right), column);
}

bool FileTableModel::rowLessThan(const Row& a, const Row& b, int column) {
  if (a.folder != b.folder) return a.folder;
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
