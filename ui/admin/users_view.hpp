// The Users and access tab (issue 20): the principals of the server's
// access file (GET /admin/principals: name, level, prefixes; never a secret),
// Add…, Edit…, Remove… and Reset secret… through PUT/DELETE
// /admin/principals/NAME. A new or reset secret is shown once (SecretDialog);
// a refusal is one line under the table. The server edits the file
// atomically, logs the change with our name and reloads it at once.
#pragma once

#include <QPointer>
#include <QStringList>
#include <QWidget>

#include <functional>
#include <optional>

class QLabel;
class QPushButton;
class QTableWidget;

namespace ft::ui {

class ProfileSession;
class StoreJob;

struct PrincipalEntry {
  QString name;
  QString access;  // "read", "write", "admin"
  QStringList prefixes;
  bool operator==(const PrincipalEntry&) const = default;
};

class UsersView : public QWidget {
  Q_OBJECT
 public:
  explicit UsersView(ProfileSession* session, QWidget* parent = nullptr);
  void retranslate();
  // Reads the principals again.
  void reload();
  const QList<PrincipalEntry>& principals() const { return principals_; }
  QString you() const { return you_; }
  QTableWidget* table() const { return table_; }
  QLabel* statusLabel() const { return status_; }
  QPushButton* addButton() const { return add_; }
  QPushButton* editButton() const { return edit_; }
  QPushButton* removeButton() const { return remove_; }
  QPushButton* resetButton() const { return reset_; }

  // The dialogs, replaceable (tests): the editor gets the entry to edit (a
  // blank one to add) and returns the result (nullopt: cancelled); the
  // confirmer answers a yes/no question; the presenter shows a new secret.
  void setEditor(std::function<std::optional<PrincipalEntry>(const PrincipalEntry&, bool adding)> editor) {
    editor_ = std::move(editor);
  }
  void setConfirmer(std::function<bool(const QString& question)> confirmer) { confirmer_ = std::move(confirmer); }
  void setSecretPresenter(std::function<void(const QString& name, const QString& token)> presenter) {
    presenter_ = std::move(presenter);
  }

 signals:
  void loaded();
  // A change was answered: ok, or the one-line refusal.
  void changed(bool ok, const QString& message);

 protected:
  void changeEvent(QEvent* event) override;

 private:
  void addPrincipal();
  void editSelected();
  void removeSelected();
  void resetSelected();
  // PUT /admin/principals/NAME.
  void put(const PrincipalEntry& entry, bool resetSecret);
  std::optional<PrincipalEntry> selected() const;
  void updateButtons();
  void showStatus(const QString& text, bool error);
  std::optional<PrincipalEntry> edit(const PrincipalEntry& entry, bool adding);
  bool confirm(const QString& question);
  void present(const QString& name, const QString& token);

  ProfileSession* session_;
  QList<PrincipalEntry> principals_;
  QString you_;
  QPointer<StoreJob> listJob_;
  QTableWidget* table_;
  QLabel* status_;
  QPushButton* add_;
  QPushButton* edit_;
  QPushButton* remove_;
  QPushButton* reset_;
  QPushButton* refresh_;
  std::function<std::optional<PrincipalEntry>(const PrincipalEntry&, bool)> editor_;
  std::function<bool(const QString&)> confirmer_;
  std::function<void(const QString&, const QString&)> presenter_;
};

}  // namespace ft::ui
