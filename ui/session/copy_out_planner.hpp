// Hands store files to another application, as "Open" and dragging rows out
// do: fetches them into the local cache first (remote store; the downloads
// show in the Transfers dock), then makes private copies with OpenCopies
// (read-only for Open, writable for drag-out; see open_copies.hpp for why a
// copy and never the cache or stored file).
#pragma once

#include <QObject>
#include <QStringList>

#include "session/profile_session.hpp"

namespace ft::ui {

class CopyOutPlanner : public QObject {
  Q_OBJECT
 public:
  enum class Purpose {
    Open,     // transfers of kind Open, read-only copies
    DragOut,  // transfers of kind Download, writable copies
  };
  enum class Stage { Fetch, Copy };

  // A child of `session`: it goes away with the session.
  CopyOutPlanner(ProfileSession* session, Purpose purpose);
  // Fetches and copies `names`; copied() or failed() follows (possibly before
  // start() returns), then the planner deletes itself.
  void start(const QStringList& names);

  // start() and a nested event loop until it has ended: the copies, or
  // empty with `*stage` and `*error` set. Only for a caller that must answer
  // synchronously, which is QMimeData::retrieveData (a drop target asking for
  // text/uri-list): see the .cpp for why this is the GUI's one nested loop.
  static QStringList copyAndWait(ProfileSession* session, Purpose purpose, const QStringList& names, Stage* stage,
                                 QString* error);

 signals:
  // Fetched into the cache; copying `count` files now.
  void copying(int count);
  // The private copies, in the order of the names.
  void copied(const QStringList& copies);
  void failed(ft::ui::CopyOutPlanner::Stage stage, const QString& error);

 private:
  void copy(const QStringList& names);
  void fail(Stage stage, const QString& error);

  ProfileSession* session_;  // the parent
  Purpose purpose_;
};

}  // namespace ft::ui
