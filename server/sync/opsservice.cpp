#include "sync/opsservice.h"

#include "core/clock.h"
#include "store/albumstore.h"
#include "store/statusstore.h"
#include "store/syncstore.h"

#include <boost/json.hpp>

#include <array>
#include <charconv>
#include <cmath>

namespace pinhole::server::sync {

namespace {

namespace json = boost::json;

bool isTransient(Code code) {
    return code == Code::Internal || code == Code::Unavailable || code == Code::TooManyRequests;
}

OpResult answer(const Op& op, Outcome outcome) {
    OpResult r;
    r.opId = op.opId;
    r.outcome = outcome;
    return r;
}

OpResult refused(const Op& op, std::string reason) {
    OpResult r = answer(op, Outcome::Refused);
    r.reason = std::move(reason);
    return r;
}

std::optional<std::uint64_t> parseHlc(const json::value* v) {
    if (!v || !v->is_string())
        return std::nullopt;
    const json::string& s = v->get_string();
    if (s.empty() || s.size() > 20)
        return std::nullopt;
    std::uint64_t value = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (ec != std::errc{} || end != s.data() + s.size())
        return std::nullopt;
    return value;
}

} // namespace

bool isUuid(std::string_view text) {
    if (text.size() != 36)
        return false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (c != '-')
                return false;
        } else if (!std::isxdigit(static_cast<unsigned char>(c))) {
            return false;
        }
    }
    return true;
}

std::string_view outcomeName(Outcome outcome) {
    switch (outcome) {
    case Outcome::Applied: return "applied";
    case Outcome::AlreadyApplied: return "already_applied";
    case Outcome::Conflict: return "conflict";
    case Outcome::Refused: return "refused";
    }
    return "refused";
}

Result<std::vector<Op>> parseOps(std::string_view body) {
    boost::system::error_code ec;
    json::value doc = json::parse(body, ec);
    if (ec || !doc.is_object())
        return invalidArgument("the body must be a JSON object {\"ops\": [...]}");
    const json::value* ops = doc.get_object().if_contains("ops");
    if (!ops || !ops->is_array())
        return invalidArgument("ops: an array is required");
    const json::array& list = ops->get_array();
    if (list.empty())
        return invalidArgument("ops: at least one operation is required");
    if (list.size() > kMaxOpsPerBatch)
        return Status(Code::PayloadTooLarge, "ops: at most " + std::to_string(kMaxOpsPerBatch) + " per batch");
    std::vector<Op> out;
    out.reserve(list.size());
    for (std::size_t i = 0; i < list.size(); ++i) {
        const std::string where = "ops[" + std::to_string(i) + "]";
        if (!list[i].is_object())
            return invalidArgument(where + ": an object is required");
        const json::object& o = list[i].get_object();
        const json::value* id = o.if_contains("op_id");
        if (!id || !id->is_string() || !isUuid(id->get_string()))
            return invalidArgument(where + ".op_id: a UUID is required");
        Op op;
        op.opId = std::string(id->get_string());
        if (auto hlc = parseHlc(o.if_contains("hlc")))
            op.hlc = *hlc;
        if (const json::value* kind = o.if_contains("kind"); kind && kind->is_string())
            op.kind = std::string(kind->get_string());
        if (const json::value* payload = o.if_contains("payload"); payload && payload->is_object())
            op.payload = payload->get_object();
        out.push_back(std::move(op));
    }
    return out;
}

Result<std::vector<OpResult>> OpsService::apply(Id account, const std::vector<Op>& ops) {
    std::vector<OpResult> results;
    results.reserve(ops.size());
    for (const Op& op : ops) {
        auto r = applyOne(account, op);
        if (!r)
            return r.status();
        results.push_back(std::move(r).value());
    }
    return results;
}

