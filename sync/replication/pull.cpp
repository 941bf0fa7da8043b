#include "replication/pull.h"

#include "core/digest.h"
#include "library/library.h"

#include <boost/json.hpp>
#include <curl/curl.h>

#include <algorithm>
#include <cstdio>
#include <set>

namespace json = boost::json;

namespace pinhole::sync {

namespace {
std::int64_t i64(std::uint64_t v) {
    return static_cast<std::int64_t>(v);
}

std::string stringField(const json::object& o, const char* key) {
    const auto* v = o.if_contains(key);
    return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

std::string urlEncode(const std::string& s) {
    char* escaped = curl_easy_escape(nullptr, s.c_str(), static_cast<int>(s.size()));
    std::string out = escaped ? escaped : "";
    curl_free(escaped);
    return out;
}

Status mirrorUpsert(store::Database& db, const std::string& kind, const std::string& id, const json::value& data) {
    return db
        .prepare("INSERT INTO mirror(kind, id, body, deleted) VALUES (?, ?, ?, 0) "
                 "ON CONFLICT(kind, id) DO UPDATE SET body = excluded.body, deleted = 0")
        .bind(1, kind)
        .bind(2, id)
        .bind(3, json::serialize(data))
        .run();
}

Status mirrorDelete(store::Database& db, const std::string& kind, const std::string& id) {
    return db.prepare("DELETE FROM mirror WHERE kind = ? AND id = ?").bind(1, kind).bind(2, id).run();
}

// Whether an unsent local op (queued or sending) of `kind` matches: `where` is an SQL condition
// on its payload (json_extract(payload, ...)), bound to `values` in order. An entity with unsent
// edits keeps its local state for what they touch; the server's answer to them is an event that
// sends the entity again (docs/protocol.md §4).
Result<bool> pendingOp(store::Database& db, const std::string& kinds, const std::string& where,
                       const std::vector<std::string>& values) {
    auto q = db.prepare("SELECT count(*) FROM outbox WHERE state IN ('queued', 'sending') AND kind IN (" + kinds +
                        ") AND " + where);
    for (std::size_t i = 0; i < values.size(); ++i)
        q.bind(static_cast<int>(i + 1), values[i]);
    auto row = q.step();
    if (!row)
        return row.status();
    return q.int64(0) > 0;
}

const json::value* path(const json::object& o, std::initializer_list<const char*> keys) {
    const json::value* v = nullptr;
    const json::object* at = &o;
    for (const char* key : keys) {
        if (!at)
            return nullptr;
        v = at->if_contains(key);
        if (!v)
            return nullptr;
        at = v->is_object() ? &v->as_object() : nullptr;
    }
    return v;
}

std::optional<std::string> textAt(const json::object& o, std::initializer_list<const char*> keys) {
    const json::value* v = path(o, keys);
    if (!v || v->is_null())
        return std::nullopt;
    if (v->is_string())
        return std::string(v->as_string());
    if (v->is_number()) { // "2.8", "400": as people write them
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.4g", v->to_number<double>());
        return std::string(buf);
    }
    return std::nullopt;
}

std::optional<double> numberAt(const json::object& o, std::initializer_list<const char*> keys) {
    const json::value* v = path(o, keys);
    if (!v || !v->is_number())
        return std::nullopt;
    return v->to_number<double>();
}

// ISO 8601 ("2024-05-01T14:03:22Z") to the EXIF form the library keeps ("2024:05:01 14:03:22").
std::optional<std::string> exifTime(const std::optional<std::string>& iso) {
    if (!iso || iso->size() < 19)
        return std::nullopt;
    std::string t = iso->substr(0, 19);
    t[4] = ':';
    t[7] = ':';
    t[10] = ' ';
    return t;
}

// What the server knows of a photo that the library shows: the favourite mark and the trash (unless
// an unsent local edit of them waits), and the EXIF details the local import could not read.
Status applyAssetDetails(store::Database& db, std::int64_t localId, const std::string& sha, const json::object& data) {
    auto favouritePending = pendingOp(db, "'asset.update'",
                                      "json_extract(payload, '$.asset_sha256') = ?1 AND "
                                      "json_extract(payload, '$.set.favourite') IS NOT NULL",
                                      {sha});
    if (!favouritePending)
        return favouritePending.status();
    auto trashPending =
        pendingOp(db, "'asset.trash', 'asset.restore'", "json_extract(payload, '$.asset_sha256') = ?1", {sha});
    if (!trashPending)
        return trashPending.status();
    if (const auto* fav = data.if_contains("favourite"); fav && fav->is_bool() && !*favouritePending)
        PINHOLE_TRY(
            db.prepare("UPDATE assets SET favourite = ? WHERE id = ?").bind(1, fav->as_bool()).bind(2, localId).run());
    if (const auto* trashed = data.if_contains("trashed_at"); trashed && !*trashPending)
        PINHOLE_TRY(db.prepare("UPDATE assets SET trashed = ? WHERE id = ?")
                        .bind(1, !trashed->is_null())
                        .bind(2, localId)
                        .run());
    std::optional<int> orientation;
    if (auto o = numberAt(data, {"orientation"}); o && *o >= 1 && *o <= 8)
        orientation = static_cast<int>(*o);
    std::optional<std::int64_t> width, height;
    if (auto w = numberAt(data, {"width"}))
        width = static_cast<std::int64_t>(*w);
    if (auto h = numberAt(data, {"height"}))
        height = static_cast<std::int64_t>(*h);
    return db
        .prepare(
            "UPDATE assets SET orientation = coalesce(?, orientation), width = coalesce(width, ?), "
            "height = coalesce(height, ?), taken_at = coalesce(taken_at, ?), "
            "camera_make = coalesce(camera_make, ?), camera_model = coalesce(camera_model, ?), "
            "lens = coalesce(lens, ?), exposure_time = coalesce(exposure_time, ?), "
            "f_number = coalesce(f_number, ?), iso = coalesce(iso, ?), focal_length = coalesce(focal_length, ?), "
            "latitude = coalesce(latitude, ?), longitude = coalesce(longitude, ?), thumbhash = coalesce(?, thumbhash), "
            "mime_type = CASE WHEN mime_type = '' THEN coalesce(?, '') ELSE mime_type END WHERE id = ?")
        .bind(1, orientation)
        .bind(2, width)
        .bind(3, height)
        .bind(4, exifTime(textAt(data, {"taken_at"})))
        .bind(5, textAt(data, {"camera", "make"}))
        .bind(6, textAt(data, {"camera", "model"}))
        .bind(7, textAt(data, {"camera", "lens"}))
        .bind(8, textAt(data, {"exposure", "time"}))
        .bind(9, textAt(data, {"exposure", "f_number"}))
        .bind(10, textAt(data, {"exposure", "iso"}))
        .bind(11, textAt(data, {"exposure", "focal_length"}))
        .bind(12, numberAt(data, {"gps", "latitude"}))
        .bind(13, numberAt(data, {"gps", "longitude"}))
        .bind(14, textAt(data, {"placeholder", "hash"}))
        .bind(15, textAt(data, {"variants", "original", "mime_type"}))
        .bind(16, localId)
        .run();
}

Result<std::optional<std::int64_t>> localAssetOf(store::Database& db, const std::string& serverId) {
    auto q = db.prepare("SELECT id FROM assets WHERE server_id = ?");
    q.bind(1, serverId);
    auto row = q.step();
    if (!row)
        return row.status();
    if (!*row)
        return std::optional<std::int64_t>();
    return std::optional<std::int64_t>(q.int64(0));
}

Result<std::optional<json::object>> mirrored(store::Database& db, const std::string& kind, const std::string& id) {
    auto q = db.prepare("SELECT body FROM mirror WHERE kind = ? AND id = ?");
    q.bind(1, kind).bind(2, id);
    auto row = q.step();
    if (!row)
        return row.status();
    if (!*row)
        return std::optional<json::object>();
    boost::system::error_code ec;
    auto v = json::parse(q.text(0), ec);
    if (ec || !v.is_object())
        return std::optional<json::object>();
    return std::optional<json::object>(std::move(v.as_object()));
}

// The local id of a server album or annotation: the client id it was created under, else the
// server's id.
std::string localIdOf(const json::object& data, const std::string& serverId) {
    auto client = textAt(data, {"client_id"});
    return client && !client->empty() ? *client : serverId;
}

// An album: its name (unless an unsent rename or create waits) and its members in the server's
// order, with the unsent membership ops of this album replayed on top, in the order they were made.
Status applyAlbum(store::Database& db, const std::string& serverId, const json::object& data) {
    const std::string id = localIdOf(data, serverId);
    const std::string name = stringField(data, "name");
    auto namePending =
        pendingOp(db, "'album.create', 'album.update'", "json_extract(payload, '$.album_id') = ?1", {id});
    if (!namePending)
        return namePending.status();
    auto deletePending = pendingOp(db, "'album.delete'", "json_extract(payload, '$.album_id') = ?1", {id});
    if (!deletePending)
        return deletePending.status();
    PINHOLE_TRY(db.prepare("INSERT INTO albums(id, name, name_hlc) VALUES (?1, ?2, 0) ON CONFLICT(id) DO UPDATE SET "
                           "name = CASE WHEN ?3 THEN name ELSE excluded.name END, "
                           "deleted = CASE WHEN ?4 THEN deleted ELSE 0 END")
                    .bind(1, id)
                    .bind(2, name)
                    .bind(3, *namePending)
                    .bind(4, *deletePending)
                    .run());
    std::vector<std::int64_t> order;
    if (const auto* ids = data.if_contains("asset_ids"); ids && ids->is_array())
        for (const auto& v : ids->as_array()) {
            if (!v.is_string())
                continue;
            auto local = localAssetOf(db, std::string(v.as_string()));
            if (!local)
                return local.status();
            if (*local && std::find(order.begin(), order.end(), **local) == order.end())
                order.push_back(**local);
        }
    auto ops = db.prepare("SELECT o.kind, a.id, json_extract(o.payload, '$.position') FROM outbox o "
                          "JOIN assets a ON a.sha256 = json_extract(o.payload, '$.asset_sha256') "
                          "WHERE o.state IN ('queued', 'sending') AND o.kind IN ('album.add', 'album.remove', "
                          "'album.move') AND json_extract(o.payload, '$.album_id') = ? ORDER BY o.seq");
    ops.bind(1, id);
    for (;;) {
        auto row = ops.step();
        if (!row)
            return row.status();
        if (!*row)
            break;
        const std::string kind = ops.text(0);
        const std::int64_t asset = ops.int64(1);
        auto at = std::find(order.begin(), order.end(), asset);
        if (kind == "album.add" && at == order.end()) {
            order.push_back(asset);
        } else if (kind == "album.remove" && at != order.end()) {
            order.erase(at);
        } else if (kind == "album.move" && at != order.end()) {
            order.erase(at);
            const auto position =
                std::min<std::size_t>(static_cast<std::size_t>(std::max<std::int64_t>(0, ops.int64(2))), order.size());
            order.insert(order.begin() + static_cast<std::ptrdiff_t>(position), asset);
        }
    }
    // Members not in the result are hidden (removed_hlc catches up with added_hlc); those in it
    // are shown at their position.
    PINHOLE_TRY(db.prepare("UPDATE album_assets SET removed_hlc = max(added_hlc, removed_hlc) WHERE album_id = ?")
                    .bind(1, id)
                    .run());
    for (std::size_t i = 0; i < order.size(); ++i)
        PINHOLE_TRY(
            db.prepare("INSERT INTO album_assets(album_id, asset_id, added_hlc, position) VALUES (?1, ?2, 1, ?3) "
                       "ON CONFLICT(album_id, asset_id) DO UPDATE SET added_hlc = removed_hlc + 1, "
                       "position = excluded.position")
                .bind(1, id)
                .bind(2, order[i])
                .bind(3, static_cast<std::int64_t>(i))
                .run());
    return Status::ok();
}

Status deleteAlbum(store::Database& db, const std::string& serverId) {
    auto body = mirrored(db, "album", serverId);
    if (!body)
        return body.status();
    const std::string id = *body ? localIdOf(**body, serverId) : serverId;
    return db.prepare("UPDATE albums SET deleted = 1 WHERE id = ?").bind(1, id).run();
}

// Whether another mirrored annotation than `serverId` tags the server's asset `assetId` with
// `label`: a tag shows while any annotation of that label is on the photo (a batch writer's and
// the user's may both say "beach").
Result<bool> labelStillMirrored(store::Database& db, const std::string& serverId, const std::string& assetId,
                                const std::string& label) {
    auto q = db.prepare("SELECT count(*) FROM mirror WHERE kind = 'annotation' AND id != ?1 AND "
                        "json_extract(body, '$.schema') = 'tag' AND json_extract(body, '$.asset_id') = ?2 AND "
                        "json_extract(body, '$.payload.label') = ?3");
    q.bind(1, serverId).bind(2, assetId).bind(3, label);
    auto row = q.step();
    if (!row)
        return row.status();
    return q.int64(0) > 0;
}

// An annotation of one of my photos: a tag, a rating or a region shows in the library (unless an
// unsent local edit of the same thing waits); any other schema stays in the mirror only.
Status applyAnnotation(store::Database& db, const std::string& serverId, const json::object& data, bool deleted) {
    const std::string schema = stringField(data, "schema");
    auto asset = localAssetOf(db, stringField(data, "asset_id"));
    if (!asset)
        return asset.status();
    if (!*asset)
        return Status::ok();
    std::string hash;
    { // the statement is reset before anything below (which may apply a tag's old label) reuses it
        auto sha = db.prepare("SELECT sha256 FROM assets WHERE id = ?");
        sha.bind(1, **asset);
        auto found = sha.step();
        if (!found)
            return found.status();
        hash = sha.text(0);
    }
    const json::object empty;
    const json::value* p = data.if_contains("payload");
    const json::object& payload = p && p->is_object() ? p->as_object() : empty;
    if (schema == "tag") {
        const std::string label = stringField(payload, "label");
        auto pending = pendingOp(db, "'annotation.upsert', 'annotation.delete'",
                                 "json_extract(payload, '$.asset_sha256') = ?1 AND "
                                 "json_extract(payload, '$.schema') = 'tag' AND "
                                 "json_extract(payload, '$.data.label') = ?2",
                                 {hash, label});
        if (!pending)
            return pending.status();
        if (*pending || label.empty())
            return Status::ok();
        if (deleted) {
            auto kept = labelStillMirrored(db, serverId, stringField(data, "asset_id"), label);
            if (!kept)
                return kept.status();
            if (*kept)
                return Status::ok();
            return db
                .prepare("UPDATE tags SET removed_hlc = max(added_hlc, removed_hlc) WHERE asset_id = ? AND label = ?")
                .bind(1, **asset)
                .bind(2, label)
                .run();
        }
        return db
            .prepare("INSERT INTO tags(asset_id, label, added_hlc) VALUES (?, ?, 1) ON CONFLICT(asset_id, label) "
                     "DO UPDATE SET added_hlc = max(added_hlc, removed_hlc + 1)")
            .bind(1, **asset)
            .bind(2, label)
            .run();
    }
    if (schema == "rating") {
        auto pending = pendingOp(db, "'annotation.upsert', 'annotation.delete'",
                                 "json_extract(payload, '$.asset_sha256') = ?1 AND "
                                 "json_extract(payload, '$.schema') = 'rating'",
                                 {hash});
        if (!pending)
            return pending.status();
        if (*pending)
            return Status::ok();
        const auto stars = numberAt(payload, {"value"});
        const std::int64_t value =
            deleted || !stars ? 0 : std::clamp<std::int64_t>(static_cast<std::int64_t>(*stars), 0, 5);
        return db.prepare("UPDATE assets SET rating = ? WHERE id = ?").bind(1, value).bind(2, **asset).run();
    }
    if (schema == "region") {
        const std::string id = localIdOf(data, serverId);
        auto pending = pendingOp(db, "'annotation.upsert', 'annotation.delete'",
                                 "json_extract(payload, '$.annotation_id') = ?1", {id});
        if (!pending)
            return pending.status();
        if (*pending)
            return Status::ok();
        if (deleted)
            return db.prepare("UPDATE regions SET deleted = 1 WHERE id = ?").bind(1, id).run();
        std::string kind = stringField(payload, "kind");
        static const std::set<std::string> kKinds = {"face", "pet", "object", "text"};
        if (!kKinds.count(kind))
            kind = "object";
        return db
            .prepare("INSERT INTO regions(id, asset_id, x, y, w, h, kind, label, hlc, created_at) "
                     "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 0, ?9) ON CONFLICT(id) DO UPDATE SET "
                     "x = excluded.x, y = excluded.y, w = excluded.w, h = excluded.h, kind = excluded.kind, "
                     "label = excluded.label, deleted = 0")
            .bind(1, id)
            .bind(2, **asset)
            .bind(3, numberAt(payload, {"box", "x"}).value_or(0))
            .bind(4, numberAt(payload, {"box", "y"}).value_or(0))
            .bind(5, numberAt(payload, {"box", "w"}).value_or(0))
            .bind(6, numberAt(payload, {"box", "h"}).value_or(0))
            .bind(7, kind)
            .bind(8, stringField(payload, "label"))
            .bind(9, i64(wallMillis()))
            .run();
    }
    return Status::ok();
}

// An asset of the account: the local one with these bytes learns its server id and caption.
Status applyAsset(store::Database& db, const std::string& id, const json::object& data) {
    const std::string sha = stringField(data, "sha256");
    const std::string description = stringField(data, "description");
    if (sha.empty())
        return Status::ok();
    auto q = db.prepare("SELECT id, caption FROM assets WHERE sha256 = ?");
    q.bind(1, sha);
    auto row = q.step();
    if (!row)
        return row.status();
    if (!*row) {
        PINHOLE_TRY(
            db.prepare("INSERT INTO assets(sha256, server_id, size, caption, imported_at) VALUES (?, ?, 0, ?, ?)")
                .bind(1, sha)
                .bind(2, id)
                .bind(3, description)
                .bind(4, i64(wallMillis()))
                .run());
        return applyAssetDetails(db, db.lastInsertRowId(), sha, data);
    }
    const std::int64_t localId = q.int64(0);
    // An unsent caption edit stays: the push sends it and the server decides by HLC (§4).
    auto pending = db.prepare("SELECT count(*) FROM outbox WHERE kind = 'asset.update' AND state IN ('queued', "
                              "'sending') AND json_extract(payload, '$.asset_sha256') = ? "
                              "AND json_extract(payload, '$.set.description') IS NOT NULL");
    pending.bind(1, sha);
    auto p = pending.step();
    if (!p)
        return p.status();
    const bool keepCaption = pending.int64(0) > 0;
    // The server has these bytes: whatever our upload journal says, nothing is left to send.
    PINHOLE_TRY(db.prepare("UPDATE uploads SET state = 'done', reason = 'the server has the photo' "
                           "WHERE asset_id = ? AND state IN ('pending', 'uploading')")
                    .bind(1, localId)
                    .run());
    PINHOLE_TRY(db.prepare("UPDATE assets SET server_id = ?, caption = CASE WHEN ? THEN caption ELSE ? END "
                           "WHERE id = ?")
                    .bind(1, id)
                    .bind(2, keepCaption)
                    .bind(3, description)
                    .bind(4, localId)
                    .run());
    return applyAssetDetails(db, localId, sha, data);
}

Status applyChange(store::Database& db, const json::object& line, const LogSink& log) {
    const std::string kind = stringField(line, "kind");
    const std::string op = stringField(line, "op");
    const std::string id = stringField(line, "id");
    static const std::set<std::string> kKnown = {"account", "relationship", "asset", "post",      "comment",
                                                 "like",    "notification", "album", "annotation"};
    if (!kKnown.count(kind)) {
        logTo(log, LogLevel::Debug, "pull_unknown_kind", kind); // later servers add kinds
        return Status::ok();
    }
    if (op == "delete") {
        if (kind == "asset") // delete versus edit: the local copy goes to trash, recoverable
            PINHOLE_TRY(db.prepare("UPDATE assets SET trashed = 1 WHERE server_id = ?").bind(1, id).run());
        if (kind == "album")
            PINHOLE_TRY(deleteAlbum(db, id));
        if (kind == "annotation") {
            auto body = mirrored(db, "annotation", id);
            if (!body)
                return body.status();
            if (*body)
                PINHOLE_TRY(applyAnnotation(db, id, **body, true));
        }
        if (kind == "post") {
            PINHOLE_TRY(db.prepare("DELETE FROM mirror WHERE kind = 'comment' AND "
                                   "json_extract(body, '$.in_reply_to_id') = ?")
                            .bind(1, id)
                            .run());
            PINHOLE_TRY(mirrorDelete(db, "like", id));
        }
        return mirrorDelete(db, kind, id);
    }
    const auto* data = line.if_contains("data");
    if (!data || !data->is_object())
        return Status(Code::Unavailable, "change stream: an upsert of " + kind + " " + id + " without data");
    if (kind == "asset")
        PINHOLE_TRY(applyAsset(db, id, data->as_object()));
    if (kind == "album")
        PINHOLE_TRY(applyAlbum(db, id, data->as_object()));
    if (kind == "annotation") {
        // A tag renamed (through the REST API) keeps its id: the label it had goes, as for a
        // delete, on every device that knew it — the one that made it included.
        auto before = mirrored(db, "annotation", id);
        if (!before)
            return before.status();
        if (*before && stringField(**before, "schema") == "tag") {
            const auto* p = (*before)->if_contains("payload");
            const auto* q = data->as_object().if_contains("payload");
            const std::string oldLabel = p && p->is_object() ? stringField(p->as_object(), "label") : std::string();
            const std::string newLabel = q && q->is_object() ? stringField(q->as_object(), "label") : std::string();
            if (oldLabel != newLabel || stringField(**before, "asset_id") != stringField(data->as_object(), "asset_id"))
                PINHOLE_TRY(applyAnnotation(db, id, **before, true));
        }
        PINHOLE_TRY(applyAnnotation(db, id, data->as_object(), false));
    }
    if (kind == "relationship") {
        const auto* following = data->as_object().if_contains("following");
        if (following && following->is_bool() && !following->as_bool())
            PINHOLE_TRY(db.prepare("DELETE FROM mirror WHERE kind = 'post' AND json_extract(body, '$.account.id') = ?")
                            .bind(1, id)
                            .run());
    }
    return mirrorUpsert(db, kind, id, *data);
}

// Mark and sweep over a snapshot (docs/protocol.md §2.2): the reset emptied the mirror and the
// snapshot refilled it with everything the server holds, so what the library shows from the
// server and the mirror no longer has was deleted during the gap. A photo the server lost goes to
// the trash (as its tombstone would send it); photos never uploaded (no server id) and anything
// with an unsettled local edit (queued, sending or parked) keep their local state.
Status sweepAfterSnapshot(store::Database& db) {
    // `o` is an outbox row whose edit the library still shows, unconfirmed by the server.
    const std::string unsettled = "o.state IN ('queued', 'sending', 'parked')";
    const std::string localIdOfMirrored = "coalesce(nullif(json_extract(m.body, '$.client_id'), ''), m.id)";
    PINHOLE_TRY(db.exec(
        "UPDATE tags SET removed_hlc = max(added_hlc, removed_hlc) WHERE added_hlc > removed_hlc AND EXISTS ("
        " SELECT 1 FROM assets a WHERE a.id = tags.asset_id AND a.server_id IS NOT NULL"
        " AND NOT EXISTS (SELECT 1 FROM mirror m WHERE m.kind = 'annotation'"
        "  AND json_extract(m.body, '$.schema') = 'tag' AND json_extract(m.body, '$.asset_id') = a.server_id"
        "  AND json_extract(m.body, '$.payload.label') = tags.label)"
        " AND NOT EXISTS (SELECT 1 FROM outbox o WHERE " +
        unsettled +
        "  AND o.kind IN ('annotation.upsert', 'annotation.delete') AND json_extract(o.payload, '$.schema') = 'tag'"
        "  AND json_extract(o.payload, '$.asset_sha256') = a.sha256"
        "  AND json_extract(o.payload, '$.data.label') = tags.label))"));
    PINHOLE_TRY(db.exec(
        "UPDATE assets SET rating = 0 WHERE rating != 0 AND server_id IS NOT NULL"
        " AND NOT EXISTS (SELECT 1 FROM mirror m WHERE m.kind = 'annotation'"
        "  AND json_extract(m.body, '$.schema') = 'rating' AND json_extract(m.body, '$.asset_id') = assets.server_id)"
        " AND NOT EXISTS (SELECT 1 FROM outbox o WHERE " +
        unsettled +
        "  AND o.kind IN ('annotation.upsert', 'annotation.delete') AND json_extract(o.payload, '$.schema') = 'rating'"
        "  AND json_extract(o.payload, '$.asset_sha256') = assets.sha256)"));
    PINHOLE_TRY(db.exec("UPDATE regions SET deleted = 1 WHERE deleted = 0"
                        " AND EXISTS (SELECT 1 FROM assets a WHERE a.id = regions.asset_id AND a.server_id IS NOT NULL)"
                        " AND NOT EXISTS (SELECT 1 FROM mirror m WHERE m.kind = 'annotation' AND " +
                        localIdOfMirrored +
                        " = regions.id)"
                        " AND NOT EXISTS (SELECT 1 FROM outbox o WHERE " +
                        unsettled +
                        "  AND o.kind IN ('annotation.upsert', 'annotation.delete')"
                        "  AND json_extract(o.payload, '$.annotation_id') = regions.id)"));
    PINHOLE_TRY(db.exec("UPDATE albums SET deleted = 1 WHERE deleted = 0"
                        " AND NOT EXISTS (SELECT 1 FROM mirror m WHERE m.kind = 'album' AND " +
                        localIdOfMirrored +
                        " = albums.id)"
                        " AND NOT EXISTS (SELECT 1 FROM outbox o WHERE " +
                        unsettled +
                        "  AND o.kind LIKE 'album.%' AND json_extract(o.payload, '$.album_id') = albums.id)"));
    return db.exec("UPDATE assets SET trashed = 1 WHERE trashed = 0 AND server_id IS NOT NULL"
                   " AND NOT EXISTS (SELECT 1 FROM mirror m WHERE m.kind = 'asset' AND m.id = assets.server_id)");
}
} // namespace

Status applyServerChange(store::Database& db, const std::string& kind, const std::string& id, const json::value* data,
                         const LogSink& log) {
    json::object line{{"kind", kind}, {"op", data ? "upsert" : "delete"}, {"id", id}};
    if (data)
        line["data"] = *data;
    return applyChange(db, line, log);
}

Result<bool> Puller::applyPage(const std::string& body, PullReport& report) {
    std::vector<json::object> lines;
    std::size_t start = 0;
    while (start < body.size()) {
        std::size_t end = body.find('\n', start);
        if (end == std::string::npos)
            end = body.size();
        if (end > start) {
            boost::system::error_code ec;
            auto v = json::parse(std::string_view(body).substr(start, end - start), ec);
            if (ec || !v.is_object())
                return Status(Code::Unavailable, "change stream: a line that is not a JSON object");
            lines.push_back(std::move(v.as_object()));
        }
        start = end + 1;
    }
    if (lines.empty() || !lines.back().contains("end"))
        return Status(Code::Unavailable, "change stream: the page was cut off before its end line");
    const json::object& endLine = lines.back();
    const std::string cursor = stringField(endLine, "cursor");
    const auto* more = endLine.if_contains("more");

    auto& db = m_store.db();
    store::Transaction tx(db);
    PINHOLE_TRY(tx.status());
    for (std::size_t i = 0; i + 1 < lines.size(); ++i) {
        const auto& line = lines[i];
        if (line.contains("reset")) {
            logTo(m_log, LogLevel::Info, "pull_reset", stringField(line, "reason"));
            ++report.resets;
            PINHOLE_TRY(db.exec("DELETE FROM mirror"));
            continue;
        }
        PINHOLE_TRY(applyChange(db, line, m_log));
        ++report.changes;
    }
    if (const auto* done = endLine.if_contains("snapshot_complete"); done && done->is_bool() && done->as_bool())
        PINHOLE_TRY(sweepAfterSnapshot(db));
    PINHOLE_TRY(db.prepare("INSERT INTO meta(key, value) VALUES ('cursor', ?) "
                           "ON CONFLICT(key) DO UPDATE SET value = excluded.value")
                    .bind(1, cursor)
                    .run());
    PINHOLE_TRY(db.prepare("INSERT INTO meta(key, value) VALUES ('last_sync_at', ?) "
                           "ON CONFLICT(key) DO UPDATE SET value = excluded.value")
                    .bind(1, std::to_string(wallMillis()))
                    .run());
    PINHOLE_TRY(tx.commit());
    if (m_onPage)
        m_onPage(static_cast<int>(lines.size()) - 1);
    return more && more->is_bool() && more->as_bool();
}

Result<PullReport> Puller::run() {
    PullReport report;
    for (;;) {
        const std::string cursor = m_store.meta("cursor").value_or("");
        std::string target = m_base + "/api/pinhole/v1/sync/changes?limit=" + std::to_string(m_limit);
        if (!cursor.empty())
            target += "&cursor=" + urlEncode(cursor);
        auto r = m_http.send({"GET", target, {}, {}});
        ++report.requests;
        if (!r)
            return r.status();
        if (r->status != 200)
            return net::errorOf(*r, "reading the change stream");
        auto more = applyPage(r->body, report);
        if (!more)
            return more.status();
        if (!*more)
            return report;
    }
}

} // namespace pinhole::sync
