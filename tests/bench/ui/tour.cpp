#include "tour.hpp"

#include <QCoreApplication>
#include <QDir>
#include <QLocale>
#include <QProcess>

#include <cstdio>

#include "event_loop_wait.hpp"
#include "i18n/translations.hpp"
#include "test_server.hpp"

namespace tour {

void setUp(const QString& applicationName) {
  QCoreApplication::setOrganizationName(QStringLiteral("filetracker-tour"));
  QCoreApplication::setApplicationName(applicationName);
  ft::ui::installTranslations(QLocale());
}

QCommandLineOption outOption() {
  return QCommandLineOption(QStringLiteral("out"), QStringLiteral("screenshot folder"), QStringLiteral("DIR"),
                            QStringLiteral("."));
}

QString screenshotDir(const QString& dir) {
  QDir().mkpath(dir);
  return dir;
}

void shoot(const QString& dir, const QString& name, int settleMs) {
  test::pause(settleMs);
  const QString file = dir + QLatin1Char('/') + name + QStringLiteral(".png");
  QProcess::execute(QStringLiteral("import"), {QStringLiteral("-window"), QStringLiteral("root"), file});
  std::printf("screenshot %s\n", qPrintable(file));
  std::fflush(stdout);
}

void useBuiltServer(const char* built) {
  if (TestServer::binary().isEmpty() && built && *built) qputenv("FILETRACKER_SERVER_BIN", built);
}

}  // namespace tour
