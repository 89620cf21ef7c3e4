#include "widgets/first_run_dialog.hpp"

#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QUrl>
#include <QVBoxLayout>

#include "settings/server_url.hpp"

namespace ft::ui {

FirstRunDialog::FirstRunDialog(QWidget* parent) : QDialog(parent) {
  setWindowTitle(tr("Welcome to Filetracker"));
  auto* layout = new QVBoxLayout(this);
  auto* intro = new QLabel(tr("<p>No server is configured. Filetracker works right away on the <b>local store</b> "
                              "in %1 (the stand-alone client).</p>"
                              "<p>To browse a filetracker server instead, enter its address:</p>")
                               .arg(defaultCacheDirectory().toHtmlEscaped()),
                           this);
  intro->setWordWrap(true);
  layout->addWidget(intro);
  url_ = new QLineEdit(this);
  url_->setPlaceholderText(QStringLiteral("http://filetracker.example:9999"));
  layout->addWidget(url_);
  auto* buttons = new QDialogButtonBox(this);
  QPushButton* connectButton = buttons->addButton(tr("&Connect to the server"), QDialogButtonBox::AcceptRole);
  QPushButton* local = buttons->addButton(tr("Use the &local store"), QDialogButtonBox::RejectRole);
  connectButton->setEnabled(false);
  connect(url_, &QLineEdit::textChanged, this, [connectButton](const QString& text) {
    connectButton->setEnabled(!normalizedServerUrl(text).isEmpty());
  });
  connect(connectButton, &QPushButton::clicked, this, [this] {
    connect_ = true;
    accept();
  });
  connect(local, &QPushButton::clicked, this, &QDialog::reject);
  layout->addWidget(buttons);
  setMinimumWidth(520);
  // Exactly as tall as the text needs: no stretched gaps around the label.
  resize(520, heightForWidth(520) > 0 ? heightForWidth(520) : sizeHint().height());
}

ConnectionProfile FirstRunDialog::profile() const {
  if (!connect_) return defaultLocalProfile();
  ConnectionProfile p;
  p.serverUrl = normalizedServerUrl(url_->text());
  p.name = QUrl(p.serverUrl).host();
  p.cacheDirectory = defaultCacheDirectory();
  return p;
}

}  // namespace ft::ui
