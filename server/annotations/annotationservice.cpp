#include "annotations/annotationservice.h"

#include "core/clock.h"
#include "social/visibility.h"
#include "store/assetstore.h"
#include "store/eventstore.h"
#include "store/schemastore.h"

#include <boost/json.hpp>

namespace json = boost::json;

namespace pinhole::server::annotations {

using store::EventType;

namespace {

Result<SchemaVersion> versionOf(const store::SchemaRow& row) {
    boost::system::error_code ec;
    const auto definition = json::parse(row.definition, ec);
    auto schema = ec ? Result<Schema>(internalError("unreadable")) : Schema::parse(definition);
    if (!schema)
        return internalError("stored schema " + row.name + " version " + std::to_string(row.version) +
                             " does not parse: " + schema.status().message());
    return SchemaVersion{row.name, row.version, !row.ownerId, row.createdAt, std::move(schema).value()};
}

// The schema an annotation is written with; errors say which request field is wrong.
Result<SchemaVersion> schemaFor(store::Database& db, const std::string& name, std::optional<int> version) {
    auto row = version ? store::schemaVersion(db, name, *version) : store::latestSchema(db, name);
    if (!row) {
        if (row.status().code() != Code::NotFound)
            return row.status();
        if (version && store::latestSchema(db, name))
            return unprocessable("version: schema " + name + " has no version " + std::to_string(*version));
        return unprocessable("schema: " + name.substr(0, 64) + " is not a registered schema");
    }
    return versionOf(*row);
}

Status checkPayload(const Schema& schema, const json::value& payload, const std::string& path) {
    if (json::serialize(payload).size() > kMaxPayloadBytes)
        return unprocessable(path + ": at most " + std::to_string(kMaxPayloadBytes / 1024) + " KiB");
    return schema.validate(payload, path);
}

// The asset if `account` may write its annotations: the owner. Who may see it but not own it is
// told so; anyone else finds nothing.
Result<store::Asset> writableAsset(store::Database& db, Id account, Id assetId) {
    auto asset = store::assetById(db, assetId);
    if (!asset)
        return asset.status().code() == Code::NotFound ? notFound("asset not found") : asset.status();
    if (asset->ownerId == account)
        return asset;
    social::Access access(db, account);
    auto may = access.mayViewAsset(*asset, false);
    if (!may)
        return may.status();
    return *may ? permissionDenied("only the owner of a photo annotates it") : notFound("asset not found");
}

Result<bool> mayRead(social::Access& access, Id assetId, Id ownerId) {
    if (access.viewer() == ownerId)
        return true;
    store::Asset asset;
    asset.id = assetId;
    asset.ownerId = ownerId;
    return access.mayViewAsset(asset, false);
}

Status changed(store::Database& db, Id actor, const store::AnnotationRow& row, std::int64_t now) {
    return store::appendEvent(
        db, {.type = EventType::AnnotationChanged, .actorId = actor, .accountId = row.ownerId, .subjectId = row.id},
        now);
}

// The words of a search as an FTS5 query: each a quoted token (so no word is read as an operator),
// all required. Words are runs of letters and digits (any non-ASCII byte counts as a letter).
std::string ftsQuery(std::string_view text) {
    std::string out;
    std::size_t i = 0;
    while (i < text.size()) {
        auto isWord = [](unsigned char c) { return std::isalnum(c) || c >= 0x80; };
        while (i < text.size() && !isWord(static_cast<unsigned char>(text[i])))
            ++i;
        std::size_t j = i;
        while (j < text.size() && isWord(static_cast<unsigned char>(text[j])))
            ++j;
        if (j > i)
            out += (out.empty() ? "\"" : " \"") + std::string(text.substr(i, j - i)) + "\"";
        i = j;
    }
    return out;
}

} // namespace

bool isValidWriter(std::string_view writer) {
    if (writer.empty() || writer.size() > 100)
        return false;
    for (char c : writer)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == ':' || c == '-'))
            return false;
    return true;
}

