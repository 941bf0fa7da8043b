#include "api/pinhole/entities.h"

#include "core/clock.h"

#include <boost/json.hpp>

namespace json = boost::json;

namespace pinhole::server::api::pinhole {

namespace {
template <class T> json::value orNull(const std::optional<T>& v) {
    return v ? json::value(*v) : json::value(nullptr);
}

json::value timeOrNull(const std::optional<std::int64_t>& t) {
    return t ? json::value(isoTime(*t)) : json::value(nullptr);
}

json::object derivativesJson(const store::Asset& a, const std::string& base) {
    json::object variants;
    for (const auto& d : a.derivatives)
        variants[d.variant] = json::object{{"url", base + d.variant},
                                           {"width", d.width},
                                           {"height", d.height},
                                           {"bytes", d.byteSize},
                                           {"mime_type", d.mimeType}};
    return variants;
}

} // namespace

json::object ownerAssetJson(const store::Asset& a, const std::string& baseUrl) {
    const std::string base = baseUrl + "/media/" + idToString(a.id) + "/";
    json::object variants = derivativesJson(a, base);
    variants["original"] = json::object{{"url", base + "original"},
                                        {"width", orNull(a.width)},
                                        {"height", orNull(a.height)},
                                        {"bytes", a.byteSize},
                                        {"mime_type", a.mimeType}};
    json::value gps = nullptr;
    if (a.gpsLatitude && a.gpsLongitude)
        gps = json::object{
            {"latitude", *a.gpsLatitude}, {"longitude", *a.gpsLongitude}, {"altitude", orNull(a.gpsAltitude)}};
    return json::object{
        {"id", idToString(a.id)},
        {"sha256", a.sha256},
        {"state", a.state},
        {"failure", orNull(a.failure)},
        {"width", orNull(a.width)},
        {"height", orNull(a.height)},
        {"orientation", orNull(a.orientation)},
        {"taken_at", timeOrNull(a.capturedAt())},
        {"taken_at_corrected", a.takenAtCorrection.has_value()},
        {"title", a.title},
        {"favourite", a.favourite},
        {"trashed_at", timeOrNull(a.trashedAt)},
        {"camera",
         json::object{{"make", orNull(a.cameraMake)}, {"model", orNull(a.cameraModel)}, {"lens", orNull(a.lens)}}},
        {"exposure", json::object{{"time", orNull(a.exposureTime)},
                                  {"f_number", orNull(a.fNumber)},
                                  {"iso", orNull(a.iso)},
                                  {"focal_length", orNull(a.focalLength)}}},
        {"gps", std::move(gps)},
        {"placeholder", json::object{{"kind", "thumbhash"}, {"hash", orNull(a.placeholder)}}},
        {"description", a.description},
        {"variants", std::move(variants)},
        {"created_at", isoTime(a.createdAt)},
        {"updated_at", isoTime(a.updatedAt)},
    };
}

json::object sharedAssetJson(const store::Asset& a, const std::string& baseUrl) {
    return json::object{
        {"id", idToString(a.id)},
        {"state", a.state},
        {"width", orNull(a.width)},
        {"height", orNull(a.height)},
        {"title", a.title},
        {"description", a.description},
        {"placeholder", json::object{{"kind", "thumbhash"}, {"hash", orNull(a.placeholder)}}},
        {"variants", derivativesJson(a, baseUrl + "/media/" + idToString(a.id) + "/")},
    };
}

json::object annotationJson(const store::AnnotationRow& row) {
    boost::system::error_code ec;
    json::value payload = json::parse(row.payload, ec);
    return json::object{{"id", idToString(row.id)},
                        {"asset_id", idToString(row.assetId)},
                        {"schema", row.schemaName},
                        {"schema_version", row.schemaVersion},
                        {"payload", ec ? json::value(json::object{}) : std::move(payload)},
                        {"author_id", idToString(row.authorId)},
                        {"writer", row.writer ? json::value(*row.writer) : json::value(nullptr)},
                        {"revision", row.revision},
                        {"created_at", isoTime(row.createdAt)},
                        {"updated_at", isoTime(row.updatedAt)}};
}

json::object albumJson(const store::Album& a) {
    return json::object{
        {"id", idToString(a.id)},
        {"name", a.name},
        {"description", a.description},
        {"cover_asset_id", a.coverAssetId ? json::value(idToString(*a.coverAssetId)) : json::value(nullptr)},
        {"asset_count", a.assetCount},
        {"created_at", isoTime(a.createdAt)},
        {"updated_at", isoTime(a.updatedAt)},
    };
}

} // namespace pinhole::server::api::pinhole
