#include "widgets/certificate_dialog.hpp"

#include <QDateTime>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QVBoxLayout>

#include "store/remote_store.hpp"

namespace ft::ui {

namespace {

QString joined(const QStringList& parts) { return parts.join(QStringLiteral(", ")); }

QString nameOf(const QSslCertificate& c, bool issuer) {
  const auto get = [&](QSslCertificate::SubjectInfo what) {
    return joined(issuer ? c.issuerInfo(what) : c.subjectInfo(what));
  };
  QStringList parts;
  for (auto what : {QSslCertificate::CommonName, QSslCertificate::Organization, QSslCertificate::OrganizationalUnitName}) {
    const QString v = get(what);
    if (!v.isEmpty()) parts << v;
  }
  return parts.isEmpty() ? (issuer ? c.issuerDisplayName() : c.subjectDisplayName()) : parts.join(QStringLiteral(" / "));
}

QLabel* selectable(const QString& text, QWidget* parent) {
  auto* label = new QLabel(text, parent);
  label->setTextFormat(Qt::PlainText);
  label->setTextInteractionFlags(Qt::TextSelectableByMouse);
  label->setWordWrap(true);
  return label;
}

}  // namespace

QString CertificateDialog::formatFingerprint(const QByteArray& hex) {
  QStringList pairs;
  const QString upper = QString::fromLatin1(hex).toUpper();
  for (qsizetype i = 0; i + 1 < upper.size(); i += 2) pairs << upper.mid(i, 2);
  return pairs.join(QLatin1Char(':'));
}

CertificateDialog::CertificateDialog(const QString& server, const QSslCertificate& certificate,
                                     const QList<QSslError>& errors, const QString& pinned, QWidget* parent)
    : QDialog(parent) {
  setObjectName(QStringLiteral("certificateDialog"));
  setWindowTitle(tr("Untrusted certificate — Filetracker"));
  auto* layout = new QVBoxLayout(this);
  if (!pinned.isEmpty()) {
    auto* warning = new QLabel(
        tr("<b>Warning: the certificate of %1 has changed.</b> This profile trusts another certificate "
           "(SHA-256 %2). Someone may be pretending to be the server; accept only if you know it was replaced.")
            .arg(server.toHtmlEscaped(), formatFingerprint(pinned.toLatin1())),
        this);
    warning->setObjectName(QStringLiteral("changedWarning"));
    warning->setWordWrap(true);
    layout->addWidget(warning);
  } else {
    auto* intro = new QLabel(tr("The system does not trust the certificate of %1. Check its fingerprint with the "
                                "server's administrator before you accept it.")
                                 .arg(server.toHtmlEscaped()),
                             this);
    intro->setWordWrap(true);
    layout->addWidget(intro);
  }
  auto* form = new QFormLayout();
  const QLocale locale;
  form->addRow(tr("Subject:"), selectable(nameOf(certificate, false), this));
  form->addRow(tr("Issuer:"), selectable(nameOf(certificate, true), this));
  // Two lines of 16 bytes, in a fixed font: read and compared pair by pair.
  QString twoLines = formatFingerprint(RemoteStore::fingerprintOf(certificate));
  if (twoLines.size() > 48) twoLines.replace(47, 1, QLatin1Char('\n'));
  auto* fingerprint = selectable(twoLines, this);
  fingerprint->setWordWrap(false);
  fingerprint->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
  fingerprint->setObjectName(QStringLiteral("fingerprint"));
  form->addRow(tr("SHA-256 fingerprint:"), fingerprint);
  form->addRow(tr("Valid:"), selectable(tr("from %1 to %2")
                                            .arg(locale.toString(certificate.effectiveDate().toLocalTime(), QLocale::ShortFormat),
                                                 locale.toString(certificate.expiryDate().toLocalTime(), QLocale::ShortFormat)),
                                        this));
  QStringList problems;
  for (const QSslError& e : errors) {
    if (!problems.contains(e.errorString())) problems << e.errorString();
  }
  form->addRow(tr("Problems:"), selectable(problems.join(QLatin1Char('\n')), this));
  layout->addLayout(form);
  auto* buttons = new QDialogButtonBox(this);
  once_ = buttons->addButton(tr("Accept &once"), QDialogButtonBox::AcceptRole);
  always_ = buttons->addButton(tr("&Always"), QDialogButtonBox::AcceptRole);
  always_->setToolTip(tr("Trust this certificate for this profile from now on (its fingerprint is kept in the profile)"));
  cancel_ = buttons->addButton(QDialogButtonBox::Cancel);
  cancel_->setDefault(true);
  connect(once_, &QPushButton::clicked, this, [this] { done(AcceptedOnce); });
  connect(always_, &QPushButton::clicked, this, [this] { done(AcceptedAlways); });
  connect(cancel_, &QPushButton::clicked, this, [this] { done(Cancelled); });
  layout->addWidget(buttons);
}

}  // namespace ft::ui