Result<OpResult> OpsService::applyOne(Id account, const Op& op) {
    {
        auto db = m_store.connection();
        if (!db)
            return db.status();
        auto earlier = store::appliedOp(**db, account, op.opId);
        if (!earlier)
            return earlier.status();
        if (*earlier) {
            OpResult r = answer(op, Outcome::AlreadyApplied);
            r.id = (*earlier)->resultId;
            return r;
        }
    }
    const auto millis = static_cast<std::int64_t>(op.hlc >> 16);
    if (op.hlc == 0)
        return refused(op, "hlc: a decimal string is required");
    if (millis > nowMillis() + kMaxClockAheadMillis)
        return refused(op, "clock ahead of server");
    if (millis < kMinClockMillis)
        return refused(op, "clock before 2020");

    Result<OpResult> r = refused(op, "unknown kind");
    if (op.kind == "asset.update")
        r = updateAsset(account, op);
    else if (op.kind == "asset.trash" || op.kind == "asset.restore")
        r = trash(account, op, op.kind == "asset.trash");
    else if (op.kind.starts_with("album."))
        r = album(account, op);
    else if (op.kind == "annotation.upsert" || op.kind == "annotation.delete")
        r = annotation(account, op, op.kind == "annotation.upsert");
    else if (op.kind == "post.create")
        r = createStatus(account, op, false);
    else if (op.kind == "comment.create")
        r = createStatus(account, op, true);
    else if (op.kind == "post.delete")
        r = deleteStatus(account, op, "post_id");
    else if (op.kind == "comment.delete")
        r = deleteStatus(account, op, "comment_id");
    else if (op.kind == "like" || op.kind == "unlike")
        r = like(account, op, op.kind == "like");
    else if (op.kind == "follow" || op.kind == "unfollow")
        r = follow(account, op, op.kind == "follow");
    if (r)
        return r;
    // A failure: maybe a concurrent request applied this op first (its record made ours fail).
    auto db = m_store.connection();
    if (!db)
        return db.status();
    auto earlier = store::appliedOp(**db, account, op.opId);
    if (!earlier)
        return earlier.status();
    if (*earlier) {
        OpResult already = answer(op, Outcome::AlreadyApplied);
        already.id = (*earlier)->resultId;
        return already;
    }
    if (isTransient(r.status().code()))
        return r.status();
    return refused(op, r.status().message());
}

Result<Id> OpsService::idField(Id account, const Op& op, std::string_view name) {
    const json::value* v = op.payload.if_contains(name);
    if (!v || !v->is_string())
        return invalidArgument(std::string(name) + ": an id is required");
    std::string_view text = v->get_string();
    if (text.starts_with("op:")) {
        auto db = m_store.connection();
        if (!db)
            return db.status();
        auto earlier = store::appliedOp(**db, account, text.substr(3));
        if (!earlier)
            return earlier.status();
        if (!*earlier || !(*earlier)->resultId)
            return invalidArgument("unknown op reference");
        return *(*earlier)->resultId;
    }
    auto id = idFromString(text);
    if (!id)
        return invalidArgument(std::string(name) + ": not an id");
    return *id;
}

store::AlsoInTransaction OpsService::recorder(Id account, const Op& op) {
    return [account, &op](store::Database& db, std::int64_t subject) {
        store::AppliedOp applied{op.opId, op.kind, op.hlc, subject, subject};
        return store::recordAppliedOp(db, account, applied, nowMillis());
    };
}

Status OpsService::recordAlone(Id account, const Op& op, Id subject) {
    auto db = m_store.connection();
    if (!db)
        return db.status();
    store::Transaction tx(**db);
    PINHOLE_TRY(tx.status());
    PINHOLE_TRY(recorder(account, op)(**db, subject));
    return tx.commit();
}

Result<OpResult> OpsService::createStatus(Id account, const Op& op, bool comment) {
    social::NewStatus input;
    if (const json::value* text = op.payload.if_contains("text")) {
        if (!text->is_string())
            return invalidArgument("text: a string is required");
        input.text = std::string(text->get_string());
    }
    if (comment) {
        auto post = idField(account, op, "post_id");
        if (!post)
            return post.status();
        input.inReplyToId = *post;
    } else {
        const json::value* media = op.payload.if_contains("media_ids");
        if (!media || !media->is_array())
            return invalidArgument("media_ids: an array of asset ids is required");
        for (const json::value& m : media->get_array()) {
            auto id = m.is_string() ? idFromString(m.get_string()) : std::nullopt;
            if (!id)
                return invalidArgument("media_ids: not an id");
            input.mediaIds.push_back(*id);
        }
        if (const json::value* v = op.payload.if_contains("visibility")) {
            auto visibility = v->is_string() ? store::visibilityFromName(v->get_string()) : std::nullopt;
            if (!visibility)
                return invalidArgument("visibility: public, unlisted or private");
            input.visibility = *visibility;
        }
    }
    auto created = m_statuses.create(account, input, recorder(account, op));
    if (!created)
        return created.status();
    OpResult r = answer(op, Outcome::Applied);
    r.id = created->status.id;
    return r;
}

