// The scale-out backend's real services for a test (installer/services.sh:
// PostgreSQL 15 and Swift's S3 API on loopback), found through
//   FILETRACKER_TEST_POSTGRESQL  postgresql://postgres@127.0.0.1:15432/filetracker
//   FILETRACKER_TEST_S3          s3://filetracker?endpoint=http://127.0.0.1:18080&region=us-east-1
// plus AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (eval "$(installer/services.sh env)").
//
// A test that needs them skips (QSKIP) with scaleoutMissingReason() when they
// are not set. Every store made by scaleoutArgs() has its own PostgreSQL
// schema and its own S3 key prefix, so runs never see each other.
//
// FILETRACKER_TEST_BACKEND=scaleout makes every TestServer use a fresh such
// store (the protocol tests' second CTest entry).
#pragma once

#include <QString>
#include <QStringList>

namespace test {

// True when FILETRACKER_TEST_POSTGRESQL and FILETRACKER_TEST_S3 are set.
bool scaleoutAvailable();
const char* scaleoutMissingReason();
// True when FILETRACKER_TEST_BACKEND=scaleout.
bool scaleoutRequested();
// A fresh, unique store name ("t" + random hex): the schema and the key prefix.
QString uniqueStoreName();
// --index and --blobs for the store `name` (e.g. two servers on one store);
// a port other than 0 replaces the service's (a TcpRelay in front of it).
QStringList scaleoutArgs(const QString& name, quint16 postgresqlPort = 0, quint16 s3Port = 0);
// The services' ports on 127.0.0.1 (0 when not set).
quint16 postgresqlPort();
quint16 s3Port();
// Where a server on `dataDir` keeps uploads being received: DIR/blobs/tmp,
// or DIR/spool when FILETRACKER_TEST_BACKEND=scaleout puts the blobs in S3.
QString uploadSpoolDir(const QString& dataDir);
// Runs `sql` with psql in the store's schema; its output (-tA: unaligned
// rows), or "ERROR: ..." when psql failed.
QString psql(const QString& name, const QString& sql);
// The scale-out store's own consistency check (what --check is for a local
// one): "0" when every blob row counts exactly the files that have it and
// every file's blob has a row; else a count or psql's error.
QString referenceMismatches(const QString& name);

}  // namespace test
