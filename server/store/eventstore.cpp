#include "store/eventstore.h"

#include <array>
#include <utility>

namespace pinhole::server::store {

namespace {
constexpr std::array<std::pair<EventType, std::string_view>, 23> kNames{{
    {EventType::StatusCreated, "status.created"},
    {EventType::StatusDeleted, "status.deleted"},
    {EventType::FavouriteCreated, "favourite.created"},
    {EventType::FavouriteDeleted, "favourite.deleted"},
    {EventType::FollowCreated, "follow.created"},
    {EventType::FollowDeleted, "follow.deleted"},
    {EventType::FollowRequested, "follow_request.created"},
    {EventType::FollowRequestDeleted, "follow_request.deleted"},
    {EventType::BlockCreated, "block.created"},
    {EventType::BlockDeleted, "block.deleted"},
    {EventType::AccountUpdated, "account.updated"},
    {EventType::AssetCreated, "asset.created"},
    {EventType::AssetUpdated, "asset.updated"},
    {EventType::AnnotationChanged, "annotation.changed"},
    {EventType::AnnotationOperationCommitted, "annotation_operation.committed"},
    {EventType::AssetTrashed, "asset.trashed"},
    {EventType::AssetRestored, "asset.restored"},
    {EventType::AssetPurged, "asset.purged"},
    {EventType::AlbumCreated, "album.created"},
    {EventType::AlbumUpdated, "album.updated"},
    {EventType::AlbumDeleted, "album.deleted"},
    {EventType::AlbumAssetsChanged, "album.assets_changed"},
    {EventType::AnnotationReplaced, "annotation.replaced"},
}};

std::optional<Id> optionalId(const Query& q, int column) {
    return q.isNull(column) ? std::nullopt : std::optional<Id>(q.int64(column));
}
} // namespace

std::string_view eventTypeName(EventType type) {
    for (const auto& [t, name] : kNames)
        if (t == type)
            return name;
    return "unknown";
}

std::optional<EventType> eventTypeFromName(std::string_view name) {
    for (const auto& [t, n] : kNames)
        if (n == name)
            return t;
    return std::nullopt;
}

Status appendEvent(Database& db, const Event& e, std::int64_t now) {
    auto q = db.prepare("INSERT INTO events (type, actor_id, account_id, status_id, parent_id, created_at, subject_id) "
                        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    q.bind(1, eventTypeName(e.type)).bind(2, e.actorId).bind(3, e.accountId).bind(4, e.statusId);
    q.bind(5, e.parentId).bind(6, now).bind(7, e.subjectId);
    return q.run();
}

Result<std::vector<Event>> eventsAfter(Database& db, std::int64_t after, int limit) {
    auto q =
        db.prepare("SELECT seq, type, actor_id, account_id, status_id, parent_id, created_at, subject_id FROM events "
                   "WHERE seq > ?1 ORDER BY seq LIMIT ?2");
    q.bind(1, after).bind(2, limit);
    std::vector<Event> out;
    for (;;) {
        auto row = q.step();
        if (!row)
            return row.status();
        if (!*row)
            return out;
        auto type = eventTypeFromName(q.text(1));
        if (!type)
            return internalError("event " + std::to_string(q.int64(0)) + " has an unknown type " + q.text(1));
        Event e;
        e.seq = q.int64(0);
        e.type = *type;
        e.actorId = q.int64(2);
        e.accountId = optionalId(q, 3);
        e.statusId = optionalId(q, 4);
        e.parentId = optionalId(q, 5);
        e.createdAt = q.int64(6);
        e.subjectId = optionalId(q, 7);
        out.push_back(e);
    }
}

Result<std::int64_t> lastEventSeq(Database& db) {
    auto q = db.prepare("SELECT coalesce(max(seq), 0) FROM events");
    auto row = q.step();
    if (!row)
        return row.status();
    return q.int64(0);
}

Result<std::int64_t> consumerCursor(Database& db, std::string_view consumer) {
    auto q = db.prepare("SELECT seq FROM consumer_cursors WHERE consumer = ?1");
    q.bind(1, consumer);
    auto row = q.step();
    if (!row)
        return row.status();
    return *row ? q.int64(0) : std::int64_t{0};
}

Result<std::array<std::int64_t, 4>> lastSeqCursorsAndAuthGeneration(Database& db, std::string_view first,
                                                                     std::string_view second) {
    auto q = db.prepare("SELECT (SELECT coalesce(max(seq), 0) FROM events), "
                        "coalesce((SELECT seq FROM consumer_cursors WHERE consumer = ?1), 0), "
                        "coalesce((SELECT seq FROM consumer_cursors WHERE consumer = ?2), 0), "
                        "(SELECT generation FROM auth_generation WHERE id = 1)");
    q.bind(1, first).bind(2, second);
    auto row = q.step();
    if (!row)
        return row.status();
    if (q.isNull(3))
        return internalError("auth_generation has no row");
    return std::array<std::int64_t, 4>{q.int64(0), q.int64(1), q.int64(2), q.int64(3)};
}

Status setConsumerCursor(Database& db, std::string_view consumer, std::int64_t seq) {
    auto q = db.prepare("INSERT INTO consumer_cursors (consumer, seq) VALUES (?1, ?2) "
                        "ON CONFLICT (consumer) DO UPDATE SET seq = excluded.seq");
    q.bind(1, consumer).bind(2, seq);
    return q.run();
}

} // namespace pinhole::server::store
