// Pinhole's albums API (docs/api.md, "Albums"): an owner's albums and their ordered assets.
// Owner only: anyone else gets 404. library/albumservice.h holds the rules.
#include "api/context.h"
#include "api/pinhole/entities.h"

#include <boost/json.hpp>

#include <initializer_list>

namespace json = boost::json;

namespace pinhole::server::api {

namespace {

constexpr const char* kAlbums = "/api/pinhole/v1/albums";

Result<Id> pathId(const http::Request& request, std::string_view name, const char* what) {
    auto id = idFromString(request.pathParam(name));
    if (!id)
        return notFound(std::string(what) + " not found");
    return *id;
}

// The JSON body, with every field one of `allowed` (a typo must not pass silently).
Result<http::Params> body(const http::Request& request, std::initializer_list<std::string_view> allowed) {
    if (request.header("content-type").find("application/json") == std::string_view::npos)
        return Status(Code::UnsupportedMediaType, "the body must be application/json");
    auto p = http::Params::fromRequest(request);
    if (!p)
        return p.status();
    for (const auto& [key, value] : p->object()) {
        if (key == "access_token" || std::find(allowed.begin(), allowed.end(), std::string_view(key)) != allowed.end())
            continue;
        std::string names;
        for (auto a : allowed)
            names += (names.empty() ? "" : ", ") + std::string(a);
        return invalidArgument("unknown field \"" + std::string(key).substr(0, 64) + "\" (" + names + ")");
    }
    return p;
}

Result<std::optional<std::string>> stringField(const http::Params& p, std::string_view key) {
    auto it = p.object().find(key);
    if (it == p.object().end())
        return std::optional<std::string>{};
    if (!it->value().is_string())
        return invalidArgument(std::string(key) + ": must be a string");
    return std::optional<std::string>(std::string(it->value().as_string()));
}

Result<std::optional<std::int64_t>> positionField(const http::Params& p) {
    auto it = p.object().find("position");
    if (it == p.object().end() || it->value().is_null())
        return std::optional<std::int64_t>{};
    if (!it->value().is_int64())
        return invalidArgument("position: must be an integer, 0 for the first place");
    return std::optional<std::int64_t>(it->value().as_int64());
}

http::Response albumResponse(const store::Album& album) {
    return jsonResponse(pinhole::albumJson(album));
}

Result<http::Response> create(ApiContext& ctx, http::Request& request) {
    auto principal = authenticate(ctx, request, "write");
    if (!principal)
        return principal.status();
    auto p = body(request, {"name", "description"});
    if (!p)
        return p.status();
    auto name = stringField(*p, "name");
    auto description = stringField(*p, "description");
    if (!name)
        return name.status();
    if (!description)
        return description.status();
    auto album = ctx.albums->create(*principal->accountId, name->value_or(""), description->value_or(""));
    if (!album)
        return album.status();
    return albumResponse(*album);
}

Result<http::Response> list(ApiContext& ctx, http::Request& request) {
    auto principal = authenticate(ctx, request, "read");
    if (!principal)
        return principal.status();
    auto albums = ctx.albums->list(*principal->accountId);
    if (!albums)
        return albums.status();
    json::array out;
    for (const auto& a : *albums)
        out.push_back(pinhole::albumJson(a));
    return jsonResponse(json::object{{"albums", std::move(out)}});
}

Result<http::Response> get(ApiContext& ctx, http::Request& request) {
    auto principal = authenticate(ctx, request, "read");
    if (!principal)
        return principal.status();
    auto id = pathId(request, "id", "album");
    if (!id)
        return id.status();
    auto album = ctx.albums->get(*principal->accountId, *id);
    if (!album)
        return album.status();
    return albumResponse(*album);
}

Result<http::Response> update(ApiContext& ctx, http::Request& request) {
    auto principal = authenticate(ctx, request, "write");
    if (!principal)
        return principal.status();
    auto id = pathId(request, "id", "album");
    if (!id)
        return id.status();
    auto p = body(request, {"name", "description", "cover_asset_id"});
    if (!p)
        return p.status();
    library::AlbumEdit edit;
    auto name = stringField(*p, "name");
    auto description = stringField(*p, "description");
    if (!name)
        return name.status();
    if (!description)
        return description.status();
    edit.name = *name;
    edit.description = *description;
    if (auto it = p->object().find("cover_asset_id"); it != p->object().end()) {
        const json::value& v = it->value();
        if (v.is_null()) {
            edit.coverAssetId = std::optional<Id>{};
        } else {
            auto cover = v.is_string() ? idFromString(v.as_string()) : std::nullopt;
            if (!cover)
                return invalidArgument("cover_asset_id: must be an asset id (a string) or null");
            edit.coverAssetId = cover;
        }
    }
    auto album = ctx.albums->update(*principal->accountId, *id, edit);
    if (!album)
        return album.status();
    return albumResponse(*album);
}

Result<http::Response> remove(ApiContext& ctx, http::Request& request) {
    auto principal = authenticate(ctx, request, "write");
    if (!principal)
        return principal.status();
    auto id = pathId(request, "id", "album");
    if (!id)
        return id.status();
    PINHOLE_TRY(ctx.albums->remove(*principal->accountId, *id));
    return jsonResponse(json::object{});
}

Result<http::Response> addAssets(ApiContext& ctx, http::Request& request) {
    auto principal = authenticate(ctx, request, "write");
    if (!principal)
        return principal.status();
    auto id = pathId(request, "id", "album");
    if (!id)
        return id.status();
    auto p = body(request, {"asset_ids", "position"});
    if (!p)
        return p.status();
    auto position = positionField(*p);
    if (!position)
        return position.status();
    auto it = p->object().find("asset_ids");
    if (it == p->object().end() || !it->value().is_array())
        return invalidArgument("asset_ids: must be an array of asset ids");
    std::vector<Id> assets;
    for (const auto& v : it->value().as_array()) {
        auto asset = v.is_string() ? idFromString(v.as_string()) : std::nullopt;
        if (!asset)
            return invalidArgument("asset_ids: must be an array of asset ids (strings)");
        assets.push_back(*asset);
    }
    auto album = ctx.albums->addAssets(*principal->accountId, *id, assets, *position);
    if (!album)
        return album.status();
    return albumResponse(*album);
}

Result<http::Response> removeAsset(ApiContext& ctx, http::Request& request) {
    auto principal = authenticate(ctx, request, "write");
    if (!principal)
        return principal.status();
    auto id = pathId(request, "id", "album");
    auto asset = pathId(request, "asset_id", "asset");
    if (!id || !asset)
        return !id ? id.status() : asset.status();
    auto album = ctx.albums->removeAsset(*principal->accountId, *id, *asset);
    if (!album)
        return album.status();
    return albumResponse(*album);
}

Result<http::Response> moveAsset(ApiContext& ctx, http::Request& request) {
    auto principal = authenticate(ctx, request, "write");
    if (!principal)
        return principal.status();
    auto id = pathId(request, "id", "album");
    auto asset = pathId(request, "asset_id", "asset");
    if (!id || !asset)
        return !id ? id.status() : asset.status();
    auto p = body(request, {"position"});
    if (!p)
        return p.status();
    auto position = positionField(*p);
    if (!position)
        return position.status();
    if (!*position)
        return invalidArgument("position: required, 0 for the first place");
    auto album = ctx.albums->moveAsset(*principal->accountId, *id, *asset, **position);
    if (!album)
        return album.status();
    return albumResponse(*album);
}

} // namespace

void registerAlbumRoutes(http::Router& router, ApiContext& ctx) {
    const std::string albums = kAlbums;
    router.add("POST", albums, [&ctx](http::Request& r) { return create(ctx, r); });
    router.add("GET", albums, [&ctx](http::Request& r) { return list(ctx, r); });
    router.add("GET", albums + "/:id", [&ctx](http::Request& r) { return get(ctx, r); });
    router.add("PATCH", albums + "/:id", [&ctx](http::Request& r) { return update(ctx, r); });
    router.add("DELETE", albums + "/:id", [&ctx](http::Request& r) { return remove(ctx, r); });
    router.add("POST", albums + "/:id/assets", [&ctx](http::Request& r) { return addAssets(ctx, r); });
    router.add("DELETE", albums + "/:id/assets/:asset_id", [&ctx](http::Request& r) { return removeAsset(ctx, r); });
    router.add("PATCH", albums + "/:id/assets/:asset_id", [&ctx](http::Request& r) { return moveAsset(ctx, r); });
}

} // namespace pinhole::server::api
