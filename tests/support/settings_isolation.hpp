// Keeps QSettings and QStandardPaths away from the user's own, per process
// (so GUI suites can run in parallel): settings go to `dir`, standard paths
// to Qt's test locations.
#pragma once

#include <QString>

namespace test {

void isolateSettings(const QString& dir);

}  // namespace test
