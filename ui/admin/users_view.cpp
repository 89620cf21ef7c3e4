#include "admin/users_view.hpp"

#include <algorithm>

#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QTableWidget>
#include <QUrl>
#include <QVBoxLayout>

#include "admin/principal_dialog.hpp"
#include "admin/secret_dialog.hpp"
#include "session/profile_session.hpp"
#include "store/remote_store.hpp"

namespace ft::ui {
namespace {

QString principalTarget(const QString& name) {
  return QStringLiteral("/admin/principals/") + QString::fromLatin1(QUrl::toPercentEncoding(name));
}

}  // namespace

UsersView::UsersView(ProfileSession* session, QWidget* parent) : QWidget(parent), session_(session) {
  setObjectName(QStringLiteral("usersView"));
  auto* layout = new QVBoxLayout(this);
  table_ = new QTableWidget(0, 3, this);
  table_->setObjectName(QStringLiteral("principalsTable"));
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->setSelectionMode(QAbstractItemView::SingleSelection);
  table_->verticalHeader()->hide();
  table_->horizontalHeader()->setSectionResizeMode(2, QHeaderView::Stretch);
  layout->addWidget(table_, 1);
  status_ = new QLabel(this);
  status_->setObjectName(QStringLiteral("usersStatus"));
  status_->setWordWrap(true);
  status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  layout->addWidget(status_);
  auto* buttons = new QHBoxLayout;
  add_ = new QPushButton(this);
  add_->setObjectName(QStringLiteral("usersAdd"));
  edit_ = new QPushButton(this);
  edit_->setObjectName(QStringLiteral("usersEdit"));
  remove_ = new QPushButton(this);
  remove_->setObjectName(QStringLiteral("usersRemove"));
  reset_ = new QPushButton(this);
  reset_->setObjectName(QStringLiteral("usersResetSecret"));
  refresh_ = new QPushButton(this);
  refresh_->setObjectName(QStringLiteral("usersRefresh"));
  for (QPushButton* b : {add_, edit_, remove_, reset_}) buttons->addWidget(b);
  buttons->addStretch();
  buttons->addWidget(refresh_);
  layout->addLayout(buttons);
  connect(add_, &QPushButton::clicked, this, &UsersView::addPrincipal);
  connect(edit_, &QPushButton::clicked, this, &UsersView::editSelected);
  connect(remove_, &QPushButton::clicked, this, &UsersView::removeSelected);
  connect(reset_, &QPushButton::clicked, this, &UsersView::resetSelected);
  connect(refresh_, &QPushButton::clicked, this, &UsersView::reload);
  connect(table_, &QTableWidget::itemSelectionChanged, this, &UsersView::updateButtons);
  connect(table_, &QTableWidget::cellDoubleClicked, this, &UsersView::editSelected);
  retranslate();
  updateButtons();
}

void UsersView::retranslate() {
  table_->setHorizontalHeaderLabels({tr("Name"), tr("Access"), tr("Prefixes")});
  add_->setText(tr("Add…"));
  edit_->setText(tr("Edit…"));
  remove_->setText(tr("Remove…"));
  reset_->setText(tr("Reset secret…"));
  refresh_->setText(tr("Refresh"));
}

void UsersView::changeEvent(QEvent* event) {
  if (event->type() == QEvent::LanguageChange) retranslate();
  QWidget::changeEvent(event);
}

void UsersView::showStatus(const QString& text, bool error) {
  status_->setText(text);
  status_->setStyleSheet(error ? QStringLiteral("color: #cf222e;") : QString());
}

void UsersView::reload() {
  auto* store = qobject_cast<RemoteStore*>(session_->store());
  if (!store) return;
  if (listJob_) listJob_->cancel();
  StoreJob* job = store->exchange("GET", QStringLiteral("/admin/principals"));
  listJob_ = job;
  connect(job, &StoreJob::finished, this, [this, job] {
    if (job->wasCancelled()) return;
    if (!job->succeeded()) {
      showStatus(job->errorString(), true);
      return;
    }
    const QJsonObject answer = QJsonDocument::fromJson(job->body()).object();
    you_ = answer.value(QStringLiteral("you")).toString();
    principals_.clear();
    for (const QJsonValue& v : answer.value(QStringLiteral("principals")).toArray()) {
      const QJsonObject p = v.toObject();
      PrincipalEntry entry{p.value(QStringLiteral("name")).toString(), p.value(QStringLiteral("access")).toString(), {}};
      for (const QJsonValue& prefix : p.value(QStringLiteral("prefixes")).toArray()) entry.prefixes << prefix.toString();
      principals_ << entry;
    }
    const QString keep = selected() ? selected()->name : QString();
    table_->setRowCount(int(principals_.size()));
    for (int i = 0; i < principals_.size(); ++i) {
      const PrincipalEntry& p = principals_[i];
      auto* name = new QTableWidgetItem(p.name == you_ ? tr("%1 (you)").arg(p.name) : p.name);
      name->setData(Qt::UserRole, p.name);
      table_->setItem(i, 0, name);
      table_->setItem(i, 1, new QTableWidgetItem(p.access));
      table_->setItem(i, 2, new QTableWidgetItem(p.prefixes.isEmpty() ? tr("every name") : p.prefixes.join(QStringLiteral(", "))));
      if (p.name == keep) table_->selectRow(i);
    }
    table_->resizeColumnToContents(0);
    table_->resizeColumnToContents(1);
    updateButtons();
    emit loaded();
  });
}

std::optional<PrincipalEntry> UsersView::selected() const {
  const QList<QTableWidgetItem*> items = table_->selectedItems();
  if (items.isEmpty()) return std::nullopt;
  const int row = items.first()->row();
  if (row < 0 || row >= principals_.size()) return std::nullopt;
  return principals_[row];
}

void UsersView::updateButtons() {
  const auto s = selected();
  edit_->setEnabled(s.has_value());
  reset_->setEnabled(s.has_value());
  remove_->setEnabled(s.has_value() && s->name != you_);
  remove_->setToolTip(s && s->name == you_ ? tr("You cannot remove yourself") : QString());
}

std::optional<PrincipalEntry> UsersView::edit(const PrincipalEntry& entry, bool adding) {
  if (editor_) return editor_(entry, adding);
  PrincipalDialog dialog(entry, adding, this);
  if (dialog.exec() != QDialog::Accepted) return std::nullopt;
  return dialog.entry();
}

bool UsersView::confirm(const QString& question) {
  if (confirmer_) return confirmer_(question);
  return QMessageBox::question(this, tr("Users and access"), question) == QMessageBox::Yes;
}

void UsersView::present(const QString& name, const QString& token) {
  if (presenter_) return presenter_(name, token);
  SecretDialog dialog(name, token, this);
  dialog.exec();
}

void UsersView::addPrincipal() {
  const auto entry = edit(PrincipalEntry{{}, QStringLiteral("read"), {}}, true);
  if (!entry) return;
  if (std::any_of(principals_.begin(), principals_.end(), [&](const PrincipalEntry& p) { return p.name == entry->name; })) {
    showStatus(tr("%1 exists already: edit it instead").arg(entry->name), true);
    return;
  }
  put(*entry, false);
}

void UsersView::editSelected() {
  const auto current = selected();
  if (!current) return;
  const auto entry = edit(*current, false);
  if (!entry || *entry == *current) return;
  put(*entry, false);
}

void UsersView::resetSelected() {
  const auto current = selected();
  if (!current) return;
  if (!confirm(tr("Reset the secret of %1? The old one stops working at once.").arg(current->name))) return;
  put(*current, true);
}

void UsersView::put(const PrincipalEntry& entry, bool resetSecret) {
  auto* store = qobject_cast<RemoteStore*>(session_->store());
  if (!store) return;
  QJsonObject body{{QStringLiteral("access"), entry.access},
                   {QStringLiteral("prefixes"), QJsonArray::fromStringList(entry.prefixes)},
                   {QStringLiteral("reset_secret"), resetSecret}};
  StoreJob* job = store->exchange("PUT", principalTarget(entry.name), QJsonDocument(body).toJson(QJsonDocument::Compact));
  connect(job, &StoreJob::finished, this, [this, job, entry, resetSecret] {
    if (job->wasCancelled()) return;
    if (!job->succeeded()) {
      showStatus(job->errorString(), true);
      emit changed(false, job->errorString());
      return;
    }
    const QJsonObject answer = QJsonDocument::fromJson(job->body()).object();
    const bool created = answer.value(QStringLiteral("created")).toBool();
    const QString message = created ? tr("Added %1 (%2)").arg(entry.name, entry.access)
                            : resetSecret ? tr("Reset the secret of %1").arg(entry.name)
                                          : tr("Changed %1 (%2)").arg(entry.name, entry.access);
    showStatus(message, false);
    reload();
    emit changed(true, message);
    const QString token = answer.value(QStringLiteral("token")).toString();
    if (!token.isEmpty()) present(entry.name, token);
  });
}

void UsersView::removeSelected() {
  const auto current = selected();
  if (!current) return;
  if (!confirm(tr("Remove %1? Their requests are refused at once.").arg(current->name))) return;
  auto* store = qobject_cast<RemoteStore*>(session_->store());
  if (!store) return;
  const QString name = current->name;
  StoreJob* job = store->exchange("DELETE", principalTarget(name));
  connect(job, &StoreJob::finished, this, [this, job, name] {
    if (job->wasCancelled()) return;
    if (!job->succeeded()) {
      showStatus(job->errorString(), true);
      emit changed(false, job->errorString());
      return;
    }
    const QString message = tr("Removed %1").arg(name);
    showStatus(message, false);
    reload();
    emit changed(true, message);
  });
}

}  // namespace ft::ui
