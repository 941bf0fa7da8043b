// Mastodon's status endpoints: create (media_ids[], visibility, in_reply_to_id, Idempotency-Key),
// get, delete, context, favourite, unfavourite, favourited_by, and an account's statuses.
// Rules live in social/statusservice.h and social/visibility.h.
#include "api/mastodon/socialapi.h"

namespace json = boost::json;

namespace pinhole::server::api {

using namespace mastodon;

namespace {

Result<http::Response> create(ApiContext& ctx, http::Request& request) {
    auto viewer = requiredViewer(ctx, request, "write:statuses");
    if (!viewer)
        return viewer.status();
    auto p = http::Params::fromRequest(request);
    if (!p)
        return p.status();
    social::NewStatus input;
    input.text = p->string("status").value_or("");
    for (const auto& text : p->strings("media_ids")) {
        auto id = idFromString(text);
        if (!id)
            return unprocessable("media_ids: \"" + text + "\" is not a media id");
        input.mediaIds.push_back(*id);
    }
    if (auto visibility = p->string("visibility"); visibility && !visibility->empty()) {
        auto v = store::visibilityFromName(*visibility);
        if (!v)
            return unprocessable("visibility: must be public, unlisted or private");
        input.visibility = *v;
    }
    if (auto reply = p->string("in_reply_to_id"); reply && !reply->empty()) {
        input.inReplyToId = idFromString(*reply);
        if (!input.inReplyToId)
            return notFound("in_reply_to_id: status not found");
    }
    if (auto scheduled = p->string("scheduled_at"); scheduled && !scheduled->empty())
        return unprocessable("scheduled_at: scheduled posts are not supported");
    if (const auto key = request.header("idempotency-key"); !key.empty())
        input.idempotencyKey = std::string(key);
    auto status = ctx.statuses->create(*viewer, input);
    if (!status)
        return status.status();
    return jsonResponse(statusJson(*status, ctx.baseUrl));
}

Result<http::Response> get(ApiContext& ctx, http::Request& request) {
    auto viewer = optionalViewer(ctx, request, "read:statuses");
    if (!viewer)
        return viewer.status();
    auto id = pathId(request, "status");
    if (!id)
        return id.status();
    auto status = ctx.statuses->get(*viewer, *id);
    if (!status)
        return status.status();
    return jsonResponse(statusJson(*status, ctx.baseUrl));
}

Result<http::Response> remove(ApiContext& ctx, http::Request& request) {
    auto viewer = requiredViewer(ctx, request, "write:statuses");
    if (!viewer)
        return viewer.status();
    auto id = pathId(request, "status");
    if (!id)
        return id.status();
    auto status = ctx.statuses->remove(*viewer, *id);
    if (!status)
        return status.status();
    return jsonResponse(statusJson(*status, ctx.baseUrl));
}

Result<http::Response> favourite(ApiContext& ctx, http::Request& request, bool add) {
    auto viewer = requiredViewer(ctx, request, "write:favourites");
    if (!viewer)
        return viewer.status();
    auto id = pathId(request, "status");
    if (!id)
        return id.status();
    auto status = add ? ctx.statuses->favourite(*viewer, *id) : ctx.statuses->unfavourite(*viewer, *id);
    if (!status)
        return status.status();
    return jsonResponse(statusJson(*status, ctx.baseUrl));
}

Result<http::Response> favouritedBy(ApiContext& ctx, http::Request& request) {
    auto viewer = optionalViewer(ctx, request, "read:statuses");
    if (!viewer)
        return viewer.status();
    auto id = pathId(request, "status");
    if (!id)
        return id.status();
    auto page = pageParams(request, 40, 80);
    if (!page)
        return page.status();
    auto list = ctx.statuses->favouritedBy(*viewer, *id, *page);
    if (!list)
        return list.status();
    return accountsResponse(ctx, request, *list);
}

Result<http::Response> context(ApiContext& ctx, http::Request& request) {
    auto viewer = optionalViewer(ctx, request, "read:statuses");
    if (!viewer)
        return viewer.status();
    auto id = pathId(request, "status");
    if (!id)
        return id.status();
    auto thread = ctx.statuses->context(*viewer, *id);
    if (!thread)
        return thread.status();
    json::array ancestors, descendants;
    for (const auto& s : thread->ancestors)
        ancestors.push_back(statusJson(s, ctx.baseUrl));
    for (const auto& s : thread->descendants)
        descendants.push_back(statusJson(s, ctx.baseUrl));
    return jsonResponse(json::object{{"ancestors", std::move(ancestors)}, {"descendants", std::move(descendants)}});
}

Result<http::Response> accountStatuses(ApiContext& ctx, http::Request& request) {
    auto viewer = optionalViewer(ctx, request, "read:statuses");
    if (!viewer)
        return viewer.status();
    auto id = pathId(request, "account");
    if (!id)
        return id.status();
    auto page = pageParams(request, 20, 40);
    if (!page)
        return page.status();
    auto p = http::Params::fromQuery(request.rawQuery);
    if (!p)
        return p.status();
    auto excludeReplies = p->boolean("exclude_replies");
    if (!excludeReplies)
        return excludeReplies.status();
    auto pinned = p->boolean("pinned");
    if (!pinned)
        return pinned.status();
    if (pinned->value_or(false)) // pinning does not exist here: nothing is pinned
        return jsonResponse(json::array());
    auto list = ctx.statuses->accountStatuses(*viewer, *id, *page, excludeReplies->value_or(false));
    if (!list)
        return list.status();
    return statusesResponse(ctx, request, *list);
}

} // namespace

void registerStatusRoutes(http::Router& router, ApiContext& ctx) {
    router.add("POST", "/api/v1/statuses", [&ctx](http::Request& r) { return create(ctx, r); });
    router.add("GET", "/api/v1/statuses/:id", [&ctx](http::Request& r) { return get(ctx, r); });
    router.add("DELETE", "/api/v1/statuses/:id", [&ctx](http::Request& r) { return remove(ctx, r); });
    router.add("GET", "/api/v1/statuses/:id/context", [&ctx](http::Request& r) { return context(ctx, r); });
    router.add("POST", "/api/v1/statuses/:id/favourite", [&ctx](http::Request& r) { return favourite(ctx, r, true); });
    router.add("POST", "/api/v1/statuses/:id/unfavourite",
               [&ctx](http::Request& r) { return favourite(ctx, r, false); });
    router.add("GET", "/api/v1/statuses/:id/favourited_by", [&ctx](http::Request& r) { return favouritedBy(ctx, r); });
    router.add("GET", "/api/v1/accounts/:id/statuses", [&ctx](http::Request& r) { return accountStatuses(ctx, r); });
}

} // namespace pinhole::server::api
