// How a version is shown in the tables: the local date and time, then the
// integer the protocol speaks ("3/12/26 11:40 AM  (1796298026)"); "…" while
// unknown (a plain listing, until HEAD answers).
#pragma once

#include <QString>

namespace ft::ui {

QString versionText(qint64 version);

}  // namespace ft::ui
