// Mastodon's follow graph endpoints: follow, unfollow, block, unblock, relationships, followers,
// following, follow requests and blocks. Rules live in social/followservice.h.
#include "api/mastodon/socialapi.h"

namespace json = boost::json;

namespace pinhole::server::api {

using namespace mastodon;

namespace {

using Action = Result<social::Relationship> (social::FollowService::*)(Id, Id);

Result<http::Response> relationshipAction(ApiContext& ctx, http::Request& request, std::string_view scope,
                                          Action action) {
    auto viewer = requiredViewer(ctx, request, scope);
    if (!viewer)
        return viewer.status();
    auto id = pathId(request, "account");
    if (!id)
        return id.status();
    auto r = (ctx.follows->*action)(*viewer, *id);
    if (!r)
        return r.status();
    return jsonResponse(relationshipJson(*r));
}

Result<http::Response> relationships(ApiContext& ctx, http::Request& request) {
    auto viewer = requiredViewer(ctx, request, "read:follows");
    if (!viewer)
        return viewer.status();
    auto p = http::Params::fromQuery(request.rawQuery);
    if (!p)
        return p.status();
    std::vector<Id> ids;
    for (const auto& text : p->strings("id")) {
        if (auto id = idFromString(text))
            ids.push_back(*id);
        if (ids.size() >= 80)
            break;
    }
    auto list = ctx.follows->relationships(*viewer, ids);
    if (!list)
        return list.status();
    json::array out;
    for (const auto& r : *list)
        out.push_back(relationshipJson(r));
    return jsonResponse(out);
}

Result<http::Response> followList(ApiContext& ctx, http::Request& request, bool followers) {
    auto viewer = optionalViewer(ctx, request, "read:accounts");
    if (!viewer)
        return viewer.status();
    auto id = pathId(request, "account");
    if (!id)
        return id.status();
    auto page = pageParams(request, 40, 80);
    if (!page)
        return page.status();
    auto list = followers ? ctx.follows->followers(*viewer, *id, *page) : ctx.follows->following(*viewer, *id, *page);
    if (!list)
        return list.status();
    return accountsResponse(ctx, request, *list);
}

Result<http::Response> followRequests(ApiContext& ctx, http::Request& request) {
    auto viewer = requiredViewer(ctx, request, "read:follows");
    if (!viewer)
        return viewer.status();
    auto page = pageParams(request, 40, 80);
    if (!page)
        return page.status();
    auto list = ctx.follows->followRequests(*viewer, *page);
    if (!list)
        return list.status();
    return accountsResponse(ctx, request, *list);
}

Result<http::Response> blocks(ApiContext& ctx, http::Request& request) {
    auto viewer = requiredViewer(ctx, request, "read:blocks");
    if (!viewer)
        return viewer.status();
    auto page = pageParams(request, 40, 80);
    if (!page)
        return page.status();
    auto list = ctx.follows->blocks(*viewer, *page);
    if (!list)
        return list.status();
    return accountsResponse(ctx, request, *list);
}

} // namespace

void registerFollowRoutes(http::Router& router, ApiContext& ctx) {
    const std::pair<const char*, std::pair<const char*, Action>> actions[] = {
        {"/api/v1/accounts/:id/follow", {"write:follows", &social::FollowService::follow}},
        {"/api/v1/accounts/:id/unfollow", {"write:follows", &social::FollowService::unfollow}},
        {"/api/v1/accounts/:id/block", {"write:blocks", &social::FollowService::block}},
        {"/api/v1/accounts/:id/unblock", {"write:blocks", &social::FollowService::unblock}},
        {"/api/v1/follow_requests/:id/authorize", {"write:follows", &social::FollowService::authorize}},
        {"/api/v1/follow_requests/:id/reject", {"write:follows", &social::FollowService::reject}},
    };
    for (const auto& [pattern, what] : actions) {
        const auto [scope, action] = what;
        // Init-captures: clang 14 (the fuzz preset) cannot capture structured bindings by name.
        router.add("POST", pattern, [&ctx, scope = scope, action = action](http::Request& r) {
            return relationshipAction(ctx, r, scope, action);
        });
    }
    router.add("GET", "/api/v1/accounts/relationships", [&ctx](http::Request& r) { return relationships(ctx, r); });
    router.add("GET", "/api/v1/accounts/:id/followers", [&ctx](http::Request& r) { return followList(ctx, r, true); });
    router.add("GET", "/api/v1/accounts/:id/following", [&ctx](http::Request& r) { return followList(ctx, r, false); });
    router.add("GET", "/api/v1/follow_requests", [&ctx](http::Request& r) { return followRequests(ctx, r); });
    router.add("GET", "/api/v1/blocks", [&ctx](http::Request& r) { return blocks(ctx, r); });
}

} // namespace pinhole::server::api
