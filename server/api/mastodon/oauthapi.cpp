// Mastodon's OAuth endpoints: /api/v1/apps, /oauth/token, /oauth/authorize, /oauth/revoke.
#include "api/context.h"
#include "api/mastodon/entities.h"
#include "auth/scopes.h"

#include <boost/json.hpp>

namespace json = boost::json;

namespace pinhole::server::api {

namespace {

std::string htmlEscape(std::string_view s) {
    std::string out;
    for (char c : s) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        default: out += c;
        }
    }
    return out;
}

std::string urlEncode(std::string_view s) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

http::Response htmlPage(int status, const std::string& title, const std::string& body) {
    http::Response r;
    r.status = status;
    r.contentType = "text/html; charset=utf-8";
    r.header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'");
    r.header("X-Frame-Options", "DENY");
    r.body = "<!doctype html><html><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
             "content=\"width=device-width\"><title>" +
             htmlEscape(title) +
             "</title><style>body{font-family:sans-serif;max-width:24rem;margin:4rem auto;padding:0 1rem}"
             "input{display:block;width:100%;margin:.3rem 0 1rem;padding:.4rem}button{padding:.5rem 1rem}"
             ".error{color:#b00}code{word-break:break-all}</style></head><body><h1>" +
             htmlEscape(title) + "</h1>" + body + "</body></html>";
    return r;
}

std::string loginForm(const http::Params& p, const std::string& error) {
    auto hidden = [&](const char* name) {
        return "<input type=\"hidden\" name=\"" + std::string(name) + "\" value=\"" +
               htmlEscape(p.string(name).value_or("")) + "\">";
    };
    return (error.empty() ? "" : "<p class=\"error\">" + htmlEscape(error) + "</p>") +
           "<form method=\"post\" action=\"/oauth/authorize\">" + hidden("client_id") + hidden("redirect_uri") +
           hidden("scope") + hidden("state") + hidden("response_type") +
           "<label>Username or e-mail<input name=\"username\" autocomplete=\"username\" required></label>"
           "<label>Password<input type=\"password\" name=\"password\" autocomplete=\"current-password\" "
           "required></label><button type=\"submit\">Sign in and authorize</button></form>";
}

Result<http::Response> createApp(ApiContext& ctx, http::Request& request) {
    auto p = http::Params::fromRequest(request);
    if (!p)
        return p.status();
    auth::NewApp app;
    app.name = p->string("client_name").value_or("");
    app.redirectUris = p->string("redirect_uris").value_or("");
    if (p->object().contains("redirect_uris") && p->object().at("redirect_uris").is_array()) {
        for (const auto& uri : p->strings("redirect_uris"))
            app.redirectUris += uri + "\n";
    }
    app.scopes = p->string("scopes").value_or("read");
    app.website = p->string("website");
    auto created = ctx.oauth.createApp(app);
    if (!created)
        return created.status();
    json::array uris;
    for (std::size_t i = 0, j; i < created->redirectUri.size(); i = j + 1) {
        j = created->redirectUri.find('\n', i);
        if (j == std::string::npos)
            j = created->redirectUri.size();
        uris.emplace_back(created->redirectUri.substr(i, j - i));
    }
    return jsonResponse(json::object{
        {"id", idToString(created->id)},
        {"name", created->name},
        {"website", created->website ? json::value(*created->website) : json::value(nullptr)},
        {"redirect_uri", created->redirectUri},
        {"redirect_uris", uris},
        {"scopes", json::value_from(auth::splitScopes(created->scopes))},
        {"client_id", created->clientId},
        {"client_secret", created->clientSecret},
        {"vapid_key", ""},
    });
}