Status AnnotationService::registerBuiltins() {
    auto db = m_store.connection();
    if (!db)
        return db.status();
    store::Transaction tx(**db);
    PINHOLE_TRY(tx.status());
    const std::int64_t now = nowMillis();
    for (const auto& builtin : builtinSchemas()) {
        auto existing = store::schemaVersion(**db, builtin.name, 1);
        if (existing)
            continue;
        if (existing.status().code() != Code::NotFound)
            return existing.status();
        auto schema = Schema::parse(json::parse(builtin.definition));
        if (!schema)
            return internalError("built-in schema " + std::string(builtin.name) + ": " + schema.status().message());
        PINHOLE_TRY(store::insertSchema(
            **db, {std::string(builtin.name), 1, json::serialize(schema->toJson()), std::nullopt, now}));
    }
    return tx.commit();
}

Result<std::vector<SchemaVersion>> AnnotationService::schemas() {
    auto db = m_store.connection();
    if (!db)
        return db.status();
    auto rows = store::allSchemas(**db);
    if (!rows)
        return rows.status();
    std::vector<SchemaVersion> out;
    for (const auto& row : *rows) {
        auto version = versionOf(row);
        if (!version)
            return version.status();
        out.push_back(std::move(version).value());
    }
    return out;
}

Result<SchemaVersion> AnnotationService::schema(const std::string& name, std::optional<int> version) {
    auto db = m_store.connection();
    if (!db)
        return db.status();
    auto row = version ? store::schemaVersion(**db, name, *version) : store::latestSchema(**db, name);
    if (!row)
        return row.status();
    return versionOf(*row);
}

Result<SchemaVersion> AnnotationService::registerSchema(Id account, const std::string& name,
                                                        const json::value& definition) {
    if (!isValidSchemaName(name))
        return unprocessable("name: 1-64 of a-z, 0-9, '.', '_', '-', starting with a letter");
    auto schema = Schema::parse(definition);
    if (!schema)
        return schema.status();
    const std::string canonical = json::serialize(schema->toJson());
    auto db = m_store.connection();
    if (!db)
        return db.status();
    store::Transaction tx(**db);
    PINHOLE_TRY(tx.status());
    auto latest = store::latestSchema(**db, name);
    if (!latest && latest.status().code() != Code::NotFound)
        return latest.status();
    int version = 1;
    if (latest) {
        if (!latest->ownerId)
            return permissionDenied("name: " + name + " is a built-in schema");
        if (*latest->ownerId != account)
            return permissionDenied("name: " + name + " belongs to another account");
        version = latest->version + 1;
    }
    const std::int64_t now = nowMillis();
    PINHOLE_TRY(store::insertSchema(**db, {name, version, canonical, account, now}));
    PINHOLE_TRY(tx.commit());
    return SchemaVersion{name, version, false, now, std::move(schema).value()};
}

Result<std::vector<store::AnnotationRow>> AnnotationService::list(std::optional<Id> viewer, Id assetId,
                                                                  const std::optional<std::string>& schema, Id afterId,
                                                                  int limit) {
    auto db = m_store.connection();
    if (!db)
        return db.status();
    store::ReadTransaction snapshot(**db);
    auto asset = store::assetById(**db, assetId);
    if (!asset)
        return asset.status().code() == Code::NotFound ? notFound("asset not found") : asset.status();
    social::Access access(**db, viewer);
    auto may = access.mayViewAsset(*asset, false);
    if (!may)
        return may.status();
    if (!*may)
        return notFound("asset not found");
    return store::annotationsOfAsset(**db, assetId, schema, afterId, limit);
}

Result<store::AnnotationRow> AnnotationService::create(Id account, Id assetId, const NewAnnotation& input,
                                                       const store::AlsoInTransaction& also) {
    store::AnnotationRow row;
    {
        auto db = m_store.connection();
        if (!db)
            return db.status();
        store::Transaction tx(**db);
        PINHOLE_TRY(tx.status());
        auto asset = writableAsset(**db, account, assetId);
        if (!asset)
            return asset.status();
        auto schema = schemaFor(**db, input.schema, input.version);
        if (!schema)
            return schema.status();
        PINHOLE_TRY(checkPayload(schema->schema, input.payload, "payload"));
        const std::int64_t now = nowMillis();
        row.id = newId();
        row.assetId = assetId;
        row.ownerId = asset->ownerId;
        row.authorId = account;
        row.schemaName = schema->name;
        row.schemaVersion = schema->version;
        row.payload = json::serialize(input.payload);
        row.createdAt = row.updatedAt = now;
        PINHOLE_TRY(store::insertAnnotation(**db, row));
        PINHOLE_TRY(changed(**db, account, row, now));
        if (also)
            PINHOLE_TRY(also(**db, row.id));
        PINHOLE_TRY(tx.commit());
    }
    m_events.notify();
    return row;
}

