#include "widgets/main_menus.hpp"

#include <QMainWindow>
#include <QMenu>
#include <QMenuBar>
#include <QToolBar>

#include "widgets/main_actions.hpp"

namespace ft::ui {

MainMenus::MainMenus(QMainWindow* window, MainActions* actions, QAction* showTransfers)
    : actions_(actions) {
  MainActions& a = *actions;
  fileMenu_ = window->menuBar()->addMenu(QString());
  fileMenu_->addActions({a.uploadFiles, a.uploadFolder, a.uploadArchive, a.download, a.downloadArchive, a.open});
  fileMenu_->addSeparator();
  fileMenu_->addActions({a.properties, a.history});
  fileMenu_->addSeparator();
  fileMenu_->addAction(a.compareFolder);
  fileMenu_->addSeparator();
  fileMenu_->addAction(a.settings);
  fileMenu_->addSeparator();
  fileMenu_->addAction(a.quit);

  editMenu_ = window->menuBar()->addMenu(QString());
  editMenu_->addActions({a.copyName, a.copyVersionedName});
  editMenu_->addSeparator();
  editMenu_->addActions({a.selectAll, a.find});
  editMenu_->addSeparator();
  editMenu_->addAction(a.deleteFiles);

  viewMenu_ = window->menuBar()->addMenu(QString());
  viewMenu_->addAction(a.refresh);
  viewMenu_->addSeparator();
  viewMenu_->addAction(showTransfers);

  helpMenu_ = window->menuBar()->addMenu(QString());
  helpMenu_->addAction(a.about);

  toolBar_ = window->addToolBar(QString());
  toolBar_->setObjectName(QStringLiteral("mainToolBar"));  // the key of its place in QMainWindow::saveState
  toolBar_->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
  toolBar_->setMovable(false);
  toolBar_->addActions({a.uploadFiles, a.uploadFolder, a.download, a.open});
  toolBar_->addSeparator();
  toolBar_->addAction(a.deleteFiles);
  toolBar_->addSeparator();
  toolBar_->addActions({a.refresh, a.properties});
  toolBar_->addSeparator();
  toolBar_->addAction(a.settings);
}

void MainMenus::retranslate() {
  fileMenu_->setTitle(tr("&File"));
  editMenu_->setTitle(tr("&Edit"));
  viewMenu_->setTitle(tr("&View"));
  helpMenu_->setTitle(tr("&Help"));
  toolBar_->setWindowTitle(tr("Main toolbar"));
}

void MainMenus::execFileTableMenu(QWidget* parent, const QPoint& globalPos, const QList<QAction*>& extra) {
  const MainActions& a = *actions_;
  QMenu menu(parent);
  if (!extra.isEmpty()) {
    menu.addActions(extra);
    menu.addSeparator();
  }
  menu.addActions({a.open, a.download, a.downloadArchive});
  menu.addSeparator();
  menu.addActions({a.copyName, a.copyVersionedName});
  menu.addSeparator();
  menu.addActions({a.uploadFiles, a.uploadFolder, a.uploadArchive});
  menu.addSeparator();
  menu.addAction(a.deleteFiles);
  menu.addSeparator();
  menu.addActions({a.properties, a.history});
  menu.addAction(a.compareFolder);
  menu.exec(globalPos);
}

void MainMenus::execDirectoryTreeMenu(QWidget* parent, const QPoint& globalPos) {
  const MainActions& a = *actions_;
  QMenu menu(parent);
  menu.addActions({a.uploadFiles, a.uploadFolder, a.uploadArchive});
  menu.addSeparator();
  menu.addAction(a.compareFolder);
  menu.addSeparator();
  menu.addAction(a.refresh);
  menu.exec(globalPos);
}

}  // namespace ft::ui
