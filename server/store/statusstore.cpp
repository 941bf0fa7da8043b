#include "store/statusstore.h"

#include <string>
#include <unordered_map>

namespace pinhole::server::store {

namespace {

Result<std::vector<Id>> readIds(Query& q) {
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

Result<std::vector<Id>> pagedIds(Query& q, const Page& page) {
    auto ids = readIds(q);
    if (ids)
        newestFirst(page, *ids);
    return ids;
}

} // namespace

std::string_view visibilityName(Visibility v) {
    switch (v) {
    case Visibility::Public: return "public";
    case Visibility::Unlisted: return "unlisted";
    case Visibility::Private: return "private";
    }
    return "private";
}

std::optional<Visibility> visibilityFromName(std::string_view name) {
    if (name == "public")
        return Visibility::Public;
    if (name == "unlisted")
        return Visibility::Unlisted;
    if (name == "private")
        return Visibility::Private;
    return std::nullopt;
}

Status insertStatus(Database& db, const StatusRow& s) {
    auto q = db.prepare("INSERT INTO statuses (id, account_id, in_reply_to_id, in_reply_to_account_id, visibility, "
                        "text, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    q.bind(1, s.id).bind(2, s.accountId).bind(3, s.inReplyToId).bind(4, s.inReplyToAccountId);
    q.bind(5, visibilityName(s.visibility)).bind(6, s.text).bind(7, s.createdAt);
    PINHOLE_TRY(q.run());
    for (std::size_t i = 0; i < s.mediaIds.size(); ++i) {
        auto m = db.prepare("INSERT INTO status_media (status_id, position, asset_id) VALUES (?1, ?2, ?3)");
        m.bind(1, s.id).bind(2, static_cast<std::int64_t>(i)).bind(3, s.mediaIds[i]);
        PINHOLE_TRY(m.run());
    }
    for (const auto& tag : s.tags) {
        auto t = db.prepare("INSERT OR IGNORE INTO status_tags (tag, status_id) VALUES (?1, ?2)");
        t.bind(1, tag).bind(2, s.id);
        PINHOLE_TRY(t.run());
    }
    return Status::ok();
}

Result<StatusRow> statusById(Database& db, Id id) {
    auto q = db.prepare("SELECT id, account_id, in_reply_to_id, in_reply_to_account_id, visibility, text, created_at "
                        "FROM statuses WHERE id = ?1");
    q.bind(1, id);
    auto row = q.step();
    if (!row)
        return row.status();
    if (!*row)
        return notFound("status not found");
    StatusRow s;
    s.id = q.int64(0);
    s.accountId = q.int64(1);
    if (!q.isNull(2))
        s.inReplyToId = q.int64(2);
    if (!q.isNull(3))
        s.inReplyToAccountId = q.int64(3);
    s.visibility = visibilityFromName(q.text(4)).value_or(Visibility::Private);
    s.text = q.text(5);
    s.createdAt = q.int64(6);
    auto m = db.prepare("SELECT asset_id FROM status_media WHERE status_id = ?1 ORDER BY position");
    m.bind(1, id);
    auto media = readIds(m);
    if (!media)
        return media.status();
    s.mediaIds = std::move(media).value();
    auto t = db.prepare("SELECT tag FROM status_tags WHERE status_id = ?1 ORDER BY tag");
    t.bind(1, id);
    for (;;) {
        auto r = t.step();
        if (!r)
            return r.status();
        if (!*r)
            break;
        s.tags.push_back(t.text(0));
    }
    return s;
}

Result<std::vector<StatusRow>> statusesByIds(Database& db, const std::vector<Id>& ids) {
    std::vector<StatusRow> out;
    if (ids.empty())
        return out;
    std::unordered_map<Id, std::size_t> index; // status id -> position in `out`
    {
        auto q = db.prepare("SELECT id, account_id, in_reply_to_id, in_reply_to_account_id, visibility, text, "
                            "created_at FROM statuses WHERE id IN (SELECT value FROM json_each(?1))");
        q.bindIds(1, ids);
        for (;;) {
            auto row = q.step();
            if (!row)
                return row.status();
            if (!*row)
                break;
            StatusRow s;
            s.id = q.int64(0);
            s.accountId = q.int64(1);
            if (!q.isNull(2))
                s.inReplyToId = q.int64(2);
            if (!q.isNull(3))
                s.inReplyToAccountId = q.int64(3);
            s.visibility = visibilityFromName(q.text(4)).value_or(Visibility::Private);
            s.text = q.text(5);
            s.createdAt = q.int64(6);
            index.emplace(s.id, out.size());
            out.push_back(std::move(s));
        }
    }
    {
        auto m = db.prepare("SELECT status_id, asset_id FROM status_media WHERE status_id IN "
                            "(SELECT value FROM json_each(?1)) ORDER BY status_id, position");
        m.bindIds(1, ids);
        for (;;) {
            auto row = m.step();
            if (!row)
                return row.status();
            if (!*row)
                break;
            if (auto it = index.find(m.int64(0)); it != index.end())
                out[it->second].mediaIds.push_back(m.int64(1));
        }
    }
    {
        auto t = db.prepare("SELECT status_id, tag FROM status_tags WHERE status_id IN "
                            "(SELECT value FROM json_each(?1)) ORDER BY status_id, tag");
        t.bindIds(1, ids);
        for (;;) {
            auto row = t.step();
            if (!row)
                return row.status();
            if (!*row)
                break;
            if (auto it = index.find(t.int64(0)); it != index.end())
                out[it->second].tags.push_back(t.text(1));
        }
    }
    // Back into the order asked for.
    std::vector<StatusRow> ordered;
    ordered.reserve(out.size());
    for (Id id : ids)
        if (auto it = index.find(id); it != index.end()) { // a repeated id comes once
            ordered.push_back(std::move(out[it->second]));
            index.erase(it);
        }
    return ordered;
}

Status deleteStatus(Database& db, Id id) {
    auto q = db.prepare("DELETE FROM statuses WHERE id = ?1");
    q.bind(1, id);
    return q.run();
}

Result<std::vector<Id>> replyIds(Database& db, Id parent) {
    auto q = db.prepare("SELECT id FROM statuses WHERE in_reply_to_id = ?1 ORDER BY id");
    q.bind(1, parent);
    return readIds(q);
}

Result<std::vector<Id>> accountStatusIds(Database& db, Id account, const Page& page, bool postsOnly) {
    auto q =
        db.prepare(std::string("SELECT id FROM statuses WHERE account_id = ?1 AND id < ?2 AND id > ?3") +
                   (postsOnly ? " AND in_reply_to_id IS NULL" : "") + " ORDER BY id " + page.order() + " LIMIT ?4");
    q.bind(1, account).bind(2, page.upper()).bind(3, page.lower()).bind(4, page.limit);
    return pagedIds(q, page);
}

Result<std::vector<Id>> publicStatusIds(Database& db, const Page& page) {
    auto q = db.prepare(std::string("SELECT id FROM statuses WHERE visibility = 'public' AND in_reply_to_id IS NULL "
                                    "AND id < ?1 AND id > ?2 ORDER BY id ") +
                        page.order() + " LIMIT ?3");
    q.bind(1, page.upper()).bind(2, page.lower()).bind(3, page.limit);
    return pagedIds(q, page);
}

Result<std::vector<Id>> taggedStatusIds(Database& db, std::string_view tag, const Page& page) {
    auto q = db.prepare(std::string("SELECT t.status_id FROM status_tags t JOIN statuses s ON s.id = t.status_id "
                                    "WHERE t.tag = ?1 AND s.visibility = 'public' AND t.status_id < ?2 "
                                    "AND t.status_id > ?3 ORDER BY t.status_id ") +
                        page.order() + " LIMIT ?4");
    q.bind(1, tag).bind(2, page.upper()).bind(3, page.lower()).bind(4, page.limit);
    return pagedIds(q, page);
}

Result<std::vector<Id>> publicStatusIdsMatching(Database& db, std::string_view text, int limit) {
    auto q = db.prepare("SELECT id FROM statuses WHERE visibility = 'public' AND instr(lower(text), lower(?1)) > 0 "
                        "ORDER BY id DESC LIMIT ?2");
    q.bind(1, text).bind(2, limit);
    return readIds(q);
}

Result<std::vector<std::string>> tagsWithPrefix(Database& db, std::string_view prefix, int limit) {
    // A range on the primary key: every tag >= prefix and < prefix followed by the highest code point.
    auto q = db.prepare("SELECT DISTINCT tag FROM status_tags WHERE tag >= ?1 AND tag < ?1 || char(1114111) "
                        "ORDER BY tag LIMIT ?2");
    q.bind(1, prefix).bind(2, limit);
    std::vector<std::string> out;
    for (;;) {
        auto row = q.step();
        if (!row)
            return row.status();
        if (!*row)
            return out;
        out.push_back(q.text(0));
    }
}

Result<std::vector<Id>> statusesWithAsset(Database& db, Id assetId) {
    auto q = db.prepare("SELECT status_id FROM status_media WHERE asset_id = ?1");
    q.bind(1, assetId);
    return readIds(q);
}

Result<bool> insertFavourite(Database& db, Id statusId, Id accountId, Id id, std::int64_t now) {
    auto q =
        db.prepare("INSERT OR IGNORE INTO favourites (status_id, account_id, id, created_at) VALUES (?1, ?2, ?3, ?4)");
    q.bind(1, statusId).bind(2, accountId).bind(3, id).bind(4, now);
    PINHOLE_TRY(q.run());
    return db.changes() > 0;
}

Result<bool> deleteFavourite(Database& db, Id statusId, Id accountId) {
    auto q = db.prepare("DELETE FROM favourites WHERE status_id = ?1 AND account_id = ?2");
    q.bind(1, statusId).bind(2, accountId);
    PINHOLE_TRY(q.run());
    return db.changes() > 0;
}

Result<bool> hasFavourited(Database& db, Id statusId, Id accountId) {
    auto q = db.prepare("SELECT 1 FROM favourites WHERE status_id = ?1 AND account_id = ?2");
    q.bind(1, statusId).bind(2, accountId);
    return q.step();
}

Result<std::vector<Id>> favouritedAmong(Database& db, Id accountId, const std::vector<Id>& statusIds) {
    if (statusIds.empty())
        return std::vector<Id>{};
    auto q = db.prepare("SELECT status_id FROM favourites WHERE account_id = ?1 AND status_id IN "
                        "(SELECT value FROM json_each(?2))");
    q.bind(1, accountId).bindIds(2, statusIds);
    return readIds(q);
}

Result<std::vector<EdgeEntry>> favouritesOf(Database& db, Id statusId, const Page& page) {
    auto q = db.prepare(std::string("SELECT id, account_id FROM favourites WHERE status_id = ?1 AND id < ?2 AND "
                                    "id > ?3 ORDER BY id ") +
                        page.order() + " LIMIT ?4");
    q.bind(1, statusId).bind(2, page.upper()).bind(3, page.lower()).bind(4, page.limit);
    std::vector<EdgeEntry> out;
    for (;;) {
        auto row = q.step();
        if (!row)
            return row.status();
        if (!*row)
            break;
        out.push_back({q.int64(0), q.int64(1)});
    }
    newestFirst(page, out);
    return out;
}

Result<std::optional<Id>> idempotentStatus(Database& db, Id accountId, std::string_view key) {
    auto q = db.prepare("SELECT status_id FROM idempotency_keys WHERE account_id = ?1 AND key = ?2");
    q.bind(1, accountId).bind(2, key);
    auto row = q.step();
    if (!row)
        return row.status();
    return *row ? std::optional<Id>(q.int64(0)) : std::nullopt;
}

Status rememberIdempotencyKey(Database& db, Id accountId, std::string_view key, Id statusId, std::int64_t now,
                              std::int64_t keepMillis) {
    auto old = db.prepare("DELETE FROM idempotency_keys WHERE created_at < ?1");
    old.bind(1, now - keepMillis);
    PINHOLE_TRY(old.run());
    auto q =
        db.prepare("INSERT INTO idempotency_keys (account_id, key, status_id, created_at) VALUES (?1, ?2, ?3, ?4)");
    q.bind(1, accountId).bind(2, key).bind(3, statusId).bind(4, now);
    return q.run();
}

} // namespace pinhole::server::store
