// The main window's actions: each one's icon, shortcut and texts, and when
// it is enabled. Menus, toolbar and context menus (MainMenus) show the same
// QAction objects; what an action does is connected by the window. A part of
// the window, translated in its context (like a uic-made Ui_ class).
#pragma once

#include <QCoreApplication>
#include <QList>

class QAction;
class QWidget;

namespace ft::ui {

class MainActions {
  Q_DECLARE_TR_FUNCTIONS(ft::ui::MainWindow)

 public:
  // The actions are children of `window`.
  explicit MainActions(QWidget* window);

  // What decides which actions can run.
  struct State {
    bool ready = false;         // the store answered
    bool hasSelection = false;  // rows selected in the view the user is in
    // The user is in the Cache tab: Delete removes from the local cache, and
    // the actions about server files are off (they would act on rows the
    // user cannot see).
    bool inCache = false;
    // Why the server would refuse an upload into the current directory / a
    // delete of the selection (its /version "access"); empty: allowed. The
    // action is then disabled and its tooltip says why.
    QString uploadRefusal;
    QString deleteRefusal;
    // The server keeps version history (its "history" extension): History…
    // is offered for a selected file.
    bool history = false;
  };
  void updateEnabled(const State& state);
  // Texts and tooltips in the current language.
  void retranslate();
  // The actions whose shortcuts work only while the file table has focus
  // (Qt::WidgetWithChildrenShortcut): add them to the table.
  QList<QAction*> fileTableActions() const;

  QAction* const uploadFiles;
  QAction* const uploadFolder;
  QAction* const uploadArchive;    // "Upload archive as folder…"
  QAction* const downloadArchive;  // "Download as archive…"
  QAction* const download;
  QAction* const open;
  QAction* const deleteFiles;  // "Delete…"
  QAction* const refresh;
  QAction* const copyName;
  QAction* const copyVersionedName;
  QAction* const properties;
  QAction* const history;  // "History…" of the selected file (HistoryDialog)
  QAction* const compareFolder;  // "Compare with local folder…" (CompareDialog)
  QAction* const settings;
  QAction* const quit;
  QAction* const about;
  QAction* const find;
  QAction* const selectAll;

 private:
  void retranslateDelete();
  void retranslateUpload();
  State state_;
};

}  // namespace ft::ui
