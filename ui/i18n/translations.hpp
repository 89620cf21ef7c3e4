// Installs the UI translation for a locale: our strings (embedded .qm files,
// :/i18n/filetracker_<lang>.qm) and Qt's own (standard buttons, dialogs).
// English is the source language; its .qm only carries plural forms
// ("1 file", "2 files").
#pragma once

#include <QLocale>

namespace ft::ui {

// Returns the language actually installed ("pl", "en").
QString installTranslations(const QLocale& locale = QLocale());

}  // namespace ft::ui
