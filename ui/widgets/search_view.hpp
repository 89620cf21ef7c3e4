// The Remote view's search (Edit > Find…, Ctrl+F): a glob on the name
// ("*.out", "/problems/*/tests/1*.in"), optional size and date bounds, and a
// scope (the current folder, or the whole store). Matches stream into the
// results table as the store finds them (startFind, store/store_find.hpp: the server's
// "find" pages, else the plain-v2 fallback), with a count and Cancel. The
// results table is the table the main window's actions act on while the
// search is shown (download, delete, properties, history, copy name, open);
// "Open containing folder" goes to the file's folder with it selected.
#pragma once

#include <QPointer>

#include <optional>
#include <QWidget>

#include "filetracker/find_query.hpp"

class QAction;
class QCheckBox;
class QComboBox;
class QDateTimeEdit;
class QLabel;
class QLineEdit;
class QPushButton;
class QSortFilterProxyModel;
class QToolButton;

namespace ft::ui {

class FileTableView;
class ProfileSession;
class RemoteBrowser;
class SearchResultsModel;
class StoreJob;

class SearchView : public QWidget {
  Q_OBJECT
 public:
  // More matches than this are not shown (the search stops and says so).
  static constexpr int kMaxResults = 100000;

  SearchView(ProfileSession* session, RemoteBrowser* browser, QWidget* parent = nullptr);
  ~SearchView() override;

  QLineEdit* patternEdit() const { return pattern_; }
  QComboBox* scopeBox() const { return scope_; }
  QLineEdit* minSizeEdit() const { return minSize_; }
  QLineEdit* maxSizeEdit() const { return maxSize_; }
  QCheckBox* newerCheck() const { return newerCheck_; }
  QDateTimeEdit* newerEdit() const { return newer_; }
  QCheckBox* olderCheck() const { return olderCheck_; }
  QDateTimeEdit* olderEdit() const { return older_; }
  QPushButton* searchButton() const { return start_; }
  QPushButton* cancelButton() const { return cancel_; }
  QToolButton* closeButton() const { return close_; }
  QLabel* statusLabel() const { return status_; }
  FileTableView* results() const { return results_; }
  SearchResultsModel* resultsModel() const { return model_; }
  QAction* revealAction() const { return reveal_; }
  bool isSearching() const { return job_ != nullptr; }

  // Runs the search the fields describe (Enter in the pattern, Search).
  // Bad input: a one-line message in the status label, nothing else changes.
  void start();
  void cancel();
  // Another store: no search, no results.
  void reset();
  // These names were deleted: their rows go.
  void forget(const QStringList& names);
  void retranslate();

 signals:
  // Close (Esc): back to browsing.
  void closeRequested();
  // "Open containing folder" of this file.
  void revealRequested(const QString& name);
  // A search ended (count of rows shown; cancelled or failed too).
  void searchFinished(int shown);

 protected:
  void keyPressEvent(QKeyEvent* event) override;

 private:
  // The query of the fields; nullopt and *error on bad input.
  std::optional<ft::FindQuery> query(QString* error) const;
  void updateStatus();
  void finish(StoreJob* job);

  ProfileSession* session_;
  RemoteBrowser* browser_;
  QLineEdit* pattern_;
  QComboBox* scope_;
  QLineEdit* minSize_;
  QLineEdit* maxSize_;
  QCheckBox* newerCheck_;
  QDateTimeEdit* newer_;
  QCheckBox* olderCheck_;
  QDateTimeEdit* older_;
  QPushButton* start_;
  QPushButton* cancel_;
  QToolButton* close_;
  QLabel* status_;
  QLabel* minLabel_;
  QLabel* maxLabel_;
  FileTableView* results_;
  SearchResultsModel* model_;
  QSortFilterProxyModel* proxy_;
  QAction* reveal_;
  QPointer<StoreJob> job_;
  QString where_;        // the directory searched
  QString outcome_;      // how the last search ended ("" while running)
  bool truncated_ = false;
};

}  // namespace ft::ui