Result<store::AnnotationRow> AnnotationService::get(std::optional<Id> viewer, Id id) {
    auto db = m_store.connection();
    if (!db)
        return db.status();
    store::ReadTransaction snapshot(**db);
    auto row = store::annotationById(**db, id);
    if (!row)
        return row.status();
    social::Access access(**db, viewer);
    auto may = mayRead(access, row->assetId, row->ownerId);
    if (!may)
        return may.status();
    if (!*may)
        return notFound("annotation not found");
    return row;
}

Result<store::AnnotationRow> AnnotationService::update(Id account, Id id, std::int64_t revision,
                                                       std::optional<int> version, const json::value& payload,
                                                       const store::AlsoInTransaction& also) {
    store::AnnotationRow row;
    {
        auto db = m_store.connection();
        if (!db)
            return db.status();
        store::Transaction tx(**db);
        PINHOLE_TRY(tx.status());
        auto current = store::annotationById(**db, id);
        if (!current)
            return current.status();
        auto asset = writableAsset(**db, account, current->assetId);
        if (!asset)
            return asset.status().code() == Code::NotFound ? notFound("annotation not found") : asset.status();
        if (current->revision != revision)
            return conflict("revision: the annotation is at revision " + std::to_string(current->revision) +
                            "; read it again and retry");
        auto schema = schemaFor(**db, current->schemaName, version.value_or(current->schemaVersion));
        if (!schema)
            return schema.status();
        PINHOLE_TRY(checkPayload(schema->schema, payload, "payload"));
        const std::int64_t now = nowMillis();
        auto updated = store::updateAnnotation(**db, id, revision, schema->version, json::serialize(payload), now);
        if (!updated)
            return updated.status();
        if (!*updated)
            return conflict("revision: the annotation changed; read it again and retry");
        row = std::move(current).value();
        row.schemaVersion = schema->version;
        row.payload = json::serialize(payload);
        row.revision = revision + 1;
        row.updatedAt = now;
        PINHOLE_TRY(changed(**db, account, row, now));
        if (also)
            PINHOLE_TRY(also(**db, row.id));
        PINHOLE_TRY(tx.commit());
    }
    m_events.notify();
    return row;
}

Result<store::AnnotationRow> AnnotationService::remove(Id account, Id id, std::optional<std::int64_t> revision,
                                                       const store::AlsoInTransaction& also) {
    store::AnnotationRow row;
    {
        auto db = m_store.connection();
        if (!db)
            return db.status();
        store::Transaction tx(**db);
        PINHOLE_TRY(tx.status());
        auto current = store::annotationById(**db, id);
        if (!current)
            return current.status();
        auto asset = writableAsset(**db, account, current->assetId);
        if (!asset)
            return asset.status().code() == Code::NotFound ? notFound("annotation not found") : asset.status();
        if (revision && *revision != current->revision)
            return conflict("revision: the annotation is at revision " + std::to_string(current->revision) +
                            "; read it again and retry");
        row = std::move(current).value();
        const std::int64_t now = nowMillis();
        PINHOLE_TRY(store::deleteAnnotation(**db, id));
        PINHOLE_TRY(changed(**db, account, row, now));
        if (also)
            PINHOLE_TRY(also(**db, row.id));
        PINHOLE_TRY(tx.commit());
    }
    m_events.notify();
    return row;
}

