// The Transfers dock's rows (a table; TransferQueue drives it).
#pragma once

#include <QAbstractTableModel>

#include <vector>

#include "transfers/transfer.hpp"

namespace ft::ui {

class TransferModel : public QAbstractTableModel {
  Q_OBJECT
 public:
  enum Column { NameColumn, DirectionColumn, ServerColumn, ProgressColumn, SizeColumn, SpeedColumn, EtaColumn, StateColumn, ColumnCount };
  // Progress as 0..1000 (or -1 when unknown) for the delegate; the id for lookups.
  enum Role { ProgressRole = Qt::UserRole + 1, IdRole, StateRole };

  explicit TransferModel(QObject* parent = nullptr);

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

  // Used by TransferQueue.
  int append(Transfer transfer);
  Transfer& at(int row) { return rows_[std::size_t(row)]; }
  const Transfer& at(int row) const { return rows_[std::size_t(row)]; }
  int rowOf(quint64 id) const;
  void changed(int row);
  void removeFinished();

  static QString stateText(const Transfer& transfer);

 private:
  std::vector<Transfer> rows_;
};

}  // namespace ft::ui
