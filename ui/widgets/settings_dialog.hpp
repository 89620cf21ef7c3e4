// Settings: the connection profiles (name, server URL, cache directory, cache
// limit), stored with QSettings. "Connect" opens the selected profile.
#pragma once

#include <QDialog>

#include "settings/connection_profile.hpp"

class QCheckBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QSpinBox;

namespace ft::ui {

class SettingsDialog : public QDialog {
  Q_OBJECT
 public:
  SettingsDialog(const ConnectionProfile& current, QWidget* parent = nullptr);

  bool hasChosenProfile() const { return chosen_; }
  ConnectionProfile chosenProfile() const { return chosenProfile_; }

 private:
  void load(int row);
  void storeEdits();
  // False (and a message) when a profile's server URL is not one.
  bool save();
  void updateCacheNote();

  QList<ConnectionProfile> profiles_;
  int row_ = -1;
  QListWidget* list_;
  QLineEdit* name_;
  QLineEdit* url_;
  QLineEdit* user_;
  QLineEdit* cacheDir_;
  QSpinBox* limit_;
  QCheckBox* autoCleanUp_;
  QLabel* cacheNote_;
  QStringList migrated_;  // profiles given their own cache folder on reading
  bool chosen_ = false;
  ConnectionProfile chosenProfile_;
};

}  // namespace ft::ui
