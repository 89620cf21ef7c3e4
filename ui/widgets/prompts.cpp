#include "widgets/prompts.hpp"

#include <QMessageBox>
#include <QPushButton>

namespace ft::ui {

ConflictChoice Prompts::askUploadConflict(QWidget* parent, const QString& name) {
  QMessageBox box(QMessageBox::Question, tr("File exists"),
                  tr("%1 is already in the store. Overwrite it with the new version?").arg(name), QMessageBox::NoButton,
                  parent);
  QPushButton* overwrite = box.addButton(tr("&Overwrite"), QMessageBox::YesRole);
  QPushButton* overwriteAll = box.addButton(tr("Overwrite &all"), QMessageBox::YesRole);
  QPushButton* skip = box.addButton(tr("&Skip"), QMessageBox::NoRole);
  QPushButton* skipAll = box.addButton(tr("S&kip all"), QMessageBox::NoRole);
  box.addButton(QMessageBox::Cancel);
  box.setDefaultButton(skip);
  box.exec();
  if (box.clickedButton() == overwrite) return ConflictChoice::Overwrite;
  if (box.clickedButton() == overwriteAll) return ConflictChoice::OverwriteAll;
  if (box.clickedButton() == skip) return ConflictChoice::Skip;
  if (box.clickedButton() == skipAll) return ConflictChoice::SkipAll;
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

void Prompts::showDeleteFailures(QWidget* parent, int failed, const QStringList& errors) {
  auto* box = new QMessageBox(QMessageBox::Warning, tr("Delete files"), tr("%n file(s) could not be deleted.", "", failed),
                              QMessageBox::Ok, parent);
  box->setDetailedText(errors.join(QLatin1Char('\n')));
  box->setAttribute(Qt::WA_DeleteOnClose);
  box->open();
}

}  // namespace ft::ui
