// Private copies of files for "Open" (read-only) and for dragging rows out
// (writable). The desktop application or the drop target is handed a copy in
// a per-run temporary folder, never the stored file (local store) or the cache
// file (remote store): an editor that saves in place would otherwise silently
// change the store, or every file hard-linked to that cache entry. The folder
// is removed when this object (the session) goes away.
#pragma once

#include <QObject>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>
#include <QThreadPool>

#include <atomic>
#include <functional>
#include <memory>

namespace ft::ui {

class OpenCopies : public QObject {
  Q_OBJECT
 public:
  using Done = std::function<void(const QStringList& copies, const QString& error)>;
  // ReadOnly (mode 0444) for Open: a viewer should not invite edits that
  // would be lost with the folder. Writable for drag-out: a file manager
  // carries the mode over to the user's own copy, which must stay editable.
  enum class Mode { ReadOnly, Writable };

  explicit OpenCopies(QObject* parent = nullptr);
  // Cancels copying in progress, waits for it, then removes the folder.
  ~OpenCopies() override;

  // The per-run folder, or an empty string before the first copy.
  QString folder() const { return dir_ ? dir_->path() : QString(); }

  // Copies each of `sources` off the GUI thread into its own sub-folder of
  // folder(), keeping the base name (so the desktop picks the right
  // application), as a real copy (never a hard link) with the source's
  // modification time; ReadOnly copies get mode 0444, Writable ones keep the
  // mode a new file gets (umask) and are at least readable and writable by
  // the owner. `done` runs on this object's thread with the copies in the
  // order of `sources`, or with an error (and no copies) when any copy
  // failed (possibly before copy() returns, when there is no folder); it does
  // not run if this object is destroyed first.
  void copy(const QStringList& sources, Done done, Mode mode = Mode::ReadOnly);

 private:
  std::unique_ptr<QTemporaryDir> dir_;
  int nextSubfolder_ = 0;
  std::shared_ptr<std::atomic<bool>> cancelled_ = std::make_shared<std::atomic<bool>>(false);
  // Declared last so it is destroyed first: its destructor waits for the
  // copies still running before dir_ is removed.
  QThreadPool pool_;
};

}  // namespace ft::ui
