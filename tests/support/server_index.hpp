// The server's SQLite index (DATA/index.sqlite3) read and edited directly
// by tests: where a blob is kept (inline in the index or as a file), and
// damage a test plants on purpose (a tampered or stray inline blob). Works
// while a server runs (WAL: readers do not block it); edit only a stopped
// server's index.
#pragma once

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QString>
#include <QVariant>

namespace test {

// sha256 -> stored gzip bytes of every blob kept inside the index (empty
// when the index has no inline_blobs table: an older schema).
QMap<QByteArray, QByteArray> inlineBlobs(const QString& dataDir);
// The index's PRAGMA user_version (its schema).
int indexSchemaVersion(const QString& dataDir);
// Runs one SQL statement with ?1, ?2, ... bound to `args` (QByteArray:
// blob, QString: text, integers); false (and a qWarning) when it fails.
bool execIndexSql(const QString& dataDir, const QString& sql, const QList<QVariant>& args = {});

}  // namespace test
