// What every screenshot tour (tests/bench/ui/*_tour) starts with, and its
// screenshots: the real window on the X display of Xvfb and a window
// manager, taken with ImageMagick's `import -window root`.
#pragma once

#include <QCommandLineOption>
#include <QString>

namespace tour {

// Names the application (a tour's settings stay apart from an operator's)
// and installs the translations of the locale (LANG).
void setUp(const QString& applicationName);
// --out DIR: where the screenshots go (default: here).
QCommandLineOption outOption();
// Makes `dir` (and its parents) and returns it.
QString screenshotDir(const QString& dir);
// The whole X display as DIR/NAME.png once the window manager and the
// windows have had `settleMs` to repaint; prints the file's path.
void shoot(const QString& dir, const QString& name, int settleMs = 700);
// Unless FILETRACKER_SERVER_BIN says otherwise, TestServer runs the
// filetracker-server this build made (`built`, from CMake; empty: none).
void useBuiltServer(const char* built);

}  // namespace tour
