#include "widgets/settings_dialog.hpp"

#include <QCheckBox>
#include <QDir>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QStyle>
#include <QUrl>
#include <QVBoxLayout>

#include "settings/server_url.hpp"
#include "settings/settings_keys.hpp"

namespace ft::ui {

SettingsDialog::SettingsDialog(const ConnectionProfile& current, QWidget* parent) : QDialog(parent) {
  setWindowTitle(tr("Settings and connections"));
  QSettings settings;
  ProfileSettings store(settings);
  profiles_ = store.profiles(&migrated_);
  if (profiles_.isEmpty()) profiles_ << defaultLocalProfile();

  auto* layout = new QHBoxLayout(this);
  auto* left = new QVBoxLayout();
  list_ = new QListWidget(this);
  auto* listLabel = new QLabel(tr("Connection &profiles:"), this);
  listLabel->setBuddy(list_);
  left->addWidget(listLabel);
  left->addWidget(list_);
  auto* add = new QPushButton(style()->standardIcon(QStyle::SP_FileDialogNewFolder), tr("&Add"), this);
  auto* remove = new QPushButton(style()->standardIcon(QStyle::SP_TrashIcon), tr("&Remove"), this);
  auto* row = new QHBoxLayout();
  row->addWidget(add);
  row->addWidget(remove);
  left->addLayout(row);
  layout->addLayout(left, 1);

  auto* right = new QVBoxLayout();
  auto* form = new QFormLayout();
  name_ = new QLineEdit(this);
  url_ = new QLineEdit(this);
  url_->setPlaceholderText(tr("empty: the local store, no server"));
  user_ = new QLineEdit(this);
  user_->setObjectName(QStringLiteral("userName"));
  user_->setPlaceholderText(tr("empty: anonymous until the server asks"));
  user_->setToolTip(tr("The name to sign in with; its secret is kept in the desktop keyring, never in the settings"));
  cacheDir_ = new QLineEdit(this);
  auto* browse = new QPushButton(tr("&Browse…"), this);
  auto* dirRow = new QHBoxLayout();
  dirRow->addWidget(cacheDir_, 1);
  dirRow->addWidget(browse);
  limit_ = new QSpinBox(this);
  name_->setObjectName(QStringLiteral("profileName"));
  url_->setObjectName(QStringLiteral("serverUrl"));
  cacheDir_->setObjectName(QStringLiteral("cacheDirectory"));
  limit_->setObjectName(QStringLiteral("cacheLimit"));
  limit_->setRange(1, 1 << 30);
  limit_->setSuffix(tr(" MiB"));
  form->addRow(tr("&Name:"), name_);
  form->addRow(tr("&Server URL:"), url_);
  form->addRow(tr("&User name:"), user_);
  // A row holding a layout gets no buddy from QFormLayout: the label's
  // mnemonic must lead to the field itself (no literal '&' shown).
  auto* dirLabel = new QLabel(tr("&Cache directory:"), this);
  dirLabel->setBuddy(cacheDir_);
  form->addRow(dirLabel, dirRow);
  cacheNote_ = new QLabel(this);
  cacheNote_->setObjectName(QStringLiteral("cacheNote"));
  cacheNote_->setWordWrap(true);
  form->addRow(QString(), cacheNote_);
  form->addRow(tr("Cache &limit:"), limit_);
  right->addLayout(form);
  autoCleanUp_ = new QCheckBox(tr("Clean up the cache &automatically when a download takes it over its limit"), this);
  autoCleanUp_->setObjectName(QStringLiteral("autoCleanUp"));
  autoCleanUp_->setChecked(settings_keys::kCacheAutoCleanUp.read(settings));
  right->addWidget(autoCleanUp_);
  right->addStretch(1);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
  QPushButton* connectButton = buttons->addButton(tr("&Connect"), QDialogButtonBox::AcceptRole);
  right->addWidget(buttons);
  layout->addLayout(right, 2);

  for (const ConnectionProfile& p : profiles_) list_->addItem(p.name);
  connect(list_, &QListWidget::currentRowChanged, this, [this](int r) {
    storeEdits();
    load(r);
  });
  int currentRow = 0;
  for (int i = 0; i < profiles_.size(); ++i) {
    if (profiles_[i].name == current.name) currentRow = i;
  }
  list_->setCurrentRow(currentRow);
  connect(add, &QPushButton::clicked, this, [this] {
    storeEdits();
    ConnectionProfile p;
    p.name = tr("Server %1").arg(profiles_.size() + 1);
    p.serverUrl = QStringLiteral("http://");
    p.cacheDirectory = profileCacheDirectory(p.name);
    profiles_ << p;
    list_->addItem(p.name);
    list_->setCurrentRow(int(profiles_.size()) - 1);
    url_->setFocus();
  });
  connect(remove, &QPushButton::clicked, this, [this] {
    if (row_ < 0 || profiles_.size() <= 1) return;
    const int r = row_;
    row_ = -1;
    profiles_.removeAt(r);
    delete list_->takeItem(r);
    list_->setCurrentRow(qMin(r, int(profiles_.size()) - 1));
  });
  connect(browse, &QPushButton::clicked, this, [this] {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Cache directory"), cacheDir_->text());
    if (!dir.isEmpty()) cacheDir_->setText(dir);
  });
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  connect(buttons->button(QDialogButtonBox::Save), &QPushButton::clicked, this, [this] {
    if (save()) accept();
  });
  connect(connectButton, &QPushButton::clicked, this, [this] {
    if (!save()) return;
    if (row_ >= 0) {
      chosen_ = true;
      chosenProfile_ = profiles_[row_];
    }
    accept();
  });
  // As big as the contents need (longer labels in Polish), not less than a comfortable size.
  resize(sizeHint().expandedTo(QSize(720, 360)));
}

void SettingsDialog::load(int r) {
  row_ = r;
  const bool valid = r >= 0 && r < profiles_.size();
  name_->setEnabled(valid);
  url_->setEnabled(valid);
  user_->setEnabled(valid);
  cacheDir_->setEnabled(valid);
  limit_->setEnabled(valid);
  if (!valid) return;
  const ConnectionProfile& p = profiles_[r];
  name_->setText(p.name);
  url_->setText(p.serverUrl);
  user_->setText(p.userName);
  cacheDir_->setText(p.cacheDirectory);
  limit_->setValue(int(qMax<qint64>(1, p.cacheLimit >> 20)));
  updateCacheNote();
}

// Says where a server profile's cache is and why, above all after the
// migration from one shared cache to one per profile.
void SettingsDialog::updateCacheNote() {
  const bool valid = row_ >= 0 && row_ < profiles_.size();
  cacheNote_->setVisible(valid);
  if (!valid) return;
  const ConnectionProfile& p = profiles_[row_];
  const QString shared = defaultCacheDirectory();
  if (p.isLocal()) {
    cacheNote_->setText(tr("The local store keeps its files in this folder."));
  } else if (migrated_.contains(p.name)) {
    cacheNote_->setText(tr("Each server profile now has its own cache folder: this one moved from the shared %1 "
                           "(kept by the first profile that used it) to its own; its files are fetched again when needed.")
                            .arg(shared));
  } else if (QDir::cleanPath(p.cacheDirectory) == QDir::cleanPath(shared)) {
    cacheNote_->setText(tr("This profile keeps the former shared cache %1 (it was the first to use it); other "
                           "server profiles have their own folders.")
                            .arg(shared));
  } else {
    cacheNote_->setText(tr("Each server profile has its own cache folder (empty: %1).").arg(profileCacheDirectory(p.name)));
  }
}

void SettingsDialog::storeEdits() {
  if (row_ < 0 || row_ >= profiles_.size()) return;
  ConnectionProfile& p = profiles_[row_];
  const QString oldName = p.name;
  p.name = name_->text().trimmed().isEmpty() ? p.name : name_->text().trimmed();
  // A renamed profile still on its default folder follows its new name.
  if (p.name != oldName && cacheDir_->text().trimmed() == profileCacheDirectory(oldName)) {
    cacheDir_->setText(profileCacheDirectory(p.name));
  }
  p.serverUrl = url_->text().trimmed() == QLatin1String("http://") ? QString() : url_->text().trimmed();
  p.userName = user_->text().trimmed();
  const bool local = p.serverUrl.isEmpty();
  p.cacheDirectory = !cacheDir_->text().trimmed().isEmpty() ? cacheDir_->text().trimmed()
                     : local                                 ? defaultCacheDirectory()
                                                             : profileCacheDirectory(p.name);
  p.cacheLimit = qint64(limit_->value()) << 20;
  if (QListWidgetItem* item = list_->item(row_)) item->setText(p.name);
}

bool SettingsDialog::save() {
  storeEdits();
  for (int i = 0; i < profiles_.size(); ++i) {
    ConnectionProfile& p = profiles_[i];
    if (p.isLocal()) continue;
    QString error;
    const QString url = normalizedServerUrl(p.serverUrl, &error);
    if (url.isEmpty()) {
      list_->setCurrentRow(i);
      url_->setFocus();
      QMessageBox::warning(this, tr("Settings and connections"), tr("%1: %2").arg(p.name, error));
      return false;
    }
    p.serverUrl = url;
  }
  QSettings settings;
  ProfileSettings store(settings);
  store.setProfiles(profiles_);
  store.setFirstRunDone(true);
  settings_keys::kCacheAutoCleanUp.write(settings, autoCleanUp_->isChecked());
  return true;
}

}  // namespace ft::ui
