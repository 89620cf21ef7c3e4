// Two versions' text side by side (HistoryDialog's Compare): read-only,
// scrolled together, lines that differ from the other side's line of the
// same number highlighted (a line-by-line view for test inputs and outputs,
// not a diff that realigns insertions).
#pragma once

#include <QDialog>

class QLabel;
class QPlainTextEdit;

namespace ft::ui {

class VersionCompareDialog : public QDialog {
  Q_OBJECT
 public:
  VersionCompareDialog(const QString& leftTitle, const QString& leftText, const QString& rightTitle,
                       const QString& rightText, QWidget* parent = nullptr);

  QPlainTextEdit* leftView() const { return left_; }
  QPlainTextEdit* rightView() const { return right_; }
  int differingLines() const { return differing_; }

 private:
  QPlainTextEdit* left_;
  QPlainTextEdit* right_;
  QLabel* summary_;
  int differing_ = 0;
};

}  // namespace ft::ui
