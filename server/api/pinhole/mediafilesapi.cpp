// Media bytes at /media/<id>/<variant>: thumb, preview, large (derivatives) and original (owner
// only). Streamed from disk; ETag and If-None-Match (304), single byte ranges (206, RFC 9110
// §14), immutable caching for derivatives (their bytes never change for a given asset).
// Avatars at /avatars/<sha256>.jpg: public, as in Mastodon, and immutable (named by their bytes).
#include "api/context.h"
#include "core/digest.h"

#include <boost/json.hpp>

#include <charconv>
#include <filesystem>

namespace pinhole::server::api {

namespace {

struct ByteRange {
    std::uint64_t first = 0;
    std::uint64_t length = 0;
};

// One "bytes=a-b", "bytes=a-" or "bytes=-n" range. nullopt: serve the whole file (no header, or
// a form we don't serve partially, such as several ranges, which RFC 9110 allows us to ignore).
// Unsatisfiable ranges are reported as a RangeNotSatisfiable status.
Result<std::optional<ByteRange>> parseRange(std::string_view header, std::uint64_t size) {
    if (header.empty() || !header.starts_with("bytes=") || header.find(',') != std::string_view::npos)
        return std::optional<ByteRange>{};
    const std::string_view spec = header.substr(6);
    const auto dash = spec.find('-');
    if (dash == std::string_view::npos)
        return std::optional<ByteRange>{};
    auto number = [](std::string_view s, std::uint64_t& out) {
        auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
        return !s.empty() && ec == std::errc{} && end == s.data() + s.size();
    };
    std::uint64_t a = 0, b = 0;
    const std::string_view left = spec.substr(0, dash), right = spec.substr(dash + 1);
    if (left.empty()) { // suffix: the last n bytes
        if (!number(right, b) || b == 0)
            return Status(Code::RangeNotSatisfiable, "range not satisfiable");
        b = std::min(b, size);
        return std::optional<ByteRange>{ByteRange{size - b, b}};
    }
    if (!number(left, a) || (!right.empty() && (!number(right, b) || b < a)))
        return std::optional<ByteRange>{}; // syntactically invalid: ignore, per RFC 9110
    if (a >= size)
        return Status(Code::RangeNotSatisfiable, "range not satisfiable");
    const std::uint64_t last = right.empty() ? size - 1 : std::min(b, size - 1);
    return std::optional<ByteRange>{ByteRange{a, last - a + 1}};
}

bool etagMatches(std::string_view header, const std::string& etag) {
    // If-None-Match uses weak comparison: W/"x" matches "x"; "*" matches anything.
    std::size_t i = 0;
    while (i < header.size()) {
        while (i < header.size() && (header[i] == ' ' || header[i] == ','))
            ++i;
        std::size_t j = header.find(',', i);
        if (j == std::string_view::npos)
            j = header.size();
        std::string_view tag = header.substr(i, j - i);
        while (!tag.empty() && tag.back() == ' ')
            tag.remove_suffix(1);
        if (tag == "*" || tag == etag || (tag.starts_with("W/") && tag.substr(2) == etag))
            return true;
        i = j;
    }
    return false;
}

Result<http::Response> serve(ApiContext& ctx, http::Request& request) {
    // Anonymous requests too: a photo in a public post is public (clients load it in <img>).
    auto principal = authenticateOptional(ctx, request, "read");
    if (!principal)
        return principal.status().code() == Code::Unauthenticated ? notFound("media not found") : principal.status();
    const std::optional<Id> viewer = *principal ? (*principal)->accountId : std::nullopt;
    const auto id = idFromString(request.pathParam("id"));
    const std::string variant(request.pathParam("variant"));
    if (!id || (variant != "thumb" && variant != "preview" && variant != "large" && variant != "original"))
        return notFound("media not found");
    // The owner may fetch anything; others a derivative of a photo in a post they may see.
    auto asset = ctx.statuses->viewableAsset(viewer, *id, variant == "original");
    if (!asset)
        return asset.status();

    std::string path, mime;
    if (variant == "original") {
        path = ctx.media->originalPath(asset->sha256);
        mime = asset->mimeType;
    } else {
        auto d = std::find_if(asset->derivatives.begin(), asset->derivatives.end(),
                              [&](const store::DerivativeRow& r) { return r.variant == variant; });
        if (d == asset->derivatives.end())
            return notFound(asset->state == "processing" ? "not processed yet" : "media not found");
        path = ctx.media->derivedDir(asset->sha256) + "/" + variant + ".jpg";
        mime = d->mimeType;
    }
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    if (ec)
        return internalError("stored file missing");

    const std::string etag = "\"" + asset->sha256.substr(0, 32) + "-" + variant + "\"";
    http::Response r;
    r.contentType = mime;
    r.header("ETag", etag);
    r.header("Accept-Ranges", "bytes");
    r.header("Cache-Control", variant == "original" ? "private, no-cache" : "private, max-age=31536000, immutable");
    r.header("X-Content-Type-Options", "nosniff");
    if (etagMatches(request.header("if-none-match"), etag)) {
        r.status = 304;
        return r;
    }
    std::optional<ByteRange> range;
    const std::string_view ifRange = request.header("if-range");
    if (ifRange.empty() || ifRange == etag) {
        auto parsed = parseRange(request.header("range"), size);
        if (!parsed) {
            http::Response e = http::errorResponse(parsed.status());
            e.header("Content-Range", "bytes */" + std::to_string(size));
            return e;
        }
        range = *parsed;
    }
    if (range) {
        r.status = 206;
        r.header("Content-Range", "bytes " + std::to_string(range->first) + "-" +
                                      std::to_string(range->first + range->length - 1) + "/" + std::to_string(size));
        r.file = http::FileBody{path, range->first, range->length};
    } else {
        r.file = http::FileBody{path, 0, size};
    }
    return r;
}

Result<http::Response> serveAvatar(ApiContext& ctx, http::Request& request) {
    std::string_view name = request.pathParam("name");
    if (!name.ends_with(".jpg"))
        return notFound("avatar not found");
    name.remove_suffix(4);
    if (!isSha256Hex(name))
        return notFound("avatar not found");
    const std::string path = ctx.media->avatarPath(name);
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    if (ec)
        return notFound("avatar not found");
    const std::string etag = "\"" + std::string(name.substr(0, 32)) + "-avatar\"";
    http::Response r;
    r.contentType = std::string(media::kDerivativeMimeType);
    r.header("ETag", etag);
    r.header("Cache-Control", "public, max-age=31536000, immutable");
    r.header("X-Content-Type-Options", "nosniff");
    if (etagMatches(request.header("if-none-match"), etag)) {
        r.status = 304;
        return r;
    }
    r.file = http::FileBody{path, 0, size};
    return r;
}

} // namespace

void registerMediaFileRoutes(http::Router& router, ApiContext& ctx) {
    router.add("GET", "/media/:id/:variant", [&ctx](http::Request& r) { return serve(ctx, r); });
    router.add("GET", "/avatars/:name", [&ctx](http::Request& r) { return serveAvatar(ctx, r); });
}

} // namespace pinhole::server::api
