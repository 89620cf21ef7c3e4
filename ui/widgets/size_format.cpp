#include "widgets/size_format.hpp"

#include <QCoreApplication>
#include <QLocale>

namespace ft::ui {

QString humanSize(qint64 bytes) {
  if (bytes < 0) return QString();
  // QLocale picks the decimal separator of the UI language (1,5 in Polish).
  return QLocale().formattedDataSize(bytes, 1, QLocale::DataSizeIecFormat);
}

QString humanSpeed(double bytesPerSecond) {
  return QCoreApplication::translate("ft::ui::SizeFormat", "%1/s").arg(humanSize(qint64(bytesPerSecond)));
}

}  // namespace ft::ui
