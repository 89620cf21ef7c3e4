// Icons: our own SVGs (resources/icons) and the desktop theme's, each with a
// standard-icon fallback (the Qt SVG plugin or an icon theme may be
// missing), so the UI never shows blank buttons.
#pragma once

#include <QIcon>
#include <QStyle>

namespace ft::ui {

QIcon ownIcon(const QString& fileName, QStyle::StandardPixmap fallback);
QIcon themedIcon(const char* name, QStyle::StandardPixmap fallback);

}  // namespace ft::ui
