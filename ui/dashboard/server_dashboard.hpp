// The Server dashboard tab (issue 20): the server's health (and its
// engines' reason when it is not healthy), protocol versions, extensions and
// who we are signed in as; files and bytes stored, uploads in flight; and
// charts of requests/s by method, bytes/s in and out, errors/s and p50/p99
// latency, from /metrics sampled once a second while the tab is visible
// (never while hidden or paused). /metrics is for unrestricted admins: for
// anyone else the tab shows what it can and says so. Every request goes
// through the session's RemoteStore, asynchronously.
#pragma once

#include <QPointer>
#include <QTimer>
#include <QWidget>

#include <functional>

#include "dashboard/metrics_history.hpp"

class QChart;
class QChartView;
class QComboBox;
class QLabel;
class QLineSeries;
class QPushButton;
class QTableWidget;
class QValueAxis;
class QDateTimeAxis;

namespace ft::ui {

class ProfileSession;
class RemoteStore;
class StoreJob;

class ServerDashboard : public QWidget {
  Q_OBJECT
 public:
  explicit ServerDashboard(ProfileSession* session, QWidget* parent = nullptr);
  ~ServerDashboard() override;

  void retranslate();
  // Pauses (or resumes) sampling; the charts keep what they show.
  void setPaused(bool paused);
  bool isPaused() const;
  bool isSampling() const { return timer_.isActive(); }
  // The time window the charts show, in seconds.
  void setWindowSeconds(int seconds);
  int windowSeconds() const;
  const MetricsHistory& history() const { return history_; }
  // The series of the charts (tests read them): requests/s by method, then
  // bytes in, bytes out, 4xx, 5xx, p50, p99.
  QList<QLineSeries*> series() const { return series_; }
  // Writes the points in the window as CSV / the charts as PNG; false and
  // a status message when it cannot.
  bool exportCsv(const QString& path);
  bool exportPng(const QString& path);
  // Replaces the save dialogs of the export buttons (tests).
  void setSaveChooser(std::function<QString(const QString& suggested)> chooser) { saveChooser_ = std::move(chooser); }
  QLabel* healthLabel() const { return health_; }
  QLabel* noticeLabel() const { return notice_; }
  QTableWidget* foldersTable() const { return folders_; }
  QPushButton* pauseButton() const { return pause_; }

 signals:
  void sampled();    // a /metrics scrape was read
  void message(const QString& text);

 protected:
  void showEvent(QShowEvent* event) override;
  void hideEvent(QHideEvent* event) override;
  void changeEvent(QEvent* event) override;

 private:
  RemoteStore* store() const;
  bool mayReadMetrics() const;
  void restart();
  void updateTimer();
  void tick();
  void fetchMetrics();
  void fetchHealth();
  void fetchFolders();
  void appendPoint(const DashboardPoint& point);
  void rebuildSeries();
  void updateAxes();
  void updateGauges();
  QChartView* makeChart(QChart** chart, const QList<QLineSeries*>& lines);
  QString chooseSave(const QString& suggested);

  ProfileSession* session_;
  MetricsHistory history_;
  QTimer timer_;
  int ticks_ = 0;
  QPointer<StoreJob> metricsJob_;
  QPointer<StoreJob> healthJob_;
  QPointer<StoreJob> foldersJob_;
  QString metricsError_;

  QLabel* server_;
  QLabel* health_;
  QLabel* extensions_;
  QLabel* access_;
  QLabel* files_;
  QLabel* bytes_;
  QLabel* uploads_;
  QLabel* notice_;
  QPushButton* pause_;
  QComboBox* window_;
  QPushButton* csv_;
  QPushButton* png_;
  QWidget* charts_;
  QList<QChart*> chartList_;
  QList<QLineSeries*> series_;
  QList<QDateTimeAxis*> timeAxes_;
  QList<QValueAxis*> valueAxes_;
  QLabel* foldersTitle_;
  QTableWidget* folders_;
  QLabel* foldersNote_;
  QList<QLabel*> formLabels_;
  std::function<QString(const QString&)> saveChooser_;
};

}  // namespace ft::ui
