// Draws a progress bar in a cell (the Transfers dock), with the style's own
// progress bar so it follows the palette (light and dark themes).
#pragma once

#include <QStyledItemDelegate>

namespace ft::ui {

class ProgressDelegate : public QStyledItemDelegate {
  Q_OBJECT
 public:
  ProgressDelegate(int progressRole, QObject* parent = nullptr);
  void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;

 private:
  int role_;
};

}  // namespace ft::ui
