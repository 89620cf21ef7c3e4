#include "widgets/login_dialog.hpp"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace ft::ui {

LoginDialog::LoginDialog(const QString& server, const QString& user, QWidget* parent) : QDialog(parent) {
  setObjectName(QStringLiteral("loginDialog"));
  setWindowTitle(tr("Sign in — Filetracker"));
  setMinimumWidth(420);
  auto* layout = new QVBoxLayout(this);
  auto* intro = new QLabel(tr("The server %1 asks who you are.").arg(server.toHtmlEscaped()), this);
  intro->setWordWrap(true);
  layout->addWidget(intro);
  reason_ = new QLabel(this);
  reason_->setObjectName(QStringLiteral("reason"));
  reason_->setWordWrap(true);
  reason_->setTextFormat(Qt::PlainText);
  reason_->setVisible(false);
  layout->addWidget(reason_);
  auto* form = new QFormLayout();
  user_ = new QLineEdit(user, this);
  user_->setObjectName(QStringLiteral("user"));
  secret_ = new QLineEdit(this);
  secret_->setObjectName(QStringLiteral("secret"));
  secret_->setEchoMode(QLineEdit::Password);
  form->addRow(tr("&Name:"), user_);
  form->addRow(tr("&Secret:"), secret_);
  layout->addLayout(form);
  remember_ = new QCheckBox(tr("&Remember the secret in the desktop keyring"), this);
  remember_->setObjectName(QStringLiteral("remember"));
  layout->addWidget(remember_);
  keyringNote_ = new QLabel(this);
  keyringNote_->setObjectName(QStringLiteral("keyringNote"));
  keyringNote_->setWordWrap(true);
  keyringNote_->setTextFormat(Qt::PlainText);
  keyringNote_->setVisible(false);
  layout->addWidget(keyringNote_);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
  ok_ = buttons->button(QDialogButtonBox::Ok);
  ok_->setText(tr("Sign &in"));
  connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  layout->addWidget(buttons);
  connect(user_, &QLineEdit::textChanged, this, &LoginDialog::updateOk);
  updateOk();
  (user.isEmpty() ? user_ : secret_)->setFocus();
}

void LoginDialog::setReason(const QString& reason) {
  reason_->setText(reason.isEmpty() ? QString() : tr("The server refused: %1").arg(reason));
  reason_->setVisible(!reason.isEmpty());
  secret_->clear();
  secret_->setFocus();
}

void LoginDialog::setKeyringUnavailable(const QString& error) {
  remember_->setChecked(false);
  remember_->setEnabled(false);
  keyringNote_->setText(tr("The desktop keyring is unavailable (%1): the secret is kept for this session only").arg(error));
  keyringNote_->setVisible(true);
}

void LoginDialog::updateOk() { ok_->setEnabled(!user_->text().trimmed().isEmpty()); }

QString LoginDialog::user() const { return user_->text().trimmed(); }
QString LoginDialog::secret() const { return secret_->text(); }
bool LoginDialog::remember() const { return remember_->isEnabled() && remember_->isChecked(); }

}  // namespace ft::ui
