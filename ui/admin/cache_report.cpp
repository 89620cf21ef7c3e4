#include "admin/cache_report.hpp"

#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace ft::ui {
namespace {

// A report of a million files is ~150 MB; more is not a cache report.
constexpr qint64 kMaxReportBytes = 1LL << 30;

QString tr(const char* text) { return QCoreApplication::translate("ft::ui::CacheReport", text); }

}  // namespace

qint64 CacheReport::totalBytes() const {
  qint64 total = 0;
  for (const CacheEntry& e : files) total += e.size;
  return total;
}

bool CacheReport::read(const QString& path, CacheReport* report, QString* error) {
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly)) {
    *error = QStringLiteral("%1: %2").arg(path, file.errorString());
    return false;
  }
  if (file.size() > kMaxReportBytes) {
    *error = tr("%1: too large for a cache report").arg(path);
    return false;
  }
  QJsonParseError parseError;
  const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parseError);
  if (doc.isNull()) {
    *error = tr("%1: not JSON (%2 at byte %3)").arg(path, parseError.errorString()).arg(parseError.offset);
    return false;
  }
  const QJsonObject o = doc.object();
  if (!o.value(QStringLiteral("files")).isArray()) {
    *error = tr("%1: not a cache report (no \"files\" list; write one with filetracker cache ls --json)").arg(path);
    return false;
  }
  // `filetracker cache ls --json` writes "format": "filetracker-cache-report", "format_version": 1.
  const QString format = o.value(QStringLiteral("format")).toString();
  if (!format.isEmpty() && format != QLatin1String("filetracker-cache-report")) {
    *error = tr("%1: not a cache report (format \"%2\")").arg(path, format);
    return false;
  }
  if (o.value(QStringLiteral("format_version")).toInteger(1) > 1) {
    *error = tr("%1: written by a newer filetracker (cache report format %2)")
                 .arg(path)
                 .arg(o.value(QStringLiteral("format_version")).toInteger());
    return false;
  }
  CacheReport r;
  r.path = path;
  r.cache = o.value(QStringLiteral("cache_dir")).toString(o.value(QStringLiteral("cache")).toString());
  r.host = o.value(QStringLiteral("host")).toString();
  if (o.value(QStringLiteral("generated")).isDouble()) r.generated = o.value(QStringLiteral("generated")).toInteger();
  const QJsonArray files = o.value(QStringLiteral("files")).toArray();
  r.files.reserve(std::size_t(files.size()));
  for (qsizetype i = 0; i < files.size(); ++i) {
    const QJsonObject f = files[i].toObject();
    const QString name = f.value(QStringLiteral("name")).toString();
    if (!name.startsWith(QLatin1Char('/')) || !f.value(QStringLiteral("version")).isDouble() ||
        !f.value(QStringLiteral("size")).isDouble() || f.value(QStringLiteral("size")).toInteger() < 0) {
      *error = tr("%1: entry %2 is not a file (it needs \"name\", \"version\" and \"size\")").arg(path).arg(i + 1);
      return false;
    }
    CacheEntry e;
    e.name = name;
    e.version = f.value(QStringLiteral("version")).toInteger();
    e.size = f.value(QStringLiteral("size")).toInteger();
    const QJsonValue accessed = f.value(QStringLiteral("accessed"));
    if (accessed.isDouble()) {
      e.lastUse = accessed.toInteger();
      r.hasLastUse = true;
    }
    if (f.value(QStringLiteral("in_use")).toBool()) ++r.inUse;
    r.files.push_back(std::move(e));
  }
  *report = std::move(r);
  return true;
}

}  // namespace ft::ui
