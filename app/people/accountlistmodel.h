// A list of accounts for the people pages: the user's followers, the accounts the user follows,
// or the accounts asking to follow the user (as far as the local mirror knows them; other
// accounts' lists are not mirrored). Read on the library thread, re-read after every change.
//
// Threading: GUI thread only.
#pragma once

#include "people/person.h"
#include "readgate.h"
#include "session.h"

#include <QAbstractListModel>
#include <QtQml/qqmlregistration.h>

namespace pinhole::app {

class AccountListModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Lists come from App.accountList(kind)")
    Q_PROPERTY(Kind kind READ kind CONSTANT)
    Q_PROPERTY(int count READ count NOTIFY countChanged)
    Q_PROPERTY(bool loading READ loading NOTIFY loadingChanged)

public:
    enum class Kind { Followers, Following, FollowRequests };
    Q_ENUM(Kind)
    enum Role { AccountIdRole = Qt::UserRole + 1, UsernameRole, DisplayNameRole, AvatarRole, LockedRole };
    Q_ENUM(Role)

    AccountListModel(Session* session, Kind kind, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    Kind kind() const { return m_kind; }
    int count() const { return rowCount(); }
    bool loading() const { return m_reads.busy(); }

    // Re-reads the list (coalesced: one read at a time, one more if asked meanwhile).
    Q_INVOKABLE void reload();

signals:
    void countChanged();
    void loadingChanged();

private:
    void apply(std::vector<Person> people);

    Session* m_session;
    Kind m_kind;
    std::vector<Person> m_people;
    ReadGate m_reads;
};

} // namespace pinhole::app
