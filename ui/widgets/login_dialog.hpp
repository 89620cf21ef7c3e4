// Asks for the name and secret a server wants (after its 401), with the
// server's reason when a secret was refused, and "Remember" to keep the
// secret in the desktop keyring. Shown with open(), never exec(): the event
// loop (and the transfers) go on while the user types.
#pragma once

#include <QDialog>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace ft::ui {

class LoginDialog : public QDialog {
  Q_OBJECT
 public:
  // `server`: the address asked; `user`: the name to offer.
  LoginDialog(const QString& server, const QString& user, QWidget* parent = nullptr);

  // The server's reason for refusing (empty: asked before any refusal).
  void setReason(const QString& reason);
  // The keyring cannot be used: "Remember" is off and says why.
  void setKeyringUnavailable(const QString& error);

  QString user() const;
  QString secret() const;
  bool remember() const;

 private:
  void updateOk();
  QLabel* reason_;
  QLineEdit* user_;
  QLineEdit* secret_;
  QCheckBox* remember_;
  QLabel* keyringNote_;
  QPushButton* ok_ = nullptr;
};

}  // namespace ft::ui