Result<OpResult> OpsService::deleteStatus(Id account, const Op& op, const char* idField) {
    auto id = this->idField(account, op, idField);
    if (!id)
        return id.status();
    auto removed = m_statuses.remove(account, *id, recorder(account, op));
    if (!removed) {
        if (removed.status().code() != Code::NotFound)
            return removed.status();
        // Gone already is the state the op asked for; someone else's status is refused as not found.
        auto db = m_store.connection();
        if (!db)
            return db.status();
        auto row = store::statusById(**db, *id);
        if (row)
            return notFound("status not found");
        if (row.status().code() != Code::NotFound)
            return row.status();
        PINHOLE_TRY(recordAlone(account, op, *id));
    }
    OpResult r = answer(op, Outcome::Applied);
    r.id = *id;
    return r;
}

Result<OpResult> OpsService::like(Id account, const Op& op, bool liked) {
    auto id = idField(account, op, "status_id");
    if (!id)
        return id.status();
    if (!liked) {
        // Add-wins: an unlike removes only a like it saw, so one older than the like is void.
        auto db = m_store.connection();
        if (!db)
            return db.status();
        auto likedStamp = store::latestOpStamp(**db, account, *id, {"like"});
        if (!likedStamp)
            return likedStamp.status();
        if (op.hlc < *likedStamp) {
            auto has = store::hasFavourited(**db, *id, account);
            if (!has)
                return has.status();
            OpResult r = answer(op, Outcome::Conflict);
            r.id = *id;
            r.current.kind = CurrentState::Kind::Like;
            r.current.liked = *has;
            return r;
        }
    }
    auto view = liked ? m_statuses.favourite(account, *id, recorder(account, op))
                      : m_statuses.unfavourite(account, *id, recorder(account, op));
    if (!view)
        return view.status();
    OpResult r = answer(op, Outcome::Applied);
    r.id = *id;
    r.current.kind = CurrentState::Kind::Like;
    r.current.liked = view->favourited;
    return r;
}

Result<OpResult> OpsService::follow(Id account, const Op& op, bool follows) {
    auto target = idField(account, op, "account_id");
    if (!target)
        return target.status();
    {
        auto db = m_store.connection();
        if (!db)
            return db.status();
        auto latest = store::latestOpStamp(**db, account, *target, {"follow", "unfollow"});
        if (!latest)
            return latest.status();
        if (op.hlc < *latest) { // a later follow/unfollow won
            auto now = social::relationshipOf(**db, account, *target);
            if (!now)
                return now.status();
            OpResult r = answer(op, Outcome::Conflict);
            r.id = *target;
            r.current.kind = CurrentState::Kind::Relationship;
            r.current.relationship = *now;
            return r;
        }
    }
    auto relationship = follows ? m_follows.follow(account, *target, recorder(account, op))
                                : m_follows.unfollow(account, *target, recorder(account, op));
    if (!relationship)
        return relationship.status();
    OpResult r = answer(op, Outcome::Applied);
    r.id = *target;
    r.current.kind = CurrentState::Kind::Relationship;
    r.current.relationship = *relationship;
    return r;
}

