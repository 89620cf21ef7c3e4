#include "store/store_access.hpp"

namespace ft::ui {

StoreAccess::Level StoreAccess::levelFromName(const QString& text) {
  if (text == QLatin1String("none")) return Level::None;
  if (text == QLatin1String("read")) return Level::Read;
  if (text == QLatin1String("write")) return Level::Write;
  return Level::Admin;
}

bool StoreAccess::covers(const QString& fileName) const {
  if (prefixes.isEmpty()) return true;
  for (const QString& p : prefixes) {
    if (fileName.startsWith(p)) return true;
  }
  return false;
}

bool StoreAccess::coversDirectory(const QString& directory) const {
  const QString d = directory.endsWith(QLatin1Char('/')) ? directory : directory + QLatin1Char('/');
  return covers(d);
}

QString StoreAccess::who() const {
  return anonymous() ? tr("Not signed in") : tr("Signed in as %1").arg(name);
}

QString StoreAccess::levelText() const {
  switch (level) {
    case Level::None: return tr("no access");
    case Level::Read: return tr("read only");
    case Level::Write: return tr("read and upload, no delete");
    case Level::Admin: return tr("full access");
  }
  return {};
}

QString StoreAccess::within() const { return prefixes.join(QLatin1Char(' ')); }

QString StoreAccess::describe() const {
  if (prefixes.isEmpty()) return tr("%1 (%2)").arg(who(), levelText());
  return tr("%1 (%2, within %3)").arg(who(), levelText(), within());
}

QString StoreAccess::uploadRefusal(const QString& directory) const {
  if (level < Level::Write) return tr("%1: %2").arg(who(), levelText());
  if (!coversDirectory(directory)) return tr("%1: may upload only within %2").arg(who(), within());
  return {};
}

QString StoreAccess::deleteRefusal(const QStringList& files, const QStringList& folders) const {
  if (level < Level::Admin) return tr("%1: %2").arg(who(), levelText());
  for (const QString& f : files) {
    if (!covers(f)) return tr("%1: may delete only within %2").arg(who(), within());
  }
  for (const QString& f : folders) {
    if (!coversDirectory(f)) return tr("%1: may delete only within %2").arg(who(), within());
  }
  return {};
}

}  // namespace ft::ui
