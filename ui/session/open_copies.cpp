#include "session/open_copies.hpp"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>

namespace ft::ui {

namespace {

struct CopyResult {
  QStringList copies;
  QString error;
};

// Copies `source` to `target` in chunks (so a cancel stops a big file
// quickly); removes a partial target on failure. Returns an error or "".
QString copyOne(const QString& source, const QString& target, OpenCopies::Mode mode, const std::atomic<bool>& cancelled) {
  QFile in(source);
  if (!in.open(QIODevice::ReadOnly)) {
    return QCoreApplication::translate("ft::ui::OpenCopies", "Cannot read %1: %2").arg(source, in.errorString());
  }
  QFile out(target);
  if (!out.open(QIODevice::WriteOnly | QIODevice::NewOnly)) {
    return QCoreApplication::translate("ft::ui::OpenCopies", "Cannot create %1: %2").arg(target, out.errorString());
  }
  QString error;
  QByteArray chunk(1 << 20, Qt::Uninitialized);
  for (;;) {
    if (cancelled.load()) {
      error = QCoreApplication::translate("ft::ui::OpenCopies", "cancelled");
      break;
    }
    const qint64 n = in.read(chunk.data(), chunk.size());
    if (n < 0) {
      error = QCoreApplication::translate("ft::ui::OpenCopies", "Cannot read %1: %2").arg(source, in.errorString());
      break;
    }
    if (n == 0) break;
    if (out.write(chunk.constData(), n) != n) {
      error = QCoreApplication::translate("ft::ui::OpenCopies", "Cannot write %1: %2").arg(target, out.errorString());
      break;
    }
  }
  if (error.isEmpty() && !out.flush()) {
    error = QCoreApplication::translate("ft::ui::OpenCopies", "Cannot write %1: %2").arg(target, out.errorString());
  }
  if (!error.isEmpty()) {
    out.remove();
    return error;
  }
  // The store keeps the version as the mtime; the copy shows the same date.
  out.setFileTime(QFileInfo(source).lastModified(), QFileDevice::FileModificationTime);
  out.close();
  if (mode == OpenCopies::Mode::Writable) {
    // The drop target may open it in place or copy it, mode and all: the
    // user's file must be editable, whatever the umask left out.
    const QFileDevice::Permissions owner = QFileDevice::ReadOwner | QFileDevice::WriteOwner;
    if ((out.permissions() & owner) != owner && !out.setPermissions(out.permissions() | owner)) {
      out.remove();
      return QCoreApplication::translate("ft::ui::OpenCopies", "Cannot make %1 writable: %2").arg(target, out.errorString());
    }
    return QString();
  }
  if (!out.setPermissions(QFileDevice::ReadOwner | QFileDevice::ReadGroup | QFileDevice::ReadOther)) {
    out.remove();
    return QCoreApplication::translate("ft::ui::OpenCopies", "Cannot make %1 read-only: %2").arg(target, out.errorString());
  }
  return QString();
}

}  // namespace

OpenCopies::OpenCopies(QObject* parent) : QObject(parent) {
  pool_.setMaxThreadCount(1);  // one disk, one copy at a time
}

OpenCopies::~OpenCopies() {
  cancelled_->store(true);
  pool_.waitForDone();
}

void OpenCopies::copy(const QStringList& sources, Done done, Mode mode) {
  if (!dir_) {
    // Empty when TMPDIR names no existing folder: never fall back to "/".
    const QString base = QStandardPaths::writableLocation(QStandardPaths::TempLocation);
    if (base.isEmpty()) {
      done(QStringList(), tr("No temporary folder for the copy to open (is TMPDIR an existing folder?)"));
      return;
    }
    dir_ = std::make_unique<QTemporaryDir>(base + QStringLiteral("/filetracker-open-XXXXXX"));
    if (!dir_->isValid()) {
      const QString error = tr("Cannot create a temporary folder in %1: %2").arg(base, dir_->errorString());
      dir_.reset();
      done(QStringList(), error);
      return;
    }
  }
  // One sub-folder per file: equal base names from different directories,
  // or a newer version of a file still open in an editor, never collide.
  QStringList targets;
  for (const QString& source : sources) {
    const QString subfolder = dir_->filePath(QString::number(++nextSubfolder_));
    targets << subfolder + QLatin1Char('/') + QFileInfo(source).fileName();
  }
  // `this` outlives the task: the destructor waits for the pool.
  pool_.start([this, sources, targets, mode, cancelled = cancelled_, done = std::move(done)] {
    CopyResult result;
    for (qsizetype i = 0; i < sources.size() && result.error.isEmpty(); ++i) {
      if (!QDir().mkpath(QFileInfo(targets[i]).absolutePath())) {
        result.error = QCoreApplication::translate("ft::ui::OpenCopies", "Cannot create %1").arg(QFileInfo(targets[i]).absolutePath());
        break;
      }
      result.error = copyOne(sources[i], targets[i], mode, *cancelled);
      if (result.error.isEmpty()) result.copies << targets[i];
    }
    if (!result.error.isEmpty()) {
      for (const QString& copy : std::as_const(result.copies)) {
        QFile::setPermissions(copy, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        QFile::remove(copy);
      }
      result.copies.clear();
    }
    // Back on the GUI thread; Qt drops the call if the object is destroyed
    // before it runs.
    QMetaObject::invokeMethod(this, [result, done] { done(result.copies, result.error); }, Qt::QueuedConnection);
  });
}

}  // namespace ft::ui
