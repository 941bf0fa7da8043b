// Pinhole's upload API: tus 1.0.0 resumable uploads at /api/pinhole/v1/uploads (media/uploads.h
// does the work) and the "which of these do I have" check.
#include "api/context.h"
#include "core/clock.h"
#include "core/digest.h"

#include <boost/json.hpp>

#include <charconv>

namespace json = boost::json;

namespace pinhole::server::api {

namespace {

constexpr const char* kTusVersion = "1.0.0";
constexpr const char* kUploadsPath = "/api/pinhole/v1/uploads";

http::Response tusResponse(int status) {
    http::Response r;
    r.status = status;
    r.contentType.clear();
    r.header("Tus-Resumable", kTusVersion);
    r.header("Cache-Control", "no-store");
    return r;
}

Status requireTus(const http::Request& request) {
    if (request.header("tus-resumable") != kTusVersion)
        return Status(Code::PreconditionFailed, "Tus-Resumable: 1.0.0 is required");
    return Status::ok();
}

Result<std::int64_t> headerNumber(const http::Request& request, std::string_view name) {
    const std::string_view text = request.header(name);
    std::int64_t n = -1;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || n < 0)
        return invalidArgument(std::string(name) + " must be a non-negative integer");
    return n;
}

void describeProgress(http::Response& r, const store::Upload& u, const std::optional<Id>& assetId) {
    r.header("Upload-Offset", std::to_string(u.offset));
    r.header("Upload-Expires", httpDate(u.expiresAt));
    if (assetId)
        r.header("Pinhole-Asset-Id", idToString(*assetId));
}

Result<http::Response> options(http::Request&) {
    http::Response r = tusResponse(204);
    r.header("Tus-Version", kTusVersion);
    r.header("Tus-Extension", "creation,creation-with-upload,checksum,termination,expiration");
    r.header("Tus-Checksum-Algorithm", "sha256");
    r.header("Tus-Max-Size", std::to_string(media::kMaxImageFileBytes));
    return r;
}

Result<http::Response> appendChunk(ApiContext& ctx, http::Request& request, Id owner, const std::string& id,
                                   std::int64_t offset, int okStatus, http::Response r) {
    if (request.header("content-type") != "application/offset+octet-stream")
        return Status(Code::UnsupportedMediaType, "Content-Type must be application/offset+octet-stream");
    auto progress = ctx.uploads->append(owner, id, offset, request.body, std::string(request.header("upload-checksum")));
    if (!progress)
        return progress.status();
    r.status = okStatus;
    describeProgress(r, progress->upload, progress->assetId);
    return r;
}

Result<http::Response> create(ApiContext& ctx, http::Request& request) {
    auto principal = authenticate(ctx, request, "write:media");
    if (!principal)
        return principal.status();
    PINHOLE_TRY(requireTus(request));
    if (!request.header("upload-defer-length").empty())
        return invalidArgument("Upload-Defer-Length is not supported: send Upload-Length");
    auto length = headerNumber(request, "upload-length");
    if (!length)
        return length.status();
    auto upload = ctx.uploads->create(*principal->accountId, *length, std::string(request.header("upload-metadata")));
    if (!upload)
        return upload.status();
    http::Response r = tusResponse(201);
    r.header("Location", ctx.baseUrl + kUploadsPath + "/" + upload->id);
    if (!request.body.empty()) // creation-with-upload
        return appendChunk(ctx, request, *principal->accountId, upload->id, 0, 201, std::move(r));
    describeProgress(r, *upload, std::nullopt);
    return r;
}

Result<http::Response> head(ApiContext& ctx, http::Request& request) {
    auto principal = authenticate(ctx, request, "write:media");
    if (!principal)
        return principal.status();
    auto upload = ctx.uploads->get(*principal->accountId, request.pathParam("id"));
    if (!upload)
        return upload.status();
    http::Response r = tusResponse(200);
    r.header("Upload-Length", std::to_string(upload->length));
    describeProgress(r, *upload, upload->assetId);
    return r;
}

Result<http::Response> patch(ApiContext& ctx, http::Request& request) {
    auto principal = authenticate(ctx, request, "write:media");
    if (!principal)
        return principal.status();
    PINHOLE_TRY(requireTus(request));
    auto offset = headerNumber(request, "upload-offset");
    if (!offset)
        return offset.status();
    return appendChunk(ctx, request, *principal->accountId, std::string(request.pathParam("id")), *offset, 204,
                       tusResponse(204));
}

Result<http::Response> terminate(ApiContext& ctx, http::Request& request) {
    auto principal = authenticate(ctx, request, "write:media");
    if (!principal)
        return principal.status();
    PINHOLE_TRY(requireTus(request));
    PINHOLE_TRY(ctx.uploads->terminate(*principal->accountId, request.pathParam("id")));
    return tusResponse(204);
}

Result<http::Response> check(ApiContext& ctx, http::Request& request) {
    auto principal = authenticate(ctx, request, "read");
    if (!principal)
        return principal.status();
    auto p = http::Params::fromRequest(request);
    if (!p)
        return p.status();
    const std::vector<std::string> wanted = p->strings("sha256");
    if (wanted.size() > 1000)
        return invalidArgument("sha256: at most 1000 hashes per request");
    std::vector<std::string> normalised;
    for (std::string sha : wanted) {
        std::transform(sha.begin(), sha.end(), sha.begin(), [](unsigned char c) { return std::tolower(c); });
        if (!isSha256Hex(sha))
            return invalidArgument("sha256: \"" + sha.substr(0, 80) + "\" is not 64 hex digits");
        normalised.push_back(std::move(sha));
    }
    auto existing = ctx.media->existingSha256s(*principal->accountId, normalised);
    if (!existing)
        return existing.status();
    return jsonResponse(json::object{{"existing", json::value_from(*existing)}});
}

} // namespace

void registerUploadRoutes(http::Router& router, ApiContext& ctx) {
    const http::RouteOptions chunk{media::kMaxUploadChunk};
    router.add("OPTIONS", kUploadsPath, [](http::Request& r) { return options(r); });
    router.add("POST", kUploadsPath, [&ctx](http::Request& r) { return create(ctx, r); }, chunk);
    router.add("HEAD", std::string(kUploadsPath) + "/:id", [&ctx](http::Request& r) { return head(ctx, r); });
    router.add("PATCH", std::string(kUploadsPath) + "/:id", [&ctx](http::Request& r) { return patch(ctx, r); }, chunk);
    router.add("DELETE", std::string(kUploadsPath) + "/:id", [&ctx](http::Request& r) { return terminate(ctx, r); });
    router.add("POST", "/api/pinhole/v1/assets/check", [&ctx](http::Request& r) { return check(ctx, r); });
}

} // namespace pinhole::server::api
