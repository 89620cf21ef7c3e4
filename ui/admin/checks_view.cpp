#include "admin/checks_view.hpp"

#include <algorithm>
#include <climits>

#include <QCheckBox>
#include <QDateTime>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

#include "session/profile_session.hpp"
#include "store/remote_store.hpp"

namespace ft::ui {

ChecksView::ChecksView(ProfileSession* session, QWidget* parent) : QWidget(parent), session_(session) {
  setObjectName(QStringLiteral("checksView"));
  auto* layout = new QVBoxLayout(this);
  auto* controls = new QHBoxLayout;
  start_ = new QPushButton(this);
  start_->setObjectName(QStringLiteral("checkStart"));
  // (Repairs are refused on a live server: they run offline, --check --repair.)
  content_ = new QCheckBox(this);
  content_->setObjectName(QStringLiteral("checkContent"));
  content_->setChecked(true);
  cancel_ = new QPushButton(this);
  cancel_->setObjectName(QStringLiteral("checkCancel"));
  controls->addWidget(start_);
  controls->addWidget(content_);
  controls->addWidget(cancel_);
  controls->addStretch();
  layout->addLayout(controls);
  stateLabel_ = new QLabel(this);
  stateLabel_->setObjectName(QStringLiteral("checkState"));
  layout->addWidget(stateLabel_);
  progress_ = new QProgressBar(this);
  progress_->setObjectName(QStringLiteral("checkProgress"));
  layout->addWidget(progress_);
  summary_ = new QLabel(this);
  summary_->setObjectName(QStringLiteral("checkSummary"));
  summary_->setWordWrap(true);
  summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  layout->addWidget(summary_);
  problems_ = new QTableWidget(0, 3, this);
  problems_->setObjectName(QStringLiteral("checkProblems"));
  problems_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  problems_->setSelectionBehavior(QAbstractItemView::SelectRows);
  problems_->verticalHeader()->hide();
  problems_->horizontalHeader()->setSectionResizeMode(2, QHeaderView::Stretch);
  layout->addWidget(problems_, 1);

  pollTimer_.setInterval(1000);
  connect(&pollTimer_, &QTimer::timeout, this, &ChecksView::poll);
  connect(start_, &QPushButton::clicked, this, &ChecksView::start);
  connect(cancel_, &QPushButton::clicked, this, &ChecksView::cancel);
  retranslate();
  updateButtons();
}

void ChecksView::retranslate() {
  start_->setText(tr("Start check"));
  start_->setToolTip(tr("Verify the index against the blobs on the server, as filetracker-server --check does; "
                        "the server keeps serving meanwhile"));
  content_->setText(tr("Verify content (decode every blob)"));
  content_->setToolTip(tr("Finds corrupted blobs too, but reads every blob; off: only checks that the blobs exist. "
                          "Repairs run offline: stop the server and run filetracker-server --check --repair"));
  cancel_->setText(tr("Cancel"));
  problems_->setHorizontalHeaderLabels({tr("Kind"), tr("Name"), tr("Detail")});
  if (state_.isEmpty()) stateLabel_->setText(tr("No check has run since the server started."));
}

void ChecksView::changeEvent(QEvent* event) {
  if (event->type() == QEvent::LanguageChange) retranslate();
  QWidget::changeEvent(event);
}

void ChecksView::showEvent(QShowEvent* event) {
  QWidget::showEvent(event);
  poll();
}

void ChecksView::hideEvent(QHideEvent* event) {
  QWidget::hideEvent(event);
  pollTimer_.stop();
}

void ChecksView::showError(const QString& text) {
  summary_->setText(text);
  summary_->setStyleSheet(QStringLiteral("color: #cf222e;"));
}

void ChecksView::poll() {
  auto* store = qobject_cast<RemoteStore*>(session_->store());
  if (!store || pollJob_) return;
  StoreJob* job = store->exchange("GET", QStringLiteral("/admin/check"));
  pollJob_ = job;
  connect(job, &StoreJob::finished, this, [this, job] {
    if (job->wasCancelled()) return;
    if (!job->succeeded()) {
      pollTimer_.stop();
      showError(job->errorString());
      return;
    }
    showState(job->body());
  });
}

void ChecksView::start() {
  auto* store = qobject_cast<RemoteStore*>(session_->store());
  if (!store || busy_) return;
  busy_ = true;
  updateButtons();
  const QJsonObject body{{QStringLiteral("content"), content_->isChecked()}};
  StoreJob* job = store->exchange("POST", QStringLiteral("/admin/check"), QJsonDocument(body).toJson(QJsonDocument::Compact));
  connect(job, &StoreJob::finished, this, [this, job] {
    busy_ = false;
    if (job->wasCancelled()) return;
    if (!job->succeeded()) showError(job->errorString());
    else showState(job->body());
    poll();
  });
}

void ChecksView::cancel() {
  auto* store = qobject_cast<RemoteStore*>(session_->store());
  if (!store || busy_) return;
  busy_ = true;
  updateButtons();
  StoreJob* job = store->exchange("DELETE", QStringLiteral("/admin/check"));
  connect(job, &StoreJob::finished, this, [this, job] {
    busy_ = false;
    if (job->wasCancelled()) return;
    if (!job->succeeded()) showError(job->errorString());
    poll();
  });
}

void ChecksView::showState(const QByteArray& json) {
  const QJsonObject o = QJsonDocument::fromJson(json).object();
  const QString state = o.value(QStringLiteral("state")).toString();
  if (state.isEmpty()) return;  // (the 202 of a start may carry only the state)
  state_ = state;
  const qint64 checked = o.value(QStringLiteral("checked")).toInteger();
  const qint64 total = o.value(QStringLiteral("total")).toInteger();
  const auto when = [&o](const char* key) {
    const QJsonValue v = o.value(QLatin1String(key));
    return v.isDouble() ? QDateTime::fromSecsSinceEpoch(v.toInteger()).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"))
                        : QString();
  };
  QString text;
  if (state == QLatin1String("idle")) text = tr("No check has run since the server started.");
  else if (state == QLatin1String("running")) text = tr("Running since %1: %2 of %3 checked").arg(when("started")).arg(checked).arg(total);
  else if (state == QLatin1String("done")) text = tr("Done at %1: %2 checked").arg(when("finished")).arg(checked);
  if (o.value(QStringLiteral("content")).isBool() && state != QLatin1String("idle"))
    text += QStringLiteral(" · ") + (o.value(QStringLiteral("content")).toBool() ? tr("content verified") : tr("existence only"));
  else if (state == QLatin1String("cancelled")) text = tr("Cancelled at %1 after %2 of %3").arg(when("finished")).arg(checked).arg(total);
  else if (state == QLatin1String("failed")) text = tr("Failed at %1").arg(when("finished"));
  else text = state;
  stateLabel_->setText(text);
  progress_->setRange(0, total > 0 ? int(std::min<qint64>(total, INT_MAX)) : (state == QLatin1String("running") ? 0 : 1));
  progress_->setValue(total > 0 ? int(std::min(checked, total)) : (state == QLatin1String("running") ? 0 : 1));
  summary_->setStyleSheet(QString());
  summary_->setText(o.value(QStringLiteral("summary")).toString());
  const QJsonArray problems = o.value(QStringLiteral("problems")).toArray();
  problems_->setRowCount(int(problems.size()));
  for (int i = 0; i < problems.size(); ++i) {
    const QJsonObject p = problems[i].toObject();
    problems_->setItem(i, 0, new QTableWidgetItem(p.value(QStringLiteral("kind")).toString()));
    problems_->setItem(i, 1, new QTableWidgetItem(p.value(QStringLiteral("name")).toString()));
    problems_->setItem(i, 2, new QTableWidgetItem(p.value(QStringLiteral("detail")).toString()));
  }
  problems_->resizeColumnToContents(0);
  problems_->resizeColumnToContents(1);
  if (o.value(QStringLiteral("problems_truncated")).toBool())
    summary_->setText(summary_->text() + QLatin1Char(' ') + tr("(only the first %n problem(s) are listed)", "", int(problems.size())));
  if (state == QLatin1String("running") && isVisible()) pollTimer_.start();
  else pollTimer_.stop();
  updateButtons();
  emit stateRead(state);
}

void ChecksView::updateButtons() {
  const bool running = state_ == QLatin1String("running");
  start_->setEnabled(!busy_ && !running);
  content_->setEnabled(!busy_ && !running);
  cancel_->setEnabled(!busy_ && running);
}

}  // namespace ft::ui
