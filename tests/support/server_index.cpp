#include "server_index.hpp"

#include <sqlite3.h>

#include <QtGlobal>

namespace test {
namespace {

// One connection to DATA/index.sqlite3, closed when it goes.
class IndexDb {
 public:
  IndexDb(const QString& dataDir, bool writable) {
    const QByteArray file = (dataDir + QStringLiteral("/index.sqlite3")).toUtf8();
    if (sqlite3_open_v2(file.constData(), &db_, writable ? SQLITE_OPEN_READWRITE : SQLITE_OPEN_READONLY, nullptr) !=
        SQLITE_OK) {
      qWarning("%s: %s", file.constData(), db_ ? sqlite3_errmsg(db_) : "cannot open");
      sqlite3_close(db_);
      db_ = nullptr;
    } else {
      sqlite3_busy_timeout(db_, 10000);
    }
  }
  ~IndexDb() { sqlite3_close(db_); }
  IndexDb(const IndexDb&) = delete;
  IndexDb& operator=(const IndexDb&) = delete;

  // Steps `sql` to the end, calling `row` for each result row.
  template <typename Row>
  bool run(const QString& sql, const QList<QVariant>& args, Row row) {
    if (!db_) return false;
    sqlite3_stmt* stmt = nullptr;
    const QByteArray text = sql.toUtf8();
    if (sqlite3_prepare_v2(db_, text.constData(), -1, &stmt, nullptr) != SQLITE_OK) {
      qWarning("%s: %s", text.constData(), sqlite3_errmsg(db_));
      return false;
    }
    for (int i = 0; i < args.size(); ++i) {
      const QVariant& a = args[i];
      if (a.typeId() == QMetaType::QByteArray) {
        const QByteArray b = a.toByteArray();
        sqlite3_bind_blob(stmt, i + 1, b.constData(), int(b.size()), SQLITE_TRANSIENT);
      } else if (a.typeId() == QMetaType::QString) {
        const QByteArray s = a.toString().toUtf8();
        sqlite3_bind_text(stmt, i + 1, s.constData(), int(s.size()), SQLITE_TRANSIENT);
      } else {
        sqlite3_bind_int64(stmt, i + 1, a.toLongLong());
      }
    }
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) row(stmt);
    const bool ok = rc == SQLITE_DONE;
    if (!ok) qWarning("%s: %s", text.constData(), sqlite3_errmsg(db_));
    sqlite3_finalize(stmt);
    return ok;
  }

 private:
  sqlite3* db_ = nullptr;
};

QByteArray column(sqlite3_stmt* stmt, int i) {
  return QByteArray(static_cast<const char*>(sqlite3_column_blob(stmt, i)), sqlite3_column_bytes(stmt, i));
}

}  // namespace

QMap<QByteArray, QByteArray> inlineBlobs(const QString& dataDir) {
  QMap<QByteArray, QByteArray> out;
  IndexDb db(dataDir, false);
  bool table = false;
  db.run(QStringLiteral("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'inline_blobs'"), {},
         [&](sqlite3_stmt*) { table = true; });
  if (table)
    db.run(QStringLiteral("SELECT sha256, data FROM inline_blobs"), {},
           [&](sqlite3_stmt* s) { out.insert(column(s, 0), column(s, 1)); });
  return out;
}

int indexSchemaVersion(const QString& dataDir) {
  int version = -1;
  IndexDb db(dataDir, false);
  db.run(QStringLiteral("PRAGMA user_version"), {}, [&](sqlite3_stmt* s) { version = sqlite3_column_int(s, 0); });
  return version;
}

bool execIndexSql(const QString& dataDir, const QString& sql, const QList<QVariant>& args) {
  IndexDb db(dataDir, true);
  return db.run(sql, args, [](sqlite3_stmt*) {});
}

}  // namespace test