Result<store::OperationRow> AnnotationService::openOperation(Id account, const std::string& schema,
                                                             const std::string& writer) {
    if (!isValidWriter(writer))
        return unprocessable("writer: 1-100 of A-Z, a-z, 0-9, '.', '_', ':', '-'");
    auto db = m_store.connection();
    if (!db)
        return db.status();
    store::Transaction tx(**db);
    PINHOLE_TRY(tx.status());
    auto found = schemaFor(**db, schema, std::nullopt);
    if (!found)
        return found.status();
    store::OperationRow row;
    row.id = newId();
    row.ownerId = account;
    row.schemaName = schema;
    row.writer = writer;
    row.createdAt = nowMillis();
    PINHOLE_TRY(store::insertOperation(**db, row));
    PINHOLE_TRY(tx.commit());
    return row;
}

Result<store::OperationRow> AnnotationService::operation(Id account, Id id) {
    auto db = m_store.connection();
    if (!db)
        return db.status();
    auto row = store::operationById(**db, id);
    if (!row)
        return row.status();
    if (row->ownerId != account)
        return notFound("operation not found");
    return row;
}

namespace {
// The owner's open operation, inside the caller's transaction.
Result<store::OperationRow> openOperationOf(store::Database& db, Id account, Id id) {
    auto row = store::operationById(db, id);
    if (!row)
        return row.status();
    if (row->ownerId != account)
        return notFound("operation not found");
    if (row->state != "open")
        return conflict("operation is " + row->state);
    return row;
}
} // namespace

Result<store::OperationRow> AnnotationService::addItems(Id account, Id id, const std::vector<NewItem>& items) {
    if (items.empty() || items.size() > kMaxItemsPerRequest)
        return unprocessable("items: 1 to " + std::to_string(kMaxItemsPerRequest) + " per request");
    auto db = m_store.connection();
    if (!db)
        return db.status();
    store::Transaction tx(**db);
    PINHOLE_TRY(tx.status());
    auto op = openOperationOf(**db, account, id);
    if (!op)
        return op.status();
    if (op->itemCount + static_cast<std::int64_t>(items.size()) > kMaxItemsPerOperation)
        return unprocessable("items: an operation holds at most " + std::to_string(kMaxItemsPerOperation));
    std::vector<store::OperationItem> staged;
    for (std::size_t i = 0; i < items.size(); ++i) {
        const std::string at = "items[" + std::to_string(i) + "]";
        auto asset = store::assetById(**db, items[i].assetId);
        if (!asset && asset.status().code() != Code::NotFound)
            return asset.status();
        if (!asset || asset->ownerId != account)
            return unprocessable(at + ".asset_id: not one of your photos");
        auto schema = schemaFor(**db, op->schemaName, items[i].version);
        if (!schema)
            return schema.status().code() == Code::Unprocessable ? unprocessable(at + "." + schema.status().message())
                                                                 : schema.status();
        PINHOLE_TRY(checkPayload(schema->schema, items[i].payload, at + ".payload"));
        staged.push_back({items[i].assetId, schema->version, json::serialize(items[i].payload)});
    }
    PINHOLE_TRY(store::addOperationItems(**db, id, staged));
    PINHOLE_TRY(tx.commit());
    op->itemCount += static_cast<std::int64_t>(staged.size());
    return op;
}

Result<CommitResult> AnnotationService::commit(Id account, Id id) {
    CommitResult result;
    {
        auto db = m_store.connection();
        if (!db)
            return db.status();
        store::Transaction tx(**db);
        PINHOLE_TRY(tx.status());
        auto op = openOperationOf(**db, account, id);
        if (!op)
            return op.status();
        auto items = store::operationItems(**db, id);
        if (!items)
            return items.status();
        auto old = store::annotationsOfWriter(**db, account, op->schemaName, op->writer);
        if (!old)
            return old.status();
        auto replaced = store::deleteAnnotationsOfWriter(**db, account, op->schemaName, op->writer);
        if (!replaced)
            return replaced.status();
        const std::int64_t now = nowMillis();
        // One event per annotation the batch deletes or creates, so the sync stream sends each as
        // a tombstone or an upsert like any other annotation change.
        auto replacedOne = [&](Id annotation) {
            return store::appendEvent(**db,
                                      {.type = EventType::AnnotationReplaced,
                                       .actorId = account,
                                       .accountId = account,
                                       .subjectId = annotation},
                                      now);
        };
        for (const auto& row : *old)
            PINHOLE_TRY(replacedOne(row.id));
        for (const auto& item : *items) {
            store::AnnotationRow row;
            row.id = newId();
            row.assetId = item.assetId;
            row.ownerId = account;
            row.authorId = account;
            row.schemaName = op->schemaName;
            row.schemaVersion = item.schemaVersion;
            row.payload = item.payload;
            row.writer = op->writer;
            row.createdAt = row.updatedAt = now;
            PINHOLE_TRY(store::insertAnnotation(**db, row));
            PINHOLE_TRY(replacedOne(row.id));
        }
        PINHOLE_TRY(store::finishOperation(**db, id, "committed", now));
        PINHOLE_TRY(store::appendEvent(**db,
                                       {.type = EventType::AnnotationOperationCommitted,
                                        .actorId = account,
                                        .accountId = account,
                                        .subjectId = id},
                                       now));
        PINHOLE_TRY(tx.commit());
        result.operation = std::move(op).value();
        result.operation.state = "committed";
        result.operation.finishedAt = now;
        result.replaced = *replaced;
    }
    m_events.notify();
    return result;
}

