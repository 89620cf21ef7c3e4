#include "widgets/path_completer.hpp"

#include <QLineEdit>

#include "session/profile_session.hpp"
#include "store/store_backend.hpp"

namespace ft::ui {

PathCompleter::PathCompleter(ProfileSession* session, QLineEdit* edit)
    : QCompleter(edit), session_(session), edit_(edit), model_(new QStringListModel(this)) {
  setModel(model_);
  setCaseSensitivity(Qt::CaseSensitive);
  setCompletionMode(QCompleter::PopupCompletion);
  edit->setCompleter(this);
  connect(edit, &QLineEdit::textEdited, this, &PathCompleter::onEdited);
}

void PathCompleter::reset() {
  if (job_) job_->cancel();
  folder_.clear();
  model_->setStringList({});
}

void PathCompleter::onEdited(const QString& text) {
  if (!text.startsWith(QLatin1Char('/'))) return;
  const qsizetype slash = text.lastIndexOf(QLatin1Char('/'));
  const QString folder = slash == 0 ? QStringLiteral("/") : text.left(slash);
  StoreBackend* store = session_->store();
  if (folder == folder_ || !store || !session_->isReady()) return;
  if (job_) job_->cancel();
  folder_ = folder;
  model_->setStringList({});
  StoreJob* job = store->listDirectory(folder);
  job_ = job;
  connect(job, &StoreJob::finished, this, [this, job, folder] {
    if (job != job_ || folder != folder_ || !job->succeeded()) return;
    QStringList paths;
    for (const QString& sub : job->listing().subdirectories) paths << (folder == QLatin1String("/") ? folder + sub : folder + QLatin1Char('/') + sub);
    model_->setStringList(paths);
    // The answer came after the keystroke: offer it for what is typed now.
    if (edit_->hasFocus() && edit_->text().startsWith(folder)) {
      setCompletionPrefix(edit_->text());
      complete();
    }
  });
}

}  // namespace ft::ui
