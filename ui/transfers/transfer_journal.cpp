#include "transfers/transfer_journal.hpp"

#include <QCryptographicHash>
#include <QDir>
#include <QFileInfo>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QUrl>

#include <optional>

namespace ft::ui {

namespace {

constexpr int kFormat = 1;

QString kindName(Transfer::Kind kind) {
  switch (kind) {
    case Transfer::Kind::Upload: return QStringLiteral("upload");
    case Transfer::Kind::Download: return QStringLiteral("download");
    case Transfer::Kind::Open: return QStringLiteral("open");
    case Transfer::Kind::ArchiveUpload: return QStringLiteral("unpack");
    case Transfer::Kind::ArchiveDownload: return QStringLiteral("pack");
  }
  return {};
}

std::optional<Transfer::Kind> kindOf(const QString& name) {
  for (auto k : {Transfer::Kind::Upload, Transfer::Kind::Download, Transfer::Kind::Open, Transfer::Kind::ArchiveUpload,
                 Transfer::Kind::ArchiveDownload}) {
    if (kindName(k) == name) return k;
  }
  return std::nullopt;
}

// A row as it will be when read back: what was running starts again.
QString stateName(Transfer::State state) {
  switch (state) {
    case Transfer::State::Queued:
    case Transfer::State::Preparing:
    case Transfer::State::Running: return QStringLiteral("queued");
    case Transfer::State::Paused: return QStringLiteral("paused");
    case Transfer::State::Finished: return QStringLiteral("finished");
    case Transfer::State::Failed: return QStringLiteral("failed");
    case Transfer::State::Cancelled: return QStringLiteral("cancelled");
  }
  return {};
}

std::optional<Transfer::State> stateOf(const QString& name) {
  for (auto s : {Transfer::State::Queued, Transfer::State::Paused, Transfer::State::Finished, Transfer::State::Failed,
                 Transfer::State::Cancelled}) {
    if (stateName(s) == name) return s;
  }
  return std::nullopt;
}

QJsonArray toArray(const QStringList& list) { return QJsonArray::fromStringList(list); }

QStringList toList(const QJsonValue& value) {
  QStringList out;
  for (const QJsonValue& v : value.toArray()) out << v.toString();
  return out;
}

QJsonObject toJson(const Transfer& t) {
  QJsonObject o;
  o[QStringLiteral("kind")] = kindName(t.kind);
  o[QStringLiteral("state")] = stateName(t.state);
  o[QStringLiteral("server")] = TransferJournal::withoutUserInfo(t.storeLocation);
  if (t.kind == Transfer::Kind::Upload) {
    o[QStringLiteral("name")] = t.upload.name;
    o[QStringLiteral("localPath")] = t.upload.localPath;
    if (t.upload.version) o[QStringLiteral("version")] = double(*t.upload.version);
    o[QStringLiteral("localSize")] = double(t.localSize);
    o[QStringLiteral("localMtime")] = double(t.localMtime);
  } else if (!t.isArchive()) {
    o[QStringLiteral("name")] = t.download.name;
    o[QStringLiteral("localPath")] = t.download.destinationPath;
    o[QStringLiteral("versionAsMtime")] = t.download.setVersionAsMtime;
  } else {
    QJsonObject a;
    a[QStringLiteral("archive")] = t.archive.archivePath;
    a[QStringLiteral("directory")] = t.archive.remoteDirectory;
    a[QStringLiteral("files")] = toArray(t.archive.files);
    a[QStringLiteral("folders")] = toArray(t.archive.folders);
    o[QStringLiteral("archive")] = a;
    o[QStringLiteral("summary")] = t.summary;
    o[QStringLiteral("refused")] = toArray(t.refusedEntries.mid(0, 100));
    o[QStringLiteral("entriesTotal")] = double(t.entriesTotal);
  }
  o[QStringLiteral("total")] = double(t.total);
  if (!t.error.isEmpty()) o[QStringLiteral("error")] = t.error;
  if (t.state == Transfer::State::Finished) {
    QJsonObject r;
    r[QStringLiteral("name")] = t.result.name;
    r[QStringLiteral("version")] = double(t.result.version);
    r[QStringLiteral("size")] = double(t.result.size);
    r[QStringLiteral("sha256")] = t.result.sha256;
    o[QStringLiteral("result")] = r;
  }
  return o;
}

std::optional<Transfer> fromJson(const QJsonObject& o, const QString& storeKey) {
  const auto kind = kindOf(o.value(QStringLiteral("kind")).toString());
  const auto state = stateOf(o.value(QStringLiteral("state")).toString());
  if (!kind || !state) return std::nullopt;
  Transfer t;
  t.kind = *kind;
  t.state = *state;
  t.storeKey = storeKey;
  t.storeLocation = o.value(QStringLiteral("server")).toString();
  const QString name = o.value(QStringLiteral("name")).toString();
  const QString local = o.value(QStringLiteral("localPath")).toString();
  if (t.kind == Transfer::Kind::Upload) {
    t.upload.name = name;
    t.upload.localPath = local;
    if (o.contains(QStringLiteral("version"))) t.upload.version = qint64(o.value(QStringLiteral("version")).toDouble());
    t.localSize = qint64(o.value(QStringLiteral("localSize")).toDouble(-1));
    t.localMtime = qint64(o.value(QStringLiteral("localMtime")).toDouble(-1));
    if (name.isEmpty() || local.isEmpty()) return std::nullopt;
  } else if (!t.isArchive()) {
    t.download.name = name;
    t.download.destinationPath = local;
    t.download.setVersionAsMtime = o.value(QStringLiteral("versionAsMtime")).toBool();
    if (name.isEmpty() || local.isEmpty()) return std::nullopt;
  } else {
    const QJsonObject a = o.value(QStringLiteral("archive")).toObject();
    t.archive.direction = t.kind == Transfer::Kind::ArchiveUpload ? ArchiveTask::Direction::Unpack : ArchiveTask::Direction::Pack;
    t.archive.archivePath = a.value(QStringLiteral("archive")).toString();
    t.archive.remoteDirectory = a.value(QStringLiteral("directory")).toString();
    t.archive.files = toList(a.value(QStringLiteral("files")));
    t.archive.folders = toList(a.value(QStringLiteral("folders")));
    t.summary = o.value(QStringLiteral("summary")).toString();
    t.refusedEntries = toList(o.value(QStringLiteral("refused")));
    t.entriesTotal = qint64(o.value(QStringLiteral("entriesTotal")).toDouble(-1));
    if (t.archive.archivePath.isEmpty() || t.archive.remoteDirectory.isEmpty()) return std::nullopt;
  }
  t.total = qint64(o.value(QStringLiteral("total")).toDouble(-1));
  t.error = o.value(QStringLiteral("error")).toString();
  if (t.state == Transfer::State::Finished) {
    const QJsonObject r = o.value(QStringLiteral("result")).toObject();
    t.result.name = r.value(QStringLiteral("name")).toString();
    t.result.version = qint64(r.value(QStringLiteral("version")).toDouble(-1));
    t.result.size = qint64(r.value(QStringLiteral("size")).toDouble(-1));
    t.result.sha256 = r.value(QStringLiteral("sha256")).toString();
    t.done = t.total;
    if (t.entriesTotal >= 0) t.entriesDone = t.entriesTotal;
  }
  return t;
}

}  // namespace

QString TransferJournal::withoutUserInfo(const QString& location) {
  if (!location.contains(QStringLiteral("://"))) return location;  // a local folder
  const QUrl url(location);
  if (!url.isValid() || url.userInfo().isEmpty()) return location;
  return url.toString(QUrl::RemoveUserInfo | QUrl::StripTrailingSlash);
}

QString TransferJournal::fileFor(const QString& storeKey) const {
  const QByteArray hash = QCryptographicHash::hash(storeKey.toUtf8(), QCryptographicHash::Sha256).toHex().left(32);
  return directory_ + QLatin1Char('/') + QString::fromLatin1(hash) + QStringLiteral(".json");
}

QString TransferJournal::save(const QString& storeKey, const Content& content) const {
  if (!enabled()) return {};
  const QString path = fileFor(storeKey);
  if (content.rows.isEmpty() && !content.paused) {
    if (QFile::exists(path) && !QFile::remove(path)) return tr("%1: cannot remove it").arg(path);
    return {};
  }
  if (!QDir().mkpath(directory_)) return tr("%1: cannot create the folder").arg(directory_);
  QJsonArray rows;
  for (const Transfer& t : content.rows) rows.append(toJson(t));
  QJsonObject root;
  root[QStringLiteral("format")] = kFormat;
  // The key is kept for a reader to see which store this is; it names a
  // server without user info and a folder, nothing secret.
  root[QStringLiteral("store")] = withoutUserInfo(storeKey.section(QLatin1Char('\n'), 0, 0)) + QLatin1Char('\n') +
                                  storeKey.section(QLatin1Char('\n'), 1);
  root[QStringLiteral("paused")] = content.paused;
  root[QStringLiteral("transfers")] = rows;
  QSaveFile file(path);
  if (!file.open(QIODevice::WriteOnly)) return path + QStringLiteral(": ") + file.errorString();
  file.write(QJsonDocument(root).toJson(QJsonDocument::Indented));
  if (!file.commit()) return path + QStringLiteral(": ") + file.errorString();
  return {};
}

TransferJournal::Content TransferJournal::load(const QString& storeKey, QString* error) const {
  Content content;
  if (!enabled()) return content;
  const QString path = fileFor(storeKey);
  {
    // A writer killed by SIGKILL between QSaveFile's link of its temporary
    // and the rename leaves that temporary (NAME.XXXXXX) behind: swept here,
    // so kills never pile files up. (NAME.corrupt is 7 characters: kept.)
    const QFileInfo info(path);
    const QDir dir = info.absoluteDir();
    for (const QString& stale : dir.entryList({info.fileName() + QStringLiteral(".??????")}, QDir::Files | QDir::Hidden))
      QFile::remove(dir.filePath(stale));
  }
  QFile file(path);
  if (!file.exists()) return content;
  QJsonParseError parseError{};
  QJsonDocument doc;
  if (file.open(QIODevice::ReadOnly)) doc = QJsonDocument::fromJson(file.readAll(), &parseError);
  file.close();
  const QJsonObject root = doc.object();
  if (!doc.isObject() || root.value(QStringLiteral("format")).toInt() != kFormat) {
    // Kept aside for a look, and out of the way of the next save.
    QFile::remove(path + QStringLiteral(".corrupt"));
    QFile::rename(path, path + QStringLiteral(".corrupt"));
    if (error) *error = tr("%1: not a transfer queue this version can read (kept as %1.corrupt)").arg(path);
    return content;
  }
  content.paused = root.value(QStringLiteral("paused")).toBool();
  for (const QJsonValue& v : root.value(QStringLiteral("transfers")).toArray()) {
    if (auto t = fromJson(v.toObject(), storeKey)) content.rows << std::move(*t);
  }
  return content;
}

}  // namespace ft::ui
