// The questions the main window's actions put to the user, as message
// boxes: overwrite on upload, confirm a delete, and what a delete could not
// do. The window lets tests replace the modal ones (setConflictResolver,
// setDeleteConfirmer). A part of the window, translated in its context.
#pragma once

#include <QCoreApplication>
#include <QStringList>

#include "session/upload_planner.hpp"

class QWidget;

namespace ft::ui {

class Prompts {
  Q_DECLARE_TR_FUNCTIONS(ft::ui::MainWindow)

 public:
  // `name` is already in the store: overwrite it (or all), skip it (or all),
  // or cancel the upload. Modal; the default is Skip.
  static ConflictChoice askUploadConflict(QWidget* parent, const QString& name);
  // Deleting `names` from the store at `location`: true to go ahead. Modal;
  // the default is Cancel.
  static bool confirmDelete(QWidget* parent, const QStringList& names, const QString& location);
  // `failed` files could not be deleted, for these reasons. Not modal: the
  // box deletes itself when closed.
  static void showDeleteFailures(QWidget* parent, int failed, const QStringList& errors);
};

}  // namespace ft::ui
