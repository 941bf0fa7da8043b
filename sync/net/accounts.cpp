#include "net/accounts.h"

#include "net/http.h"

#include <boost/json.hpp>

namespace json = boost::json;

namespace pinhole::sync::net {

namespace {
std::string field(const std::string& body, const char* key) {
    boost::system::error_code ec;
    const auto v = json::parse(body, ec);
    if (ec || !v.is_object())
        return {};
    const auto* f = v.as_object().if_contains(key);
    return f && f->is_string() ? std::string(f->as_string()) : std::string();
}

Result<HttpResponse> postJson(HttpClient& http, const std::string& url, const json::object& body) {
    return http.send({"POST", url, {{"Content-Type", "application/json"}}, json::serialize(body)});
}
} // namespace

Status registerAccount(const std::string& url, const NewAccount& account, const std::string& pinnedKey) {
    std::string base = url;
    while (!base.empty() && base.back() == '/')
        base.pop_back();
    HttpClient http;
    http.setTls({pinnedKey});
    auto app = postJson(http, base + "/api/v1/apps",
                        {{"client_name", "pinhole-sync"},
                         {"redirect_uris", "urn:ietf:wg:oauth:2.0:oob"},
                         {"scopes", "read write follow"}});
    if (!app)
        return app.status();
    if (app->status != 200)
        return errorOf(*app, "registering the app");
    auto appToken = postJson(http, base + "/oauth/token",
                             {{"grant_type", "client_credentials"},
                              {"client_id", field(app->body, "client_id")},
                              {"client_secret", field(app->body, "client_secret")}});
    if (!appToken)
        return appToken.status();
    if (appToken->status != 200)
        return errorOf(*appToken, "getting an app token");
    http.setBearer(field(appToken->body, "access_token"));
    auto created = postJson(http, base + "/api/v1/accounts",
                            {{"username", account.username},
                             {"email", account.email},
                             {"password", account.password},
                             {"agreement", true},
                             {"locale", "en"}});
    if (!created)
        return created.status();
    if (created->status == 422)
        return Status(Code::Unprocessable, errorOf(*created, "creating the account").message());
    if (created->status != 200)
        return errorOf(*created, "creating the account");
    return Status::ok();
}

Result<std::string> useSignedInAccount(HttpClient& http, store::LocalStore& store) {
    auto url = store.meta("server_url");
    auto token = store.meta("access_token");
    if (!url || !token)
        return Status(Code::Unauthenticated, "not signed in: run `pinhole-cli login URL USER` first");
    http.setBearer(*token);
    http.setTls({store.meta("pinned_key").value_or("")});
    return *url;
}

} // namespace pinhole::sync::net
