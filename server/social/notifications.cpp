#include "social/notifications.h"

#include "store/counterstore.h"

namespace pinhole::server::social {

using store::EventType;

Status NotificationsConsumer::apply(store::Database& db, const store::Event& e) {
    store::Notification n;
    n.fromAccountId = e.actorId;
    n.createdAt = e.createdAt;
    switch (e.type) {
    case EventType::FollowCreated:
        n.type = "follow";
        break;
    case EventType::FollowRequested:
        n.type = "follow_request";
        break;
    case EventType::FollowRequestDeleted:
        return e.accountId ? store::deleteNotifications(db, *e.accountId, e.actorId, "follow_request") : Status::ok();
    case EventType::BlockCreated:
        return e.accountId ? store::deleteNotificationsBetween(db, e.actorId, *e.accountId) : Status::ok();
    case EventType::FavouriteCreated:
        n.type = "favourite";
        n.statusId = e.statusId;
        break;
    case EventType::StatusCreated:
        if (!e.parentId) // only a comment tells someone
            return Status::ok();
        n.type = "mention";
        n.statusId = e.statusId;
        break;
    default:
        return Status::ok();
    }
    if (!e.accountId || *e.accountId == e.actorId)
        return Status::ok();
    n.accountId = *e.accountId;
    n.id = newId();
    return store::insertNotification(db, n);
}

Result<std::optional<NotificationView>> NotificationService::view(store::Database& db, Access& access,
                                                                  store::Notification n) {
    auto ties = access.ties(n.fromAccountId);
    if (!ties)
        return ties.status();
    if (!mayInteract(*ties))
        return std::optional<NotificationView>{};
    NotificationView v;
    auto from = access.account(n.fromAccountId);
    if (!from)
        return from.status();
    v.from = std::move(from).value();
    auto counts = store::accountCounts(db, n.fromAccountId);
    if (!counts)
        return counts.status();
    v.fromCounts = *counts;
    if (n.statusId) {
        auto status = m_statuses.views(db, access, {*n.statusId});
        if (!status)
            return status.status();
        if (status->empty())
            return std::optional<NotificationView>{};
        v.status = std::move(status->front());
    }
    v.notification = std::move(n);
    return std::optional<NotificationView>{std::move(v)};
}

Result<Paged<NotificationView>> NotificationService::list(Id viewer, const store::Page& page) {
    auto db = m_store.connection();
    if (!db)
        return db.status();
    auto rows = store::notificationsOf(**db, viewer, page);
    if (!rows)
        return rows.status();
    Access access(**db, viewer);
    Paged<NotificationView> out;
    std::vector<Id> ids;
    for (auto& n : *rows) {
        ids.push_back(n.id);
        auto v = view(**db, access, std::move(n));
        if (!v)
            return v.status();
        if (*v)
            out.items.push_back(std::move(**v));
    }
    setCursors(out, ids);
    return out;
}

Result<NotificationView> NotificationService::get(Id viewer, Id id) {
    auto db = m_store.connection();
    if (!db)
        return db.status();
    auto n = store::notificationById(**db, viewer, id);
    if (!n)
        return n.status();
    Access access(**db, viewer);
    auto v = view(**db, access, std::move(n).value());
    if (!v)
        return v.status();
    if (!*v)
        return notFound("notification not found");
    return std::move(**v);
}

Status NotificationService::clear(Id viewer) {
    auto db = m_store.connection();
    if (!db)
        return db.status();
    return store::clearNotifications(**db, viewer);
}

Status NotificationService::dismiss(Id viewer, Id id) {
    auto db = m_store.connection();
    if (!db)
        return db.status();
    return store::dismissNotification(**db, viewer, id);
}

} // namespace pinhole::server::social
