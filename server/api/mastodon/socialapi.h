// Helpers shared by the social facades (followsapi, statusesapi, timelinesapi): who is asking,
// and rendering lists with their counts and Link headers.
#pragma once

#include "api/context.h"
#include "api/mastodon/entities.h"

#include <boost/json.hpp>

#include <optional>

namespace pinhole::server::api::mastodon {

// The viewer of a read that anonymous clients may make too: nullopt for no token or an app's.
inline Result<std::optional<Id>> optionalViewer(ApiContext& ctx, http::Request& request, std::string_view scope) {
    auto principal = authenticateOptional(ctx, request, scope);
    if (!principal)
        return principal.status();
    return *principal ? (*principal)->accountId : std::optional<Id>{};
}

inline Result<Id> requiredViewer(ApiContext& ctx, http::Request& request, std::string_view scope) {
    auto principal = authenticate(ctx, request, scope);
    if (!principal)
        return principal.status();
    return *principal->accountId;
}

// The :id path parameter; NotFound (as for an unknown id) when it is not an id.
inline Result<Id> pathId(const http::Request& request, std::string_view what) {
    const auto id = idFromString(request.pathParam("id"));
    if (!id)
        return notFound(std::string(what) + " not found");
    return *id;
}

inline Result<http::Response> accountsResponse(ApiContext& ctx, const http::Request& request,
                                               const social::Paged<store::Account>& page) {
    boost::json::array out;
    for (const auto& a : page.items) {
        auto counts = ctx.statuses->accountCounts(a.id);
        if (!counts)
            return counts.status();
        out.push_back(accountJson(a, ctx.baseUrl, *counts));
    }
    http::Response r = jsonResponse(out);
    addLinkHeader(r, ctx, request, page.newest, page.oldest);
    return r;
}

inline http::Response statusesResponse(ApiContext& ctx, const http::Request& request,
                                       const social::Paged<social::StatusView>& page) {
    boost::json::array out;
    for (const auto& s : page.items)
        out.push_back(statusJson(s, ctx.baseUrl));
    http::Response r = jsonResponse(out);
    addLinkHeader(r, ctx, request, page.newest, page.oldest);
    return r;
}

} // namespace pinhole::server::api::mastodon
