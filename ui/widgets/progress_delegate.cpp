#include "widgets/progress_delegate.hpp"

#include <QApplication>
#include <QPainter>
#include <QStyleOptionProgressBar>

namespace ft::ui {

ProgressDelegate::ProgressDelegate(int progressRole, QObject* parent) : QStyledItemDelegate(parent), role_(progressRole) {}

void ProgressDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const {
  const int progress = index.data(role_).toInt();
  if (progress < 0) {
    QStyledItemDelegate::paint(painter, option, index);
    return;
  }
  // Background (selection) first, then the bar inset a little.
  QStyleOptionViewItem background = option;
  initStyleOption(&background, index);
  background.text.clear();
  const QWidget* widget = option.widget;
  QStyle* style = widget ? widget->style() : QApplication::style();
  style->drawControl(QStyle::CE_ItemViewItem, &background, painter, widget);

  QStyleOptionProgressBar bar;
  bar.rect = option.rect.adjusted(2, 2, -2, -2);
  bar.minimum = 0;
  bar.maximum = 1000;
  bar.progress = progress;
  bar.text = index.data(Qt::DisplayRole).toString();
  bar.textVisible = true;
  bar.textAlignment = Qt::AlignCenter;
  bar.state = option.state | QStyle::State_Horizontal;
  bar.palette = option.palette;
  bar.direction = option.direction;
  bar.fontMetrics = option.fontMetrics;
  style->drawControl(QStyle::CE_ProgressBar, &bar, painter, widget);
}

}  // namespace ft::ui
