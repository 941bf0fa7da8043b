#include "replication/pull.h"

#include "core/digest.h"

#include <boost/json.hpp>
#include <curl/curl.h>

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
        return db.prepare("INSERT INTO assets(sha256, server_id, size, caption, imported_at) VALUES (?, ?, 0, ?, ?)")
            .bind(1, sha)
            .bind(2, id)
            .bind(3, description)
            .bind(4, i64(wallMillis()))
            .run();
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
    return db
        .prepare("UPDATE assets SET server_id = ?, trashed = 0, caption = CASE WHEN ? THEN caption ELSE ? END "
                 "WHERE id = ?")
        .bind(1, id)
        .bind(2, keepCaption)
        .bind(3, description)
        .bind(4, localId)
        .run();
}

Status applyChange(store::Database& db, const json::object& line, const LogSink& log) {
    const std::string kind = stringField(line, "kind");
    const std::string op = stringField(line, "op");
    const std::string id = stringField(line, "id");
    static const std::set<std::string> kKnown = {"account", "relationship", "asset",       "post",
                                                 "comment", "like",         "notification"};
    if (!kKnown.count(kind)) {
        logTo(log, LogLevel::Debug, "pull_unknown_kind", kind); // later servers add kinds
        return Status::ok();
    }
    if (op == "delete") {
        if (kind == "asset") // delete versus edit: the local copy goes to trash, recoverable
            PINHOLE_TRY(db.prepare("UPDATE assets SET trashed = 1 WHERE server_id = ?").bind(1, id).run());
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
    if (kind == "relationship") {
        const auto* following = data->as_object().if_contains("following");
        if (following && following->is_bool() && !following->as_bool())
            PINHOLE_TRY(db.prepare("DELETE FROM mirror WHERE kind = 'post' AND json_extract(body, '$.account.id') = ?")
                            .bind(1, id)
                            .run());
    }
    return mirrorUpsert(db, kind, id, *data);
}
} // namespace

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
