#include "i18n/translations.hpp"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QTranslator>

namespace ft::ui {

QString installTranslations(const QLocale& locale) {
  static QTranslator* ours = nullptr;
  static QTranslator* qt = nullptr;
  if (ours) {
    QCoreApplication::removeTranslator(ours);
    delete ours;
  }
  if (qt) {
    QCoreApplication::removeTranslator(qt);
    delete qt;
  }
  ours = new QTranslator();
  qt = new QTranslator();
  QString language = QStringLiteral("en");
  if (ours->load(locale, QStringLiteral("filetracker"), QStringLiteral("_"), QStringLiteral(":/i18n"))) {
    language = locale.name().section(QLatin1Char('_'), 0, 0);
  } else if (!ours->load(QStringLiteral("filetracker_en"), QStringLiteral(":/i18n"))) {
    qWarning("filetracker: no translation found in the resources");
  }
  QCoreApplication::installTranslator(ours);
  if (language != QLatin1String("en") &&
      qt->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"), QLibraryInfo::path(QLibraryInfo::TranslationsPath))) {
    QCoreApplication::installTranslator(qt);
  }
  return language;
}

}  // namespace ft::ui
