#include "widgets/properties_dialog.hpp"

#include <QDateTime>
#include <QDialogButtonBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QFontDatabase>
#include <QFutureWatcher>
#include <QLabel>
#include <QLocale>
#include <QPointer>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include "common/size_format.hpp"
#include "filetracker/checksum.hpp"
#include "session/profile_session.hpp"

namespace ft::ui {

PropertiesDialog::PropertiesDialog(ProfileSession* session, const RemoteFile& file, bool cached, QWidget* parent)
    : QDialog(parent), session_(session), file_(file), cached_(cached) {
  setWindowTitle(tr("Properties of %1").arg(baseNameOf(file.name)));
  auto* layout = new QVBoxLayout(this);
  auto* form = new QFormLayout();
  const auto makeLabel = [this] {
    auto* label = new QLabel(this);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
  };
  name_ = makeLabel();
  version_ = makeLabel();
  size_ = makeLabel();
  sha_ = makeLabel();
  sha_->setObjectName(QStringLiteral("sha256Label"));
  sha_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
  cachedLabel_ = makeLabel();
  form->addRow(tr("Name:"), name_);
  form->addRow(tr("Version:"), version_);
  form->addRow(tr("Size:"), size_);
  form->addRow(tr("SHA-256:"), sha_);
  form->addRow(tr("In the local cache:"), cachedLabel_);
  layout->addLayout(form);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  layout->addWidget(buttons);
  display(file_);

  if (file_.sha256.isEmpty() || !file_.hasMetadata()) {
    sha_->setText(tr("asking the server…"));
    StoreJob* job = session_->store()->stat(file_.name);
    QPointer<PropertiesDialog> self(this);
    connect(job, &StoreJob::finished, this, [this, job] {
      if (job->succeeded()) {
        RemoteFile got = job->file();
        if (got.sha256.isEmpty()) got.sha256 = file_.sha256;
        file_ = got;
        display(file_);
      }
      if (file_.sha256.isEmpty()) {
        hashCachedCopy();
      } else {
        emit complete();
      }
    });
  } else {
    QMetaObject::invokeMethod(this, &PropertiesDialog::complete, Qt::QueuedConnection);
  }
}

QString PropertiesDialog::shaText() const { return sha_->text(); }

void PropertiesDialog::display(const RemoteFile& file) {
  name_->setText(file.name);
  version_->setText(file.version < 0 ? tr("unknown")
                                     : QStringLiteral("%1 (%2)")
                                           .arg(QLocale().toString(QDateTime::fromSecsSinceEpoch(file.version), QLocale::LongFormat))
                                           .arg(file.version));
  if (file.size < 0) {
    size_->setText(tr("unknown"));
  } else if (file.size < 1024) {
    size_->setText(humanSize(file.size));
  } else {
    size_->setText(tr("%1 (%2 bytes)").arg(humanSize(file.size), QLocale().toString(file.size)));
  }
  sha_->setText(file.sha256.isEmpty() ? tr("not known") : file.sha256);
  cachedLabel_->setText(cached_ ? tr("yes") : tr("no"));
}

void PropertiesDialog::hashCachedCopy() {
  const QString path = session_->localPathOf(file_.name);
  if (!cached_ || !QFileInfo::exists(path)) {
    sha_->setText(tr("not known (the server does not send it; open the file to compute it)"));
    emit complete();
    return;
  }
  sha_->setText(tr("computing from the cached copy…"));
  auto* watcher = new QFutureWatcher<QString>(this);
  connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher] {
    watcher->deleteLater();
    sha_->setText(watcher->result());
    emit complete();
  });
  watcher->setFuture(QtConcurrent::run([path] {
    try {
      return QString::fromStdString(sha256_file(path.toStdString()));
    } catch (const std::exception& e) {
      return QString::fromStdString(e.what());
    }
  }));
}

}  // namespace ft::ui
