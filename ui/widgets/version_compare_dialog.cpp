#include "widgets/version_compare_dialog.hpp"

#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QGridLayout>
#include <QLabel>
#include <QPalette>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QTextBlock>
#include <QVBoxLayout>

namespace ft::ui {
namespace {

// Marks the lines of `view` whose text differs from `other`'s line of the
// same number (or that `other` lacks); returns how many.
int highlightDifferences(QPlainTextEdit* view, const QStringList& mine, const QStringList& other, const QColor& color) {
  QList<QTextEdit::ExtraSelection> marks;
  int count = 0;
  QTextBlock block = view->document()->firstBlock();
  for (int i = 0; i < mine.size() && block.isValid(); ++i, block = block.next()) {
    if (i < other.size() && mine[i] == other[i]) continue;
    ++count;
    QTextEdit::ExtraSelection mark;
    mark.cursor = QTextCursor(block);
    mark.format.setBackground(color);
    mark.format.setProperty(QTextFormat::FullWidthSelection, true);
    marks << mark;
  }
  view->setExtraSelections(marks);
  return count;
}

}  // namespace

VersionCompareDialog::VersionCompareDialog(const QString& leftTitle, const QString& leftText, const QString& rightTitle,
                                           const QString& rightText, QWidget* parent)
    : QDialog(parent) {
  setWindowTitle(tr("Compare %1 with %2").arg(leftTitle, rightTitle));
  resize(1000, 600);
  auto* layout = new QVBoxLayout(this);
  auto* grid = new QGridLayout();
  const QFont fixed = QFontDatabase::systemFont(QFontDatabase::FixedFont);
  auto makeView = [&](const QString& text) {
    auto* view = new QPlainTextEdit(this);
    view->setReadOnly(true);
    view->setLineWrapMode(QPlainTextEdit::NoWrap);
    view->setFont(fixed);
    view->setPlainText(text);
    return view;
  };
  left_ = makeView(leftText);
  right_ = makeView(rightText);
  left_->setObjectName(QStringLiteral("compareLeft"));
  right_->setObjectName(QStringLiteral("compareRight"));
  grid->addWidget(new QLabel(leftTitle, this), 0, 0);
  grid->addWidget(new QLabel(rightTitle, this), 0, 1);
  grid->addWidget(left_, 1, 0);
  grid->addWidget(right_, 1, 1);
  layout->addLayout(grid, 1);

  // Lines as the views hold them (a QPlainTextEdit block is a line); the
  // empty "line" after a final newline is not one.
  auto lines = [](const QString& text) {
    QStringList out = text.split(QLatin1Char('\n'));
    if (text.endsWith(QLatin1Char('\n'))) out.removeLast();
    return out;
  };
  const QStringList leftLines = lines(leftText);
  const QStringList rightLines = lines(rightText);
  const QColor color = palette().color(QPalette::Highlight).lighter(170);
  differing_ = std::max(highlightDifferences(left_, leftLines, rightLines, color),
                        highlightDifferences(right_, rightLines, leftLines, color));
  summary_ = new QLabel(differing_ == 0 ? tr("The texts are the same.")
                                        : tr("%n line(s) differ (highlighted).", "", differing_),
                        this);
  summary_->setObjectName(QStringLiteral("compareSummary"));
  layout->addWidget(summary_);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  layout->addWidget(buttons);

  // Scrolled together.
  for (auto [a, b] : {std::pair{left_, right_}, std::pair{right_, left_}}) {
    connect(a->verticalScrollBar(), &QScrollBar::valueChanged, b->verticalScrollBar(), &QScrollBar::setValue);
    connect(a->horizontalScrollBar(), &QScrollBar::valueChanged, b->horizontalScrollBar(), &QScrollBar::setValue);
  }
}

}  // namespace ft::ui
