// Mastodon's account endpoints: register, verify_credentials, update_credentials, lookup, get.
#include "api/context.h"
#include "api/mastodon/entities.h"

#include <boost/json.hpp>

namespace json = boost::json;

namespace pinhole::server::api {

namespace {

Result<http::Response> accountResponse(ApiContext& ctx, const store::Account& account) {
    auto counts = ctx.statuses->accountCounts(account.id);
    if (!counts)
        return counts.status();
    return jsonResponse(mastodon::accountJson(account, ctx.baseUrl, *counts));
}

Result<http::Response> registerAccount(ApiContext& ctx, http::Request& request) {
    // As Mastodon: registration is done by an app with its own (client_credentials) token.
    auto app = authenticate(ctx, request, "write:accounts", false);
    if (!app)
        return app.status();
    auto p = http::Params::fromRequest(request);
    if (!p)
        return p.status();
    auto agreement = p->boolean("agreement");
    if (!agreement)
        return agreement.status();
    if (!agreement->value_or(false))
        return unprocessable("agreement: you must accept the server rules");
    accounts::NewAccount input;
    input.username = p->string("username").value_or("");
    input.email = p->string("email");
    input.password = p->string("password").value_or("");
    auto account = ctx.accounts.registerAccount(input, true);
    if (!account) {
        // Mastodon answers validation failures of registration with 422.
        if (account.status().code() == Code::InvalidArgument || account.status().code() == Code::Conflict)
            return unprocessable(account.status().message());
        return account.status();
    }
    auto token = ctx.oauth.issueForAccount(app->appId, account->id, app->scopes);
    if (!token)
        return token.status();
    return jsonResponse(mastodon::tokenJson(*token));
}

Result<http::Response> verifyCredentials(ApiContext& ctx, http::Request& request) {
    auto principal = authenticate(ctx, request, "read:accounts");
    if (!principal)
        return principal.status();
    auto account = ctx.accounts.get(*principal->accountId);
    if (!account)
        return account.status();
    auto counts = ctx.statuses->accountCounts(account->id);
    if (!counts)
        return counts.status();
    return jsonResponse(mastodon::credentialAccountJson(*account, ctx.baseUrl, *counts));
}

// The `avatar` file part of a multipart update_credentials, stored (MediaLibrary::storeAvatar);
// nullopt when the request has none. A `header` is refused: Pinhole shows no header images.
Result<std::optional<std::string>> storeAvatarOf(ApiContext& ctx, const http::Request& request,
                                                 const http::Params& params) {
    const std::string_view type = request.header("content-type");
    if (type.substr(0, 19) != "multipart/form-data") {
        // Text fields only: an avatar or header named here is not an image.
        if (params.has("avatar") || params.has("header"))
            return unprocessable(std::string(params.has("avatar") ? "avatar" : "header") +
                                 ": send the image as a multipart/form-data file part");
        return std::optional<std::string>{};
    }
    auto parts = http::parseMultipart(type, request.body);
    if (!parts)
        return parts.status();
    const http::MultipartPart* avatar = nullptr;
    for (const auto& part : *parts) {
        if (part.name == "header")
            return unprocessable("header: header images are not supported by this server");
        if (part.name == "avatar")
            avatar = &part;
    }
    if (!avatar)
        return std::optional<std::string>{};
    if (avatar->content.empty())
        return unprocessable("avatar: the file is empty");
    // The part's own Content-Type and file name are ignored: the bytes decide (media/imageprobe.h).
    auto sha = ctx.media->storeAvatar(
        {reinterpret_cast<const unsigned char*>(avatar->content.data()), avatar->content.size()});
    if (!sha) {
        // Name the field, so a client can show the error next to it.
        const Status& s = sha.status();
        return Status(s.code(), s.message().starts_with("avatar") ? s.message() : "avatar: " + s.message());
    }
    return std::optional<std::string>{std::move(sha).value()};
}

Result<http::Response> updateCredentials(ApiContext& ctx, http::Request& request) {
    auto principal = authenticate(ctx, request, "write:accounts");
    if (!principal)
        return principal.status();
    auto p = http::Params::fromRequest(request);
    if (!p)
        return p.status();
    auto avatar = storeAvatarOf(ctx, request, *p);
    if (!avatar)
        return avatar.status();
    accounts::ProfileChange change;
    change.avatarSha256 = std::move(avatar).value();
    change.displayName = p->string("display_name");
    change.note = p->string("note");
    auto locked = p->boolean("locked");
    if (!locked)
        return locked.status();
    change.locked = *locked;
    auto hide = p->boolean("hide_collections");
    if (!hide)
        return hide.status();
    change.hideCollections = *hide;
    auto account = ctx.accounts.updateProfile(*principal->accountId, change);
    if (!account)
        return account.status();
    auto counts = ctx.statuses->accountCounts(account->id);
    if (!counts)
        return counts.status();
    return jsonResponse(mastodon::credentialAccountJson(*account, ctx.baseUrl, *counts));
}

Result<http::Response> lookup(ApiContext& ctx, http::Request& request) {
    auto p = http::Params::fromQuery(request.rawQuery);
    if (!p)
        return p.status();
    std::string acct = p->string("acct").value_or("");
    if (!acct.empty() && acct.front() == '@')
        acct.erase(0, 1);
    // A local account may be named with this server's host: "alice@photos.example".
    if (auto at = acct.find('@'); at != std::string::npos)
        acct.resize(at);
    if (!accounts::validateUsername(acct))
        return notFound("account not found");
    auto account = ctx.accounts.lookup(acct);
    if (!account)
        return account.status();
    return accountResponse(ctx, *account);
}

Result<http::Response> getAccount(ApiContext& ctx, http::Request& request) {
    const auto id = idFromString(request.pathParam("id"));
    if (!id)
        return notFound("account not found");
    auto account = ctx.accounts.get(*id);
    if (!account)
        return account.status();
    return accountResponse(ctx, *account);
}

} // namespace

void registerAccountRoutes(http::Router& router, ApiContext& ctx) {
    router.add("POST", "/api/v1/accounts", [&ctx](http::Request& r) { return registerAccount(ctx, r); });
    router.add("GET", "/api/v1/accounts/verify_credentials",
               [&ctx](http::Request& r) { return verifyCredentials(ctx, r); });
    // The body may carry an avatar image (multipart), hence room for one plus the form.
    router.add("PATCH", "/api/v1/accounts/update_credentials",
               [&ctx](http::Request& r) { return updateCredentials(ctx, r); },
               http::RouteOptions{media::kMaxAvatarBytes + http::kDefaultMaxBody});
    router.add("GET", "/api/v1/accounts/lookup", [&ctx](http::Request& r) { return lookup(ctx, r); });
    router.add("GET", "/api/v1/accounts/:id", [&ctx](http::Request& r) { return getAccount(ctx, r); });
}

} // namespace pinhole::server::api
