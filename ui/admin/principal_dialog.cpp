#include "admin/principal_dialog.hpp"

#include <algorithm>

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QVBoxLayout>

namespace ft::ui {

PrincipalDialog::PrincipalDialog(const PrincipalEntry& entry, bool adding, QWidget* parent) : QDialog(parent) {
  setObjectName(QStringLiteral("principalDialog"));
  setWindowTitle(adding ? tr("Add a principal") : tr("Edit %1").arg(entry.name));
  auto* layout = new QVBoxLayout(this);
  auto* form = new QFormLayout;
  name_ = new QLineEdit(entry.name, this);
  name_->setObjectName(QStringLiteral("principalName"));
  name_->setReadOnly(!adding);
  access_ = new QComboBox(this);
  access_->setObjectName(QStringLiteral("principalAccess"));
  access_->addItem(tr("read — GET and listings"), QStringLiteral("read"));
  access_->addItem(tr("write — also uploads"), QStringLiteral("write"));
  access_->addItem(tr("admin — also deletes (and, without prefixes, administration)"), QStringLiteral("admin"));
  access_->setCurrentIndex(std::max(0, access_->findData(entry.access.isEmpty() ? QStringLiteral("read") : entry.access)));
  prefixes_ = new QLineEdit(entry.prefixes.join(QStringLiteral(", ")), this);
  prefixes_->setObjectName(QStringLiteral("principalPrefixes"));
  prefixes_->setPlaceholderText(tr("/tests/, /problems/ (empty: every name)"));
  form->addRow(tr("Name:"), name_);
  form->addRow(tr("Access:"), access_);
  form->addRow(tr("Prefixes:"), prefixes_);
  layout->addLayout(form);
  if (adding) {
    auto* note = new QLabel(tr("The server generates the secret and shows it once."), this);
    note->setWordWrap(true);
    layout->addWidget(note);
  }
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
  layout->addWidget(buttons);
  connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  QPushButton* ok = buttons->button(QDialogButtonBox::Ok);
  auto update = [this, ok] { ok->setEnabled(!name_->text().trimmed().isEmpty()); };
  connect(name_, &QLineEdit::textChanged, this, update);
  update();
}

QStringList PrincipalDialog::splitPrefixes(const QString& text) {
  static const QRegularExpression kSeparators(QStringLiteral("[,\\s]+"));
  return text.split(kSeparators, Qt::SkipEmptyParts);
}

PrincipalEntry PrincipalDialog::entry() const {
  return PrincipalEntry{name_->text().trimmed(), access_->currentData().toString(), splitPrefixes(prefixes_->text())};
}

}  // namespace ft::ui