Result<OpResult> OpsService::updateAsset(Id account, const Op& op) {
    auto id = idField(account, op, "asset_id");
    if (!id)
        return id.status();
    const json::value* set = op.payload.if_contains("set");
    if (!set || !set->is_object() || set->get_object().empty())
        return invalidArgument("set: an object with description, focus_x, focus_y or favourite is required");
    if (const json::value* fav = set->get_object().if_contains("favourite")) {
        if (!fav->is_bool())
            return invalidArgument("favourite: true or false is required");
        if (set->get_object().size() != 1)
            return invalidArgument("set: favourite goes in an operation of its own");
        return favourite(account, op, *id, fav->get_bool());
    }
    std::optional<std::string> description;
    std::optional<double> focus[2];
    for (const auto& [key, value] : set->get_object()) {
        if (key == "description") {
            if (!value.is_string())
                return invalidArgument("description: a string is required");
            if (value.get_string().size() > 1500)
                return invalidArgument("description: at most 1500 characters");
            description = std::string(value.get_string());
        } else if (key == "focus_x" || key == "focus_y") {
            if (!value.is_number())
                return invalidArgument(std::string(key) + ": a number in -1..1 is required");
            const double v = value.to_number<double>();
            if (!std::isfinite(v) || v < -1 || v > 1)
                return invalidArgument(std::string(key) + ": a number in -1..1 is required");
            focus[key == "focus_x" ? 0 : 1] = v;
        } else {
            return invalidArgument("set: unknown field " + std::string(key));
        }
    }

    // Writes the fields whose stamp is older than the op's; re-checks the stamps inside the
    // write transaction, so a concurrent writer that won meanwhile makes this attempt start over.
    for (int attempt = 0; attempt < 3; ++attempt) {
        auto current = m_media.ownedAsset(account, *id);
        if (!current) {
            if (current.status().code() != Code::NotFound)
                return current.status();
            OpResult r = answer(op, Outcome::Conflict); // delete versus edit: the client keeps it in trash
            r.id = *id;
            r.current.kind = CurrentState::Kind::Gone;
            return r;
        }
        std::map<std::string, std::uint64_t> stamps;
        {
            auto db = m_store.connection();
            if (!db)
                return db.status();
            auto read = store::fieldStamps(**db, "asset", *id);
            if (!read)
                return read.status();
            stamps = std::move(read).value();
        }
        auto wins = [&](const std::map<std::string, std::uint64_t>& s, const char* field) {
            auto it = s.find(field);
            return op.hlc > (it == s.end() ? 0 : it->second);
        };
        std::vector<const char*> winners;
        std::string newDescription = current->description;
        double fx = current->focusX, fy = current->focusY;
        if (description && wins(stamps, "description")) {
            winners.push_back("description");
            newDescription = *description;
        }
        if (focus[0] && wins(stamps, "focus_x")) {
            winners.push_back("focus_x");
            fx = *focus[0];
        }
        if (focus[1] && wins(stamps, "focus_y")) {
            winners.push_back("focus_y");
            fy = *focus[1];
        }
        if (winners.empty()) {
            OpResult r = answer(op, Outcome::Conflict);
            r.id = *id;
            r.current.kind = CurrentState::Kind::Asset;
            r.current.asset = std::move(current).value();
            return r;
        }
        bool stale = false;
        auto also = [&, record = recorder(account, op)](store::Database& db, std::int64_t subject) -> Status {
            auto now = store::fieldStamps(db, "asset", subject);
            if (!now)
                return now.status();
            for (const char* field : winners) {
                if (!wins(*now, field)) {
                    stale = true;
                    return conflict("a newer write won meanwhile");
                }
                PINHOLE_TRY(store::setFieldStamp(db, "asset", subject, field, op.hlc));
            }
            return record(db, subject);
        };
        auto updated = m_media.describe(account, *id, newDescription, fx, fy, also);
        if (!updated) {
            if (stale)
                continue;
            return updated.status();
        }
        OpResult r = answer(op, Outcome::Applied);
        r.id = *id;
        r.current.kind = CurrentState::Kind::Asset;
        r.current.asset = std::move(updated).value();
        return r;
    }
    return Status(Code::Unavailable, "asset " + idToString(*id) + " is being written concurrently; retry");
}

namespace {

// A write that needs no change still records its op, with the stamps it carries, in one transaction.
Status recordWith(store::Store& store, const store::AlsoInTransaction& also, Id subject) {
    auto db = store.connection();
    if (!db)
        return db.status();
    store::Transaction tx(**db);
    PINHOLE_TRY(tx.status());
    PINHOLE_TRY(also(**db, subject));
    return tx.commit();
}

Result<std::uint64_t> stampOf(store::Store& store, std::string_view entity, Id id, const std::string& field) {
    auto db = store.connection();
    if (!db)
        return db.status();
    auto stamps = store::fieldStamps(**db, entity, id);
    if (!stamps)
        return stamps.status();
    auto it = stamps->find(field);
    return it == stamps->end() ? 0 : it->second;
}

// Raises a field stamp to `hlc` (never lowers it: add-wins stamps keep the latest add).
Status raiseStamp(store::Database& db, std::string_view entity, Id id, const std::string& field, std::uint64_t hlc) {
    auto stamps = store::fieldStamps(db, entity, id);
    if (!stamps)
        return stamps.status();
    auto it = stamps->find(field);
    if (it != stamps->end() && it->second >= hlc)
        return Status::ok();
    return store::setFieldStamp(db, entity, id, field, hlc);
}

// The album's state as an applied answer.
Result<OpResult> asApplied(Result<OpResult> r) {
    if (r)
        r->outcome = Outcome::Applied;
    return r;
}

std::optional<std::string> stringOf(const json::object& o, std::string_view key) {
    const json::value* v = o.if_contains(key);
    if (!v || !v->is_string())
        return std::nullopt;
    return std::string(v->get_string());
}

} // namespace

