// The user's notifications, newest first: follows, follow requests (approve / reject inline while
// `actionable`), likes and comments, with the unread count for the badge. Read from the local
// mirror on the library thread (the sync stream brings them), re-read after every change; an
// answer to a request is an optimistic action (queued in the outbox, shown at once).
//
// Threading: GUI thread only.
#pragma once

#include "people/person.h"
#include "readgate.h"
#include "session.h"

#include <QAbstractListModel>
#include <QDateTime>
#include <QtQml/qqmlregistration.h>

namespace pinhole::app {

class NotificationsModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The notifications come from App.notifications")
    Q_PROPERTY(int count READ count NOTIFY countChanged)
    Q_PROPERTY(int unreadCount READ unreadCount NOTIFY unreadCountChanged)
    Q_PROPERTY(bool loading READ loading NOTIFY loadingChanged)

public:
    enum Role {
        NotificationIdRole = Qt::UserRole + 1,
        TypeRole, // follow, follow_request, favourite, mention
        TextRole, // "Bo followed you", ... as the page shows it
        CreatedAtRole,
        AccountIdRole,
        UsernameRole,
        DisplayNameRole,
        AvatarRole,
        StatusIdRole,
        UnreadRole,
        ActionableRole,
    };
    Q_ENUM(Role)

    struct Row {
        QString id;
        QString type;
        QDateTime createdAt;
        Person from;
        QString statusId;
        bool unread = false;
        bool actionable = false;
    };
    // What the library thread reads in one go.
    struct Snapshot {
        std::vector<Row> rows;
        int unread = 0;
    };

    explicit NotificationsModel(Session* session, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    int count() const { return rowCount(); }
    int unreadCount() const { return m_unread; }
    bool loading() const { return m_reads.busy(); }

    // Re-reads (coalesced: one read at a time, one more if asked meanwhile).
    Q_INVOKABLE void reload();
    // Marks every notification received so far read (the page calls it when shown).
    Q_INVOKABLE void markAllRead();
    // Answers the follow request of `accountId`: queued, shown at once.
    Q_INVOKABLE void approve(const QString& accountId);
    Q_INVOKABLE void reject(const QString& accountId);

    // The line the page shows for a notification of `type` from `who`.
    static QString textOf(const QString& type, const QString& who);

signals:
    void countChanged();
    void unreadCountChanged();
    void loadingChanged();

private:
    void apply(Snapshot snapshot);

    Session* m_session;
    std::vector<Row> m_rows;
    int m_unread = 0;
    ReadGate m_reads;
};

} // namespace pinhole::app
