// The versions the server keeps of one file (its "history" extension:
// filetracker-server --keep-versions / --keep-for), newest first, with size,
// date and SHA-256 prefix; Download… (to a chosen file), Open (a private
// read-only copy, like the window's Open), Restore… (after a confirmation:
// the version becomes current under a new version) and Compare (two
// selected versions' text side by side, for small UTF-8 files). Every
// request is a StoreJob: the dialog never blocks, shows what it is doing,
// and cancels what still runs when it closes.
#pragma once

#include <QDialog>
#include <QList>
#include <QPointer>
#include <QTemporaryDir>

#include <functional>
#include <memory>

#include "store/store_types.hpp"

class QLabel;
class QPushButton;
class QTreeWidget;

namespace ft::ui {

class ProfileSession;
class RemoteStore;
class StoreJob;

class HistoryDialog : public QDialog {
  Q_OBJECT
 public:
  // Texts of one version in Compare, at most this large.
  static constexpr qint64 kCompareLimit = 1 << 20;

  // `store`: the session's (remote) store; `name`: an unversioned file name.
  HistoryDialog(ProfileSession* session, RemoteStore* store, const QString& name, QWidget* parent = nullptr);
  ~HistoryDialog() override;

  // Tests replace the modal questions: where Download… saves (empty:
  // cancelled), and whether to restore "NAME@VERSION".
  void setSaveLocationChooser(std::function<QString(const QString& suggested)> chooser) {
    saveChooser_ = std::move(chooser);
  }
  void setRestoreConfirmer(std::function<bool(const QString& versioned)> confirmer) {
    restoreConfirmer_ = std::move(confirmer);
  }

  const QVector<FileVersion>& versions() const { return versions_; }
  QTreeWidget* versionList() const { return list_; }
  QString statusText() const;

  // Asks the server for the versions again.
  void reload();

 signals:
  void loaded();                                   // the list is shown (or its error)
  void saved(const QString& path);                 // a Download… finished
  void opened(const QString& copy);                // an Open handed this copy to the desktop
  void restored(const ft::ui::RemoteFile& file);   // the file as it is now
  void compared(const QString& left, const QString& right);  // the compare window is up (its texts)
  void failed(const QString& error);               // any of them failed (also shown in the dialog)

 private:
  QList<FileVersion> selectedVersions() const;
  QString versionedName(const FileVersion& v) const;
  void updateButtons();
  void setBusy(const QString& what);
  void showError(const QString& error);
  // Downloads `v` into the scratch folder; `done(path)` on success.
  void fetch(const FileVersion& v, std::function<void(const QString& path)> done);
  void track(StoreJob* job);
  void downloadSelected();
  void openSelected();
  void restoreSelected();
  void compareSelected();

  ProfileSession* session_;
  QPointer<RemoteStore> store_;
  QString name_;
  QVector<FileVersion> versions_;
  QList<QPointer<StoreJob>> jobs_;  // running: cancelled when the dialog goes
  std::unique_ptr<QTemporaryDir> scratch_;
  int nextScratch_ = 0;
  int busy_ = 0;
  QString afterReload_;  // shown instead of the count once the list is in (what a restore did)
  std::function<QString(const QString&)> saveChooser_;
  std::function<bool(const QString&)> restoreConfirmer_;

  QLabel* status_;
  QTreeWidget* list_;
  QPushButton* download_;
  QPushButton* open_;
  QPushButton* restore_;
  QPushButton* compare_;
};

}  // namespace ft::ui
