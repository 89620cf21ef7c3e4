// Properties of one file: name, version, size, SHA-256, cached or not. The
// SHA-256 comes from the listing, else from a HEAD, else is computed from the
// cached copy (off the GUI thread).
#pragma once

#include <QDialog>

#include "store/store_types.hpp"

class QLabel;

namespace ft::ui {

class ProfileSession;

class PropertiesDialog : public QDialog {
  Q_OBJECT
 public:
  PropertiesDialog(ProfileSession* session, const RemoteFile& file, bool cached, QWidget* parent = nullptr);
  QString shaText() const;

 signals:
  void complete();

 private:
  void display(const RemoteFile& file);
  void hashCachedCopy();

  ProfileSession* session_;
  RemoteFile file_;
  bool cached_;
  QLabel* name_;
  QLabel* version_;
  QLabel* size_;
  QLabel* sha_;
  QLabel* cachedLabel_;
};

}  // namespace ft::ui
