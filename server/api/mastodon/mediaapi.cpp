// Mastodon's media endpoints: POST /api/v2/media (202, processed in the background), the older
// POST /api/v1/media (answers once processed; toot uses it), GET and PUT /api/v1/media/:id.
#include "api/context.h"
#include "api/mastodon/entities.h"

#include <boost/json.hpp>

#include <cstdio>
#include <filesystem>

namespace json = boost::json;

namespace pinhole::server::api {

namespace {

// Mastodon accepts images up to 16 MB by default; we take larger originals (that is the point
// of a photo library), buffered in memory per request, so bounded here. Bigger files: use tus.
constexpr std::size_t kMaxMultipartUpload = 64 * 1024 * 1024;
// How long POST /api/v1/media waits for the derivatives before answering with url: null.
constexpr auto kSyncProcessingWait = std::chrono::seconds(60);

Result<std::pair<double, double>> parseFocus(const std::string& text) {
    double x = 0, y = 0;
    char tail = 0;
    if (std::sscanf(text.c_str(), "%lf,%lf%c", &x, &y, &tail) != 2 || x < -1 || x > 1 || y < -1 || y > 1)
        return invalidArgument("focus: must be \"x,y\" with both in -1.0..1.0");
    return std::pair{x, y};
}

// Stores the multipart "file" part and ingests it; applies description and focus if given.
Result<store::Asset> upload(ApiContext& ctx, http::Request& request, Id owner) {
    const std::string_view type = request.header("content-type");
    if (type.substr(0, 19) != "multipart/form-data")
        return Status(Code::UnsupportedMediaType, "send the file as multipart/form-data");
    auto parts = http::parseMultipart(type, request.body);
    if (!parts)
        return parts.status();
    const http::MultipartPart* file = nullptr;
    for (const auto& part : *parts)
        if (part.name == "file")
            file = &part;
    if (!file)
        return invalidArgument("file: a file part is required");
    auto params = http::Params::fromRequest(request);
    if (!params)
        return params.status();
    std::optional<std::pair<double, double>> focus;
    if (auto f = params->string("focus")) {
        auto parsed = parseFocus(*f);
        if (!parsed)
            return parsed.status();
        focus = *parsed;
    }
    const std::string description = params->string("description").value_or("");
    if (description.size() > 1500)
        return invalidArgument("description: at most 1500 characters");

    // The part's own Content-Type and file name are ignored: the bytes decide (media/imageprobe.h).
    char name[] = "/mm-XXXXXX";
    std::string path = ctx.media->uploadsDir() + name;
    const int fd = ::mkstemp(path.data());
    if (fd < 0)
        return internalError("cannot create a temporary file");
    FILE* out = ::fdopen(fd, "wb");
    const bool written = out && std::fwrite(file->content.data(), 1, file->content.size(), out) == file->content.size() &&
                         std::fflush(out) == 0 && ::fsync(fd) == 0;
    if (out)
        std::fclose(out);
    if (!written) {
        std::error_code ec;
        std::filesystem::remove(path, ec);
        return internalError("cannot store the upload (disk full?)");
    }
    auto ingested = ctx.media->ingest(owner, path, std::nullopt);
    if (!ingested)
        return ingested.status();
    if (!description.empty() || focus) {
        auto described = ctx.media->describe(owner, ingested->asset.id, description, focus ? focus->first : 0,
                                              focus ? focus->second : 0);
        if (!described)
            return described.status();
        return std::move(described).value();
    }
    return std::move(ingested->asset);
}

Result<http::Response> createV2(ApiContext& ctx, http::Request& request) {
    auto principal = authenticate(ctx, request, "write:media");
    if (!principal)
        return principal.status();
    auto asset = upload(ctx, request, *principal->accountId);
    if (!asset)
        return asset.status();
    return jsonResponse(mastodon::mediaAttachmentJson(*asset, ctx.baseUrl), asset->state == "ready" ? 200 : 202);
}

Result<http::Response> createV1(ApiContext& ctx, http::Request& request) {
    auto principal = authenticate(ctx, request, "write:media");
    if (!principal)
        return principal.status();
    auto asset = upload(ctx, request, *principal->accountId);
    if (!asset)
        return asset.status();
    auto processed = ctx.media->waitProcessed(asset->id, kSyncProcessingWait);
    if (!processed)
        return processed.status();
    if (processed->state == "failed")
        return unprocessable("the image could not be processed: " + processed->failure.value_or("unknown reason"));
    return jsonResponse(mastodon::mediaAttachmentJson(*processed, ctx.baseUrl));
}

Result<http::Response> get(ApiContext& ctx, http::Request& request) {
    auto principal = authenticate(ctx, request, "write:media");
    if (!principal)
        return principal.status();
    const auto id = idFromString(request.pathParam("id"));
    if (!id)
        return notFound("media not found");
    auto asset = ctx.media->ownedAsset(*principal->accountId, *id);
    if (!asset)
        return asset.status();
    if (asset->state == "failed")
        return unprocessable("the image could not be processed: " + asset->failure.value_or("unknown reason"));
    // As Mastodon: 206 while processing, 200 once the URLs are there.
    return jsonResponse(mastodon::mediaAttachmentJson(*asset, ctx.baseUrl), asset->state == "ready" ? 200 : 206);
}

Result<http::Response> update(ApiContext& ctx, http::Request& request) {
    auto principal = authenticate(ctx, request, "write:media");
    if (!principal)
        return principal.status();
    const auto id = idFromString(request.pathParam("id"));
    if (!id)
        return notFound("media not found");
    auto current = ctx.media->ownedAsset(*principal->accountId, *id);
    if (!current)
        return current.status();
    auto params = http::Params::fromRequest(request);
    if (!params)
        return params.status();
    double fx = current->focusX, fy = current->focusY;
    if (auto f = params->string("focus")) {
        auto parsed = parseFocus(*f);
        if (!parsed)
            return parsed.status();
        std::tie(fx, fy) = *parsed;
    }
    const std::string description = params->string("description").value_or(current->description);
    if (description.size() > 1500)
        return invalidArgument("description: at most 1500 characters");
    auto asset = ctx.media->describe(*principal->accountId, *id, description, fx, fy);
    if (!asset)
        return asset.status();
    return jsonResponse(mastodon::mediaAttachmentJson(*asset, ctx.baseUrl));
}

} // namespace

void registerMediaRoutes(http::Router& router, ApiContext& ctx) {
    const http::RouteOptions big{kMaxMultipartUpload};
    router.add("POST", "/api/v2/media", [&ctx](http::Request& r) { return createV2(ctx, r); }, big);
    router.add("POST", "/api/v1/media", [&ctx](http::Request& r) { return createV1(ctx, r); }, big);
    router.add("GET", "/api/v1/media/:id", [&ctx](http::Request& r) { return get(ctx, r); });
    router.add("PUT", "/api/v1/media/:id", [&ctx](http::Request& r) { return update(ctx, r); });
}

} // namespace pinhole::server::api
