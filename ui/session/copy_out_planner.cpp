#include "session/copy_out_planner.hpp"

#include <QEventLoop>
#include <QPointer>

namespace ft::ui {

CopyOutPlanner::CopyOutPlanner(ProfileSession* session, Purpose purpose)
    : QObject(session), session_(session), purpose_(purpose) {}

void CopyOutPlanner::start(const QStringList& names) {
  // For the local store (its own cache) this answers at once.
  const Transfer::Kind kind = purpose_ == Purpose::Open ? Transfer::Kind::Open : Transfer::Kind::Download;
  QPointer<CopyOutPlanner> self(this);
  session_->fetchIntoCache(names, kind, [self, names](bool ok, const QString& error) {
    if (!self) return;
    if (ok) {
      self->copy(names);
    } else {
      self->fail(Stage::Fetch, error);
    }
  });
}

void CopyOutPlanner::copy(const QStringList& names) {
  QStringList sources;
  for (const QString& name : names) sources << session_->localPathOf(name);
  emit copying(int(sources.size()));
  const auto mode = purpose_ == Purpose::Open ? OpenCopies::Mode::ReadOnly : OpenCopies::Mode::Writable;
  QPointer<CopyOutPlanner> self(this);
  session_->openCopies()->copy(
      sources,
      [self](const QStringList& copies, const QString& error) {
        if (!self) return;
        if (!error.isEmpty()) {
          self->fail(Stage::Copy, error);
          return;
        }
        emit self->copied(copies);
        self->deleteLater();
      },
      mode);
}

void CopyOutPlanner::fail(Stage stage, const QString& error) {
  emit failed(stage, error);
  deleteLater();
}

// Why a nested event loop here, and only here: a drop target asks for the
// dragged files' URLs through QMimeData::retrieveData, which must return
// them, and the files must exist by then. Fetching (QNetworkAccessManager on
// this thread) and copying (reported back to this thread) need the event
// loop to run, and blocking it instead would freeze the window for the whole
// download. A drag is already inside QDrag::exec()'s own loop; this one only
// lives until the copies are made (or the session goes away).
QStringList CopyOutPlanner::copyAndWait(ProfileSession* session, Purpose purpose, const QStringList& names,
                                        Stage* stage, QString* error) {
  auto* planner = new CopyOutPlanner(session, purpose);
  QEventLoop loop;
  bool ended = false;
  QStringList result;
  connect(planner, &CopyOutPlanner::copied, &loop, [&](const QStringList& copies) {
    ended = true;
    result = copies;
    loop.quit();
  });
  connect(planner, &CopyOutPlanner::failed, &loop, [&](Stage failedAt, const QString& why) {
    ended = true;
    if (stage) *stage = failedAt;
    if (error) *error = why;
    loop.quit();
  });
  // copied() and failed() do not come if the planner goes first (with the
  // session): do not wait forever.
  connect(planner, &QObject::destroyed, &loop, [&] {
    ended = true;
    loop.quit();
  });
  planner->start(names);
  if (!ended) loop.exec();
  return result;
}

}  // namespace ft::ui
