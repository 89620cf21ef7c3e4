// What the GUI suites on the real main window share: a real server per test,
// the window connected to it, and the little steps every test takes (open a
// profile, wait for a listing, select rows, answer the next modal dialog).
#pragma once

#include <QAbstractButton>
#include <QApplication>
#include <QDialog>
#include <QMessageBox>
#include <QPushButton>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <functional>
#include <memory>
#include <sstream>

#include "filetracker/remote_data_store.hpp"
#include "models/file_table_model.hpp"
#include "test_server.hpp"
#include "widgets/main_window.hpp"

namespace test {

// Runs `answer` on the next modal dialog as soon as it is shown (polling the
// event loop the dialog's exec() runs); `answered` tells whether it ran.
inline void answerNextModal(std::function<void(QWidget* dialog)> answer, bool* answered = nullptr) {
  auto* timer = new QTimer(qApp);
  timer->setInterval(20);
  auto deadline = std::make_shared<int>(0);
  QObject::connect(timer, &QTimer::timeout, qApp, [timer, answer, answered, deadline] {
    if (++*deadline > 1500) {  // 30 s: give up, the test fails on what it checks
      timer->deleteLater();
      return;
    }
    QWidget* modal = QApplication::activeModalWidget();
    if (!modal || !modal->isVisible()) return;
    timer->stop();
    timer->deleteLater();
    if (answered) *answered = true;
    answer(modal);
  });
  timer->start();
}

// The button of `box` whose text (without '&') is `text`.
inline QAbstractButton* buttonLabelled(QMessageBox* box, const QString& text) {
  for (QAbstractButton* b : box->buttons()) {
    if (b->text().remove(QLatin1Char('&')) == text) return b;
  }
  return nullptr;
}

class WindowFixture {
 public:
  std::unique_ptr<QTemporaryDir> work;
  std::unique_ptr<TestServer> server;
  std::unique_ptr<ft::ui::MainWindow> window;
  int profiles = 0;

  QString local(const QString& relative) const { return work->filePath(relative); }
  std::unique_ptr<ft::DataStore> curl(const QString& url = {}) const {
    return ft::make_remote_data_store((url.isEmpty() ? server->url() : url).toStdString());
  }
  void put(const std::string& name, const std::string& content, const QString& url = {}) const {
    std::istringstream in(content);
    curl(url)->add_stream(name, in);
  }

  ft::ui::ConnectionProfile profileFor(const QString& url, const QString& cacheDir = {}) {
    ft::ui::ConnectionProfile p;
    p.name = QStringLiteral("test");
    p.serverUrl = url;
    p.cacheDirectory = cacheDir.isEmpty() ? local(QStringLiteral("cache-%1").arg(++profiles)) : cacheDir;
    p.cacheLimit = 1 << 20;
    return p;
  }
  // Opens the profile and waits for the root listing.
  bool open(const ft::ui::ConnectionProfile& profile) {
    window->openProfile(profile, false);
    if (!QTest::qWaitFor([&] { return window->session()->isReady(); }, 10000)) return false;
    return waitForDirectory(QStringLiteral("/"));
  }
  bool waitForDirectory(const QString& dir, int ms = 30000) {
    return QTest::qWaitFor(
        [&] { return !window->browser()->isLoading() && window->browser()->fileModel()->directory() == dir; }, ms);
  }
  bool goTo(const QString& dir) {
    window->browser()->navigate(dir);
    return waitForDirectory(dir);
  }
  // The names on the table's rows, in view order.
  QStringList rowNames() const {
    QStringList names;
    auto* proxy = window->browser()->proxyModel();
    for (int r = 0; r < proxy->rowCount(); ++r) {
      names << proxy->index(r, 0).data(ft::ui::FileTableModel::FullNameRole).toString();
    }
    return names;
  }
  QModelIndex rowOf(const QString& name) const {
    auto* proxy = window->browser()->proxyModel();
    for (int r = 0; r < proxy->rowCount(); ++r) {
      const QModelIndex index = proxy->index(r, 0);
      if (index.data(ft::ui::FileTableModel::FullNameRole).toString() == name) return index;
    }
    return {};
  }
  bool select(const QStringList& names) {
    auto* selection = window->fileView()->selectionModel();
    selection->clearSelection();
    for (const QString& n : names) {
      const QModelIndex index = rowOf(n);
      if (!index.isValid()) return false;
      selection->select(index, QItemSelectionModel::Select | QItemSelectionModel::Rows);
      selection->setCurrentIndex(index, QItemSelectionModel::NoUpdate);
    }
    return true;
  }
};

}  // namespace test
