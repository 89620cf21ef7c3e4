// filetracker-gui: the desktop browser for a filetracker store.
#include <QApplication>
#include <QCommandLineParser>
#include <QLocale>
#include <QSettings>
#include <QTimer>
#include <QUrl>

#include "i18n/translations.hpp"
#include "settings/connection_profile.hpp"
#include "widgets/first_run_dialog.hpp"
#include "widgets/main_window.hpp"

int main(int argc, char* argv[]) {
  QApplication app(argc, argv);
  QCoreApplication::setOrganizationName(QStringLiteral("filetracker"));
  QCoreApplication::setApplicationName(QStringLiteral("filetracker-gui"));
  QCoreApplication::setApplicationVersion(QStringLiteral(FILETRACKER_VERSION));
  QGuiApplication::setApplicationDisplayName(QStringLiteral("Filetracker"));
  QGuiApplication::setDesktopFileName(QStringLiteral("filetracker-gui"));

  // The UI language follows the system locale (LANG / LANGUAGE / LC_ALL).
  ft::ui::installTranslations(QLocale());

  QCommandLineParser parser;
  parser.setApplicationDescription(QCoreApplication::translate("main", "Browse and manage a filetracker store."));
  parser.addHelpOption();
  parser.addVersionOption();
  QCommandLineOption server(QStringList{QStringLiteral("s"), QStringLiteral("server")},
                            QCoreApplication::translate("main", "Connect to the server at URL (not saved)."),
                            QStringLiteral("URL"));
  QCommandLineOption cache(QStringList{QStringLiteral("c"), QStringLiteral("cache-dir")},
                           QCoreApplication::translate("main", "Use DIR as the cache (or local store) directory."),
                           QStringLiteral("DIR"));
  QCommandLineOption noFirstRun(QStringLiteral("no-first-run"),
                                QCoreApplication::translate("main", "Do not show the first-run dialog."));
  parser.addOptions({server, cache, noFirstRun});
  parser.process(app);

  QSettings settings;
  ft::ui::ProfileSettings profiles(settings);
  ft::ui::ConnectionProfile profile = profiles.currentProfile();
  bool remember = false;
  // FILETRACKER_URL and FILETRACKER_DIR mean what they mean to the CLI (a
  // URL, else the cache alone; the cache directory, else the default), and
  // win over the saved profile, as the flags win over them. Not saved.
  const QString envUrl = qEnvironmentVariable("FILETRACKER_URL");
  const QString envDir = qEnvironmentVariable("FILETRACKER_DIR");
  const bool fromEnvironment = !envUrl.isEmpty() || !envDir.isEmpty();
  if (fromEnvironment) {
    profile = ft::ui::ConnectionProfile{};
    profile.name = envUrl.isEmpty() ? QStringLiteral("FILETRACKER_DIR") : QStringLiteral("FILETRACKER_URL");
    profile.serverUrl = envUrl;
    profile.cacheDirectory = envDir.isEmpty() ? ft::ui::defaultCacheDirectory() : envDir;
  }
  if (parser.isSet(server) || parser.isSet(cache) || fromEnvironment) {
    if (parser.isSet(server)) {
      profile.serverUrl = parser.value(server);
      profile.name = QUrl(profile.serverUrl).host();
    }
    if (parser.isSet(cache)) profile.cacheDirectory = parser.value(cache);
  } else if (!profiles.firstRunDone() && profiles.profiles().isEmpty() && !parser.isSet(noFirstRun)) {
    ft::ui::FirstRunDialog dialog;
    dialog.exec();
    profile = dialog.profile();
    profiles.setProfiles({profile});
    profiles.setFirstRunDone(true);
    remember = true;
  }

  ft::ui::MainWindow window;
  window.show();
  window.openProfile(profile, remember);
  return app.exec();
}
