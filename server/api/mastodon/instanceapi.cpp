// /api/v1/instance and /api/v2/instance: what clients read before they log in.
#include "api/context.h"
#include "http/router.h"
#include "store/accountstore.h"

#include <boost/json.hpp>

namespace json = boost::json;

namespace pinhole::server::api {

namespace {

// The Mastodon version we present: clients gate features on it; 4.0 has every endpoint we serve.
constexpr const char* kCompatVersion = "4.0.0 (compatible; Pinhole 0.1.0)";

std::string hostOf(const std::string& baseUrl) {
    auto start = baseUrl.find("://");
    return start == std::string::npos ? baseUrl : baseUrl.substr(start + 3);
}

json::object configurationJson() {
    return json::object{
        {"accounts", json::object{{"max_featured_tags", 0}}},
        {"statuses",
         json::object{{"max_characters", 2200}, {"max_media_attachments", 10}, {"characters_reserved_per_url", 23}}},
        {"media_attachments",
         json::object{{"supported_mime_types", json::array{"image/jpeg", "image/png", "image/webp", "image/heic",
                                                           "image/heif", "image/gif", "image/tiff"}},
                      {"image_size_limit", 100 * 1024 * 1024},
                      {"image_matrix_limit", 100'000'000}}},
        {"polls",
         json::object{
             {"max_options", 0}, {"max_characters_per_option", 0}, {"min_expiration", 0}, {"max_expiration", 0}}},
        {"urls", json::object{{"streaming", nullptr}}},
        {"translation", json::object{{"enabled", false}}},
    };
}

Result<http::Response> instanceV1(ApiContext& ctx, http::Request&) {
    auto db = ctx.store.connection();
    if (!db)
        return db.status();
    const auto users = store::countAccounts(**db);
    return jsonResponse(json::object{
        {"uri", hostOf(ctx.baseUrl)},
        {"title", ctx.config.instanceTitle},
        {"short_description", ctx.config.instanceDescription},
        {"description", ctx.config.instanceDescription},
        {"email", ctx.config.contactEmail},
        {"version", kCompatVersion},
        {"urls", json::object{{"streaming_api", nullptr}}},
        {"stats", json::object{{"user_count", users}, {"status_count", 0}, {"domain_count", 0}}},
        {"thumbnail", nullptr},
        {"languages", json::array{"en"}},
        {"registrations", ctx.config.registration != RegistrationMode::Closed},
        {"approval_required", ctx.config.registration == RegistrationMode::Approval},
        {"invites_enabled", false},
        {"configuration", configurationJson()},
        {"contact_account", nullptr},
        {"rules", json::array()},
    });
}

Result<http::Response> instanceV2(ApiContext& ctx, http::Request&) {
    return jsonResponse(json::object{
        {"domain", hostOf(ctx.baseUrl)},
        {"title", ctx.config.instanceTitle},
        {"version", kCompatVersion},
        {"description", ctx.config.instanceDescription},
        {"usage", json::object{{"users", json::object{{"active_month", 0}}}}},
        {"thumbnail", json::object{{"url", ctx.baseUrl + "/static/avatar-missing.png"}}},
        {"languages", json::array{"en"}},
        {"configuration", configurationJson()},
        {"registrations", json::object{{"enabled", ctx.config.registration != RegistrationMode::Closed},
                                       {"approval_required", ctx.config.registration == RegistrationMode::Approval},
                                       {"message", nullptr}}},
        {"contact", json::object{{"email", ctx.config.contactEmail}, {"account", nullptr}}},
        {"rules", json::array()},
    });
}

} // namespace

void registerInstanceRoutes(http::Router& router, ApiContext& ctx) {
    router.add("GET", "/api/v1/instance", [&ctx](http::Request& r) { return instanceV1(ctx, r); });
    router.add("GET", "/api/v2/instance", [&ctx](http::Request& r) { return instanceV2(ctx, r); });
}

} // namespace pinhole::server::api
