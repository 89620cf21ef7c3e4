// The questions the main window's actions put to the user, as message
// boxes: overwrite on upload, confirm a delete, and what a delete could not
// do. The window lets tests replace the modal ones (setConflictResolver,
// setDeleteConfirmer). A part of the window, translated in its context.
#pragma once

#include <QCoreApplication>
#include <QStringList>

#include "session/transfer_conflict.hpp"

class QMessageBox;
class QWidget;

namespace ft::ui {

// Deleting folders: what the confirmation names and counts.
struct FolderDeletion {
  QStringList folders;  // full names, "/a/b"
  QString location;     // the store
  int fileCount = 0;    // files below them (and any files selected beside them)
  qint64 bytes = -1;    // -1: the store did not list sizes
};

// What an archive dropped onto the Remote view becomes.
enum class ArchiveDropChoice { UploadFile, Unpack, Cancel };

class Prompts {
  Q_DECLARE_TR_FUNCTIONS(ft::ui::MainWindow)

 public:
  // The name is taken at the other end (the store for an upload, the local
  // folder for a download): overwrite, skip, keep both (downloads) — with
  // "for all remaining" — or cancel. Shows both sides' size and date.
  // Modal; the default is Skip.
  static ConflictChoice askConflict(QWidget* parent, const ConflictDetails& conflict);
  // Deleting `names` from the store at `location`: true to go ahead. Modal;
  // the default is Cancel.
  static bool confirmDelete(QWidget* parent, const QStringList& names, const QString& location);
  // Deleting folders with everything in them: names them, counts files and
  // bytes. Modal; the default is Cancel.
  static bool confirmFolderDelete(QWidget* parent, const FolderDeletion& deletion);
  // The cache holds `total` bytes, over its `limit`: true to clean it up now.
  // Modal; the default is to clean up (it shows its plan before deleting).
  static bool offerCacheCleanUp(QWidget* parent, qint64 total, qint64 limit);
  // Quitting with `pending` transfers: keep running (the default: Return,
  // Esc), cancel them and quit, or quit and let them resume at the next
  // start (the queue lasts). Modal.
  enum class QuitChoice { KeepRunning, CancelAndQuit, ResumeLater };
  static QuitChoice confirmQuitDuringTransfers(QWidget* parent, int pending);
  // `failed` files could not be deleted, for these reasons. Not modal: the
  // box deletes itself when closed.
  static void showDeleteFailures(QWidget* parent, int failed, const QStringList& errors);
  // `archives` dropped onto `directory`: upload them as they are, or unpack
  // each into a folder of its name there? *remember: "Remember until I
  // quit" was ticked. Modal; the default is to upload the file.
  static ArchiveDropChoice askArchiveDrop(QWidget* parent, const QStringList& archives, const QString& directory,
                                          bool* remember);
  // The archive was refused and nothing stored from it: one message listing
  // the offending entries (the first 20, then how many more). Not modal:
  // the box (object name "archiveRefusal") deletes itself when closed.
  static QMessageBox* showArchiveRefusal(QWidget* parent, const QString& archive, const QString& directory,
                                         const QStringList& entries);
};

}  // namespace ft::ui