Result<http::Response> token(ApiContext& ctx, http::Request& request) {
    auto p = http::Params::fromRequest(request);
    if (!p)
        return p.status();
    const std::string grant = p->string("grant_type").value_or("");
    const std::string clientId = p->string("client_id").value_or("");
    const std::string secret = p->string("client_secret").value_or("");
    const std::string scope = p->string("scope").value_or("");
    Result<auth::IssuedToken> issued = invalidArgument("unsupported_grant_type: use password, client_credentials or "
                                                       "authorization_code");
    if (grant == "password") {
        issued = ctx.oauth.passwordGrant(clientId, secret, p->string("username").value_or(""),
                                         p->string("password").value_or(""), scope, request.remoteAddress);
    } else if (grant == "client_credentials") {
        issued = ctx.oauth.clientCredentialsGrant(clientId, secret, scope);
    } else if (grant == "authorization_code") {
        issued = ctx.oauth.authorizationCodeGrant(clientId, secret, p->string("code").value_or(""),
                                                  p->string("redirect_uri").value_or(""));
    }
    if (!issued)
        return issued.status();
    http::Response r = jsonResponse(mastodon::tokenJson(*issued));
    r.header("Cache-Control", "no-store");
    return r;
}

Result<http::Response> authorizeForm(ApiContext& ctx, http::Request& request) {
    auto p = http::Params::fromQuery(request.rawQuery);
    if (!p)
        return p.status();
    if (p->string("response_type").value_or("code") != "code")
        return invalidArgument("response_type: only \"code\" is supported");
    Status ok = ctx.oauth.checkAuthorizeRequest(
        p->string("client_id").value_or(""), p->string("redirect_uri").value_or(""), p->string("scope").value_or(""));
    if (!ok)
        return htmlPage(400, "Cannot authorize", "<p class=\"error\">" + htmlEscape(ok.message()) + "</p>");
    return htmlPage(200, "Sign in to " + ctx.config.instanceTitle, loginForm(*p, ""));
}

Result<http::Response> authorizeSubmit(ApiContext& ctx, http::Request& request) {
    auto p = http::Params::fromRequest(request);
    if (!p)
        return p.status();
    const std::string redirect = p->string("redirect_uri").value_or("");
    auto code = ctx.oauth.authorize(p->string("client_id").value_or(""), redirect, p->string("scope").value_or(""),
                                    p->string("username").value_or(""), p->string("password").value_or(""),
                                    request.remoteAddress);
    if (!code) {
        if (code.status().code() == Code::TooManyRequests)
            return code.status();
        return htmlPage(http::httpStatusOf(code.status().code()), "Sign in to " + ctx.config.instanceTitle,
                        loginForm(*p, code.status().message()));
    }
    if (redirect == auth::kOutOfBandRedirect) {
        return htmlPage(200, "Authorization code",
                        "<p>Copy this code into the application:</p><p><code>" + htmlEscape(*code) + "</code></p>");
    }
    http::Response r;
    r.status = 302;
    std::string location =
        redirect + (redirect.find('?') == std::string::npos ? "?" : "&") + "code=" + urlEncode(*code);
    if (auto state = p->string("state"); state && !state->empty())
        location += "&state=" + urlEncode(*state);
    r.header("Location", location);
    r.contentType.clear();
    return r;
}

Result<http::Response> revoke(ApiContext& ctx, http::Request& request) {
    auto p = http::Params::fromRequest(request);
    if (!p)
        return p.status();
    PINHOLE_TRY(ctx.oauth.revoke(p->string("client_id").value_or(""), p->string("client_secret").value_or(""),
                                 p->string("token").value_or("")));
    return jsonResponse(json::object{});
}

Result<http::Response> verifyApp(ApiContext& ctx, http::Request& request) {
    auto principal = authenticate(ctx, request, "", false);
    if (!principal)
        return principal.status();
    return jsonResponse(
        json::object{{"name", "app"}, {"scopes", json::value_from(auth::splitScopes(principal->scopes))}});
}

} // namespace

void registerOAuthRoutes(http::Router& router, ApiContext& ctx) {
    router.add("POST", "/api/v1/apps", [&ctx](http::Request& r) { return createApp(ctx, r); });
    router.add("GET", "/api/v1/apps/verify_credentials", [&ctx](http::Request& r) { return verifyApp(ctx, r); });
    router.add("POST", "/oauth/token", [&ctx](http::Request& r) { return token(ctx, r); });
    router.add("GET", "/oauth/authorize", [&ctx](http::Request& r) { return authorizeForm(ctx, r); });
    router.add("POST", "/oauth/authorize", [&ctx](http::Request& r) { return authorizeSubmit(ctx, r); });
    router.add("POST", "/oauth/revoke", [&ctx](http::Request& r) { return revoke(ctx, r); });
}

} // namespace pinhole::server::api
