#include "api/context.h"

#include "auth/scopes.h"

#include <boost/json.hpp>

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
    auto principal = ctx.oauth.authenticate(token);
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

} // namespace pinhole::server::api
