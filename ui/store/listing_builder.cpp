#include "store/listing_builder.hpp"

#include <QSet>

namespace ft::ui {

namespace {

// Splits a relative path at its first '/': a file of this directory, or the
// first component of a subdirectory.
void addRelative(const QString& directory, const QString& relative, RemoteFile file, DirectoryListing& out,
                 QSet<QString>& seenDirs) {
  if (relative.isEmpty()) return;
  const qsizetype slash = relative.indexOf(QLatin1Char('/'));
  if (slash < 0) {
    file.name = joinName(directory, relative);
    out.files.push_back(std::move(file));
  } else if (slash > 0) {
    const QString sub = relative.left(slash);
    if (!seenDirs.contains(sub)) {
      seenDirs.insert(sub);
      out.subdirectories.push_back(sub);
    }
  }
}

QString normalizedDirectory(const QString& directory) {
  QString dir = directory.isEmpty() ? QStringLiteral("/") : directory;
  while (dir.size() > 1 && dir.endsWith(QLatin1Char('/'))) dir.chop(1);
  return dir;
}

}  // namespace

DirectoryListing listingFromPlainNames(const QString& directory, const std::vector<std::string>& relativeNames) {
  DirectoryListing out;
  out.directory = normalizedDirectory(directory);
  out.metadataComplete = false;
  out.files.reserve(qsizetype(relativeNames.size()));
  QSet<QString> seen;
  for (const std::string& name : relativeNames) {
    QString relative = QString::fromStdString(name);
    while (relative.startsWith(QLatin1Char('/'))) relative.remove(0, 1);
    addRelative(out.directory, relative, RemoteFile{}, out, seen);
  }
  out.subdirectories.sort();
  return out;
}

DirectoryListing listingFromJson(const QString& directory, const ft::protocol::Listing& listing) {
  DirectoryListing out;
  out.directory = normalizedDirectory(directory);
  out.metadataComplete = true;
  out.files.reserve(qsizetype(listing.files.size()));
  QSet<QString> seen;
  for (const std::string& sub : listing.directories) {
    const QString name = QString::fromStdString(sub);
    if (!name.isEmpty() && !seen.contains(name)) {
      seen.insert(name);
      out.subdirectories.push_back(name);
    }
  }
  for (const auto& entry : listing.files) {
    RemoteFile file;
    file.version = entry.version;
    file.size = qint64(entry.size);
    file.sha256 = QString::fromStdString(entry.sha256);
    QString relative = QString::fromStdString(entry.name);
    while (relative.startsWith(QLatin1Char('/'))) relative.remove(0, 1);
    addRelative(out.directory, relative, std::move(file), out, seen);
  }
  out.subdirectories.sort();
  return out;
}

DirectoryListing listingFromFiles(const QString& directory, const QVector<RemoteFile>& allFiles) {
  DirectoryListing out;
  out.directory = normalizedDirectory(directory);
  out.metadataComplete = true;
  const QString prefix = out.directory == QLatin1String("/") ? QStringLiteral("/") : out.directory + QLatin1Char('/');
  QSet<QString> seen;
  for (const RemoteFile& file : allFiles) {
    if (!file.name.startsWith(prefix)) continue;
    addRelative(out.directory, file.name.mid(prefix.size()), file, out, seen);
  }
  out.subdirectories.sort();
  return out;
}

}  // namespace ft::ui
