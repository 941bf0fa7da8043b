#include "api/mastodon/entities.h"

#include "core/clock.h"

#include <cctype>

namespace json = boost::json;

namespace pinhole::server::api::mastodon {

json::object accountJson(const store::Account& a, const std::string& baseUrl, const store::AccountCounts& counts) {
    // A stored avatar's URL names its bytes, so it changes with the avatar and caches for ever.
    const std::string avatar = a.avatarSha256 ? baseUrl + "/avatars/" + *a.avatarSha256 + ".jpg"
                                              : baseUrl + "/static/avatar-missing.png";
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
        {"followers_count", counts.followers},
        {"following_count", counts.following},
        {"statuses_count", counts.statuses},
        {"last_status_at", nullptr},
        {"emojis", json::array()},
        {"fields", json::array()},
    };
}

json::object credentialAccountJson(const store::Account& a, const std::string& baseUrl,
                                   const store::AccountCounts& counts) {
    json::object o = accountJson(a, baseUrl, counts);
    o["source"] = json::object{
        {"privacy", "public"}, {"sensitive", false},      {"language", ""}, {"hide_collections", a.hideCollections},
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

namespace pinhole::server::api::mastodon {

namespace {
void appendEscaped(std::string& out, std::string_view text) {
    for (char c : text) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        default: out += c;
        }
    }
}
bool isWordByte(char c) {
    const auto u = static_cast<unsigned char>(c);
    return std::isalnum(u) || u == '_' || u >= 0x80;
}
} // namespace

std::string captionHtml(std::string_view text, const std::string& baseUrl) {
    std::string out = "<p>";
    std::size_t i = 0;
    while (i < text.size()) {
        const char c = text[i];
        if (c == '\n') {
            const bool paragraph = i + 1 < text.size() && text[i + 1] == '\n';
            out += paragraph ? "</p><p>" : "<br />";
            i += paragraph ? 2 : 1;
            continue;
        }
        if (c == '#' && (i == 0 || !isWordByte(text[i - 1]))) {
            std::size_t j = i + 1;
            while (j < text.size() && isWordByte(text[j]))
                ++j;
            if (j > i + 1) {
                // The link names the tag as social::hashtagsOf does (lower case).
                const auto tag = social::hashtagsOf(text.substr(i, j - i));
                out += "<a href=\"" + baseUrl + "/tags/" + (tag.empty() ? std::string() : tag.front()) +
                       "\" class=\"mention hashtag\" rel=\"tag\">#<span>";
                appendEscaped(out, text.substr(i + 1, j - i - 1));
                out += "</span></a>";
                i = j;
                continue;
            }
        }
        appendEscaped(out, text.substr(i, 1));
        ++i;
    }
    return out + "</p>";
}

json::object statusJson(const social::StatusView& v, const std::string& baseUrl) {
    const auto& s = v.status;
    json::array media;
    for (const auto& asset : v.media)
        media.push_back(mediaAttachmentJson(asset, baseUrl));
    json::array tags;
    for (const auto& tag : s.tags)
        tags.push_back(tagJson(tag, baseUrl));
    const std::string url = baseUrl + "/@" + v.author.username + "/" + idToString(s.id);
    auto optionalId = [](const std::optional<Id>& id) {
        return id ? json::value(idToString(*id)) : json::value(nullptr);
    };
    return json::object{
        {"id", idToString(s.id)},
        {"created_at", isoTime(s.createdAt)},
        {"in_reply_to_id", optionalId(s.inReplyToId)},
        {"in_reply_to_account_id", optionalId(s.inReplyToAccountId)},
        {"sensitive", false},
        {"spoiler_text", ""},
        {"visibility", store::visibilityName(s.visibility)},
        {"language", nullptr},
        {"uri", baseUrl + "/users/" + v.author.username + "/statuses/" + idToString(s.id)},
        {"url", url},
        {"replies_count", v.counts.replies},
        {"reblogs_count", 0},
        {"favourites_count", v.counts.favourites},
        {"edited_at", nullptr},
        {"favourited", v.favourited},
        {"reblogged", false},
        {"muted", false},
        {"bookmarked", false},
        {"content", captionHtml(s.text, baseUrl)},
        {"text", s.text},
        {"filtered", json::array()},
        {"reblog", nullptr},
        {"application", nullptr},
        {"account", accountJson(v.author, baseUrl, v.authorCounts)},
        {"media_attachments", std::move(media)},
        {"mentions", json::array()},
        {"tags", std::move(tags)},
        {"emojis", json::array()},
        {"card", nullptr},
        {"poll", nullptr},
    };
}

json::object relationshipJson(const social::Relationship& r) {
    return json::object{
        {"id", idToString(r.id)},
        {"following", r.following},
        {"showing_reblogs", r.following},
        {"notifying", false},
        {"languages", nullptr},
        {"followed_by", r.followedBy},
        {"blocking", r.blocking},
        {"blocked_by", r.blockedBy},
        {"muting", false},
        {"muting_notifications", false},
        {"requested", r.requested},
        {"requested_by", r.requestedBy},
        {"domain_blocking", false},
        {"endorsed", false},
        {"note", ""},
    };
}

json::object notificationJson(const social::NotificationView& n, const std::string& baseUrl) {
    json::object o{
        {"id", idToString(n.notification.id)},
        {"type", n.notification.type},
        {"created_at", isoTime(n.notification.createdAt)},
        {"account", accountJson(n.from, baseUrl, n.fromCounts)},
    };
    if (n.status)
        o["status"] = statusJson(*n.status, baseUrl);
    return o;
}

json::object tagJson(const std::string& name, const std::string& baseUrl) {
    return json::object{{"name", name}, {"url", baseUrl + "/tags/" + name}, {"history", json::array()}};
}

} // namespace pinhole::server::api::mastodon
