#include "dashboard/server_dashboard.hpp"

#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QEvent>
#include <QFileDialog>
#include <QFormLayout>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineSeries>
#include <QPixmap>
#include <QPushButton>
#include <QSaveFile>
#include <QTableWidget>
#include <QValueAxis>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

#include "common/size_format.hpp"
#include "session/profile_session.hpp"
#include "store/remote_store.hpp"

namespace ft::ui {
namespace {

constexpr int kHealthEveryTicks = 5;    // /health and /version: every 5 s
constexpr int kFoldersEveryTicks = 60;  // the largest folders: every minute
constexpr int kTopFolders = 10;

const int kWindows[] = {60, 5 * 60, 15 * 60, 3600, 6 * 3600};

QLineSeries* line(QObject* parent) {
  auto* s = new QLineSeries(parent);
  return s;
}

// A point's value on each series, in series() order; none: no latency to
// draw (no request answered in that second), which is not 0.
QList<std::optional<double>> seriesValues(const DashboardPoint& p) {
  QList<std::optional<double>> values(p.requestsPerSecond.begin(), p.requestsPerSecond.end());
  values << p.bytesInPerSecond << p.bytesOutPerSecond << p.clientErrorsPerSecond << p.serverErrorsPerSecond;
  values << (p.p50Seconds ? std::optional<double>(*p.p50Seconds * 1000) : std::nullopt)
         << (p.p99Seconds ? std::optional<double>(*p.p99Seconds * 1000) : std::nullopt);
  return values;
}

}  // namespace

ServerDashboard::ServerDashboard(ProfileSession* session, QWidget* parent) : QWidget(parent), session_(session) {
  setObjectName(QStringLiteral("serverDashboard"));
  auto* layout = new QVBoxLayout(this);

  auto* form = new QFormLayout;
  auto addRow = [this, form](QLabel** field, const char* name) {
    *field = new QLabel(this);
    (*field)->setObjectName(QLatin1String(name));
    (*field)->setTextInteractionFlags(Qt::TextSelectableByMouse);
    (*field)->setWordWrap(true);
    auto* label = new QLabel(this);
    formLabels_ << label;
    form->addRow(label, *field);
  };
  addRow(&server_, "dashboardServer");
  addRow(&health_, "dashboardHealth");
  addRow(&access_, "dashboardAccess");
  addRow(&extensions_, "dashboardExtensions");
  addRow(&files_, "dashboardFiles");
  addRow(&bytes_, "dashboardBytes");
  addRow(&uploads_, "dashboardUploads");
  layout->addLayout(form);
  notice_ = new QLabel(this);
  notice_->setObjectName(QStringLiteral("dashboardNotice"));
  notice_->setWordWrap(true);
  layout->addWidget(notice_);

  auto* controls = new QHBoxLayout;
  pause_ = new QPushButton(this);
  pause_->setObjectName(QStringLiteral("dashboardPause"));
  pause_->setCheckable(true);
  window_ = new QComboBox(this);
  window_->setObjectName(QStringLiteral("dashboardWindow"));
  for (int seconds : kWindows) window_->addItem(QString(), seconds);
  window_->setCurrentIndex(1);
  csv_ = new QPushButton(this);
  csv_->setObjectName(QStringLiteral("dashboardCsv"));
  png_ = new QPushButton(this);
  png_->setObjectName(QStringLiteral("dashboardPng"));
  controls->addWidget(pause_);
  controls->addWidget(window_);
  controls->addStretch();
  controls->addWidget(csv_);
  controls->addWidget(png_);
  layout->addLayout(controls);

  charts_ = new QWidget(this);
  auto* grid = new QGridLayout(charts_);
  grid->setContentsMargins(0, 0, 0, 0);
  const int methods = int(MetricsHistory::methods().size());
  for (int i = 0; i < methods + 6; ++i) series_ << line(this);
  QChart* chart = nullptr;
  grid->addWidget(makeChart(&chart, series_.mid(0, methods)), 0, 0);
  grid->addWidget(makeChart(&chart, series_.mid(methods, 2)), 0, 1);
  grid->addWidget(makeChart(&chart, series_.mid(methods + 2, 2)), 1, 0);
  grid->addWidget(makeChart(&chart, series_.mid(methods + 4, 2)), 1, 1);
  valueAxes_[1]->setLabelFormat(QStringLiteral("%.0f"));  // bytes/s: 50000, not 5e+04
  layout->addWidget(charts_, 1);

  foldersTitle_ = new QLabel(this);
  layout->addWidget(foldersTitle_);
  folders_ = new QTableWidget(0, 3, this);
  folders_->setObjectName(QStringLiteral("dashboardFolders"));
  folders_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  folders_->verticalHeader()->hide();
  folders_->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
  folders_->setMaximumHeight(160);
  layout->addWidget(folders_);
  foldersNote_ = new QLabel(this);
  foldersNote_->setObjectName(QStringLiteral("dashboardFoldersNote"));
  layout->addWidget(foldersNote_);

  timer_.setInterval(1000);
  connect(&timer_, &QTimer::timeout, this, &ServerDashboard::tick);
  connect(pause_, &QPushButton::toggled, this, [this](bool) { updateTimer(); retranslate(); });
  connect(window_, &QComboBox::currentIndexChanged, this, [this] { rebuildSeries(); });
  connect(csv_, &QPushButton::clicked, this, [this] {
    const QString path = chooseSave(QStringLiteral("filetracker-metrics.csv"));
    if (!path.isEmpty()) exportCsv(path);
  });
  connect(png_, &QPushButton::clicked, this, [this] {
    const QString path = chooseSave(QStringLiteral("filetracker-metrics.png"));
    if (!path.isEmpty()) exportPng(path);
  });
  connect(session_, &ProfileSession::storeChanged, this, &ServerDashboard::restart);
  connect(session_, &ProfileSession::ready, this, &ServerDashboard::restart);
  connect(session_, &ProfileSession::accessChanged, this, &ServerDashboard::restart);
  retranslate();
}

ServerDashboard::~ServerDashboard() {
  for (StoreJob* job : {metricsJob_.data(), healthJob_.data(), foldersJob_.data()})
    if (job) job->cancel();
}

QChartView* ServerDashboard::makeChart(QChart** chart, const QList<QLineSeries*>& lines) {
  *chart = new QChart;
  (*chart)->legend()->setAlignment(Qt::AlignBottom);
  (*chart)->setMargins(QMargins(4, 4, 4, 4));
  auto* time = new QDateTimeAxis(*chart);
  time->setFormat(QStringLiteral("HH:mm:ss"));
  time->setTickCount(4);
  auto* value = new QValueAxis(*chart);
  value->setMin(0);
  value->setLabelFormat(QStringLiteral("%.4g"));
  (*chart)->addAxis(time, Qt::AlignBottom);
  (*chart)->addAxis(value, Qt::AlignLeft);
  for (QLineSeries* s : lines) {
    (*chart)->addSeries(s);
    s->attachAxis(time);
    s->attachAxis(value);
  }
  chartList_ << *chart;
  timeAxes_ << time;
  valueAxes_ << value;
  auto* view = new QChartView(*chart, charts_);
  view->setRenderHint(QPainter::Antialiasing);
  view->setMinimumSize(280, 180);
  return view;
}

void ServerDashboard::retranslate() {
  const QStringList rows{tr("Server:"), tr("Health:"), tr("Signed in:"), tr("Extensions:"),
                         tr("Files stored:"), tr("Bytes stored:"), tr("Uploads in flight:")};
  for (int i = 0; i < formLabels_.size(); ++i) formLabels_[i]->setText(rows[i]);
  pause_->setText(pause_->isChecked() ? tr("Resume") : tr("Pause"));
  pause_->setToolTip(tr("Stop sampling /metrics; the charts keep what they show"));
  const QStringList windows{tr("Last minute"), tr("Last 5 minutes"), tr("Last 15 minutes"), tr("Last hour"),
                            tr("Last 6 hours")};
  for (int i = 0; i < window_->count(); ++i) window_->setItemText(i, windows[i]);
  csv_->setText(tr("Export CSV…"));
  png_->setText(tr("Export PNG…"));
  const QStringList titles{tr("Requests/s by method"), tr("Bytes/s"), tr("Errors/s"), tr("Latency (ms)")};
  for (int i = 0; i < chartList_.size(); ++i) chartList_[i]->setTitle(titles[i]);
  const int methods = int(MetricsHistory::methods().size());
  for (int i = 0; i < methods; ++i) {
    const QString m = MetricsHistory::methods()[i];
    series_[i]->setName(m == QLatin1String("other") ? tr("other") : m);
  }
  series_[methods]->setName(tr("in"));
  series_[methods + 1]->setName(tr("out"));
  series_[methods + 2]->setName(tr("4xx (refused)"));
  series_[methods + 3]->setName(tr("5xx (failed)"));
  series_[methods + 4]->setName(tr("p50"));
  series_[methods + 5]->setName(tr("p99"));
  foldersTitle_->setText(tr("Largest folders"));
  folders_->setHorizontalHeaderLabels({tr("Folder"), tr("Files"), tr("Size")});
  updateGauges();
}

void ServerDashboard::changeEvent(QEvent* event) {
  if (event->type() == QEvent::LanguageChange) retranslate();
  QWidget::changeEvent(event);
}

RemoteStore* ServerDashboard::store() const { return qobject_cast<RemoteStore*>(session_->store()); }

// /metrics is an unrestricted admin's (the server says 401/403 otherwise):
// asked only when /version's access allows it, so a reader is never
// prompted to sign in once a second.
bool ServerDashboard::mayReadMetrics() const {
  const auto& access = session_->access();
  if (!access) return true;  // the server did not say: it decides
  return access->level == StoreAccess::Level::Admin && access->prefixes.isEmpty();
}

void ServerDashboard::restart() {
  for (StoreJob* job : {metricsJob_.data(), healthJob_.data(), foldersJob_.data()})
    if (job) job->cancel();
  history_.clear();
  metricsError_.clear();
  for (QLineSeries* s : series_) s->clear();
  folders_->setRowCount(0);
  health_->clear();
  ticks_ = 0;
  updateGauges();
  updateTimer();
  if (timer_.isActive()) tick();
}

void ServerDashboard::updateTimer() {
  const bool on = isVisible() && !pause_->isChecked() && store() && session_->isReady();
  if (on && !timer_.isActive()) {
    timer_.start();
    tick();
  } else if (!on) {
    timer_.stop();
  }
}

void ServerDashboard::setPaused(bool paused) { pause_->setChecked(paused); }
bool ServerDashboard::isPaused() const { return pause_->isChecked(); }

void ServerDashboard::setWindowSeconds(int seconds) {
  const int i = window_->findData(seconds);
  if (i >= 0) window_->setCurrentIndex(i);
}

int ServerDashboard::windowSeconds() const { return window_->currentData().toInt(); }

void ServerDashboard::showEvent(QShowEvent* event) {
  QWidget::showEvent(event);
  updateTimer();
}

void ServerDashboard::hideEvent(QHideEvent* event) {
  QWidget::hideEvent(event);
  timer_.stop();
}

void ServerDashboard::tick() {
  if (ticks_ % kHealthEveryTicks == 0) fetchHealth();
  if (ticks_ % kFoldersEveryTicks == 0) fetchFolders();
  ++ticks_;
  if (mayReadMetrics()) fetchMetrics();
  else updateGauges();
}

void ServerDashboard::fetchMetrics() {
  RemoteStore* remote = store();
  if (!remote || metricsJob_) return;  // one scrape at a time: a slow server is not piled on
  StoreJob* job = remote->exchange("GET", QStringLiteral("/metrics"));
  metricsJob_ = job;
  connect(job, &StoreJob::finished, this, [this, job] {
    if (job->wasCancelled()) return;
    if (!job->succeeded()) {
      metricsError_ = job->errorString();
      updateGauges();
      return;
    }
    metricsError_.clear();
    std::vector<prometheus::Sample> samples;
    try {
      samples = prometheus::parse_text(std::string_view(job->body().constData(), size_t(job->body().size())));
    } catch (const std::exception& e) {
      metricsError_ = tr("/metrics: %1").arg(QString::fromUtf8(e.what()));
      updateGauges();
      return;
    }
    if (history_.add(QDateTime::currentMSecsSinceEpoch(), samples)) appendPoint(history_.points().back());
    updateGauges();
    emit sampled();
  });
}

void ServerDashboard::fetchHealth() {
  RemoteStore* remote = store();
  if (!remote || healthJob_) return;
  StoreJob* job = remote->exchange("GET", QStringLiteral("/health"));
  healthJob_ = job;
  connect(job, &StoreJob::finished, this, [this, job] {
    if (job->wasCancelled()) return;
    if (job->succeeded()) {
      health_->setText(tr("healthy (%1)").arg(QString::fromUtf8(job->body()).trimmed()));
      health_->setStyleSheet(QStringLiteral("color: #1a7f37; font-weight: bold;"));
    } else {
      health_->setText(tr("unhealthy: %1").arg(job->errorString()));
      health_->setStyleSheet(QStringLiteral("color: #cf222e; font-weight: bold;"));
    }
  });
}

void ServerDashboard::fetchFolders() {
  RemoteStore* remote = store();
  if (!remote || foldersJob_) return;
  if (!session_->info().has(QStringLiteral("du"))) {
    folders_->setRowCount(0);
    folders_->hide();
    foldersTitle_->hide();
    foldersNote_->setText(tr("Largest folders: not offered by this server (extension \"du\")"));
    return;
  }
  StoreJob* job = remote->exchange("GET", QStringLiteral("/du/?top=%1").arg(kTopFolders));
  foldersJob_ = job;
  connect(job, &StoreJob::finished, this, [this, job] {
    if (job->wasCancelled()) return;
    if (!job->succeeded()) {
      folders_->hide();
      foldersTitle_->hide();
      foldersNote_->setText(tr("Largest folders: %1").arg(job->errorString()));
      return;
    }
    const QJsonArray list = QJsonDocument::fromJson(job->body()).object().value(QStringLiteral("folders")).toArray();
    folders_->setRowCount(int(list.size()));
    for (int i = 0; i < list.size(); ++i) {
      const QJsonObject f = list[i].toObject();
      folders_->setItem(i, 0, new QTableWidgetItem(f.value(QStringLiteral("path")).toString()));
      auto* count = new QTableWidgetItem(QString::number(f.value(QStringLiteral("files")).toInteger()));
      count->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
      folders_->setItem(i, 1, count);
      auto* size = new QTableWidgetItem(humanSize(f.value(QStringLiteral("bytes")).toInteger()));
      size->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
      folders_->setItem(i, 2, size);
    }
    folders_->show();
    foldersTitle_->show();
    foldersNote_->setText(list.isEmpty() ? tr("Largest folders: the server stores no files") : QString());
  });
}

void ServerDashboard::appendPoint(const DashboardPoint& p) {
  const qreal x = qreal(p.msecs);
  const QList<std::optional<double>> values = seriesValues(p);
  for (int i = 0; i < series_.size(); ++i)
    if (values[i]) series_[i]->append(x, *values[i]);
  // Drop what has left the window.
  const qreal oldest = x - windowSeconds() * 1000.0;
  for (QLineSeries* s : series_) {
    int n = 0;
    while (n < s->count() && s->at(n).x() < oldest) ++n;
    if (n > 0) s->removePoints(0, n);
  }
  updateAxes();
}

void ServerDashboard::rebuildSeries() {
  const qint64 newest = history_.points().empty() ? QDateTime::currentMSecsSinceEpoch() : history_.points().back().msecs;
  const qint64 oldest = newest - qint64(windowSeconds()) * 1000;
  QList<QList<QPointF>> lines(series_.size());
  for (const DashboardPoint& p : history_.points()) {
    if (p.msecs < oldest) continue;
    const QList<std::optional<double>> values = seriesValues(p);
    for (int i = 0; i < series_.size(); ++i)
      if (values[i]) lines[i] << QPointF(qreal(p.msecs), *values[i]);
  }
  for (int i = 0; i < series_.size(); ++i) series_[i]->replace(lines[i]);
  updateAxes();
}

void ServerDashboard::updateAxes() {
  const qint64 newest = history_.points().empty() ? QDateTime::currentMSecsSinceEpoch() : history_.points().back().msecs;
  const QDateTime to = QDateTime::fromMSecsSinceEpoch(newest);
  const QDateTime from = to.addSecs(-windowSeconds());
  for (QDateTimeAxis* axis : timeAxes_) {
    axis->setRange(from, to);
    axis->setFormat(windowSeconds() > 3600 ? QStringLiteral("HH:mm") : QStringLiteral("HH:mm:ss"));
  }
  for (int c = 0; c < chartList_.size(); ++c) {
    double top = 0;
    for (QAbstractSeries* s : chartList_[c]->series()) {
      const auto* line = static_cast<QLineSeries*>(s);
      for (int i = 0; i < line->count(); ++i) top = std::max(top, line->at(i).y());
    }
    valueAxes_[c]->setRange(0, top > 0 ? top * 1.1 : 1.0);
    valueAxes_[c]->applyNiceNumbers();  // round ticks: 0, 20000, 40000, not 1.78e+04
    valueAxes_[c]->setMin(0);
  }
}

void ServerDashboard::updateGauges() {
  RemoteStore* remote = store();
  const QString program = session_->info().server;
  server_->setText(!remote             ? tr("the local store (no server)")
                   : program.isEmpty() ? remote->location()
                                       //: %1 the server's URL, %2 the program and version it names
                                       : tr("%1 (%2)").arg(remote->location(), program));
  access_->setText(session_->access() ? session_->access()->describe() : tr("the server does not say"));
  const QStringList ext = session_->info().extensions;
  extensions_->setText(remote ? tr("protocol %1; %2").arg(session_->info().protocolVersion)
                                    .arg(ext.isEmpty() ? tr("none (a plain server)") : ext.join(QStringLiteral(", ")))
                              : QString());
  const DashboardGauges& g = history_.gauges();
  const QString unknown = tr("—");
  files_->setText(g.files >= 0 ? QString::number(g.files) : unknown);
  bytes_->setText(g.bytes >= 0 ? humanSize(g.bytes) : unknown);
  uploads_->setText(g.uploadsInFlight >= 0 ? QString::number(g.uploadsInFlight) : unknown);
  QString notice;
  if (!remote) notice = tr("The local store has no server to watch: open a server profile.");
  else if (!mayReadMetrics()) notice = tr("Traffic, storage figures and charts need an unrestricted admin: /metrics is refused to %1.")
                                             .arg(session_->access()->describe());
  else if (!metricsError_.isEmpty()) notice = tr("Cannot read the metrics: %1").arg(metricsError_);
  else if (pause_->isChecked()) notice = tr("Paused: the charts keep what they show.");
  notice_->setText(notice);
  notice_->setVisible(!notice.isEmpty());
  const bool charts = remote && mayReadMetrics();
  charts_->setEnabled(charts);
  csv_->setEnabled(charts);
  png_->setEnabled(charts);
  pause_->setEnabled(charts);
}

QString ServerDashboard::chooseSave(const QString& suggested) {
  if (saveChooser_) return saveChooser_(suggested);
  return QFileDialog::getSaveFileName(this, tr("Export"), suggested);
}

bool ServerDashboard::exportCsv(const QString& path) {
  const qint64 newest = history_.points().empty() ? 0 : history_.points().back().msecs;
  QSaveFile file(path);
  if (!file.open(QIODevice::WriteOnly) || file.write(history_.toCsv(newest - qint64(windowSeconds()) * 1000)) < 0 ||
      !file.commit()) {
    emit message(tr("Cannot write %1: %2").arg(path, file.errorString()));
    return false;
  }
  emit message(tr("Wrote %1").arg(path));
  return true;
}

bool ServerDashboard::exportPng(const QString& path) {
  const QPixmap pixmap = charts_->grab();
  QSaveFile file(path);
  if (!file.open(QIODevice::WriteOnly) || !pixmap.save(&file, "PNG") || !file.commit()) {
    emit message(tr("Cannot write %1: %2").arg(path, file.errorString()));
    return false;
  }
  emit message(tr("Wrote %1").arg(path));
  return true;
}

}  // namespace ft::ui
