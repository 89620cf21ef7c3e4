// Search in a store: the files below a directory matching a FindQuery
// (core's find_query.hpp: a glob on the name, size and version bounds),
// handed on as they are found. With the server's "find" extension its pages
// (RemoteStore::find); any other store (a plain protocol-v2 server, our
// server with --fallback-url, the local store) lists the glob's literal
// directory and matches here, with a HEAD per name match when bounds are
// set but the listing has no sizes or versions.
#pragma once

#include <QVector>

#include "filetracker/find_query.hpp"
#include "store/store_job.hpp"
#include "store/store_types.hpp"

namespace ft::ui {

class StoreBackend;

// A StoreJob that hands on matches a batch at a time (filesFound), then
// finishes; progress(done, total) counts a fallback's HEADs.
class FindJob : public StoreJob {
  Q_OBJECT
 public:
  using StoreJob::StoreJob;
  void reportFound(const QVector<RemoteFile>& files) { emit filesFound(files); }

 signals:
  // Full names, in name order within a batch.
  void filesFound(const QVector<ft::ui::RemoteFile>& files);
};

// A bad pattern fails the job with its one-line reason, before any request.
FindJob* startFind(StoreBackend* store, const QString& directory, const ft::FindQuery& query);

}  // namespace ft::ui