Result<OpResult> OpsService::favourite(Id account, const Op& op, Id assetId, bool favourite) {
    auto stamp = stampOf(m_store, "asset", assetId, "favourite");
    if (!stamp)
        return stamp.status();
    auto gone = [&] {
        OpResult r = answer(op, Outcome::Conflict);
        r.id = assetId;
        r.current.kind = CurrentState::Kind::Gone;
        return r;
    };
    if (op.hlc <= *stamp) {
        auto current = m_media.ownedAsset(account, assetId);
        if (!current)
            return current.status().code() == Code::NotFound ? Result<OpResult>(gone()) : current.status();
        OpResult r = answer(op, Outcome::Conflict);
        r.id = assetId;
        r.current.kind = CurrentState::Kind::Asset;
        r.current.asset = std::move(current).value();
        return r;
    }
    library::AssetEdit edit;
    edit.favourite = favourite;
    auto updated = m_services.library->update(
        account, assetId, edit, [&, record = recorder(account, op)](store::Database& db, std::int64_t subject) {
            PINHOLE_TRY(store::setFieldStamp(db, "asset", subject, "favourite", op.hlc));
            return record(db, subject);
        });
    if (!updated)
        return updated.status().code() == Code::NotFound ? Result<OpResult>(gone()) : updated.status();
    OpResult r = answer(op, Outcome::Applied);
    r.id = assetId;
    r.current.kind = CurrentState::Kind::Asset;
    r.current.asset = std::move(updated).value();
    return r;
}

// Trash and restore: last writer by HLC. Trashing what is gone is what was asked; restoring it is
// a conflict with no state.
Result<OpResult> OpsService::trash(Id account, const Op& op, bool trashed) {
    auto id = idField(account, op, "asset_id");
    if (!id)
        return id.status();
    auto stamp = stampOf(m_store, "asset", *id, "trashed");
    if (!stamp)
        return stamp.status();
    if (op.hlc <= *stamp) {
        auto current = m_media.ownedAsset(account, *id);
        if (!current && current.status().code() != Code::NotFound)
            return current.status();
        OpResult r = answer(op, Outcome::Conflict);
        r.id = *id;
        r.current.kind = current ? CurrentState::Kind::Asset : CurrentState::Kind::Gone;
        if (current)
            r.current.asset = std::move(current).value();
        return r;
    }
    auto also = [&, record = recorder(account, op)](store::Database& db, std::int64_t subject) {
        PINHOLE_TRY(store::setFieldStamp(db, "asset", subject, "trashed", op.hlc));
        return record(db, subject);
    };
    auto asset =
        trashed ? m_services.library->trash(account, *id, also) : m_services.library->restore(account, *id, also);
    if (!asset) {
        if (asset.status().code() != Code::NotFound)
            return asset.status();
        if (trashed) {
            PINHOLE_TRY(recordAlone(account, op, *id));
            OpResult r = answer(op, Outcome::Applied);
            r.id = *id;
            return r;
        }
        OpResult r = answer(op, Outcome::Conflict);
        r.id = *id;
        r.current.kind = CurrentState::Kind::Gone;
        return r;
    }
    OpResult r = answer(op, Outcome::Applied);
    r.id = *id;
    r.current.kind = CurrentState::Kind::Asset;
    r.current.asset = std::move(asset).value();
    return r;
}

Result<std::optional<Id>> OpsService::albumOf(Id account, const Op& op, std::optional<std::string>& clientId) {
    auto text = stringOf(op.payload, "album_id");
    if (!text)
        return invalidArgument("album_id: an id is required");
    auto db = m_store.connection();
    if (!db)
        return db.status();
    std::optional<Id> id;
    if (isUuid(*text)) {
        clientId = *text;
        auto mapped = store::clientIdOf(**db, account, "album", *text);
        if (!mapped)
            return mapped.status();
        if (!*mapped || (*mapped)->deleted)
            return std::optional<Id>();
        id = (*mapped)->entityId;
    } else {
        id = idFromString(*text);
        if (!id)
            return invalidArgument("album_id: not an id");
    }
    auto album = store::albumById(**db, *id);
    if (!album)
        return album.status().code() == Code::NotFound ? Result<std::optional<Id>>(std::optional<Id>())
                                                       : album.status();
    if (album->ownerId != account)
        return std::optional<Id>(); // as if it did not exist
    return std::optional<Id>(*id);
}

Result<OpResult> OpsService::albumConflict(Id account, const Op& op, std::optional<Id> albumId) {
    OpResult r = answer(op, Outcome::Conflict);
    r.current.kind = CurrentState::Kind::Gone;
    if (!albumId)
        return r;
    r.id = *albumId;
    auto db = m_store.connection();
    if (!db)
        return db.status();
    auto album = store::albumById(**db, *albumId);
    if (!album)
        return album.status().code() == Code::NotFound ? Result<OpResult>(r) : album.status();
    auto members = store::albumAssetIds(**db, *albumId);
    if (!members)
        return members.status();
    auto clientId = store::clientIdOfEntity(**db, "album", *albumId);
    if (!clientId)
        return clientId.status();
    r.current.kind = CurrentState::Kind::Album;
    r.current.album = std::move(album).value();
    r.current.albumAssetIds = std::move(members).value();
    r.current.albumClientId = *clientId;
    (void)account;
    return r;
}

