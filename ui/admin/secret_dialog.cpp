#include "admin/secret_dialog.hpp"

#include <QApplication>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace ft::ui {

SecretDialog::SecretDialog(const QString& name, const QString& token, QWidget* parent) : QDialog(parent) {
  setObjectName(QStringLiteral("secretDialog"));
  setWindowTitle(tr("New secret of %1").arg(name));
  auto* layout = new QVBoxLayout(this);
  auto* intro = new QLabel(tr("Give %1 this token (FILETRACKER_TOKEN, or user %1 with the part after the dot as the password):")
                               .arg(name),
                           this);
  intro->setWordWrap(true);
  layout->addWidget(intro);
  auto* row = new QHBoxLayout;
  token_ = new QLineEdit(token, this);
  token_->setObjectName(QStringLiteral("secretToken"));
  token_->setReadOnly(true);
  token_->setMinimumWidth(360);
  token_->selectAll();
  auto* copy = new QPushButton(tr("Copy"), this);
  copy->setObjectName(QStringLiteral("secretCopy"));
  row->addWidget(token_, 1);
  row->addWidget(copy);
  layout->addLayout(row);
  auto* warning = new QLabel(tr("<b>This is the only time the secret is shown.</b> The server keeps only its hash: "
                                "if it is lost, reset it."),
                             this);
  warning->setWordWrap(true);
  layout->addWidget(warning);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
  layout->addWidget(buttons);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::accept);
  connect(copy, &QPushButton::clicked, this, [this, copy] {
    QApplication::clipboard()->setText(token_->text());
    copy->setText(tr("Copied"));
  });
}

QString SecretDialog::token() const { return token_->text(); }

}  // namespace ft::ui
