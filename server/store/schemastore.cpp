#include "store/schemastore.h"

namespace pinhole::server::store {

namespace {
constexpr std::string_view kColumns = "name, version, definition, owner_id, created_at";

SchemaRow rowOf(const Query& q) {
    SchemaRow r;
    r.name = q.text(0);
    r.version = static_cast<int>(q.int64(1));
    r.definition = q.text(2);
    if (!q.isNull(3))
        r.ownerId = q.int64(3);
    r.createdAt = q.int64(4);
    return r;
}

Result<std::vector<SchemaRow>> rowsOf(Query& q) {
    std::vector<SchemaRow> out;
    for (;;) {
        auto row = q.step();
        if (!row)
            return row.status();
        if (!*row)
            return out;
        out.push_back(rowOf(q));
    }
}

Result<SchemaRow> oneOf(Query& q, std::string_view name) {
    auto rows = rowsOf(q);
    if (!rows)
        return rows.status();
    if (rows->empty())
        return notFound("schema " + std::string(name) + " not found");
    return std::move(rows->front());
}
} // namespace

Status insertSchema(Database& db, const SchemaRow& r) {
    auto exists = schemaVersion(db, r.name, r.version);
    if (exists)
        return conflict("schema " + r.name + " version " + std::to_string(r.version) + " exists");
    if (exists.status().code() != Code::NotFound)
        return exists.status();
    auto q = db.prepare("INSERT INTO annotation_schemas (" + std::string(kColumns) + ") VALUES (?1, ?2, ?3, ?4, ?5)");
    q.bind(1, r.name).bind(2, r.version).bind(3, r.definition).bind(4, r.ownerId).bind(5, r.createdAt);
    return q.run();
}

Result<SchemaRow> schemaVersion(Database& db, std::string_view name, int version) {
    auto q =
        db.prepare("SELECT " + std::string(kColumns) + " FROM annotation_schemas WHERE name = ?1 AND version = ?2");
    q.bind(1, name).bind(2, version);
    return oneOf(q, name);
}

Result<SchemaRow> latestSchema(Database& db, std::string_view name) {
    auto q = db.prepare("SELECT " + std::string(kColumns) +
                        " FROM annotation_schemas WHERE name = ?1 ORDER BY version DESC LIMIT 1");
    q.bind(1, name);
    return oneOf(q, name);
}

Result<std::vector<SchemaRow>> allSchemas(Database& db) {
    auto q = db.prepare("SELECT " + std::string(kColumns) + " FROM annotation_schemas ORDER BY name, version");
    return rowsOf(q);
}

} // namespace pinhole::server::store
