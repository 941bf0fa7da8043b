// The sync endpoints (docs/protocol.md): GET /api/pinhole/v1/sync/changes, the change stream as
// JSON lines, and POST /api/pinhole/v1/sync/ops, batched client operations. Rendering only:
// sync/changestream.h and sync/opsservice.h decide.
#include "api/context.h"
#include "api/mastodon/entities.h"
#include "api/pinhole/entities.h"

#include <boost/json.hpp>

namespace pinhole::server::api {

namespace {

namespace json = boost::json;

// An album with the id its sync client chose (null if made through the REST API) and its members
// in order (docs/protocol.md §1).
json::object albumState(const store::Album& album, const std::optional<std::string>& clientId,
                        const std::vector<Id>& assetIds) {
    json::object o = pinhole::albumJson(album);
    o["client_id"] = clientId ? json::value(*clientId) : json::value(nullptr);
    json::array ids;
    for (Id id : assetIds)
        ids.emplace_back(idToString(id));
    o["asset_ids"] = std::move(ids);
    return o;
}

json::object annotationState(const store::AnnotationRow& row, const std::optional<std::string>& clientId) {
    json::object o = pinhole::annotationJson(row);
    o["client_id"] = clientId ? json::value(*clientId) : json::value(nullptr);
    return o;
}

json::value stateOf(const sync::Change& c, const std::string& baseUrl) {
    switch (c.kind) {
    case sync::EntityKind::Account: return mastodon::accountJson(*c.account, baseUrl, c.accountCounts);
    case sync::EntityKind::Relationship: return mastodon::relationshipJson(*c.relationship);
    case sync::EntityKind::Asset: return pinhole::ownerAssetJson(*c.asset, baseUrl);
    case sync::EntityKind::Post:
    case sync::EntityKind::Comment: return mastodon::statusJson(*c.status, baseUrl);
    case sync::EntityKind::Like: return json::object{{"status_id", idToString(c.id)}, {"created_at", c.likedAt}};
    case sync::EntityKind::Notification: {
        json::object n{{"id", idToString(c.id)},
                       {"type", c.notificationType},
                       {"created_at", c.notifiedAt},
                       {"account", mastodon::accountJson(*c.account, baseUrl, c.accountCounts)}};
        n["status_id"] = c.notificationStatusId ? json::value(idToString(*c.notificationStatusId)) : json::value();
        return n;
    }
    case sync::EntityKind::Album: return albumState(*c.album, c.clientId, c.albumAssetIds);
    case sync::EntityKind::Annotation: return annotationState(*c.annotation, c.clientId);
    }
    return nullptr;
}

void appendLine(std::string& body, const json::object& line) {
    body += json::serialize(line);
    body += '\n';
}

Result<http::Response> changes(ApiContext& ctx, http::Request& request) {
    auto principal = authenticate(ctx, request, "read");
    if (!principal)
        return principal.status();
    auto p = http::Params::fromQuery(request.rawQuery);
    if (!p)
        return p.status();
    auto limit = p->integer("limit");
    if (!limit)
        return limit.status();
    const std::int64_t wanted = limit->value_or(sync::ChangeStream::kDefaultLimit);
    if (wanted < 1 || wanted > sync::ChangeStream::kMaxLimit)
        return invalidArgument("limit: 1 to " + std::to_string(sync::ChangeStream::kMaxLimit));
    const std::string cursor = p->string("cursor").value_or("");
    auto page = ctx.changes->page(*principal->accountId, cursor, static_cast<int>(wanted));
    if (!page)
        return page.status();

    http::Response response;
    response.contentType = "application/x-ndjson";
    response.header("Cache-Control", "no-store");
    if (page->resetReason)
        appendLine(response.body, json::object{{"reset", true}, {"reason", *page->resetReason}});
    for (const sync::Change& c : page->changes) {
        json::object line{
            {"kind", sync::entityKindName(c.kind)}, {"op", c.deleted ? "delete" : "upsert"}, {"id", idToString(c.id)}};
        if (!c.deleted)
            line["data"] = stateOf(c, ctx.baseUrl);
        line["cursor"] = c.cursor;
        appendLine(response.body, line);
    }
    json::object end{{"end", true}, {"more", page->more}};
    if (page->snapshotComplete)
        end["snapshot_complete"] = true;
    end["cursor"] = page->cursor;
    appendLine(response.body, end);
    return response;
}

json::value currentJson(const sync::CurrentState& current, const std::string& baseUrl) {
    using Kind = sync::CurrentState::Kind;
    switch (current.kind) {
    case Kind::None:
    case Kind::Gone: return nullptr;
    case Kind::Asset: return pinhole::ownerAssetJson(*current.asset, baseUrl);
    case Kind::Relationship: return mastodon::relationshipJson(*current.relationship);
    case Kind::Like: return json::object{{"liked", current.liked}};
    case Kind::Album: return albumState(*current.album, current.albumClientId, current.albumAssetIds);
    case Kind::Annotation: return annotationState(*current.annotation, current.annotationClientId);
    }
    return nullptr;
}

Result<http::Response> ops(ApiContext& ctx, http::Request& request) {
    auto principal = authenticate(ctx, request, "write");
    if (!principal)
        return principal.status();
    auto parsed = sync::parseOps(request.body);
    if (!parsed)
        return parsed.status();
    auto results = ctx.syncOps->apply(*principal->accountId, *parsed);
    if (!results)
        return results.status();
    json::array out;
    out.reserve(results->size());
    for (const sync::OpResult& r : *results) {
        json::object o{{"op_id", r.opId}, {"status", sync::outcomeName(r.outcome)}};
        if (r.id)
            o["id"] = idToString(*r.id);
        if (r.outcome == sync::Outcome::Refused)
            o["reason"] = r.reason;
        if (r.outcome == sync::Outcome::Conflict || r.current.kind != sync::CurrentState::Kind::None)
            o["current"] = currentJson(r.current, ctx.baseUrl);
        out.push_back(std::move(o));
    }
    return jsonResponse(json::object{{"results", std::move(out)}});
}

} // namespace

void registerSyncRoutes(http::Router& router, ApiContext& ctx) {
    router.add("GET", "/api/pinhole/v1/sync/changes", [&ctx](http::Request& r) { return changes(ctx, r); });
    // A batch of 500 ops with captions fits in 1 MiB; more is refused before it is read.
    router.add(
        "POST", "/api/pinhole/v1/sync/ops", [&ctx](http::Request& r) { return ops(ctx, r); },
        http::RouteOptions{sync::kMaxOpsBodyBytes});
}

} // namespace pinhole::server::api
