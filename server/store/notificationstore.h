// SQL for notifications (written by the notifications consumer of the event log).
#pragma once

#include "core/ids.h"
#include "core/status.h"
#include "store/database.h"
#include "store/page.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pinhole::server::store {

struct Notification {
    Id id = 0;
    Id accountId = 0; // who is told
    std::string type; // follow | follow_request | favourite | mention
    Id fromAccountId = 0;
    std::optional<Id> statusId;
    std::int64_t createdAt = 0;
};

// Nothing is written for a status that no longer exists.
Status insertNotification(Database& db, const Notification& n);
Result<std::vector<Notification>> notificationsOf(Database& db, Id accountId, const Page& page);
Result<Notification> notificationById(Database& db, Id accountId, Id id);
// Removes notifications of `type` to `accountId` from `fromAccountId` (a withdrawn request).
Status deleteNotifications(Database& db, Id accountId, Id fromAccountId, const std::string& type);
// Removes every notification between the two accounts, both ways (a block).
Status deleteNotificationsBetween(Database& db, Id a, Id b);
Status clearNotifications(Database& db, Id accountId);
Status dismissNotification(Database& db, Id accountId, Id id);

} // namespace pinhole::server::store
