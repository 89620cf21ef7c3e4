// Asks whether to trust a server certificate the system does not (a
// self-signed server): shows its subject, issuer, SHA-256 fingerprint,
// validity and what is wrong with it, and warns when it is not the one the
// profile pinned. "Accept once" (this session), "Always" (pin it in the
// profile) or "Cancel". Shown with open(): the event loop goes on.
#pragma once

#include <QDialog>
#include <QList>
#include <QSslCertificate>
#include <QSslError>

class QPushButton;

namespace ft::ui {

class CertificateDialog : public QDialog {
  Q_OBJECT
 public:
  enum Choice { Cancelled = 0, AcceptedOnce = 1, AcceptedAlways = 2 };  // the dialog's result()

  // `pinned`: the fingerprint the profile trusts when it is another one.
  CertificateDialog(const QString& server, const QSslCertificate& certificate, const QList<QSslError>& errors,
                    const QString& pinned, QWidget* parent = nullptr);

  QPushButton* acceptOnceButton() const { return once_; }
  QPushButton* alwaysButton() const { return always_; }
  QPushButton* cancelButton() const { return cancel_; }
  // Colon-separated upper-case hex, as browsers show it.
  static QString formatFingerprint(const QByteArray& hex);

 private:
  QPushButton* once_;
  QPushButton* always_;
  QPushButton* cancel_;
};

}  // namespace ft::ui
