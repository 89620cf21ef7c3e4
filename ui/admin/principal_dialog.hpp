// Add / edit one principal of the access file: name (fixed when editing),
// level (read, write, admin) and path prefixes ("/tests/"; none: every
// name). The server checks what is entered and says why it refuses.
#pragma once

#include <QDialog>

#include "admin/users_view.hpp"

class QComboBox;
class QLineEdit;

namespace ft::ui {

class PrincipalDialog : public QDialog {
  Q_OBJECT
 public:
  PrincipalDialog(const PrincipalEntry& entry, bool adding, QWidget* parent = nullptr);
  PrincipalEntry entry() const;
  // "/a/, /b/" or "/a/ /b/" as a list.
  static QStringList splitPrefixes(const QString& text);

 private:
  QLineEdit* name_;
  QComboBox* access_;
  QLineEdit* prefixes_;
};

}  // namespace ft::ui
