// The transfer queue on disk (issue 15: a queue that lasts): the rows of one
// store (its key: location and cache, as TransferQueue keys them) in one
// JSON file, <directory>/<SHA-256 of the key>.json, replaced atomically
// (QSaveFile: temporary file, fsync, rename), so a kill -9 at any moment
// leaves the previous queue or the new one, never half of one.
//
// What is written: what each row does (kind, names, paths, the upload's
// version), where it stands (queued, paused, finished with its result,
// failed with the reason) and the upload's local file as it was queued
// (size, mtime). Never a credential: a server address loses its user info,
// the secret stays in the desktop keyring, and the session signs in again.
#pragma once

#include <QCoreApplication>
#include <QList>
#include <QString>

#include "transfers/transfer.hpp"

namespace ft::ui {

class TransferJournal {
  Q_DECLARE_TR_FUNCTIONS(ft::ui::TransferJournal)

 public:
  struct Content {
    bool paused = false;  // the whole queue was paused
    QList<Transfer> rows;
  };

  // `directory` empty: nothing is saved or read.
  explicit TransferJournal(QString directory = {}) : directory_(std::move(directory)) {}
  const QString& directory() const { return directory_; }
  bool enabled() const { return !directory_.isEmpty(); }

  QString fileFor(const QString& storeKey) const;
  // Writes the rows of `storeKey` (all of `content.rows` must have it);
  // no rows and not paused: the file is removed. Returns the error, empty on success.
  QString save(const QString& storeKey, const Content& content) const;
  // The saved rows of `storeKey` (ids 0: the queue numbers them). A file
  // that cannot be read is renamed to *.corrupt and `error` says so.
  Content load(const QString& storeKey, QString* error = nullptr) const;

  // A server address without its user name and password.
  static QString withoutUserInfo(const QString& location);

 private:
  QString directory_;
};

}  // namespace ft::ui
