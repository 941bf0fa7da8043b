#include "store/syncstore.h"

namespace pinhole::server::store {

namespace {

Result<std::vector<Id>> idsOf(Query& q) {
    std::vector<Id> out;
    for (;;) {
        auto row = q.step();
        if (!row)
            return row.status();
        if (!*row)
            return out;
        out.push_back(q.int64(0));
    }
}

Result<std::int64_t> singleInt(Query& q) {
    auto row = q.step();
    if (!row)
        return row.status();
    if (!*row)
        return internalError("no row");
    return q.isNull(0) ? std::int64_t{0} : q.int64(0);
}

std::optional<Id> optionalId(const Query& q, int column) {
    return q.isNull(column) ? std::nullopt : std::optional<Id>(q.int64(column));
}

} // namespace

Result<std::int64_t> syncEpoch(Database& db) {
    auto q = db.prepare("SELECT epoch FROM sync_epoch LIMIT 1");
    return singleInt(q);
}

Result<std::int64_t> oldestEventSeq(Database& db) {
    auto q = db.prepare("SELECT min(seq) FROM events");
    return singleInt(q);
}

Result<std::vector<Event>> eventsConcerning(Database& db, Id account, std::int64_t after, std::int64_t upTo,
                                            int limit) {
    auto q =
        db.prepare("SELECT seq, type, actor_id, account_id, status_id, parent_id, created_at, subject_id FROM events "
                   "WHERE seq > ?1 AND seq <= ?2 AND (actor_id = ?3 OR account_id = ?3 "
                   "  OR actor_id IN (SELECT followee_id FROM follows WHERE follower_id = ?3) "
                   "  OR account_id IN (SELECT followee_id FROM follows WHERE follower_id = ?3)) "
                   "ORDER BY seq LIMIT ?4");
    q.bind(1, after).bind(2, upTo).bind(3, account).bind(4, limit);
    std::vector<Event> out;
    for (;;) {
        auto row = q.step();
        if (!row)
            return row.status();
        if (!*row)
            return out;
        auto type = eventTypeFromName(q.text(1));
        if (!type)
            continue; // a type this binary does not know (a newer one wrote it): nothing to sync
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

Result<std::vector<Id>> relatedAccountIds(Database& db, Id account, Id after, int limit) {
    auto q = db.prepare("SELECT id FROM ("
                        " SELECT followee_id AS id FROM follows WHERE follower_id = ?1"
                        " UNION SELECT follower_id FROM follows WHERE followee_id = ?1"
                        " UNION SELECT target_id FROM follow_requests WHERE requester_id = ?1"
                        " UNION SELECT requester_id FROM follow_requests WHERE target_id = ?1"
                        " UNION SELECT blocked_id FROM blocks WHERE blocker_id = ?1"
                        " UNION SELECT blocker_id FROM blocks WHERE blocked_id = ?1)"
                        " WHERE id > ?2 ORDER BY id LIMIT ?3");
    q.bind(1, account).bind(2, after).bind(3, limit);
    return idsOf(q);
}

Result<std::vector<Id>> ownedAssetIds(Database& db, Id account, Id after, int limit) {
    auto q = db.prepare("SELECT id FROM assets WHERE owner_id = ?1 AND id > ?2 ORDER BY id LIMIT ?3");
    q.bind(1, account).bind(2, after).bind(3, limit);
    return idsOf(q);
}

Result<std::vector<Id>> mirroredPostIds(Database& db, Id account, Id after, int limit) {
    auto q = db.prepare("SELECT id FROM statuses WHERE in_reply_to_id IS NULL AND id > ?2 AND (account_id = ?1 "
                        " OR account_id IN (SELECT followee_id FROM follows WHERE follower_id = ?1)) "
                        "ORDER BY id LIMIT ?3");
    q.bind(1, account).bind(2, after).bind(3, limit);
    return idsOf(q);
}

Result<std::vector<Id>> mirroredCommentIds(Database& db, Id account, Id after, int limit) {
    auto q = db.prepare("SELECT id FROM statuses WHERE in_reply_to_id IS NOT NULL AND id > ?2 AND (account_id = ?1 "
                        " OR in_reply_to_account_id = ?1 "
                        " OR in_reply_to_account_id IN (SELECT followee_id FROM follows WHERE follower_id = ?1)) "
                        "ORDER BY id LIMIT ?3");
    q.bind(1, account).bind(2, after).bind(3, limit);
    return idsOf(q);
}

Result<std::vector<LikeRow>> likesOf(Database& db, Id account, Id after, int limit) {
    auto q = db.prepare("SELECT status_id, created_at FROM favourites WHERE account_id = ?1 AND status_id > ?2 "
                        "ORDER BY status_id LIMIT ?3");
    q.bind(1, account).bind(2, after).bind(3, limit);
    std::vector<LikeRow> out;
    for (;;) {
        auto row = q.step();
        if (!row)
            return row.status();
        if (!*row)
            return out;
        out.push_back({q.int64(0), q.int64(1)});
    }
}

Result<std::optional<std::int64_t>> likedAt(Database& db, Id account, Id statusId) {
    auto q = db.prepare("SELECT created_at FROM favourites WHERE account_id = ?1 AND status_id = ?2");
    q.bind(1, account).bind(2, statusId);
    auto row = q.step();
    if (!row)
        return row.status();
    return *row ? std::optional<std::int64_t>(q.int64(0)) : std::nullopt;
}

Result<std::vector<Id>> recentPostIds(Database& db, Id author, int limit) {
    auto q = db.prepare("SELECT id FROM (SELECT id FROM statuses WHERE account_id = ?1 AND in_reply_to_id IS NULL "
                        "ORDER BY id DESC LIMIT ?2) ORDER BY id");
    q.bind(1, author).bind(2, limit);
    return idsOf(q);
}

Result<std::optional<AppliedOp>> appliedOp(Database& db, Id account, std::string_view opId) {
    auto q = db.prepare("SELECT kind, hlc, subject_id, result_id FROM sync_ops WHERE account_id = ?1 AND op_id = ?2");
    q.bind(1, account).bind(2, opId);
    auto row = q.step();
    if (!row)
        return row.status();
    if (!*row)
        return std::optional<AppliedOp>{};
    AppliedOp op;
    op.opId = std::string(opId);
    op.kind = q.text(0);
    op.hlc = static_cast<std::uint64_t>(q.int64(1));
    op.subjectId = optionalId(q, 2);
    op.resultId = optionalId(q, 3);
    return std::optional<AppliedOp>(std::move(op));
}

Status recordAppliedOp(Database& db, Id account, const AppliedOp& op, std::int64_t now) {
    auto q = db.prepare("INSERT INTO sync_ops (account_id, op_id, kind, hlc, subject_id, result_id, created_at) "
                        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT DO NOTHING");
    q.bind(1, account).bind(2, op.opId).bind(3, op.kind).bind(4, static_cast<std::int64_t>(op.hlc));
    q.bind(5, op.subjectId).bind(6, op.resultId).bind(7, now);
    PINHOLE_TRY(q.run());
    if (db.changes() == 0)
        return conflict("operation " + op.opId + " was applied already");
    return Status::ok();
}

Result<std::uint64_t> latestOpStamp(Database& db, Id account, Id subject, const std::vector<std::string_view>& kinds) {
    std::uint64_t latest = 0;
    for (std::string_view kind : kinds) {
        auto q = db.prepare("SELECT max(hlc) FROM sync_ops WHERE account_id = ?1 AND subject_id = ?2 AND kind = ?3");
        q.bind(1, account).bind(2, subject).bind(3, kind);
        auto stamp = singleInt(q);
        if (!stamp)
            return stamp.status();
        latest = std::max(latest, static_cast<std::uint64_t>(*stamp));
    }
    return latest;
}

Result<std::map<std::string, std::uint64_t>> fieldStamps(Database& db, std::string_view entity, Id id) {
    auto q = db.prepare("SELECT field, hlc FROM sync_field_stamps WHERE entity = ?1 AND entity_id = ?2");
    q.bind(1, entity).bind(2, id);
    std::map<std::string, std::uint64_t> out;
    for (;;) {
        auto row = q.step();
        if (!row)
            return row.status();
        if (!*row)
            return out;
        out[q.text(0)] = static_cast<std::uint64_t>(q.int64(1));
    }
}

Status setFieldStamp(Database& db, std::string_view entity, Id id, std::string_view field, std::uint64_t hlc) {
    auto q = db.prepare("INSERT INTO sync_field_stamps (entity, entity_id, field, hlc) VALUES (?1, ?2, ?3, ?4) "
                        "ON CONFLICT (entity, entity_id, field) DO UPDATE SET hlc = excluded.hlc");
    q.bind(1, entity).bind(2, id).bind(3, field).bind(4, static_cast<std::int64_t>(hlc));
    return q.run();
}

Result<std::optional<ClientId>> clientIdOf(Database& db, Id account, std::string_view kind, std::string_view clientId) {
    auto q = db.prepare("SELECT entity_id, hlc, deleted FROM sync_client_ids "
                        "WHERE account_id = ?1 AND kind = ?2 AND client_id = ?3");
    q.bind(1, account).bind(2, kind).bind(3, clientId);
    auto row = q.step();
    if (!row)
        return row.status();
    if (!*row)
        return std::optional<ClientId>();
    return std::optional<ClientId>(
        ClientId{std::string(clientId), q.int64(0), static_cast<std::uint64_t>(q.int64(1)), q.int64(2) != 0});
}

Result<std::optional<std::string>> clientIdOfEntity(Database& db, std::string_view kind, Id entityId) {
    auto q = db.prepare("SELECT client_id FROM sync_client_ids WHERE kind = ?1 AND entity_id = ?2");
    q.bind(1, kind).bind(2, entityId);
    auto row = q.step();
    if (!row)
        return row.status();
    if (!*row)
        return std::optional<std::string>();
    return std::optional<std::string>(q.text(0));
}

Status setClientId(Database& db, Id account, std::string_view kind, const ClientId& id) {
    auto q = db.prepare("INSERT INTO sync_client_ids (account_id, kind, client_id, entity_id, hlc, deleted) "
                        "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (account_id, kind, client_id) DO UPDATE SET "
                        "entity_id = excluded.entity_id, hlc = excluded.hlc, deleted = excluded.deleted");
    q.bind(1, account)
        .bind(2, kind)
        .bind(3, id.clientId)
        .bind(4, id.entityId)
        .bind(5, static_cast<std::int64_t>(id.hlc))
        .bind(6, id.deleted ? 1 : 0);
    return q.run();
}

namespace {
Result<std::vector<Id>> idList(Query& q) {
    std::vector<Id> out;
    for (;;) {
        auto row = q.step();
        if (!row)
            return row.status();
        if (!*row)
            return out;
        out.push_back(q.int64(0));
    }
}
} // namespace

Result<std::vector<Id>> ownedAlbumIds(Database& db, Id account, Id after, int limit) {
    auto q = db.prepare("SELECT id FROM albums WHERE owner_id = ?1 AND id > ?2 ORDER BY id LIMIT ?3");
    q.bind(1, account).bind(2, after).bind(3, limit);
    return idList(q);
}

Result<std::vector<Id>> ownedAnnotationIds(Database& db, Id account, Id after, int limit) {
    auto q = db.prepare("SELECT id FROM annotations WHERE owner_id = ?1 AND id > ?2 ORDER BY id LIMIT ?3");
    q.bind(1, account).bind(2, after).bind(3, limit);
    return idList(q);
}

} // namespace pinhole::server::store
