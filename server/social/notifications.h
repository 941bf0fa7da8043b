// Notifications: the consumer of the event log that writes them (follow, follow_request,
// favourite, mention for a comment) and the service that lists them to their recipient, leaving
// out what the recipient may not see (social/visibility.h).
#pragma once

#include "social/eventlog.h"
#include "social/paged.h"
#include "social/statusservice.h"
#include "store/notificationstore.h"

#include <optional>

namespace pinhole::server::social {

class NotificationsConsumer : public Consumer {
public:
    static constexpr std::string_view kName = "notifications";
    std::string_view name() const override { return kName; }
    Status apply(store::Database& db, const store::Event& event) override;
};

struct NotificationView {
    store::Notification notification;
    store::Account from;
    store::AccountCounts fromCounts;
    std::optional<StatusView> status;
};

class NotificationService {
public:
    NotificationService(store::Store& store, StatusService& statuses) : m_store(store), m_statuses(statuses) {}

    Result<Paged<NotificationView>> list(Id viewer, const store::Page& page);
    Result<NotificationView> get(Id viewer, Id id);
    Status clear(Id viewer);
    Status dismiss(Id viewer, Id id);

private:
    // Empty if the viewer may no longer see what it is about.
    Result<std::optional<NotificationView>> view(store::Database& db, Access& access, store::Notification n);

    store::Store& m_store;
    StatusService& m_statuses;
};

} // namespace pinhole::server::social
