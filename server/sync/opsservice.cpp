#include "sync/opsservice.h"

#include "core/clock.h"
#include "store/statusstore.h"
#include "store/syncstore.h"

#include <boost/json.hpp>

#include <array>
#include <charconv>
#include <cmath>

namespace pinhole::server::sync {

namespace {

namespace json = boost::json;

// Kinds of docs/protocol.md §3.2 that other parts of the server will serve (albums,
// annotations): refused until then. The seam: a case in applyOne() calling their service.
constexpr std::array kUnsupportedKinds{"album.create", "album.update",      "album.delete",     "album.add",
                                       "album.remove", "annotation.upsert", "annotation.delete"};

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
    for (std::string_view unsupported : kUnsupportedKinds)
        if (op.kind == unsupported)
            return refused(op, "unsupported kind");
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
    else if (op.kind == "follow_request.authorize" || op.kind == "follow_request.reject")
        r = answerFollowRequest(account, op, op.kind == "follow_request.authorize");
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

Result<OpResult> OpsService::answerFollowRequest(Id account, const Op& op, bool authorize) {
    auto requester = idField(account, op, "account_id");
    if (!requester)
        return requester.status();
    auto relationship = authorize ? m_follows.authorize(account, *requester, recorder(account, op))
                                  : m_follows.reject(account, *requester, recorder(account, op));
    if (!relationship)
        return relationship.status(); // no request (withdrawn, answered elsewhere): refused with why
    OpResult r = answer(op, Outcome::Applied);
    r.id = *requester;
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
        return invalidArgument("set: an object with description, focus_x or focus_y is required");
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

} // namespace pinhole::server::sync