// album.create {album_id (a UUID), name}; album.update {album_id, name}; album.delete {album_id};
// album.add / album.remove {album_id, asset_id}; album.move {album_id, asset_id, position}.
Result<OpResult> OpsService::album(Id account, const Op& op) {
    auto name = stringOf(op.payload, "name");
    if (op.kind == "album.create") {
        auto clientId = stringOf(op.payload, "album_id");
        if (!clientId || !isUuid(*clientId))
            return invalidArgument("album_id: a UUID is required");
        if (!name)
            return invalidArgument("name: a string is required");
        {
            auto db = m_store.connection();
            if (!db)
                return db.status();
            auto mapped = store::clientIdOf(**db, account, "album", *clientId);
            if (!mapped)
                return mapped.status();
            if (*mapped) { // created already (by another op with this album id)
                PINHOLE_TRY(recordAlone(account, op, (*mapped)->entityId));
                OpResult r = answer(op, Outcome::Applied);
                r.id = (*mapped)->entityId;
                return r;
            }
        }
        auto created = m_services.albums->create(
            account, *name, "", [&, record = recorder(account, op)](store::Database& db, std::int64_t subject) {
                PINHOLE_TRY(store::setClientId(db, account, "album", {*clientId, subject, op.hlc, false}));
                PINHOLE_TRY(store::setFieldStamp(db, "album", subject, "name", op.hlc));
                return record(db, subject);
            });
        if (!created)
            return created.status();
        return asApplied(albumConflict(account, op, created->id));
    }

    std::optional<std::string> clientId;
    auto albumId = albumOf(account, op, clientId);
    if (!albumId)
        return albumId.status();
    if (!*albumId) {
        if (op.kind == "album.delete") { // gone already: the state asked for
            PINHOLE_TRY(recordAlone(account, op, 0));
            return answer(op, Outcome::Applied);
        }
        return albumConflict(account, op, std::nullopt); // delete versus edit: the delete won
    }
    const Id id = **albumId;
    auto record = recorder(account, op);
    auto done = [&](const Result<store::Album>& album) -> Result<OpResult> {
        if (!album)
            return album.status();
        return asApplied(albumConflict(account, op, id));
    };

    if (op.kind == "album.update") {
        if (!name)
            return invalidArgument("name: a string is required");
        auto stamp = stampOf(m_store, "album", id, "name");
        if (!stamp)
            return stamp.status();
        if (op.hlc <= *stamp)
            return albumConflict(account, op, id);
        library::AlbumEdit edit;
        edit.name = *name;
        return done(m_services.albums->update(account, id, edit, [&](store::Database& db, std::int64_t subject) {
            PINHOLE_TRY(store::setFieldStamp(db, "album", subject, "name", op.hlc));
            return record(db, subject);
        }));
    }
    if (op.kind == "album.delete") {
        PINHOLE_TRY(m_services.albums->remove(account, id, [&](store::Database& db, std::int64_t subject) {
            if (clientId)
                PINHOLE_TRY(store::setClientId(db, account, "album", {*clientId, subject, op.hlc, true}));
            return record(db, subject);
        }));
        OpResult r = answer(op, Outcome::Applied);
        r.id = id;
        return r;
    }

    auto asset = idField(account, op, "asset_id");
    if (!asset)
        return asset.status();
    const std::string member = "member:" + idToString(*asset);
    if (op.kind == "album.add") {
        return done(m_services.albums->addAssets(account, id, {*asset}, std::nullopt,
                                                 [&](store::Database& db, std::int64_t subject) {
                                                     PINHOLE_TRY(raiseStamp(db, "album", subject, member, op.hlc));
                                                     return record(db, subject);
                                                 }));
    }
    if (op.kind == "album.remove") {
        auto stamp = stampOf(m_store, "album", id, member);
        if (!stamp)
            return stamp.status();
        if (op.hlc < *stamp) // add-wins: a removal only removes the adds it saw
            return albumConflict(account, op, id);
        auto removed = m_services.albums->removeAsset(account, id, *asset, record);
        if (!removed && removed.status().code() == Code::NotFound &&
            removed.status().message() == "asset not in album") {
            PINHOLE_TRY(recordAlone(account, op, id));
            return asApplied(albumConflict(account, op, id));
        }
        return done(removed);
    }
    if (op.kind == "album.move") {
        const json::value* position = op.payload.if_contains("position");
        if (!position || !position->is_int64() || position->get_int64() < 0)
            return invalidArgument("position: a whole number of 0 or more is required");
        auto moved = m_services.albums->moveAsset(account, id, *asset, position->get_int64(), record);
        if (!moved && moved.status().code() == Code::NotFound && moved.status().message() == "asset not in album")
            return albumConflict(account, op, id); // removed meanwhile: nothing to move
        return done(moved);
    }
    return invalidArgument("unknown kind");
}

