#include "api/mastodon/entities.h"

#include "core/clock.h"

namespace json = boost::json;

namespace pinhole::server::api::mastodon {

json::object accountJson(const store::Account& a, const std::string& baseUrl) {
    const std::string avatar = baseUrl + "/static/avatar-missing.png";
    return json::object{
        {"id", idToString(a.id)},
        {"username", a.username},
        {"acct", a.username},
        {"display_name", a.displayName},
        {"locked", a.locked},
        {"bot", false},
        {"discoverable", true},
        {"group", false},
        {"created_at", isoTime(a.createdAt)},
        {"note", a.note},
        {"url", baseUrl + "/@" + a.username},
        {"uri", baseUrl + "/users/" + a.username},
        {"avatar", avatar},
        {"avatar_static", avatar},
        {"header", baseUrl + "/static/header-missing.png"},
        {"header_static", baseUrl + "/static/header-missing.png"},
        // Counted from follows and posts once those exist (social issue); none exist yet.
        {"followers_count", 0},
        {"following_count", 0},
        {"statuses_count", 0},
        {"last_status_at", nullptr},
        {"emojis", json::array()},
        {"fields", json::array()},
    };
}

json::object credentialAccountJson(const store::Account& a, const std::string& baseUrl) {
    json::object o = accountJson(a, baseUrl);
    o["source"] = json::object{
        {"privacy", "public"}, {"sensitive", false},      {"language", ""},
        {"note", a.note},      {"fields", json::array()}, {"follow_requests_count", 0},
    };
    o["role"] = json::object{{"name", a.isAdmin ? "Admin" : ""}, {"permissions", a.isAdmin ? "1" : "0"}};
    return o;
}

json::object tokenJson(const auth::IssuedToken& t) {
    return json::object{
        {"access_token", t.accessToken},
        {"token_type", "Bearer"},
        {"scope", t.scopes},
        {"created_at", t.createdAt / 1000},
    };
}

} // namespace pinhole::server::api::mastodon

namespace pinhole::server::api::mastodon {

namespace {
json::value sizeMeta(int width, int height) {
    return json::object{{"width", width},
                        {"height", height},
                        {"size", std::to_string(width) + "x" + std::to_string(height)},
                        {"aspect", height > 0 ? static_cast<double>(width) / height : 0.0}};
}
} // namespace

json::object mediaAttachmentJson(const store::Asset& a, const std::string& baseUrl) {
    const bool ready = a.state == "ready";
    const std::string base = baseUrl + "/media/" + idToString(a.id) + "/";
    json::object meta{{"focus", json::object{{"x", a.focusX}, {"y", a.focusY}}}};
    if (a.width && a.height)
        meta["original"] = sizeMeta(*a.width, *a.height);
    for (const auto& d : a.derivatives)
        if (d.variant == "thumb")
            meta["small"] = sizeMeta(d.width, d.height);
    return json::object{
        {"id", idToString(a.id)},
        {"type", "image"},
        {"url", ready ? json::value(base + "large") : json::value(nullptr)},
        {"preview_url", ready ? json::value(base + "thumb") : json::value(nullptr)},
        {"remote_url", nullptr},
        {"preview_remote_url", nullptr},
        {"text_url", nullptr},
        {"meta", std::move(meta)},
        {"description", a.description.empty() ? json::value(nullptr) : json::value(a.description)},
        // Mastodon's placeholder is a BlurHash; ours is a ThumbHash, under its own name.
        {"blurhash", nullptr},
        {"thumbhash", a.placeholder ? json::value(*a.placeholder) : json::value(nullptr)},
    };
}

} // namespace pinhole::server::api::mastodon
