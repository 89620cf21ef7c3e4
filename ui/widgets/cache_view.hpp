// The Cache view: what the local cache holds, its total against the limit,
// remove selected, and "clean up to limit" (the core pruning dry run shown
// first, then executed with progress and cancel). The work itself is the
// session's CacheMaintenance, off the GUI thread.
#pragma once

#include <QPointer>
#include <QWidget>

#include <functional>

#include "models/cache_table_model.hpp"
#include "session/cache_job.hpp"

class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace ft::ui {

class ProfileSession;

class CacheView : public QWidget {
  Q_OBJECT
 public:
  CacheView(ProfileSession* session, QWidget* parent = nullptr);

  CacheTableModel* model() { return &model_; }
  QTableView* view() const { return view_; }
  QPushButton* cleanUpButton() const { return cleanUp_; }
  QPushButton* removeButton() const { return remove_; }
  bool isBusy() const { return busy_; }
  // Confirms the clean-up plan; tests replace it. Receives the versioned
  // names that would go and their total size; true to go ahead.
  using PlanConfirmer = std::function<bool(const QStringList& names, qint64 bytes)>;
  void setPlanConfirmer(PlanConfirmer confirmer) { confirmer_ = std::move(confirmer); }
  // Confirms "remove selected"; tests replace it.
  using RemoveConfirmer = std::function<bool(const QStringList& names)>;
  void setRemoveConfirmer(RemoveConfirmer confirmer) { removeConfirmer_ = std::move(confirmer); }

 public slots:
  void reload();
  void removeSelected();
  // Plans the clean-up, shows the plan (unless `confirm` is false: the
  // automatic clean-up), then deletes with progress and cancel.
  void cleanUpToLimit(bool confirm = true);
  // The limit changed: the summary says so.
  void updateSummary();

 signals:
  void reloaded(qint64 totalBytes, int fileCount);
  void cacheChanged();
  // "Remove selected" has ended: `removed` files went, `errors` says why the others did not.
  void removed(int removed, const QStringList& errors);

 protected:
  void changeEvent(QEvent* event) override;

 private:
  void retranslate();
  void setBusy(bool busy, const QString& what = {});
  bool defaultPlanConfirmer(const QStringList& names, qint64 bytes);

  ProfileSession* session_;
  CacheTableModel model_;
  QSortFilterProxyModel* proxy_;
  QTableView* view_;
  QLabel* summary_;
  QLineEdit* filter_;
  QPushButton* reload_;
  QPushButton* remove_;
  QPushButton* cleanUp_;
  QPushButton* cancel_;
  QProgressBar* progress_;
  bool busy_ = false;
  bool reloadPending_ = false;  // reload() while busy: read again once done
  QPointer<CacheJob> cleaning_;  // the clean-up running, for Cancel
  PlanConfirmer confirmer_;
  RemoveConfirmer removeConfirmer_;
};

}  // namespace ft::ui