// annotation.upsert {asset_id, schema, data, annotation_id?}; annotation.delete {asset_id, schema,
// data (a tag: its label) or annotation_id}.
Result<OpResult> OpsService::annotation(Id account, const Op& op, bool upsert) {
    auto assetId = idField(account, op, "asset_id");
    if (!assetId)
        return assetId.status();
    auto schema = stringOf(op.payload, "schema");
    if (!schema)
        return invalidArgument("schema: a schema name is required");
    auto owned = m_media.ownedAsset(account, *assetId);
    if (!owned) {
        if (owned.status().code() != Code::NotFound)
            return owned.status();
        OpResult r = answer(op, Outcome::Conflict); // the photo is gone (or not A's)
        r.id = *assetId;
        r.current.kind = CurrentState::Kind::Gone;
        return r;
    }
    if (*schema == "tag")
        return tag(account, op, *assetId, upsert);
    if (*schema == "rating")
        return rating(account, op, *assetId, upsert);
    return byClientId(account, op, *assetId, upsert);
}

namespace {
Result<std::vector<store::AnnotationRow>> annotationsOf(store::Store& store, Id assetId, const std::string& schema) {
    auto db = store.connection();
    if (!db)
        return db.status();
    return store::annotationsOfAsset(**db, assetId, schema, 0, 10000);
}

OpResult withAnnotation(OpResult r, std::optional<store::AnnotationRow> row) {
    r.current.kind = row ? CurrentState::Kind::Annotation : CurrentState::Kind::Gone;
    if (row)
        r.id = row->id;
    r.current.annotation = std::move(row);
    return r;
}
} // namespace

Result<OpResult> OpsService::tag(Id account, const Op& op, Id assetId, bool upsert) {
    const json::value* data = op.payload.if_contains("data");
    const json::value* label = data && data->is_object() ? data->get_object().if_contains("label") : nullptr;
    if (!label || !label->is_string())
        return invalidArgument("data.label: a string is required");
    auto tags = annotationsOf(m_store, assetId, "tag");
    if (!tags)
        return tags.status();
    std::optional<store::AnnotationRow> existing;
    for (const auto& row : *tags) {
        boost::system::error_code ec;
        auto payload = json::parse(row.payload, ec);
        if (!ec && payload.is_object() && payload.get_object().if_contains("label") &&
            payload.get_object().at("label") == *label)
            existing = row;
    }
    const std::string field = "tag:" + std::string(label->get_string());
    auto record = recorder(account, op);
    if (upsert) { // add-wins: an add always applies and raises the tag's stamp
        auto also = [&](store::Database& db, std::int64_t subject) {
            PINHOLE_TRY(raiseStamp(db, "asset", assetId, field, op.hlc));
            return record(db, subject);
        };
        if (existing) {
            PINHOLE_TRY(recordWith(m_store, also, existing->id));
            return withAnnotation(answer(op, Outcome::Applied), existing);
        }
        auto created = m_services.annotations->create(account, assetId, {"tag", std::nullopt, *data}, also);
        if (!created)
            return created.status();
        return withAnnotation(answer(op, Outcome::Applied), std::move(created).value());
    }
    auto stamp = stampOf(m_store, "asset", assetId, field);
    if (!stamp)
        return stamp.status();
    if (op.hlc < *stamp) // an add this removal did not see wins
        return withAnnotation(answer(op, Outcome::Conflict), existing);
    if (!existing) {
        PINHOLE_TRY(recordAlone(account, op, assetId));
        return withAnnotation(answer(op, Outcome::Applied), std::nullopt);
    }
    auto removed = m_services.annotations->remove(account, existing->id, std::nullopt, record);
    if (!removed)
        return removed.status();
    return withAnnotation(answer(op, Outcome::Applied), std::nullopt);
}

