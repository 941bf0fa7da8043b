// Pinhole's library API (docs/api.md, "Library"): the owner's assets listed with filters and
// cursors, one asset (owner, or anyone who may see a post showing it), the owner's edits, the
// trash and restore. library/libraryservice.h holds the rules.
#include "api/context.h"
#include "api/pinhole/entities.h"
#include "core/clock.h"

#include <boost/json.hpp>

#include <sodium.h>

#include <charconv>
#include <cstdio>

namespace json = boost::json;

namespace pinhole::server::api {

namespace {

constexpr int kDefaultLimit = 50;
constexpr int kMaxLimit = 200;

// A cursor names the last row of a page and the listing it belongs to: "t.<sortAt>.<id>" by
// time, "a<album>.<position>.<id>" in an album; sent base64url-encoded, and opaque to clients.
std::string encodeCursor(const std::optional<Id>& album, std::int64_t key, Id id) {
    const std::string plain =
        (album ? "a" + idToString(*album) : std::string("t")) + "." + std::to_string(key) + "." + idToString(id);
    std::string out(sodium_base64_ENCODED_LEN(plain.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
    sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(plain.data()), plain.size(),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    out.resize(std::strlen(out.c_str()));
    return out;
}

Result<store::AssetQuery::Cursor> decodeCursor(std::string_view text, const std::optional<Id>& album) {
    const Status bad = invalidArgument("cursor: not a cursor of this listing");
    if (text.size() > 200)
        return bad;
    std::string plain(text.size(), '\0');
    std::size_t length = 0;
    if (sodium_base642bin(reinterpret_cast<unsigned char*>(plain.data()), plain.size(), text.data(), text.size(),
                          nullptr, &length, nullptr, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
        return bad;
    plain.resize(length);
    const std::string prefix = (album ? "a" + idToString(*album) : std::string("t")) + ".";
    if (plain.rfind(prefix, 0) != 0)
        return bad;
    const std::string_view rest = std::string_view(plain).substr(prefix.size());
    const auto dot = rest.find('.');
    if (dot == std::string_view::npos)
        return bad;
    store::AssetQuery::Cursor cursor;
    auto [end, ec] = std::from_chars(rest.data(), rest.data() + dot, cursor.key);
    auto id = idFromString(rest.substr(dot + 1));
    if (ec != std::errc{} || end != rest.data() + dot || !id)
        return bad;
    cursor.id = *id;
    return cursor;
}

Result<std::optional<std::int64_t>> timeParam(const http::Params& p, std::string_view key) {
    auto text = p.string(key);
    if (!text || text->empty())
        return std::optional<std::int64_t>{};
    auto t = parseIsoTime(*text);
    if (!t)
        return invalidArgument(std::string(key) + ": must be an ISO 8601 date or time, e.g. 2024-05-01 or "
                                                  "2024-05-01T14:03:22Z");
    return t;
}

Result<Id> assetIdOf(const http::Request& request) {
    auto id = idFromString(request.pathParam("id"));
    if (!id)
        return notFound("asset not found");
    return *id;
}

Result<http::Response> listAssets(ApiContext& ctx, http::Request& request) {
    auto principal = authenticate(ctx, request, "read");
    if (!principal)
        return principal.status();
    auto p = http::Params::fromQuery(request.rawQuery);
    if (!p)
        return p.status();
    store::AssetQuery query;
    if (auto album = p->string("album"); album && !album->empty()) {
        query.albumId = idFromString(*album);
        if (!query.albumId)
            return notFound("album not found");
    }
    auto from = timeParam(*p, "taken_after");
    if (!from)
        return from.status();
    auto before = timeParam(*p, "taken_before");
    if (!before)
        return before.status();
    auto favourite = p->boolean("favourite");
    if (!favourite)
        return favourite.status();
    auto trashed = p->boolean("trashed");
    if (!trashed)
        return trashed.status();
    auto annotated = p->boolean("has_annotation");
    if (!annotated)
        return annotated.status();
    auto limit = p->integer("limit");
    if (!limit)
        return limit.status();
    query.takenFrom = *from;
    query.takenBefore = *before;
    query.favourite = *favourite;
    query.trashed = trashed->value_or(false);
    if (*limit && **limit < 1)
        return invalidArgument("limit: must be at least 1");
    const int pageSize = static_cast<int>(std::min<std::int64_t>(limit->value_or(kDefaultLimit), kMaxLimit));
    query.limit = pageSize + 1; // one more tells whether there is a next page
    if (auto cursor = p->string("cursor"); cursor && !cursor->empty()) {
        auto after = decodeCursor(*cursor, query.albumId);
        if (!after)
            return after.status();
        query.after = *after;
    }
    auto page = ctx.library->list(*principal->accountId, query, *annotated);
    if (!page)
        return page.status();
    const bool more = static_cast<int>(page->assets.size()) > pageSize;
    if (more) {
        page->assets.pop_back();
        page->keys.pop_back();
    }
    json::array assets;
    for (std::size_t i = 0; i < page->assets.size(); ++i) {
        json::object a = pinhole::ownerAssetJson(page->assets[i], ctx.baseUrl);
        if (query.albumId)
            a["position"] = page->keys[i];
        assets.push_back(std::move(a));
    }
    json::value next = nullptr;
    if (more)
        next = encodeCursor(query.albumId, page->keys.back(), page->assets.back().id);
    return jsonResponse(json::object{{"assets", std::move(assets)}, {"next_cursor", std::move(next)}});
}

Result<http::Response> getAsset(ApiContext& ctx, http::Request& request) {
    auto principal = authenticateOptional(ctx, request, "read");
    if (!principal)
        return principal.status();
    auto id = assetIdOf(request);
    if (!id)
        return id.status();
    const std::optional<Id> viewer = *principal ? (*principal)->accountId : std::nullopt;
    auto asset = ctx.library->viewable(viewer, *id);
    if (!asset)
        return asset.status();
    if (viewer == asset->ownerId)
        return jsonResponse(pinhole::ownerAssetJson(*asset, ctx.baseUrl));
    return jsonResponse(pinhole::sharedAssetJson(*asset, ctx.baseUrl));
}

// The JSON body's fields, strictly typed: a PATCH says exactly what it changes.
Result<library::AssetEdit> assetEditOf(const http::Params& p) {
    library::AssetEdit edit;
    for (const auto& [key, value] : p.object()) {
        if (key == "access_token")
            continue;
        if (key == "title" || key == "description") {
            if (!value.is_string())
                return invalidArgument(std::string(key) + ": must be a string");
            (key == "title" ? edit.title : edit.description) = std::string(value.as_string());
        } else if (key == "favourite") {
            if (!value.is_bool())
                return invalidArgument("favourite: must be true or false");
            edit.favourite = value.as_bool();
        } else if (key == "taken_at") {
            if (value.is_null()) {
                edit.takenAt = std::optional<std::int64_t>{};
                continue;
            }
            auto t = value.is_string() ? parseIsoTime(value.as_string()) : std::nullopt;
            if (!t)
                return invalidArgument("taken_at: must be an ISO 8601 time such as 2024-05-01T14:03:22Z, or null "
                                       "to use the camera's time again");
            edit.takenAt = t;
        } else {
            return invalidArgument("unknown field \"" + std::string(key).substr(0, 64) +
                                   "\" (title, description, favourite, taken_at)");
        }
    }
    return edit;
}

Result<http::Response> patchAsset(ApiContext& ctx, http::Request& request) {
    auto principal = authenticate(ctx, request, "write");
    if (!principal)
        return principal.status();
    auto id = assetIdOf(request);
    if (!id)
        return id.status();
    if (request.header("content-type").find("application/json") == std::string_view::npos)
        return Status(Code::UnsupportedMediaType, "the body must be application/json");
    auto p = http::Params::fromRequest(request);
    if (!p)
        return p.status();
    auto edit = assetEditOf(*p);
    if (!edit)
        return edit.status();
    auto asset = ctx.library->update(*principal->accountId, *id, *edit);
    if (!asset)
        return asset.status();
    return jsonResponse(pinhole::ownerAssetJson(*asset, ctx.baseUrl));
}

Result<http::Response> trashAsset(ApiContext& ctx, http::Request& request) {
    auto principal = authenticate(ctx, request, "write");
    if (!principal)
        return principal.status();
    auto id = assetIdOf(request);
    if (!id)
        return id.status();
    auto asset = ctx.library->trash(*principal->accountId, *id);
    if (!asset)
        return asset.status();
    return jsonResponse(pinhole::ownerAssetJson(*asset, ctx.baseUrl));
}

Result<http::Response> restoreAsset(ApiContext& ctx, http::Request& request) {
    auto principal = authenticate(ctx, request, "write");
    if (!principal)
        return principal.status();
    auto id = assetIdOf(request);
    if (!id)
        return id.status();
    auto asset = ctx.library->restore(*principal->accountId, *id);
    if (!asset)
        return asset.status();
    return jsonResponse(pinhole::ownerAssetJson(*asset, ctx.baseUrl));
}

} // namespace

void registerLibraryRoutes(http::Router& router, ApiContext& ctx) {
    const std::string assets = "/api/pinhole/v1/assets";
    router.add("GET", assets, [&ctx](http::Request& r) { return listAssets(ctx, r); });
    router.add("GET", assets + "/:id", [&ctx](http::Request& r) { return getAsset(ctx, r); });
    router.add("PATCH", assets + "/:id", [&ctx](http::Request& r) { return patchAsset(ctx, r); });
    router.add("DELETE", assets + "/:id", [&ctx](http::Request& r) { return trashAsset(ctx, r); });
    router.add("POST", assets + "/:id/restore", [&ctx](http::Request& r) { return restoreAsset(ctx, r); });
}

} // namespace pinhole::server::api
