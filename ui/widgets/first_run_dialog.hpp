// Shown once, when no server has been configured: the app already works on
// the local store; this offers to connect to a server instead.
#pragma once

#include <QDialog>

#include "settings/connection_profile.hpp"

class QLineEdit;

namespace ft::ui {

class FirstRunDialog : public QDialog {
  Q_OBJECT
 public:
  explicit FirstRunDialog(QWidget* parent = nullptr);
  // The profile to open: a server profile when the user connected, else the local store.
  ConnectionProfile profile() const;

 private:
  QLineEdit* url_;
  bool connect_ = false;
};

}  // namespace ft::ui
