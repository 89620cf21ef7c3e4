// Scratch space for tests and benchmarks: under $FILETRACKER_TEST_TMP (CTest
// sets it to build/test-tmp, so tests stay on the build's file system and
// leftovers are easy to find), else the system's temporary directory.
#pragma once

#include <QString>
#include <QTemporaryDir>

#include <filesystem>
#include <memory>

namespace test {

// The base directory (created when missing).
QString tempBase();
// A QTemporaryDir template under the base: "BASE/prefix-XXXXXX".
QString tempTemplate(const QString& prefix);
// A fresh scratch directory under the base, removed with the object.
std::unique_ptr<QTemporaryDir> scratch_dir(const QString& prefix = QStringLiteral("core"));
// The same in memory (tmpfs /dev/shm, per user) when there is one, else
// scratch_dir: for tests whose fault-injecting Env decides what is durable,
// so the real disk's fsyncs (SQLite's, of the set-up) only cost time.
std::unique_ptr<QTemporaryDir> memory_scratch_dir(const QString& prefix);
std::filesystem::path path_of(const QTemporaryDir& dir);

}  // namespace test
