#include "replication/push.h"

#include "core/digest.h"
#include "replication/pull.h"

#include <map>

namespace json = boost::json;

namespace pinhole::sync {

namespace {
std::string stringField(const json::object& o, const char* key) {
    const auto* v = o.if_contains(key);
    return v && v->is_string() ? std::string(v->as_string()) : std::string();
}
} // namespace

Result<std::optional<std::string>> Pusher::serverIdOf(const std::string& sha256, std::string& uploadReason) {
    auto q = m_store.db().prepare("SELECT a.server_id, u.state, u.reason FROM assets a "
                                  "LEFT JOIN uploads u ON u.asset_id = a.id WHERE a.sha256 = ?");
    q.bind(1, sha256);
    auto row = q.step();
    if (!row)
        return row.status();
    if (!*row) {
        uploadReason = "the photo is not in the library";
        return std::optional<std::string>();
    }
    if (!q.isNull(0))
        return std::optional<std::string>(q.text(0));
    if (!q.isNull(1) && q.text(1) == "parked")
        uploadReason = "its photo could not be uploaded: " + q.text(2);
    return std::optional<std::string>();
}

// The server's processing state of an asset: from the mirror when the stream sent it ready,
// otherwise asked (a post can only show processed photos).
Result<std::string> Pusher::assetState(const std::string& serverId) {
    auto q = m_store.db().prepare("SELECT json_extract(body, '$.state') FROM mirror WHERE kind = 'asset' AND id = ?");
    q.bind(1, serverId);
    auto row = q.step();
    if (!row)
        return row.status();
    if (*row && q.text(0) == "ready")
        return std::string("ready");
    auto r = m_http.send({"GET", m_base + "/api/pinhole/v1/assets/" + serverId, {}, {}});
    if (!r)
        return r.status();
    if (r->status != 200)
        return net::errorOf(*r, "asking for asset " + serverId);
    boost::system::error_code ec;
    auto body = json::parse(r->body, ec);
    if (ec || !body.is_object())
        return Status(Code::Unavailable, "asset " + serverId + ": not JSON");
    std::string state = stringField(body.as_object(), "state");
    if (state == "failed")
        state += ": " + stringField(body.as_object(), "failure");
    return state;
}

// Turns a stored operation into its wire form, replacing asset hashes by server ids.
Result<Pusher::Prepared> Pusher::prepare(const Operation& op, json::object& wire, std::string& reason) {
    boost::system::error_code ec;
    auto payload = json::parse(op.payload, ec);
    if (ec || !payload.is_object()) {
        reason = "the operation's payload is not a JSON object";
        return Prepared::Park;
    }
    auto& p = payload.as_object();
    auto resolve = [&](const std::string& sha, std::string& out) -> Result<Prepared> {
        auto id = serverIdOf(sha, reason);
        if (!id)
            return id.status();
        if (!*id)
            return reason.empty() ? Prepared::Wait : Prepared::Park;
        out = **id;
        return Prepared::Ready;
    };
    if (auto* sha = p.if_contains("asset_sha256"); sha && sha->is_string()) {
        std::string id;
        auto r = resolve(std::string(sha->as_string()), id);
        if (!r || *r != Prepared::Ready)
            return r;
        p.erase("asset_sha256");
        p["asset_id"] = id;
    }
    if (auto* shas = p.if_contains("media_sha256s"); shas && shas->is_array()) {
        json::array ids;
        for (const auto& sha : shas->as_array()) {
            std::string id;
            auto r = resolve(std::string(sha.as_string()), id);
            if (!r || *r != Prepared::Ready)
                return r;
            auto state = assetState(id);
            if (!state)
                return state.status();
            if (state->rfind("failed", 0) == 0) {
                reason = "a photo of the post could not be processed (" + *state + ")";
                return Prepared::Park;
            }
            if (*state != "ready")
                return Prepared::Wait;
            ids.emplace_back(id);
        }
        p.erase("media_sha256s");
        p["media_ids"] = std::move(ids);
    }
    wire =
        json::object{{"op_id", op.id}, {"hlc", std::to_string(op.hlc)}, {"kind", op.kind}, {"payload", std::move(p)}};
    return Prepared::Ready;
}

// §4 on this side: a caption that lost keeps its text as a conflict record; an edit of an asset
// the server no longer has puts the local copy in trash.
Status Pusher::resolveConflict(const Operation& op, const json::value& current) {
    if (op.kind.rfind("album.", 0) == 0) {
        // The server kept another state of the album, which made no event the stream would
        // bring: apply it now. Gone: the album was deleted (delete versus edit: the delete wins).
        if (current.is_object())
            return applyServerChange(m_store.db(), "album", stringField(current.as_object(), "id"), &current, m_log);
        boost::system::error_code ec;
        auto payload = json::parse(op.payload, ec);
        if (ec || !payload.is_object())
            return Status::ok();
        return m_store.db()
            .prepare("UPDATE albums SET deleted = 1 WHERE id = ?")
            .bind(1, stringField(payload.as_object(), "album_id"))
            .run();
    }
    if (op.kind == "annotation.upsert" || op.kind == "annotation.delete") {
        if (current.is_object())
            return applyServerChange(m_store.db(), "annotation", stringField(current.as_object(), "id"), &current,
                                     m_log);
        return Status::ok(); // gone: its tombstone comes through the stream
    }
    if (op.kind != "asset.update")
        return Status::ok(); // likes, follows: the stream brings the server's state
    boost::system::error_code ec;
    auto payload = json::parse(op.payload, ec);
    if (ec || !payload.is_object())
        return Status::ok();
    const std::string sha = stringField(payload.as_object(), "asset_sha256");
    auto& db = m_store.db();
    if (current.is_null())
        return db.prepare("UPDATE assets SET trashed = 1 WHERE sha256 = ?").bind(1, sha).run();
    const auto* set = payload.as_object().if_contains("set");
    const json::value* mine = set && set->is_object() ? set->as_object().if_contains("description") : nullptr;
    if (!mine || !mine->is_string() || !current.is_object())
        return Status::ok();
    const std::string lost(mine->as_string());
    const std::string kept = stringField(current.as_object(), "description");
    if (lost == kept)
        return Status::ok();
    PINHOLE_TRY(
        db.prepare("INSERT INTO conflicts(entity, field, kept, lost, created_at) VALUES (?, 'caption', ?, ?, ?)")
            .bind(1, "asset:" + sha)
            .bind(2, kept)
            .bind(3, lost)
            .bind(4, static_cast<std::int64_t>(wallMillis()))
            .run());
    // Only if no newer local edit is waiting: that one will be decided by the server in turn.
    return db.prepare("UPDATE assets SET caption = ? WHERE sha256 = ? AND caption = ?")
        .bind(1, kept)
        .bind(2, sha)
        .bind(3, lost)
        .run();
}

Result<PushReport> Pusher::run(std::uint64_t now) {
    PushReport report;
    Outbox outbox(m_store.db());
    int batchSize = kBatchSize;
    for (;;) {
        auto taken = outbox.takeDue(batchSize, now);
        if (!taken)
            return taken.status();
        if (taken->empty()) {
            auto next = outbox.nextDue();
            if (!next)
                return next.status();
            report.waiting = next->has_value();
            return report;
        }
        // The sendable prefix of the batch; the first operation that must wait holds back
        // itself and everything after it.
        std::vector<Operation> sending;
        json::array wire;
        bool held = false;
        for (const auto& op : *taken) {
            if (held) {
                PINHOLE_TRY(outbox.release(op.id, op.nextAttemptAt, now));
                continue;
            }
            json::object w;
            std::string reason;
            auto prepared = prepare(op, w, reason);
            if (!prepared) {
                for (const auto& o : *taken)
                    if (o.seq >= op.seq)
                        (void)outbox.release(o.id, o.nextAttemptAt, now);
                for (const auto& o : sending)
                    (void)outbox.release(o.id, o.nextAttemptAt, now);
                return prepared.status();
            }
            if (*prepared == Prepared::Park) {
                PINHOLE_TRY(outbox.markParked(op.id, reason, now));
                ++report.parked;
                logTo(m_log, LogLevel::Warning, "op_parked", op.kind + " " + op.id + ": " + reason);
            } else if (*prepared == Prepared::Wait) {
                held = true;
                report.waiting = true;
                PINHOLE_TRY(outbox.release(op.id, now + kProcessingWaitMs, now));
            } else {
                sending.push_back(op);
                wire.push_back(std::move(w));
            }
        }
        if (sending.empty())
            return report;

        auto r = m_http.send({"POST",
                              m_base + "/api/pinhole/v1/sync/ops",
                              {{"Content-Type", "application/json"}},
                              json::serialize(json::object{{"ops", std::move(wire)}})});
        ++report.requests;
        if (!r) {
            for (const auto& op : sending)
                PINHOLE_TRY(outbox.release(op.id, now, now));
            return r.status();
        }
        if (r->status == 429 || r->status >= 500) {
            const Status why = net::errorOf(*r, "sending operations");
            const std::uint64_t floor = 1000ull * static_cast<unsigned>(r->retryAfterSeconds().value_or(0));
            const std::uint64_t retryAt = now + backoffDelayMs(sending.front().attempts, floor);
            for (const auto& op : sending)
                PINHOLE_TRY(outbox.markRetry(op.id, why.message(), retryAt, now));
            logTo(m_log, LogLevel::Warning, "push_retry_later", why.message());
            report.waiting = true;
            return report;
        }
        if (r->status == 401 || r->status == 404) {
            for (const auto& op : sending)
                PINHOLE_TRY(outbox.release(op.id, now, now));
            return net::errorOf(*r, r->status == 404 ? "this server has no sync endpoint" : "sending operations");
        }
        if (r->status != 200) { // 400, 413, 422: the batch itself is refused
            const Status why = net::errorOf(*r, "sending operations");
            if (sending.size() == 1) {
                PINHOLE_TRY(outbox.markParked(sending.front().id, why.message(), now));
                ++report.parked;
            } else {
                for (const auto& op : sending)
                    PINHOLE_TRY(outbox.release(op.id, now, now));
                batchSize = 1; // find the one that is refused
            }
            continue;
        }
        boost::system::error_code ec;
        auto body = json::parse(r->body, ec);
        const json::array* results = nullptr;
        if (!ec && body.is_object())
            if (auto* rs = body.as_object().if_contains("results"); rs && rs->is_array())
                results = &rs->as_array();
        if (!results) {
            for (const auto& op : sending)
                PINHOLE_TRY(outbox.release(op.id, now, now));
            return Status(Code::Unavailable, "sending operations: an answer without results");
        }
        std::map<std::string, const json::object*> byId;
        for (const auto& result : *results)
            if (result.is_object())
                byId[stringField(result.as_object(), "op_id")] = &result.as_object();
        store::Transaction tx(m_store.db());
        PINHOLE_TRY(tx.status());
        for (const auto& op : sending) {
            auto it = byId.find(op.id);
            if (it == byId.end()) { // not answered: a server fault; send it again later
                PINHOLE_TRY(outbox.markRetry(op.id, "the server did not answer this operation",
                                             now + backoffDelayMs(op.attempts), now));
                continue;
            }
            const json::object& result = *it->second;
            const std::string status = stringField(result, "status");
            if (status == "applied" || status == "already_applied") {
                PINHOLE_TRY(outbox.markApplied(op.id, json::serialize(result), now));
                // The server's annotation as written: remembered now, so a later change of it
                // (a tag renamed through the REST API) knows what it replaces.
                const auto* current = result.if_contains("current");
                if (op.kind == "annotation.upsert" && current && current->is_object())
                    PINHOLE_TRY(applyServerChange(m_store.db(), "annotation", stringField(current->as_object(), "id"),
                                                  current, m_log));
                ++report.applied;
            } else if (status == "conflict") {
                const auto* current = result.if_contains("current");
                // Answered first, so the state applied is not held back as an unsent edit.
                PINHOLE_TRY(outbox.markApplied(op.id, json::serialize(result), now));
                PINHOLE_TRY(resolveConflict(op, current ? *current : json::value()));
                ++report.conflicts;
            } else {
                std::string reason = stringField(result, "reason");
                if (reason.empty())
                    reason = "refused by the server";
                PINHOLE_TRY(outbox.markParked(op.id, reason, now));
                ++report.parked;
                logTo(m_log, LogLevel::Warning, "op_parked", op.kind + " " + op.id + ": " + reason);
            }
        }
        PINHOLE_TRY(tx.commit());
        if (held)
            return report;
    }
}

} // namespace pinhole::sync
