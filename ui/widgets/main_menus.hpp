// Where the main window's actions appear: the menu bar (File, Edit, View,
// Help), the main toolbar, and the context menus of the file table and the
// directory tree. Only placement and titles; the actions are MainActions'.
// A part of the window, translated in its context.
#pragma once

#include <QCoreApplication>

class QAction;
class QMainWindow;
class QMenu;
class QPoint;
class QToolBar;
class QWidget;

namespace ft::ui {

class MainActions;

class MainMenus {
  Q_DECLARE_TR_FUNCTIONS(ft::ui::MainWindow)

 public:
  // Fills `window`'s menu bar and adds the main toolbar; `showTransfers`
  // (the Transfers dock's toggle) goes into the View menu.
  MainMenus(QMainWindow* window, MainActions* actions, QAction* showTransfers);

  void retranslate();
  QToolBar* toolBar() const { return toolBar_; }
  QMenu* fileMenu() const { return fileMenu_; }
  QMenu* viewMenu() const { return viewMenu_; }

  // Runs the context menu at `globalPos` (blocks like QMenu::exec).
  // `extra` first (the search results' "Open containing folder").
  void execFileTableMenu(QWidget* parent, const QPoint& globalPos, const QList<QAction*>& extra = {});
  void execDirectoryTreeMenu(QWidget* parent, const QPoint& globalPos);

 private:
  MainActions* actions_;
  QMenu* fileMenu_;
  QMenu* editMenu_;
  QMenu* viewMenu_;
  QMenu* helpMenu_;
  QToolBar* toolBar_;
};

}  // namespace ft::ui
