// Pinhole's annotation API (docs/api.md, docs/annotations.md): the schema registry, annotations
// on assets, batch operations and search, over annotations/annotationservice.h.
#include "annotations/xmpsidecar.h"
#include "api/context.h"
#include "api/pinhole/entities.h"
#include "core/clock.h"
#include "library/libraryservice.h"
#include "media/xmp.h"

#include <boost/json.hpp>

#include <algorithm>
#include <charconv>
#include <limits>

namespace json = boost::json;

namespace pinhole::server::api {

namespace {

// A batch of items may be large: 1000 items of a few hundred bytes each.
constexpr std::size_t kMaxItemsBody = 4 * 1024 * 1024;

json::value timeOrNull(const std::optional<std::int64_t>& millis) {
    return millis ? json::value(isoTime(*millis)) : json::value(nullptr);
}

using pinhole::annotationJson;

json::array annotationsJson(const std::vector<store::AnnotationRow>& rows) {
    json::array out;
    for (const auto& row : rows)
        out.push_back(annotationJson(row));
    return out;
}

json::object schemaJson(const annotations::SchemaVersion& s) {
    json::object o{
        {"name", s.name}, {"version", s.version}, {"builtin", s.builtin}, {"created_at", isoTime(s.createdAt)}};
    for (auto& [key, value] : s.schema.toJson())
        o[key] = value;
    return o;
}

json::object operationJson(const store::OperationRow& op) {
    return json::object{{"id", idToString(op.id)},
                        {"schema", op.schemaName},
                        {"writer", op.writer},
                        {"state", op.state},
                        {"items", op.itemCount},
                        {"created_at", isoTime(op.createdAt)},
                        {"finished_at", timeOrNull(op.finishedAt)}};
}

// An id sent as a JSON string (as we send them) or a number.
std::optional<Id> idOf(const json::value* v) {
    if (!v)
        return std::nullopt;
    if (const auto* s = v->if_string())
        return idFromString(*s);
    if (v->is_int64() && v->get_int64() > 0)
        return v->get_int64();
    return std::nullopt;
}

// A small positive integer sent as a number or a numeric string; nullopt when absent or null.
Result<std::optional<std::int64_t>> positiveOf(const json::value* v, const std::string& name) {
    if (!v || v->is_null())
        return std::optional<std::int64_t>{};
    std::int64_t n = 0;
    if (v->is_int64())
        n = v->get_int64();
    else if (const auto* s = v->if_string()) {
        auto [end, ec] = std::from_chars(s->data(), s->data() + s->size(), n);
        if (ec != std::errc{} || end != s->data() + s->size())
            n = 0;
    }
    if (n < 1 || n > std::numeric_limits<int>::max())
        return unprocessable(name + ": must be a positive integer");
    return std::optional<std::int64_t>{n};
}

Result<std::optional<int>> versionOf(const json::value* v, const std::string& name) {
    auto n = positiveOf(v, name);
    if (!n)
        return n.status();
    return *n ? std::optional<int>(static_cast<int>(**n)) : std::nullopt;
}

Result<json::value> payloadOf(const json::object& body, const std::string& name) {
    const auto* payload = body.if_contains("payload");
    if (!payload || !payload->is_object())
        return unprocessable(name + ": required, an object");
    return *payload;
}

std::optional<Id> viewerOf(const std::optional<auth::Principal>& principal) {
    return principal ? principal->accountId : std::nullopt;
}

// --- schemas

Result<http::Response> listSchemas(ApiContext& ctx, http::Request& request) {
    PINHOLE_TRY(authenticateOptional(ctx, request, "read"));
    auto schemas = ctx.annotations->schemas();
    if (!schemas)
        return schemas.status();
    json::array out;
    for (const auto& s : *schemas)
        out.push_back(schemaJson(s));
    return jsonResponse(out);
}

Result<http::Response> getSchema(ApiContext& ctx, http::Request& request) {
    PINHOLE_TRY(authenticateOptional(ctx, request, "read"));
    auto query = http::Params::fromQuery(request.rawQuery);
    if (!query)
        return query.status();
    const auto* v = query->object().if_contains("version");
    auto version = versionOf(v, "version");
    if (!version)
        return version.status().code() == Code::Unprocessable ? invalidArgument(version.status().message())
                                                              : version.status();
    auto schema = ctx.annotations->schema(std::string(request.pathParam("name")), *version);
    if (!schema)
        return schema.status();
    return jsonResponse(schemaJson(*schema));
}

Result<http::Response> registerSchema(ApiContext& ctx, http::Request& request) {
    auto principal = authenticate(ctx, request, "write");
    if (!principal)
        return principal.status();
    auto p = http::Params::fromRequest(request);
    if (!p)
        return p.status();
    const auto name = p->string("name");
    if (!name)
        return unprocessable("name: required");
    json::object definition;
    for (const auto& [key, value] : p->object())
        if (key != "name" && key != "access_token")
            definition[key] = value;
    auto schema = ctx.annotations->registerSchema(*principal->accountId, *name, definition);
    if (!schema)
        return schema.status();
    return jsonResponse(schemaJson(*schema), 201);
}

// --- annotations

Result<http::Response> listAnnotations(ApiContext& ctx, http::Request& request) {
    auto principal = authenticateOptional(ctx, request, "read");
    if (!principal)
        return principal.status();
    const auto asset = idFromString(request.pathParam("id"));
    if (!asset)
        return notFound("asset not found");
    auto query = http::Params::fromQuery(request.rawQuery);
    if (!query)
        return query.status();
    std::optional<Id> after;
    if (auto text = query->string("after_id"); text && !(after = idFromString(*text)))
        return invalidArgument("after_id: must be an id");
    auto limit = query->integer("limit");
    if (!limit)
        return limit.status();
    auto rows = ctx.annotations->list(viewerOf(*principal), *asset, query->string("schema"), after.value_or(0),
                                      static_cast<int>(std::clamp<std::int64_t>(limit->value_or(100), 1, 500)));
    if (!rows)
        return rows.status();
    return jsonResponse(annotationsJson(*rows));
}

Result<http::Response> createAnnotation(ApiContext& ctx, http::Request& request) {
    auto principal = authenticate(ctx, request, "write");
    if (!principal)
        return principal.status();
    const auto asset = idFromString(request.pathParam("id"));
    if (!asset)
        return notFound("asset not found");
    auto p = http::Params::fromRequest(request);
    if (!p)
        return p.status();
    annotations::NewAnnotation input;
    const auto schema = p->string("schema");
    if (!schema)
        return unprocessable("schema: required");
    input.schema = *schema;
    auto version = versionOf(p->object().if_contains("version"), "version");
    if (!version)
        return version.status();
    input.version = *version;
    auto payload = payloadOf(p->object(), "payload");
    if (!payload)
        return payload.status();
    input.payload = std::move(payload).value();
    auto row = ctx.annotations->create(*principal->accountId, *asset, input);
    if (!row)
        return row.status();
    return jsonResponse(annotationJson(*row), 201);
}

Result<http::Response> getAnnotation(ApiContext& ctx, http::Request& request) {
    auto principal = authenticateOptional(ctx, request, "read");
    if (!principal)
        return principal.status();
    const auto id = idFromString(request.pathParam("id"));
    if (!id)
        return notFound("annotation not found");
    auto row = ctx.annotations->get(viewerOf(*principal), *id);
    if (!row)
        return row.status();
    return jsonResponse(annotationJson(*row));
}

Result<http::Response> updateAnnotation(ApiContext& ctx, http::Request& request) {
    auto principal = authenticate(ctx, request, "write");
    if (!principal)
        return principal.status();
    const auto id = idFromString(request.pathParam("id"));
    if (!id)
        return notFound("annotation not found");
    auto p = http::Params::fromRequest(request);
    if (!p)
        return p.status();
    auto revision = positiveOf(p->object().if_contains("revision"), "revision");
    if (!revision)
        return revision.status();
    if (!*revision)
        return unprocessable("revision: required, the revision the change is based on");
    auto version = versionOf(p->object().if_contains("version"), "version");
    if (!version)
        return version.status();
    auto payload = payloadOf(p->object(), "payload");
    if (!payload)
        return payload.status();
    auto row = ctx.annotations->update(*principal->accountId, *id, **revision, *version, *payload);
    if (!row)
        return row.status();
    return jsonResponse(annotationJson(*row));
}

Result<http::Response> deleteAnnotation(ApiContext& ctx, http::Request& request) {
    auto principal = authenticate(ctx, request, "write");
    if (!principal)
        return principal.status();
    const auto id = idFromString(request.pathParam("id"));
    if (!id)
        return notFound("annotation not found");
    auto p = http::Params::fromRequest(request);
    if (!p)
        return p.status();
    auto revision = positiveOf(p->object().if_contains("revision"), "revision");
    if (!revision)
        return revision.status();
    auto row = ctx.annotations->remove(*principal->accountId, *id, *revision);
    if (!row)
        return row.status();
    return jsonResponse(annotationJson(*row));
}

// --- batch operations

Result<Id> operationIdOf(http::Request& request) {
    const auto id = idFromString(request.pathParam("id"));
    return id ? Result<Id>(*id) : Result<Id>(notFound("operation not found"));
}

Result<http::Response> openOperation(ApiContext& ctx, http::Request& request) {
    auto principal = authenticate(ctx, request, "write");
    if (!principal)
        return principal.status();
    auto p = http::Params::fromRequest(request);
    if (!p)
        return p.status();
    const auto schema = p->string("schema");
    const auto writer = p->string("writer");
    if (!schema)
        return unprocessable("schema: required");
    if (!writer)
        return unprocessable("writer: required");
    auto op = ctx.annotations->openOperation(*principal->accountId, *schema, *writer);
    if (!op)
        return op.status();
    return jsonResponse(operationJson(*op), 201);
}

Result<http::Response> getOperation(ApiContext& ctx, http::Request& request) {
    auto principal = authenticate(ctx, request, "read");
    if (!principal)
        return principal.status();
    auto id = operationIdOf(request);
    if (!id)
        return id.status();
    auto op = ctx.annotations->operation(*principal->accountId, *id);
    if (!op)
        return op.status();
    return jsonResponse(operationJson(*op));
}

Result<http::Response> addItems(ApiContext& ctx, http::Request& request) {
    auto principal = authenticate(ctx, request, "write");
    if (!principal)
        return principal.status();
    auto id = operationIdOf(request);
    if (!id)
        return id.status();
    auto p = http::Params::fromRequest(request);
    if (!p)
        return p.status();
    const auto* items = p->object().if_contains("items");
    if (!items || !items->is_array())
        return unprocessable("items: required, a list of {asset_id, payload}");
    if (items->get_array().size() > annotations::kMaxItemsPerRequest)
        return unprocessable("items: 1 to " + std::to_string(annotations::kMaxItemsPerRequest) + " per request");
    std::vector<annotations::NewItem> input;
    for (std::size_t i = 0; i < items->get_array().size(); ++i) {
        const std::string at = "items[" + std::to_string(i) + "]";
        const auto* item = items->get_array()[i].if_object();
        if (!item)
            return unprocessable(at + ": must be an object {asset_id, payload}");
        annotations::NewItem next;
        const auto asset = idOf(item->if_contains("asset_id"));
        if (!asset)
            return unprocessable(at + ".asset_id: required, an id");
        next.assetId = *asset;
        auto version = versionOf(item->if_contains("version"), at + ".version");
        if (!version)
            return version.status();
        next.version = *version;
        auto payload = payloadOf(*item, at + ".payload");
        if (!payload)
            return payload.status();
        next.payload = std::move(payload).value();
        input.push_back(std::move(next));
    }
    auto op = ctx.annotations->addItems(*principal->accountId, *id, input);
    if (!op)
        return op.status();
    return jsonResponse(operationJson(*op));
}

Result<http::Response> commitOperation(ApiContext& ctx, http::Request& request) {
    auto principal = authenticate(ctx, request, "write");
    if (!principal)
        return principal.status();
    auto id = operationIdOf(request);
    if (!id)
        return id.status();
    auto result = ctx.annotations->commit(*principal->accountId, *id);
    if (!result)
        return result.status();
    json::object out = operationJson(result->operation);
    out["replaced"] = result->replaced;
    return jsonResponse(out);
}

Result<http::Response> abortOperation(ApiContext& ctx, http::Request& request) {
    auto principal = authenticate(ctx, request, "write");
    if (!principal)
        return principal.status();
    auto id = operationIdOf(request);
    if (!id)
        return id.status();
    auto op = ctx.annotations->abort(*principal->accountId, *id);
    if (!op)
        return op.status();
    return jsonResponse(operationJson(*op));
}

// --- search

Result<http::Response> search(ApiContext& ctx, http::Request& request) {
    auto principal = authenticateOptional(ctx, request, "read");
    if (!principal)
        return principal.status();
    auto query = http::Params::fromQuery(request.rawQuery);
    if (!query)
        return query.status();
    auto page = pageParams(request, 20, 80);
    if (!page)
        return page.status();
    annotations::SearchRequest s;
    s.query = query->string("q");
    if (s.query && s.query->empty())
        s.query.reset();
    s.schema = query->string("schema");
    s.maxId = page->maxId;
    s.limit = page->limit;
    constexpr std::string_view kFieldPrefix = "field.";
    for (const auto& [key, value] : query->object()) {
        if (!std::string_view(key).starts_with(kFieldPrefix))
            continue;
        if (!value.is_string())
            return invalidArgument(std::string(key) + ": one value");
        s.fields.emplace_back(std::string(key.substr(kFieldPrefix.size())), std::string(value.get_string()));
    }
    auto found = ctx.annotations->search(viewerOf(*principal), s);
    if (!found)
        return found.status();
    http::Response response = jsonResponse(annotationsJson(found->items));
    addLinkHeader(response, ctx, request, found->newest, found->oldest);
    return response;
}

// --- XMP sidecars (annotations/xmpsidecar.h)

Result<store::Asset> assetOf(ApiContext& ctx, std::optional<Id> viewer, const http::Request& request) {
    const auto id = idFromString(request.pathParam("id"));
    if (!id)
        return notFound("asset not found");
    return ctx.library->viewable(viewer, *id);
}

Result<http::Response> getXmp(ApiContext& ctx, http::Request& request) {
    auto principal = authenticateOptional(ctx, request, "read");
    if (!principal)
        return principal.status();
    auto asset = assetOf(ctx, viewerOf(*principal), request);
    if (!asset)
        return asset.status();
    auto packet = annotations::exportXmp(*ctx.annotations, viewerOf(*principal), *asset);
    if (!packet)
        return packet.status();
    http::Response r;
    r.contentType = "application/rdf+xml";
    r.body = std::move(*packet);
    r.header("Content-Disposition", "attachment; filename=\"" + idToString(asset->id) + ".xmp\"");
    return r;
}

Result<http::Response> putXmp(ApiContext& ctx, http::Request& request) {
    auto principal = authenticate(ctx, request, "write");
    if (!principal)
        return principal.status();
    auto asset = assetOf(ctx, principal->accountId, request);
    if (!asset)
        return asset.status();
    auto summary = annotations::importXmp(*ctx.annotations, *principal->accountId, *asset, request.body);
    if (!summary)
        return summary.status();
    return jsonResponse(
        json::object{{"tags", summary->tags},
                     {"regions", summary->regions},
                     {"skipped_regions", summary->skippedRegions},
                     {"caption", summary->caption},
                     {"rating", summary->rating ? json::value(*summary->rating) : json::value(nullptr)}});
}

} // namespace

void registerAnnotationRoutes(http::Router& router, ApiContext& ctx) {
    const std::string base = "/api/pinhole/v1";
    router.add("GET", base + "/schemas", [&ctx](http::Request& r) { return listSchemas(ctx, r); });
    router.add("POST", base + "/schemas", [&ctx](http::Request& r) { return registerSchema(ctx, r); });
    router.add("GET", base + "/schemas/:name", [&ctx](http::Request& r) { return getSchema(ctx, r); });
    router.add("GET", base + "/assets/:id/annotations", [&ctx](http::Request& r) { return listAnnotations(ctx, r); });
    router.add("POST", base + "/assets/:id/annotations", [&ctx](http::Request& r) { return createAnnotation(ctx, r); });
    router.add("GET", base + "/annotations/search", [&ctx](http::Request& r) { return search(ctx, r); });
    router.add("GET", base + "/annotations/:id", [&ctx](http::Request& r) { return getAnnotation(ctx, r); });
    router.add("PUT", base + "/annotations/:id", [&ctx](http::Request& r) { return updateAnnotation(ctx, r); });
    router.add("DELETE", base + "/annotations/:id", [&ctx](http::Request& r) { return deleteAnnotation(ctx, r); });
    const std::string ops = base + "/annotations/operations";
    router.add("POST", ops, [&ctx](http::Request& r) { return openOperation(ctx, r); });
    router.add("GET", ops + "/:id", [&ctx](http::Request& r) { return getOperation(ctx, r); });
    router.add(
        "POST", ops + "/:id/items", [&ctx](http::Request& r) { return addItems(ctx, r); },
        http::RouteOptions{kMaxItemsBody});
    router.add("POST", ops + "/:id/commit", [&ctx](http::Request& r) { return commitOperation(ctx, r); });
    router.add("DELETE", ops + "/:id", [&ctx](http::Request& r) { return abortOperation(ctx, r); });
    router.add("GET", base + "/assets/:id/xmp", [&ctx](http::Request& r) { return getXmp(ctx, r); });
    router.add(
        "PUT", base + "/assets/:id/xmp", [&ctx](http::Request& r) { return putXmp(ctx, r); },
        http::RouteOptions{media::kMaxXmpBytes});
}

} // namespace pinhole::server::api
