#include "transfers/transfer_model.hpp"

#include <QApplication>
#include <QFileInfo>
#include <QLocale>
#include <QStyle>

#include "common/size_format.hpp"

namespace ft::ui {

TransferModel::TransferModel(QObject* parent) : QAbstractTableModel(parent) {}

int TransferModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(rows_.size()); }

int TransferModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QString TransferModel::stateText(const Transfer& t) {
  switch (t.state) {
    case Transfer::State::Queued:
      return t.waitsForItsStore ? tr("Queued: waits for %1").arg(t.storeLocation) : tr("Queued");
    case Transfer::State::Paused:
      return t.waitsForItsStore ? tr("Paused: waits for %1").arg(t.storeLocation) : tr("Paused");
    case Transfer::State::Preparing:
      if (t.kind == Transfer::Kind::ArchiveUpload) return tr("Checking the archive");
      if (t.kind == Transfer::Kind::ArchiveDownload) return tr("Listing the files");
      return tr("Compressing");
    case Transfer::State::Running:
      // The files done are in the Progress column, beside the bytes.
      if (t.kind == Transfer::Kind::ArchiveUpload) return tr("Unpacking");
      if (t.kind == Transfer::Kind::ArchiveDownload) return tr("Packing");
      return t.kind == Transfer::Kind::Upload ? tr("Uploading") : tr("Downloading");
    case Transfer::State::Finished:
      return t.isArchive() && !t.summary.isEmpty() ? tr("Done: %1").arg(t.summary) : tr("Done");
    case Transfer::State::Failed: return tr("Failed: %1").arg(t.error);
    case Transfer::State::Cancelled: return tr("Cancelled");
  }
  return {};
}

QVariant TransferModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) return {};
  const Transfer& t = rows_[std::size_t(index.row())];
  if (role == IdRole) return QVariant::fromValue(t.id);
  if (role == StateRole) return int(t.state);
  if (role == ProgressRole) {
    if (t.state == Transfer::State::Finished) return 1000;
    if (t.total <= 0) return t.isActive() ? 0 : -1;
    return int(qBound(qint64(0), t.done * 1000 / t.total, qint64(1000)));
  }
  if (role == Qt::ToolTipRole) {
    if (t.state == Transfer::State::Failed) {
      if (t.refusedEntries.isEmpty()) return t.error;
      return t.error + QLatin1Char('\n') + t.refusedEntries.mid(0, 20).join(QLatin1Char('\n'));
    }
    return t.localPath();
  }
  if (role == Qt::DecorationRole && index.column() == NameColumn) {
    QStyle* style = QApplication::style();
    switch (t.state) {
      case Transfer::State::Failed: return style->standardIcon(QStyle::SP_MessageBoxCritical);
      case Transfer::State::Finished: return style->standardIcon(QStyle::SP_DialogApplyButton);
      case Transfer::State::Cancelled: return style->standardIcon(QStyle::SP_DialogCancelButton);
      case Transfer::State::Paused: return style->standardIcon(QStyle::SP_MediaPause);
      default: return style->standardIcon(t.isUpload() ? QStyle::SP_ArrowUp : QStyle::SP_ArrowDown);
    }
  }
  if (role == Qt::TextAlignmentRole && (index.column() == SizeColumn || index.column() == SpeedColumn || index.column() == EtaColumn)) {
    return int(Qt::AlignRight | Qt::AlignVCenter);
  }
  if (role != Qt::DisplayRole) return {};
  switch (index.column()) {
    case NameColumn:
      // An archive row names both ends: what goes where.
      if (t.kind == Transfer::Kind::ArchiveUpload)
        return tr("%1 → %2", "archive → folder").arg(QFileInfo(t.archive.archivePath).fileName(), t.archive.remoteDirectory);
      if (t.kind == Transfer::Kind::ArchiveDownload)
        return tr("%1 → %2", "folder → archive").arg(t.archive.remoteDirectory, QFileInfo(t.archive.archivePath).fileName());
      return t.remoteName();
    case DirectionColumn:
      switch (t.kind) {
        case Transfer::Kind::Upload: return tr("Upload", "transfer direction");
        case Transfer::Kind::Download: return tr("Download", "transfer direction");
        case Transfer::Kind::Open: return tr("Open", "transfer direction");
        case Transfer::Kind::ArchiveUpload: return tr("Unpack", "transfer direction");
        case Transfer::Kind::ArchiveDownload: return tr("Pack", "transfer direction");
      }
      return {};
    case ServerColumn: return t.storeLocation;
    case ProgressColumn: {
      const int p = data(index, ProgressRole).toInt();
      const QString percent = p < 0 ? QString() : QLocale().toString(p / 10.0, 'f', 1) + QLatin1Char('%');
      // An archive row counts its files too: "3 of 10 files · 24.9%".
      if (t.isArchive() && t.entriesTotal >= 0 && !percent.isEmpty())
        return tr("%1 of %2 files · %3").arg(t.entriesDone).arg(t.entriesTotal).arg(percent);
      return percent;
    }
    case SizeColumn: return t.total >= 0 ? humanSize(t.total) : QString();
    case SpeedColumn: return t.state == Transfer::State::Running || t.state == Transfer::State::Preparing
                                 ? humanSpeed(t.bytesPerSecond)
                                 : QString();
    case EtaColumn: return humanDuration(t.etaSeconds());
    case StateColumn: return stateText(t);
  }
  return {};
}

QVariant TransferModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
    case NameColumn: return tr("Name");
    case DirectionColumn: return tr("Direction");
    case ServerColumn: return tr("Server");
    case ProgressColumn: return tr("Progress");
    case SizeColumn: return tr("Size");
    case SpeedColumn: return tr("Speed");
    case EtaColumn: return tr("Time left");
    case StateColumn: return tr("State");
  }
  return {};
}

int TransferModel::append(Transfer transfer) {
  const int row = int(rows_.size());
  beginInsertRows({}, row, row);
  rows_.push_back(std::move(transfer));
  endInsertRows();
  return row;
}

int TransferModel::rowOf(quint64 id) const {
  for (std::size_t i = 0; i < rows_.size(); ++i) {
    if (rows_[i].id == id) return int(i);
  }
  return -1;
}

void TransferModel::changed(int row) {
  if (row < 0 || row >= int(rows_.size())) return;
  emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

void TransferModel::removeFinished() {
  // Remove contiguous runs from the back so indices stay valid.
  for (int row = int(rows_.size()) - 1; row >= 0;) {
    if (!rows_[std::size_t(row)].isOver()) {
      --row;
      continue;
    }
    int first = row;
    while (first > 0 && rows_[std::size_t(first - 1)].isOver()) --first;
    beginRemoveRows({}, first, row);
    rows_.erase(rows_.begin() + first, rows_.begin() + row + 1);
    endRemoveRows();
    row = first - 1;
  }
}

}  // namespace ft::ui