Result<store::OperationRow> AnnotationService::abort(Id account, Id id) {
    auto db = m_store.connection();
    if (!db)
        return db.status();
    store::Transaction tx(**db);
    PINHOLE_TRY(tx.status());
    auto op = openOperationOf(**db, account, id);
    if (!op)
        return op.status();
    const std::int64_t now = nowMillis();
    PINHOLE_TRY(store::finishOperation(**db, id, "aborted", now));
    PINHOLE_TRY(tx.commit());
    op->state = "aborted";
    op->finishedAt = now;
    return op;
}

Result<social::Paged<store::AnnotationRow>> AnnotationService::search(std::optional<Id> viewer,
                                                                      const SearchRequest& request) {
    store::AnnotationSearch s;
    if (request.query) {
        if (request.query->size() > kMaxQueryLength)
            return invalidArgument("q: at most " + std::to_string(kMaxQueryLength) + " bytes");
        s.match = ftsQuery(*request.query);
        if (s.match->empty())
            return invalidArgument("q: no words to search for");
    }
    if (request.schema && !isValidSchemaName(*request.schema))
        return invalidArgument("schema: not a schema name");
    if (!request.query && !request.schema)
        return invalidArgument("q or schema: say what to search for");
    if (request.fields.size() > kMaxFieldFilters)
        return invalidArgument("field: at most " + std::to_string(kMaxFieldFilters) + " field filters");
    for (const auto& [name, value] : request.fields) {
        if (!isValidFieldName(name))
            return invalidArgument("field." + name.substr(0, 64) + ": not a field name");
        if (value.size() > kMaxQueryLength)
            return invalidArgument("field." + name + ": at most " + std::to_string(kMaxQueryLength) + " bytes");
        s.fields.emplace_back("$." + name, value);
    }
    s.schema = request.schema;
    s.viewer = viewer;
    s.beforeId = request.maxId.value_or(0);
    s.limit = std::max(2 * request.limit, 40); // some candidates may be hidden from the viewer

    auto db = m_store.connection();
    if (!db)
        return db.status();
    store::ReadTransaction snapshot(**db);
    social::Access access(**db, viewer);
    social::Paged<store::AnnotationRow> page;
    std::vector<Id> read;
    // Candidates come in rounds until the page is full; a bounded number, so a viewer who may see
    // little of a large index gets a short page and a cursor to go on from.
    constexpr int kRounds = 8;
    for (int round = 0; round < kRounds && static_cast<int>(page.items.size()) < request.limit; ++round) {
        auto candidates = store::searchAnnotations(**db, s);
        if (!candidates)
            return candidates.status();
        for (auto& row : *candidates) {
            if (static_cast<int>(page.items.size()) >= request.limit)
                break;
            read.push_back(row.id);
            s.beforeId = row.id;
            auto may = mayRead(access, row.assetId, row.ownerId);
            if (!may)
                return may.status();
            if (*may)
                page.items.push_back(std::move(row));
        }
        if (static_cast<int>(candidates->size()) < s.limit)
            break;
    }
    social::setCursors(page, read);
    return page;
}

} // namespace pinhole::server::annotations
