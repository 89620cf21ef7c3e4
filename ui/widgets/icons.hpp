// Our own SVG icons (resources/icons) with a standard-icon fallback when the
// Qt SVG plugin is missing, so the UI never shows blank buttons.
#pragma once

#include <QIcon>
#include <QStyle>

namespace ft::ui {

QIcon ownIcon(const QString& fileName, QStyle::StandardPixmap fallback);

}  // namespace ft::ui
