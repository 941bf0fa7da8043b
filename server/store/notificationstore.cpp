#include "store/notificationstore.h"

namespace pinhole::server::store {

namespace {
constexpr const char* kColumns = "id, account_id, type, from_account_id, status_id, created_at";

Notification readRow(const Query& q) {
    Notification n;
    n.id = q.int64(0);
    n.accountId = q.int64(1);
    n.type = q.text(2);
    n.fromAccountId = q.int64(3);
    if (!q.isNull(4))
        n.statusId = q.int64(4);
    n.createdAt = q.int64(5);
    return n;
}
} // namespace

Status insertNotification(Database& db, const Notification& n) {
    auto q = db.prepare("INSERT INTO notifications (id, account_id, type, from_account_id, status_id, created_at) "
                        "SELECT ?1, ?2, ?3, ?4, ?5, ?6 WHERE ?5 IS NULL OR EXISTS (SELECT 1 FROM statuses WHERE id = ?5)");
    q.bind(1, n.id).bind(2, n.accountId).bind(3, n.type).bind(4, n.fromAccountId).bind(5, n.statusId);
    q.bind(6, n.createdAt);
    return q.run();
}

Result<std::vector<Notification>> notificationsOf(Database& db, Id accountId, const Page& page) {
    auto q = db.prepare(std::string("SELECT ") + kColumns +
                        " FROM notifications WHERE account_id = ?1 AND id < ?2 AND id > ?3 ORDER BY id " +
                        page.order() + " LIMIT ?4");
    q.bind(1, accountId).bind(2, page.upper()).bind(3, page.lower()).bind(4, page.limit);
    std::vector<Notification> out;
    for (;;) {
        auto row = q.step();
        if (!row)
            return row.status();
        if (!*row)
            break;
        out.push_back(readRow(q));
    }
    newestFirst(page, out);
    return out;
}

Result<Notification> notificationById(Database& db, Id accountId, Id id) {
    auto q = db.prepare(std::string("SELECT ") + kColumns + " FROM notifications WHERE account_id = ?1 AND id = ?2");
    q.bind(1, accountId).bind(2, id);
    auto row = q.step();
    if (!row)
        return row.status();
    if (!*row)
        return notFound("notification not found");
    return readRow(q);
}

Status deleteNotifications(Database& db, Id accountId, Id fromAccountId, const std::string& type) {
    auto q = db.prepare("DELETE FROM notifications WHERE account_id = ?1 AND from_account_id = ?2 AND type = ?3");
    q.bind(1, accountId).bind(2, fromAccountId).bind(3, type);
    return q.run();
}

Status deleteNotificationsBetween(Database& db, Id a, Id b) {
    auto q = db.prepare("DELETE FROM notifications WHERE (account_id = ?1 AND from_account_id = ?2) OR "
                        "(account_id = ?2 AND from_account_id = ?1)");
    q.bind(1, a).bind(2, b);
    return q.run();
}

Status clearNotifications(Database& db, Id accountId) {
    auto q = db.prepare("DELETE FROM notifications WHERE account_id = ?1");
    q.bind(1, accountId);
    return q.run();
}

Status dismissNotification(Database& db, Id accountId, Id id) {
    auto q = db.prepare("DELETE FROM notifications WHERE account_id = ?1 AND id = ?2");
    q.bind(1, accountId).bind(2, id);
    return q.run();
}

} // namespace pinhole::server::store
