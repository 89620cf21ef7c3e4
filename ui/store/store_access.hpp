// What the server lets this client do, as its /version "access" member says
// (the principal the request was taken for: docs/protocol.md). The GUI
// disables what is not allowed, and says why; the server still decides.
#pragma once

#include <QCoreApplication>
#include <QString>
#include <QStringList>

namespace ft::ui {

struct StoreAccess {
  Q_DECLARE_TR_FUNCTIONS(ft::ui::StoreAccess)

 public:
  enum class Level { None = 0, Read = 1, Write = 2, Admin = 3 };

  QString name;         // empty: anonymous
  Level level = Level::Admin;
  QStringList prefixes;  // "/tests/"; empty: every name

  // From the wire's level name; an unknown name restricts nothing (the
  // server still refuses what it refuses).
  static Level levelFromName(const QString& text);
  bool anonymous() const { return name.isEmpty(); }
  // Is `name` (a file, "/a/b") below one of the prefixes?
  bool covers(const QString& fileName) const;
  // Everything below `directory` ("/" or "/a")?
  bool coversDirectory(const QString& directory) const;

  // Why files may not be uploaded into `directory`; empty when they may.
  QString uploadRefusal(const QString& directory) const;
  // Why these files and folders may not be deleted; empty when they may.
  QString deleteRefusal(const QStringList& files, const QStringList& folders) const;
  // "Signed in as judge (read only, within /tests/)", "Anonymous (read only)".
  QString describe() const;
  bool operator==(const StoreAccess&) const = default;

 private:
  QString who() const;
  QString levelText() const;
  QString within() const;
};

}  // namespace ft::ui
