// Shows a principal's new secret once (the server keeps only its hash):
// the token NAME.SECRET to hand over, a Copy button, and a warning that it
// cannot be shown again.
#pragma once

#include <QDialog>

class QLineEdit;

namespace ft::ui {

class SecretDialog : public QDialog {
  Q_OBJECT
 public:
  SecretDialog(const QString& name, const QString& token, QWidget* parent = nullptr);
  QString token() const;

 private:
  QLineEdit* token_;
};

}  // namespace ft::ui
