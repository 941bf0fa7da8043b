#include "people/notificationsmodel.h"

namespace pinhole::app {

NotificationsModel::NotificationsModel(Session* session, QObject* parent)
    : QAbstractListModel(parent), m_session(session) {
    // A sync round that brought notifications, or an answer queued here.
    connect(m_session, &Session::libraryChanged, this, &NotificationsModel::reload);
}

int NotificationsModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_rows.size());
}

QString NotificationsModel::textOf(const QString& type, const QString& who) {
    if (type == QLatin1String("follow"))
        return tr("%1 followed you").arg(who);
    if (type == QLatin1String("follow_request"))
        return tr("%1 asks to follow you").arg(who);
    if (type == QLatin1String("favourite"))
        return tr("%1 liked your post").arg(who);
    if (type == QLatin1String("mention"))
        return tr("%1 commented on your post").arg(who);
    return tr("%1: %2").arg(who, type);
}

QVariant NotificationsModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row& r = m_rows[std::size_t(index.row())];
    switch (role) {
    case NotificationIdRole: return r.id;
    case TypeRole: return r.type;
    case Qt::DisplayRole:
    case TextRole: return textOf(r.type, r.from.displayName);
    case CreatedAtRole: return r.createdAt;
    case AccountIdRole: return r.from.id;
    case UsernameRole: return r.from.username;
    case DisplayNameRole: return r.from.displayName;
    case AvatarRole: return r.from.avatar;
    case StatusIdRole: return r.statusId;
    case UnreadRole: return r.unread;
    case ActionableRole: return r.actionable;
    default: return {};
    }
}

QHash<int, QByteArray> NotificationsModel::roleNames() const {
    return {{NotificationIdRole, "notificationId"},
            {TypeRole, "type"},
            {TextRole, "summary"},
            {CreatedAtRole, "createdAt"},
            {AccountIdRole, "accountId"},
            {UsernameRole, "username"},
            {DisplayNameRole, "displayName"},
            {AvatarRole, "avatar"},
            {StatusIdRole, "statusId"},
            {UnreadRole, "unread"},
            {ActionableRole, "actionable"}};
}

void NotificationsModel::reload() {
    if (!m_reads.tryStart())
        return;
    emit loadingChanged();
    m_session->call<Snapshot>(
        [](sync::Engine& engine) {
            Snapshot out;
            auto& social = engine.social();
            if (auto list = social.notifications())
                for (const auto& n : *list)
                    out.rows.push_back({QString::fromStdString(n.id), QString::fromStdString(n.type),
                                        QDateTime::fromMSecsSinceEpoch(n.createdAt), personOf(n.from),
                                        QString::fromStdString(n.statusId), n.unread, n.actionable});
            if (auto unread = social.unreadNotificationCount())
                out.unread = *unread;
            return out;
        },
        this, [this](Snapshot snapshot) { apply(std::move(snapshot)); });
}

void NotificationsModel::apply(Snapshot snapshot) {
    const int before = count();
    beginResetModel();
    m_rows = std::move(snapshot.rows);
    endResetModel();
    if (before != count())
        emit countChanged();
    if (snapshot.unread != m_unread) {
        m_unread = snapshot.unread;
        emit unreadCountChanged();
    }
    if (m_reads.finish()) {
        reload();
        return;
    }
    emit loadingChanged();
}

void NotificationsModel::markAllRead() {
    // Local only (nothing to send), so not an edit: no library reload, no sync nudge.
    m_session->call(
        [](sync::Engine& engine) {
            if (const sync::Status s = engine.social().markNotificationsRead(); !s)
                qWarning("marking notifications read failed: %s", s.message().c_str());
        },
        this, [this] { reload(); });
}

void NotificationsModel::approve(const QString& accountId) {
    m_session->edit([id = accountId.toStdString()](sync::Engine& engine) {
        auto op = engine.social().approveFollowRequest(id);
        return op ? sync::Status::ok() : op.status();
    });
}

void NotificationsModel::reject(const QString& accountId) {
    m_session->edit([id = accountId.toStdString()](sync::Engine& engine) {
        auto op = engine.social().rejectFollowRequest(id);
        return op ? sync::Status::ok() : op.status();
    });
}

} // namespace pinhole::app
