#include "widgets/main_actions.hpp"

#include <QAction>
#include <QWidget>
#include <QKeySequence>

#include "common/icons.hpp"

namespace ft::ui {

namespace {

// A shortcut that works only while the widget holding the action (the file
// table) has focus, so Return, Del or Ctrl+C keep their meaning elsewhere.
void inFileTable(QAction* action) { action->setShortcutContext(Qt::WidgetWithChildrenShortcut); }

}  // namespace

MainActions::MainActions(QWidget* window)
    : uploadFiles(new QAction(ownIcon(QStringLiteral("upload.svg"), QStyle::SP_ArrowUp), QString(), window)),
      uploadFolder(new QAction(ownIcon(QStringLiteral("upload-folder.svg"), QStyle::SP_FileDialogNewFolder), QString(), window)),
      uploadArchive(new QAction(themedIcon("archive-extract", QStyle::SP_FileDialogNewFolder), QString(), window)),
      downloadArchive(new QAction(themedIcon("archive-insert", QStyle::SP_DialogSaveButton), QString(), window)),
      download(new QAction(ownIcon(QStringLiteral("download.svg"), QStyle::SP_ArrowDown), QString(), window)),
      open(new QAction(themedIcon("document-open", QStyle::SP_DialogOpenButton), QString(), window)),
      deleteFiles(new QAction(themedIcon("edit-delete", QStyle::SP_TrashIcon), QString(), window)),
      refresh(new QAction(themedIcon("view-refresh", QStyle::SP_BrowserReload), QString(), window)),
      copyName(new QAction(themedIcon("edit-copy", QStyle::SP_FileLinkIcon), QString(), window)),
      copyVersionedName(new QAction(QString(), window)),
      properties(new QAction(themedIcon("document-properties", QStyle::SP_FileDialogInfoView), QString(), window)),
      history(new QAction(themedIcon("document-open-recent", QStyle::SP_FileDialogDetailedView), QString(), window)),
      compareFolder(new QAction(themedIcon("view-split-left-right", QStyle::SP_FileDialogContentsView), QString(), window)),
      settings(new QAction(themedIcon("preferences-system", QStyle::SP_ComputerIcon), QString(), window)),
      quit(new QAction(themedIcon("application-exit", QStyle::SP_DialogCloseButton), QString(), window)),
      about(new QAction(QString(), window)),
      find(new QAction(QString(), window)),
      selectAll(new QAction(QString(), window)) {
  uploadFiles->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_U));
  uploadFolder->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_U));
  download->setShortcut(QKeySequence::Save);
  open->setShortcuts({QKeySequence(Qt::Key_Return), QKeySequence::Open});
  inFileTable(open);
  deleteFiles->setShortcut(QKeySequence::Delete);
  inFileTable(deleteFiles);
  refresh->setShortcut(QKeySequence::Refresh);
  copyName->setShortcut(QKeySequence::Copy);
  inFileTable(copyName);
  copyVersionedName->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));
  inFileTable(copyVersionedName);
  properties->setShortcut(QKeySequence(Qt::ALT | Qt::Key_Return));
  history->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_H));
  settings->setShortcut(QKeySequence::Preferences);
  quit->setShortcut(QKeySequence::Quit);
  quit->setMenuRole(QAction::QuitRole);
  find->setShortcut(QKeySequence::Find);
  selectAll->setShortcut(QKeySequence::SelectAll);
  inFileTable(selectAll);
}

QList<QAction*> MainActions::fileTableActions() const { return {open, deleteFiles, copyName, copyVersionedName, selectAll}; }

void MainActions::updateEnabled(const State& state) {
  const bool any = state.hasSelection;
  const bool server = !state.inCache;
  const bool textChanges = state.inCache != state_.inCache || state.deleteRefusal != state_.deleteRefusal;
  const bool uploadChanges = state.uploadRefusal != state_.uploadRefusal;
  state_ = state;
  uploadFiles->setEnabled(state.ready && state.uploadRefusal.isEmpty());
  uploadFolder->setEnabled(state.ready && state.uploadRefusal.isEmpty());
  uploadArchive->setEnabled(state.ready && server && state.uploadRefusal.isEmpty());
  // Without a selection: the folder the user is in.
  downloadArchive->setEnabled(state.ready && server);
  download->setEnabled(state.ready && any && server);
  open->setEnabled(state.ready && any && server);
  // The cache can be cleaned while the server is down.
  deleteFiles->setEnabled(any && (state.inCache || (state.ready && state.deleteRefusal.isEmpty())));
  copyName->setEnabled(any && server);
  copyVersionedName->setEnabled(any && server);
  properties->setEnabled(state.ready && any && server);
  history->setEnabled(state.ready && any && server && state.history);
  compareFolder->setEnabled(state.ready && server);
  if (textChanges) retranslateDelete();
  if (uploadChanges) retranslateUpload();
}

void MainActions::retranslateDelete() {
  if (state_.inCache) {
    deleteFiles->setText(tr("&Remove from cache…"));
    deleteFiles->setToolTip(tr("Remove the selected files from the local cache (the server keeps them)"));
  } else {
    deleteFiles->setText(tr("&Delete…"));
    deleteFiles->setToolTip(state_.deleteRefusal.isEmpty() ? tr("Delete the selected files from the store")
                                                           : tr("Cannot delete: %1").arg(state_.deleteRefusal));
  }
}

void MainActions::retranslateUpload() {
  if (!state_.uploadRefusal.isEmpty()) {
    const QString why = tr("Cannot upload: %1").arg(state_.uploadRefusal);
    uploadFiles->setToolTip(why);
    uploadFolder->setToolTip(why);
    uploadArchive->setToolTip(why);
    return;
  }
  uploadFolder->setToolTip(tr("Upload a folder with everything in it, keeping relative paths"));
  uploadArchive->setToolTip(tr("Unpack a .zip, .tar.gz, .tar.xz, .tar.zst or .7z archive into a folder of the store"));
}

void MainActions::retranslate() {
  uploadFiles->setText(tr("&Upload files…"));
  uploadFiles->setIconText(tr("Upload"));
  uploadFolder->setText(tr("Upload &folder…"));
  uploadFolder->setIconText(tr("Upload folder"));
  uploadArchive->setText(tr("Upload &archive as folder…"));
  retranslateUpload();
  downloadArchive->setText(tr("Download as ar&chive…"));
  downloadArchive->setToolTip(tr("Pack the selected files and folders (or the current folder) into a .zip, .tar, .tar.gz or .tar.zst file"));
  download->setText(tr("&Download to…"));
  download->setIconText(tr("Download"));
  download->setToolTip(tr("Download the selected files to a folder"));
  open->setText(tr("&Open"));
  open->setToolTip(tr("Fetch the selected files into the cache and open them"));
  retranslateDelete();
  refresh->setText(tr("&Refresh"));
  copyName->setText(tr("&Copy name"));
  copyVersionedName->setText(tr("Copy &versioned name"));
  properties->setText(tr("&Properties"));
  history->setText(tr("&History…"));
  history->setToolTip(tr("The versions the server keeps of the selected file: download, open, restore, compare"));
  compareFolder->setText(tr("Co&mpare with local folder…"));
  compareFolder->setToolTip(tr("Compare a local folder with the selected folder (or the current one) by content, then upload or download what differs"));
  settings->setText(tr("&Settings and connections…"));
  settings->setIconText(tr("Connections"));
  quit->setText(tr("&Quit"));
  about->setText(tr("&About Filetracker"));
  find->setText(tr("&Find…"));
  selectAll->setText(tr("Select &all"));
}

}  // namespace ft::ui
