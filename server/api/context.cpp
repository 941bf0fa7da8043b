#include "api/context.h"

#include "auth/scopes.h"

#include <boost/json.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>

#include <algorithm>

namespace pinhole::server::api {

namespace {
std::string bearerOf(const http::Request& request) {
    const std::string_view header = request.header("authorization");
    if (header.empty()) {
        // As Mastodon (Doorkeeper): ?access_token= where a header can't be sent (an <img> URL).
        // The access log never records query strings.
        auto query = http::Params::fromQuery(request.rawQuery);
        return query ? query->string("access_token").value_or("") : std::string();
    }
    constexpr std::string_view kPrefix = "Bearer ";
    if (header.size() <= kPrefix.size() ||
        !std::equal(kPrefix.begin(), kPrefix.end(), header.begin(), [](char a, char b) {
            return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
        }))
        return {};
    return std::string(header.substr(kPrefix.size()));
}
} // namespace

Result<auth::Principal> authenticate(ApiContext& ctx, http::Request& request, std::string_view scope,
                                     bool requireAccount) {
    const std::string token = bearerOf(request);
    if (token.empty())
        return unauthenticated("this endpoint requires an access token");
    auto principal = ctx.oauth.authenticate(token, request.remoteAddress);
    if (!principal)
        return principal.status();
    if (principal->accountId)
        request.accountId = principal->accountId;
    if (requireAccount && !principal->accountId)
        return permissionDenied("this endpoint requires a user's token, not an app's");
    if (!scope.empty() && !auth::scopesAllow(principal->scopes, scope))
        return permissionDenied("this action is outside the token's scopes (needs " + std::string(scope) + ")");
    return principal;
}

std::optional<Id> accountFromMemory(ApiContext& ctx, std::int64_t authGeneration, http::Request& request,
                                    std::string_view scope) {
    auto principal = ctx.oauth.cachedPrincipal(authGeneration, bearerOf(request), request.remoteAddress);
    if (!principal || !principal->accountId || !auth::scopesAllow(principal->scopes, scope))
        return std::nullopt;
    request.accountId = principal->accountId;
    return principal->accountId;
}

Result<std::optional<auth::Principal>> authenticateOptional(ApiContext& ctx, http::Request& request,
                                                            std::string_view scope) {
    if (bearerOf(request).empty())
        return std::optional<auth::Principal>{};
    auto p = authenticate(ctx, request, scope, false);
    if (!p)
        return p.status();
    return std::optional<auth::Principal>{std::move(p).value()};
}

http::Response jsonResponse(const boost::json::value& value, int status) {
    http::Response r;
    r.status = status;
    r.body = boost::json::serialize(value);
    return r;
}

Result<store::Page> pageParams(const http::Request& request, int defaultLimit, int maxLimit) {
    auto p = http::Params::fromQuery(request.rawQuery);
    if (!p)
        return p.status();
    store::Page page;
    auto idParam = [&](const char* key, std::optional<Id>& out) -> Status {
        auto text = p->string(key);
        if (!text || text->empty())
            return Status::ok();
        out = idFromString(*text);
        return out ? Status::ok() : invalidArgument(std::string(key) + ": must be an id");
    };
    PINHOLE_TRY(idParam("max_id", page.maxId));
    PINHOLE_TRY(idParam("since_id", page.sinceId));
    PINHOLE_TRY(idParam("min_id", page.minId));
    auto limit = p->integer("limit");
    if (!limit)
        return limit.status();
    page.limit = static_cast<int>(std::clamp<std::int64_t>(limit->value_or(defaultLimit), 1, maxLimit));
    return page;
}

void addLinkHeader(http::Response& response, const ApiContext& ctx, const http::Request& request,
                   std::optional<Id> newest, std::optional<Id> oldest) {
    if (!newest || !oldest)
        return;
    const std::string baseUrl = ctx.baseUrl.empty() ? "http://localhost" : ctx.baseUrl; // parse_uri's view needs it
    auto base = boost::urls::parse_uri(baseUrl);
    if (!base)
        return;
    boost::urls::url url(*base);
    url.set_path(request.path);
    if (auto query = http::Params::fromQuery(request.rawQuery)) {
        for (const auto& [key, value] : query->object()) {
            if (key == "max_id" || key == "since_id" || key == "min_id" || key == "access_token")
                continue;
            if (value.is_string())
                url.params().append({key, std::string_view(value.get_string())});
            else if (value.is_array())
                for (const auto& item : value.get_array())
                    if (item.is_string())
                        url.params().append({std::string(key) + "[]", std::string_view(item.get_string())});
        }
    }
    boost::urls::url next = url, prev = url;
    next.params().set("max_id", idToString(*oldest));
    prev.params().set("min_id", idToString(*newest));
    response.header("Link", "<" + std::string(next.buffer()) + ">; rel=\"next\", <" + std::string(prev.buffer()) +
                                ">; rel=\"prev\"");
}

} // namespace pinhole::server::api
