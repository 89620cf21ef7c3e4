#include "widgets/prompts.hpp"

#include <QCheckBox>
#include <QDateTime>
#include <QFileInfo>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>

#include "common/size_format.hpp"
#include "store/store_types.hpp"
#include "transfers/archive_task.hpp"

namespace ft::ui {

namespace {

QString sizeText(qint64 bytes) { return bytes < 0 ? Prompts::tr("size unknown") : humanSize(bytes); }

QString dateText(qint64 secs) {
  if (secs < 0) return Prompts::tr("date unknown");
  return QLocale().toString(QDateTime::fromSecsSinceEpoch(secs), QLocale::ShortFormat);
}

}  // namespace

ConflictChoice Prompts::askConflict(QWidget* parent, const ConflictDetails& c) {
  const bool upload = c.direction == ConflictDetails::Direction::Upload;
  const QString question = upload ? tr("%1 is already in the store. Overwrite it with a new version from your file?").arg(c.name)
                                  : tr("%1 already exists in the folder. Overwrite it with the file from the store?")
                                        .arg(QFileInfo(c.localPath).fileName());
  QMessageBox box(QMessageBox::Question, tr("File exists"), question, QMessageBox::NoButton, parent);
  const QString local = tr("Your file: %1, modified %2").arg(sizeText(c.localSize), dateText(c.localModified));
  const QString remote = tr("In the store: %1, version of %2").arg(sizeText(c.remoteSize), dateText(c.remoteVersion));
  // Plain text, one line per side, the file that would be replaced last.
  box.setInformativeText(upload ? remote + QLatin1Char('\n') + local + QStringLiteral("\n\n") + c.localPath
                                : local + QLatin1Char('\n') + remote + QStringLiteral("\n\n") + c.localPath);
  QPushButton* overwrite = box.addButton(tr("&Overwrite"), QMessageBox::AcceptRole);
  QPushButton* keepBoth = upload ? nullptr : box.addButton(tr("&Keep both"), QMessageBox::AcceptRole);
  QPushButton* skip = box.addButton(tr("&Skip"), QMessageBox::RejectRole);
  box.addButton(QMessageBox::Cancel);
  auto* all = c.remaining > 1 ? new QCheckBox(tr("Do the same for the other %n conflict(s)", "", c.remaining - 1)) : nullptr;
  if (all) box.setCheckBox(all);
  box.setDefaultButton(skip);
  box.exec();
  const bool forAll = all && all->isChecked();
  if (box.clickedButton() == overwrite) return forAll ? ConflictChoice::OverwriteAll : ConflictChoice::Overwrite;
  if (keepBoth && box.clickedButton() == keepBoth) return forAll ? ConflictChoice::KeepBothAll : ConflictChoice::KeepBoth;
  if (box.clickedButton() == skip) return forAll ? ConflictChoice::SkipAll : ConflictChoice::Skip;
  return ConflictChoice::Cancel;
}

bool Prompts::confirmDelete(QWidget* parent, const QStringList& names, const QString& location) {
  QString list = names.mid(0, 20).join(QLatin1Char('\n'));
  if (names.size() > 20) list += QStringLiteral("\n") + tr("…and %n more", "", int(names.size() - 20));
  QMessageBox box(QMessageBox::Warning, tr("Delete files"),
                  tr("Delete %n file(s) from %1? This cannot be undone.", "", int(names.size())).arg(location),
                  QMessageBox::Cancel, parent);
  box.setInformativeText(list);
  QPushButton* del = box.addButton(tr("&Delete"), QMessageBox::DestructiveRole);
  box.setDefaultButton(QMessageBox::Cancel);
  box.exec();
  return box.clickedButton() == del;
}

bool Prompts::confirmFolderDelete(QWidget* parent, const FolderDeletion& d) {
  const QString what = d.folders.size() == 1 ? d.folders.first() : tr("%n folder(s)", "", int(d.folders.size()));
  const QString amount = d.bytes < 0 ? tr("%n file(s)", "", d.fileCount) : tr("%n file(s), %1", "", d.fileCount).arg(humanSize(d.bytes));
  QMessageBox box(QMessageBox::Warning, tr("Delete folder"),
                  tr("Delete %1 with everything in it (%2) from %3? This cannot be undone.").arg(what, amount, d.location),
                  QMessageBox::Cancel, parent);
  if (d.folders.size() > 1) box.setInformativeText(d.folders.mid(0, 20).join(QLatin1Char('\n')));
  QPushButton* del = box.addButton(tr("&Delete folder"), QMessageBox::DestructiveRole);
  box.setDefaultButton(QMessageBox::Cancel);
  box.setEscapeButton(QMessageBox::Cancel);
  box.exec();
  return box.clickedButton() == del;
}

bool Prompts::offerCacheCleanUp(QWidget* parent, qint64 total, qint64 limit) {
  QMessageBox box(QMessageBox::Warning, tr("Cache over its limit"),
                  tr("The local cache holds %1, over its limit of %2. Clean it up now?").arg(humanSize(total), humanSize(limit)),
                  QMessageBox::NoButton, parent);
  box.setInformativeText(tr("The oldest versions are deleted first; you see the list before anything goes. "
                            "Settings can make this automatic."));
  QPushButton* clean = box.addButton(tr("&Clean up…"), QMessageBox::AcceptRole);
  QPushButton* later = box.addButton(tr("&Not now"), QMessageBox::RejectRole);
  box.setDefaultButton(clean);
  box.setEscapeButton(later);
  box.exec();
  return box.clickedButton() == clean;
}

Prompts::QuitChoice Prompts::confirmQuitDuringTransfers(QWidget* parent, int pending) {
  QMessageBox box(QMessageBox::Warning, tr("Transfers in progress"),
                  tr("%n transfer(s) have not finished. They can resume the next time Filetracker starts, or be "
                     "cancelled now.",
                     "", pending),
                  QMessageBox::NoButton, parent);
  QPushButton* keep = box.addButton(tr("&Keep running"), QMessageBox::RejectRole);
  QPushButton* later = box.addButton(tr("Quit, &resume them next time"), QMessageBox::AcceptRole);
  QPushButton* quit = box.addButton(tr("Cancel transfers and &quit"), QMessageBox::DestructiveRole);
  box.setDefaultButton(keep);
  box.setEscapeButton(keep);
  box.exec();
  if (box.clickedButton() == quit) return QuitChoice::CancelAndQuit;
  if (box.clickedButton() == later) return QuitChoice::ResumeLater;
  return QuitChoice::KeepRunning;
}

void Prompts::showDeleteFailures(QWidget* parent, int failed, const QStringList& errors) {
  auto* box = new QMessageBox(QMessageBox::Warning, tr("Delete files"), tr("%n file(s) could not be deleted.", "", failed),
                              QMessageBox::Ok, parent);
  box->setDetailedText(errors.join(QLatin1Char('\n')));
  box->setAttribute(Qt::WA_DeleteOnClose);
  box->open();
}

ArchiveDropChoice Prompts::askArchiveDrop(QWidget* parent, const QStringList& archives, const QString& directory,
                                          bool* remember) {
  const QString what = archives.size() == 1 ? QFileInfo(archives.first()).fileName()
                                            : tr("%n archive(s)", "", int(archives.size()));
  QMessageBox box(QMessageBox::Question, tr("Archive dropped"),
                  tr("Upload %1 into %2 as it is, or unpack it into a folder there?").arg(what, directory),
                  QMessageBox::NoButton, parent);
  box.setObjectName(QStringLiteral("archiveDropPrompt"));
  QStringList folders;
  for (const QString& a : archives) folders << joinName(directory, archiveBaseName(a));
  box.setInformativeText(tr("Unpacking stores every file of the archive under %1, keeping its folders.")
                             .arg(folders.mid(0, 5).join(QStringLiteral(", "))));
  QPushButton* file = box.addButton(tr("&Upload the archive file"), QMessageBox::AcceptRole);
  QPushButton* unpack = box.addButton(tr("Un&pack into a folder"), QMessageBox::AcceptRole);
  box.addButton(QMessageBox::Cancel);
  auto* keep = new QCheckBox(tr("&Remember until I quit"));
  box.setCheckBox(keep);
  box.setDefaultButton(file);
  box.exec();
  if (remember) *remember = keep->isChecked();
  if (box.clickedButton() == file) return ArchiveDropChoice::UploadFile;
  if (box.clickedButton() == unpack) return ArchiveDropChoice::Unpack;
  return ArchiveDropChoice::Cancel;
}

QMessageBox* Prompts::showArchiveRefusal(QWidget* parent, const QString& archive, const QString& directory,
                                         const QStringList& entries) {
  QString list = entries.mid(0, 20).join(QLatin1Char('\n'));
  if (entries.size() > 20) list += QStringLiteral("\n") + tr("…and %n more", "", int(entries.size() - 20));
  auto* box = new QMessageBox(QMessageBox::Warning, tr("Archive refused"),
                              tr("%1 was not unpacked into %2: %n of its entries are not allowed, so nothing was stored.",
                                 "", int(entries.size()))
                                  .arg(QFileInfo(archive).fileName(), directory),
                              QMessageBox::Ok, parent);
  box->setObjectName(QStringLiteral("archiveRefusal"));
  box->setInformativeText(list);
  box->setAttribute(Qt::WA_DeleteOnClose);
  box->open();
  return box;
}

}  // namespace ft::ui
