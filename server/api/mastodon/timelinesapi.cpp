// Mastodon's timelines (home, public, tag), search (v2) and notifications.
#include "api/mastodon/socialapi.h"
#include "api/mastodon/statuscache.h"

#include <algorithm>
#include <memory>
#include <unordered_map>

namespace json = boost::json;

namespace pinhole::server::api {

using namespace mastodon;

namespace {

// Appends one status, rendered without its viewer, with the viewer's `favourited` spliced in.
void appendStatus(std::string& body, const RenderedStatus& rendered, bool favourited) {
    if (body.size() > 1)
        body += ',';
    body += rendered.before;
    body += favourited ? "true" : "false";
    body += rendered.after;
}

// A page of statuses as `access`'s viewer sees it, as one JSON array, and what it showed.
struct RenderedPage {
    std::string body;
    HomePage shown;
    std::vector<Id> shownIds; // the statuses shown and their media
    bool keepable = true;     // whether the page may be kept (api/mastodon/statuscache.h)
};

// Renders a page, spliced from the rendered-status cache where it holds them (the viewer's
// `favourited` patched in) and rendered, then kept, where it does not. One read snapshot for the
// cache's log position and every row.
Result<RenderedPage> renderStatuses(ApiContext& ctx, store::Database& db, social::Access& access,
                                    const std::vector<Id>& ids) {
    store::ReadTransaction snapshot(db);
    auto at = ctx.statusCache->catchUp(db);
    if (!at)
        return at.status();
    std::unordered_map<Id, std::shared_ptr<const RenderedStatus>> cached;
    std::vector<Id> dependsOn;
    auto views = ctx.statuses->views(db, access, ids, [&](const store::StatusRow& row) {
        dependsOn.assign(row.mediaIds.begin(), row.mediaIds.end());
        dependsOn.push_back(row.accountId);
        auto hit = ctx.statusCache->find(row.id, dependsOn);
        const bool found = hit != nullptr;
        if (found)
            cached.emplace(row.id, std::move(hit));
        return found;
    });
    if (!views)
        return views.status();
    RenderedPage out;
    out.body = "[";
    out.body.reserve(views->size() * 2048 + 2); // a rendered status is about 2 KiB: one allocation
    for (auto& v : *views) {
        std::shared_ptr<const RenderedStatus> rendered;
        if (auto it = cached.find(v.status.id); it != cached.end()) {
            rendered = it->second;
        } else {
            const bool favourited = v.favourited;
            v.favourited = false; // the shared text never holds a viewer's value
            const std::string json = json::serialize(statusJson(v, ctx.baseUrl));
            v.favourited = favourited;
            auto parts = StatusJsonCache::split(json);
            if (!parts) { // cannot happen with statusJson's keys; render it for this viewer alone
                out.body += out.body.size() > 1 ? "," : "";
                out.body += json::serialize(statusJson(v, ctx.baseUrl));
                out.keepable = false;
                continue;
            }
            rendered = std::make_shared<const RenderedStatus>(std::move(*parts));
            std::vector<Id> renderedFrom(v.status.mediaIds.begin(), v.status.mediaIds.end());
            renderedFrom.push_back(v.status.accountId);
            ctx.statusCache->insert(v.status.id, rendered, std::move(renderedFrom), *at);
        }
        appendStatus(out.body, *rendered, v.favourited);
        out.shown.rendered.push_back(rendered);
        out.shown.favourited.push_back(v.favourited);
        out.shownIds.push_back(v.status.id);
        out.shownIds.insert(out.shownIds.end(), v.status.mediaIds.begin(), v.status.mediaIds.end());
        // A comment's visibility also depends on the post it answers, which a kept page does not
        // track; feeds hold posts only (feed/fanout.h), so this is a guard, not a case.
        out.keepable = out.keepable && !v.status.inReplyToId;
    }
    out.body += ']';
    return out;
}

// A kept home page as the response: the shared renderings with the viewer's `favourited` spliced
// in, copied into one body. (Sending the pieces as a gather write instead was measured slower:
// more than 64 pieces took two sendmsg calls a response, and the client woke for each.)
http::Response keptPageResponse(ApiContext& ctx, const http::Request& request, const HomePage& page) {
    http::Response r;
    std::size_t bytes = 2;
    for (const auto& rendered : page.rendered)
        bytes += rendered->before.size() + rendered->after.size() + 6;
    r.body.reserve(bytes);
    r.body = "[";
    for (std::size_t i = 0; i < page.rendered.size(); ++i)
        appendStatus(r.body, *page.rendered[i], page.favourited[i]);
    r.body += ']';
    addLinkHeader(r, ctx, request, page.newest, page.oldest);
    return r;
}

// GET /api/v1/timelines/home from memory, on the I/O thread (http/router.h QuickHandler): a
// kept page, when a user's token in the grant cache asks for it and the status cache is caught
// up with the log. One statement on an idle connection (the log position and the auth
// generation); anything else is left to home().
std::optional<http::Response> homeFromMemory(ApiContext& ctx, http::Request& request) {
    if (!ctx.statusCache)
        return std::nullopt;
    std::optional<std::pair<LogPosition, std::int64_t>> heads;
    if (auto db = ctx.store.idleConnection()) {
        auto read = StatusJsonCache::positionAndAuthGeneration(**db);
        if (read)
            heads = *read;
    }
    if (!heads)
        return std::nullopt;
    auto viewer = accountFromMemory(ctx, heads->second, request, "read:statuses");
    if (!viewer)
        return std::nullopt;
    auto page = pageParams(request, 20, 40);
    if (!page)
        return std::nullopt;
    auto hit = ctx.statusCache->findHomePageIfCaughtUp(heads->first, HomePageKey{*viewer, *page});
    if (!hit)
        return std::nullopt;
    return keptPageResponse(ctx, request, *hit);
}

// GET /api/v1/timelines/home, on the handler pool when homeFromMemory() gave no answer. A page
// read before, whose viewer, followed accounts and posts no event has named since, is answered
// from memory (api/mastodon/statuscache.h) once the cache has caught up with the log.
Result<http::Response> home(ApiContext& ctx, http::Request& request) {
    auto viewer = requiredViewer(ctx, request, "read:statuses");
    if (!viewer)
        return viewer.status();
    auto page = pageParams(request, 20, 40);
    if (!page)
        return page.status();
    auto db = ctx.store.connection();
    if (!db)
        return db.status();
    if (!ctx.statusCache) {
        auto ids = ctx.homeFeed->page(*viewer, *page);
        if (!ids)
            return ids.status();
        social::Access access(**db, *viewer);
        auto views = ctx.statuses->views(**db, access, ids->items);
        if (!views)
            return views.status();
        social::Paged<social::StatusView> out;
        out.items = std::move(views).value();
        out.newest = ids->newest;
        out.oldest = ids->oldest;
        return statusesResponse(ctx, request, out);
    }

    // The position before any of the page is read: whatever changes after it outdates the page.
    auto at = ctx.statusCache->catchUp(**db);
    if (!at)
        return at.status();
    const HomePageKey key{*viewer, *page};
    if (auto hit = ctx.statusCache->findHomePage(key))
        return keptPageResponse(ctx, request, *hit);
    auto sources = ctx.homeFeed->sources(*viewer);
    if (!sources)
        return sources.status();
    auto ids = ctx.homeFeed->page(*viewer, *page);
    if (!ids)
        return ids.status();
    social::Access access(**db, *viewer);
    auto rendered = renderStatuses(ctx, **db, access, ids->items);
    if (!rendered)
        return rendered.status();
    rendered->shown.newest = ids->newest;
    rendered->shown.oldest = ids->oldest;
    if (rendered->keepable) {
        sources->insert(sources->end(), rendered->shownIds.begin(), rendered->shownIds.end());
        ctx.statusCache->insertHomePage(key, rendered->shown, std::move(sources).value(), *at);
    }
    http::Response r;
    r.body = std::move(rendered->body);
    addLinkHeader(r, ctx, request, ids->newest, ids->oldest);
    return r;
}

Result<http::Response> publicTimeline(ApiContext& ctx, http::Request& request) {
    auto viewer = optionalViewer(ctx, request, "read:statuses");
    if (!viewer)
        return viewer.status();
    auto page = pageParams(request, 20, 40);
    if (!page)
        return page.status();
    auto list = ctx.statuses->publicTimeline(*viewer, *page);
    if (!list)
        return list.status();
    return statusesResponse(ctx, request, *list);
}

Result<http::Response> tagTimeline(ApiContext& ctx, http::Request& request) {
    auto viewer = optionalViewer(ctx, request, "read:statuses");
    if (!viewer)
        return viewer.status();
    auto page = pageParams(request, 20, 40);
    if (!page)
        return page.status();
    auto list = ctx.statuses->tagTimeline(*viewer, std::string(request.pathParam("tag")), *page);
    if (!list)
        return list.status();
    return statusesResponse(ctx, request, *list);
}

// GET /api/v2/search?q=...&type=accounts|hashtags|statuses&limit=: accounts by username prefix
// (and exact name), hashtags by prefix, public posts by caption text.
Result<http::Response> search(ApiContext& ctx, http::Request& request) {
    auto viewer = optionalViewer(ctx, request, "read:search");
    if (!viewer)
        return viewer.status();
    auto p = http::Params::fromQuery(request.rawQuery);
    if (!p)
        return p.status();
    std::string q = p->string("q").value_or("");
    const std::string type = p->string("type").value_or("");
    auto limitParam = p->integer("limit");
    if (!limitParam)
        return limitParam.status();
    const int limit = static_cast<int>(std::clamp<std::int64_t>(limitParam->value_or(20), 1, 40));
    json::array accounts, hashtags, statuses;
    if (q.empty())
        return jsonResponse(json::object{{"accounts", accounts}, {"hashtags", hashtags}, {"statuses", statuses}});
    if (type.empty() || type == "accounts") {
        std::string name = q;
        if (name.starts_with('@'))
            name.erase(0, 1);
        if (auto at = name.find('@'); at != std::string::npos) // a local account named with this host
            name.resize(at);
        if (accounts::validateUsername(name)) {
            auto found = ctx.accounts.lookup(name);
            if (found) {
                auto counts = ctx.statuses->accountCounts(found->id);
                if (!counts)
                    return counts.status();
                accounts.push_back(accountJson(*found, ctx.baseUrl, *counts));
            } else if (found.status().code() != Code::NotFound) {
                return found.status();
            }
        }
    }
    if (type.empty() || type == "hashtags") {
        auto tags = ctx.statuses->searchTags(q, limit);
        if (!tags)
            return tags.status();
        for (const auto& t : *tags)
            hashtags.push_back(tagJson(t, ctx.baseUrl));
    }
    if (type.empty() || type == "statuses") {
        auto found = ctx.statuses->searchStatuses(*viewer, q, limit);
        if (!found)
            return found.status();
        for (const auto& s : *found)
            statuses.push_back(statusJson(s, ctx.baseUrl));
    }
    return jsonResponse(json::object{{"accounts", accounts}, {"hashtags", hashtags}, {"statuses", statuses}});
}

Result<http::Response> notifications(ApiContext& ctx, http::Request& request) {
    auto viewer = requiredViewer(ctx, request, "read:notifications");
    if (!viewer)
        return viewer.status();
    auto page = pageParams(request, 40, 80);
    if (!page)
        return page.status();
    auto p = http::Params::fromQuery(request.rawQuery);
    if (!p)
        return p.status();
    const auto types = p->strings("types");
    const auto excluded = p->strings("exclude_types");
    auto list = ctx.notifications->list(*viewer, *page);
    if (!list)
        return list.status();
    json::array out;
    for (const auto& n : list->items) {
        const auto& type = n.notification.type;
        if ((!types.empty() && std::find(types.begin(), types.end(), type) == types.end()) ||
            std::find(excluded.begin(), excluded.end(), type) != excluded.end())
            continue;
        out.push_back(notificationJson(n, ctx.baseUrl));
    }
    http::Response r = jsonResponse(out);
    addLinkHeader(r, ctx, request, list->newest, list->oldest);
    return r;
}

Result<http::Response> notification(ApiContext& ctx, http::Request& request) {
    auto viewer = requiredViewer(ctx, request, "read:notifications");
    if (!viewer)
        return viewer.status();
    auto id = pathId(request, "notification");
    if (!id)
        return id.status();
    auto n = ctx.notifications->get(*viewer, *id);
    if (!n)
        return n.status();
    return jsonResponse(notificationJson(*n, ctx.baseUrl));
}

Result<http::Response> clearNotifications(ApiContext& ctx, http::Request& request) {
    auto viewer = requiredViewer(ctx, request, "write:notifications");
    if (!viewer)
        return viewer.status();
    PINHOLE_TRY(ctx.notifications->clear(*viewer));
    return jsonResponse(json::object());
}

Result<http::Response> dismissNotification(ApiContext& ctx, http::Request& request) {
    auto viewer = requiredViewer(ctx, request, "write:notifications");
    if (!viewer)
        return viewer.status();
    auto id = pathId(request, "notification");
    if (!id)
        return id.status();
    PINHOLE_TRY(ctx.notifications->dismiss(*viewer, *id));
    return jsonResponse(json::object());
}

} // namespace

void registerTimelineRoutes(http::Router& router, ApiContext& ctx) {
    router.add("GET", "/api/v1/timelines/home", [&ctx](http::Request& r) { return home(ctx, r); },
               {.quick = [&ctx](http::Request& r) { return homeFromMemory(ctx, r); }});
    router.add("GET", "/api/v1/timelines/public", [&ctx](http::Request& r) { return publicTimeline(ctx, r); });
    router.add("GET", "/api/v1/timelines/tag/:tag", [&ctx](http::Request& r) { return tagTimeline(ctx, r); });
    router.add("GET", "/api/v2/search", [&ctx](http::Request& r) { return search(ctx, r); });
    router.add("GET", "/api/v1/notifications", [&ctx](http::Request& r) { return notifications(ctx, r); });
    router.add("GET", "/api/v1/notifications/:id", [&ctx](http::Request& r) { return notification(ctx, r); });
    router.add("POST", "/api/v1/notifications/clear", [&ctx](http::Request& r) { return clearNotifications(ctx, r); });
    router.add("POST", "/api/v1/notifications/:id/dismiss",
               [&ctx](http::Request& r) { return dismissNotification(ctx, r); });
}

} // namespace pinhole::server::api
