#include "widgets/status_fields.hpp"

#include <QLabel>
#include <QStatusBar>

#include "common/size_format.hpp"
#include "session/profile_session.hpp"
#include "transfers/transfer_journal.hpp"

namespace ft::ui {

StatusFields::StatusFields(QStatusBar* bar)
    : server_(new QLabel(bar)), protocol_(new QLabel(bar)), count_(new QLabel(bar)), cache_(new QLabel(bar)) {
  bar->addWidget(server_, 1);
  // The address and the last error can be long: the field takes what room is
  // left (the whole text in its tooltip) and never pushes the counts out.
  server_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
  server_->setMinimumWidth(80);
  for (QLabel* label : {protocol_, count_, cache_}) {
    // A sunken frame per field, drawn with the palette: separated in light and dark themes.
    label->setFrameShape(QFrame::StyledPanel);
    label->setFrameShadow(QFrame::Sunken);
    label->setContentsMargins(6, 0, 6, 0);
    bar->addPermanentWidget(label);
  }
}

QString StatusFields::text() const {
  return QStringList{server_->text(), protocol_->text(), count_->text(), cache_->text()}.join(QStringLiteral(" | "));
}

void StatusFields::update(const ProfileSession& session, const QString& lastError, const Counts& counts) {
  const StoreInfo& info = session.info();
  if (!session.store()) {
    server_->setText(lastError.isEmpty() ? tr("Not connected") : tr("Not connected — %1").arg(lastError));
  } else if (session.isRemote()) {
    // Which profile, then where it goes: with several servers the name is
    // what the user tells them apart by.
    const QString where = tr("%1: server %2", "profile: server address")
                              .arg(session.profile().name, TransferJournal::withoutUserInfo(info.location));
    server_->setText(lastError.isEmpty() ? where : tr("%1 — %2").arg(where, lastError));
  } else {
    server_->setText(tr("%1: local store %2", "profile: folder").arg(session.profile().name, info.location));
  }
  if (session.isRemote() && session.access()) server_->setText(server_->text() + QStringLiteral(" — ") + session.access()->describe());
  server_->setToolTip(server_->text());
  if (session.isRemote() && session.isReady()) {
    // The count on the bar (the list is long and would squeeze the server's
    // address), the names in the tooltip.
    protocol_->setText(info.extensions.isEmpty()
                           ? tr("Protocol v%1").arg(info.protocolVersion)
                           : tr("Protocol v%1 + %n extension(s)", "", int(info.extensions.size())).arg(info.protocolVersion));
    protocol_->setToolTip(info.extensions.join(QStringLiteral(", ")));
    protocol_->setVisible(true);
  } else {
    protocol_->setVisible(false);
  }
  const int shown = counts.shownFiles;
  const int total = counts.totalFiles;
  if (counts.filtered) {
    // Said even when nothing is hidden: an empty table must not look like an empty folder.
    count_->setText(tr("filtered: %1 of %2").arg(shown).arg(total));
  } else if (counts.folders > 0) {
    count_->setText(tr("%n folder(s)", "", counts.folders) + QStringLiteral(", ") + tr("%n file(s)", "", total - counts.folders));
  } else {
    count_->setText(tr("%n file(s)", "", total));
  }
  if (session.isRemote() && counts.cacheBytes >= 0) {
    cache_->setText(tr("Cache: %1 of %2").arg(humanSize(counts.cacheBytes), humanSize(session.profile().cacheLimit)));
    cache_->setVisible(true);
  } else {
    cache_->setVisible(false);
  }
}

}  // namespace ft::ui