// The asset's one rating, last writer by HLC (deletes included).
Result<OpResult> OpsService::rating(Id account, const Op& op, Id assetId, bool upsert) {
    auto ratings = annotationsOf(m_store, assetId, "rating");
    if (!ratings)
        return ratings.status();
    std::optional<store::AnnotationRow> existing;
    if (!ratings->empty())
        existing = ratings->back();
    auto stamp = stampOf(m_store, "asset", assetId, "rating");
    if (!stamp)
        return stamp.status();
    if (op.hlc <= *stamp)
        return withAnnotation(answer(op, Outcome::Conflict), existing);
    auto also = [&, record = recorder(account, op)](store::Database& db, std::int64_t subject) {
        PINHOLE_TRY(store::setFieldStamp(db, "asset", assetId, "rating", op.hlc));
        return record(db, subject);
    };
    if (!upsert) {
        if (!existing) {
            PINHOLE_TRY(recordWith(m_store, also, assetId));
            return withAnnotation(answer(op, Outcome::Applied), std::nullopt);
        }
        auto removed = m_services.annotations->remove(account, existing->id, std::nullopt, also);
        if (!removed)
            return removed.status();
        return withAnnotation(answer(op, Outcome::Applied), std::nullopt);
    }
    const json::value* data = op.payload.if_contains("data");
    if (!data)
        return invalidArgument("data: the rating's payload is required");
    auto written =
        existing ? m_services.annotations->update(account, existing->id, existing->revision, std::nullopt, *data, also)
                 : m_services.annotations->create(account, assetId, {"rating", std::nullopt, *data}, also);
    if (!written)
        return written.status();
    return withAnnotation(answer(op, Outcome::Applied), std::move(written).value());
}

// Any other schema (a region): named by "annotation_id", a client UUID or a server id; last writer
// by HLC per annotation, deletes included.
Result<OpResult> OpsService::byClientId(Id account, const Op& op, Id assetId, bool upsert) {
    auto schema = *stringOf(op.payload, "schema");
    auto text = stringOf(op.payload, "annotation_id");
    if (!text)
        return invalidArgument("annotation_id: an id is required");
    std::optional<store::ClientId> mapped;
    std::optional<store::AnnotationRow> existing;
    std::uint64_t stamp = 0;
    {
        auto db = m_store.connection();
        if (!db)
            return db.status();
        std::optional<Id> id;
        if (isUuid(*text)) {
            auto m = store::clientIdOf(**db, account, "annotation", *text);
            if (!m)
                return m.status();
            mapped = *m;
            if (mapped) {
                stamp = mapped->hlc;
                if (!mapped->deleted)
                    id = mapped->entityId;
            }
        } else {
            id = idFromString(*text);
            if (!id)
                return invalidArgument("annotation_id: not an id");
            auto stamps = store::fieldStamps(**db, "annotation", *id);
            if (!stamps)
                return stamps.status();
            if (auto it = stamps->find("sync"); it != stamps->end())
                stamp = it->second;
        }
        if (id) {
            auto row = store::annotationById(**db, *id);
            if (!row && row.status().code() != Code::NotFound)
                return row.status();
            if (row && row->assetId == assetId)
                existing = std::move(row).value();
        }
    }
    const bool client = isUuid(*text);
    auto named = [&](OpResult r) {
        if (client && r.current.annotation)
            r.current.annotationClientId = *text;
        return r;
    };
    if (op.hlc <= stamp)
        return named(withAnnotation(answer(op, Outcome::Conflict), existing));
    auto also = [&, record = recorder(account, op)](bool deleted) {
        return [&, record, deleted](store::Database& db, std::int64_t subject) -> Status {
            if (client)
                PINHOLE_TRY(store::setClientId(db, account, "annotation", {*text, subject, op.hlc, deleted}));
            else
                PINHOLE_TRY(store::setFieldStamp(db, "annotation", subject, "sync", op.hlc));
            return record(db, subject);
        };
    };
    if (!upsert) {
        if (!existing) { // gone already (or never seen): the state asked for
            PINHOLE_TRY(recordAlone(account, op, assetId));
            return withAnnotation(answer(op, Outcome::Applied), std::nullopt);
        }
        auto removed = m_services.annotations->remove(account, existing->id, std::nullopt, also(true));
        if (!removed)
            return removed.status();
        return withAnnotation(answer(op, Outcome::Applied), std::nullopt);
    }
    const json::value* data = op.payload.if_contains("data");
    if (!data)
        return invalidArgument("data: the annotation's payload is required");
    if (!existing && !client)
        return withAnnotation(answer(op, Outcome::Conflict), std::nullopt); // a server id that is gone
    auto written = existing
                       ? m_services.annotations->update(account, existing->id, existing->revision, std::nullopt, *data,
                                                        also(false))
                       : m_services.annotations->create(account, assetId, {schema, std::nullopt, *data}, also(false));
    if (!written)
        return written.status();
    return named(withAnnotation(answer(op, Outcome::Applied), std::move(written).value()));
}

} // namespace pinhole::server::sync
