#include "store/annotationstore.h"

#include <limits>
#include <string>

namespace pinhole::server::store {

namespace {

constexpr std::string_view kColumns = "a.id, a.asset_id, a.owner_id, a.author_id, a.schema_name, a.schema_version, "
                                      "a.payload, a.writer, a.revision, a.created_at, a.updated_at";

std::string select(std::string_view rest) {
    return "SELECT " + std::string(kColumns) + " FROM annotations a " + std::string(rest);
}

Result<std::vector<AnnotationRow>> rowsOf(Query& q) {
    std::vector<AnnotationRow> out;
    for (;;) {
        auto row = q.step();
        if (!row)
            return row.status();
        if (!*row)
            return out;
        AnnotationRow r;
        r.id = q.int64(0);
        r.assetId = q.int64(1);
        r.ownerId = q.int64(2);
        r.authorId = q.int64(3);
        r.schemaName = q.text(4);
        r.schemaVersion = static_cast<int>(q.int64(5));
        r.payload = q.text(6);
        if (!q.isNull(7))
            r.writer = q.text(7);
        r.revision = q.int64(8);
        r.createdAt = q.int64(9);
        r.updatedAt = q.int64(10);
        out.push_back(std::move(r));
    }
}

} // namespace

Status insertAnnotation(Database& db, const AnnotationRow& r) {
    auto q = db.prepare("INSERT INTO annotations (id, asset_id, owner_id, author_id, schema_name, schema_version, "
                        "payload, writer, revision, created_at, updated_at) "
                        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
    q.bind(1, r.id).bind(2, r.assetId).bind(3, r.ownerId).bind(4, r.authorId).bind(5, r.schemaName);
    q.bind(6, r.schemaVersion).bind(7, r.payload).bind(8, r.writer).bind(9, r.revision).bind(10, r.createdAt);
    q.bind(11, r.updatedAt);
    return q.run();
}

Result<AnnotationRow> annotationById(Database& db, Id id) {
    auto q = db.prepare(select("WHERE a.id = ?1"));
    q.bind(1, id);
    auto rows = rowsOf(q);
    if (!rows)
        return rows.status();
    if (rows->empty())
        return notFound("annotation not found");
    return std::move(rows->front());
}

Result<std::vector<AnnotationRow>> annotationsOfAsset(Database& db, Id assetId,
                                                      const std::optional<std::string>& schema, Id afterId, int limit) {
    auto q = db.prepare(select("WHERE a.asset_id = ?1 AND a.id > ?2 AND (?3 IS NULL OR a.schema_name = ?3) "
                               "ORDER BY a.id LIMIT ?4"));
    q.bind(1, assetId).bind(2, afterId).bind(3, schema).bind(4, limit);
    return rowsOf(q);
}

Result<bool> updateAnnotation(Database& db, Id id, std::int64_t revision, int schemaVersion, const std::string& payload,
                              std::int64_t now) {
    auto q = db.prepare("UPDATE annotations SET payload = ?3, schema_version = ?4, revision = revision + 1, "
                        "updated_at = ?5 WHERE id = ?1 AND revision = ?2");
    q.bind(1, id).bind(2, revision).bind(3, payload).bind(4, schemaVersion).bind(5, now);
    PINHOLE_TRY(q.run());
    return db.changes() == 1;
}

Status deleteAnnotation(Database& db, Id id) {
    auto q = db.prepare("DELETE FROM annotations WHERE id = ?1");
    q.bind(1, id);
    return q.run();
}

Result<std::vector<AnnotationRow>> annotationsOfWriter(Database& db, Id ownerId, std::string_view schema,
                                                       std::string_view writer) {
    auto q = db.prepare(select("WHERE a.owner_id = ?1 AND a.schema_name = ?2 AND a.writer = ?3 ORDER BY a.id"));
    q.bind(1, ownerId).bind(2, schema).bind(3, writer);
    return rowsOf(q);
}

Result<int> deleteAnnotationsOfWriter(Database& db, Id ownerId, std::string_view schema, std::string_view writer) {
    auto q = db.prepare("DELETE FROM annotations WHERE owner_id = ?1 AND schema_name = ?2 AND writer = ?3");
    q.bind(1, ownerId).bind(2, schema).bind(3, writer);
    PINHOLE_TRY(q.run());
    return db.changes();
}

Status insertOperation(Database& db, const OperationRow& r) {
    auto q = db.prepare("INSERT INTO annotation_operations (id, owner_id, schema_name, writer, state, item_count, "
                        "created_at, finished_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    q.bind(1, r.id).bind(2, r.ownerId).bind(3, r.schemaName).bind(4, r.writer).bind(5, r.state);
    q.bind(6, r.itemCount).bind(7, r.createdAt).bind(8, r.finishedAt);
    return q.run();
}

Result<OperationRow> operationById(Database& db, Id id) {
    auto q = db.prepare("SELECT id, owner_id, schema_name, writer, state, item_count, created_at, finished_at "
                        "FROM annotation_operations WHERE id = ?1");
    q.bind(1, id);
    auto row = q.step();
    if (!row)
        return row.status();
    if (!*row)
        return notFound("operation not found");
    OperationRow r;
    r.id = q.int64(0);
    r.ownerId = q.int64(1);
    r.schemaName = q.text(2);
    r.writer = q.text(3);
    r.state = q.text(4);
    r.itemCount = q.int64(5);
    r.createdAt = q.int64(6);
    if (!q.isNull(7))
        r.finishedAt = q.int64(7);
    return r;
}

Status addOperationItems(Database& db, Id operationId, const std::vector<OperationItem>& items) {
    auto count = db.prepare("SELECT item_count FROM annotation_operations WHERE id = ?1");
    count.bind(1, operationId);
    auto row = count.step();
    if (!row)
        return row.status();
    if (!*row)
        return notFound("operation not found");
    std::int64_t position = count.int64(0);
    for (const auto& item : items) {
        auto q = db.prepare("INSERT INTO annotation_operation_items (operation_id, position, asset_id, schema_version, "
                            "payload) VALUES (?1, ?2, ?3, ?4, ?5)");
        q.bind(1, operationId).bind(2, position++).bind(3, item.assetId).bind(4, item.schemaVersion);
        q.bind(5, item.payload);
        PINHOLE_TRY(q.run());
    }
    auto q = db.prepare("UPDATE annotation_operations SET item_count = ?2 WHERE id = ?1");
    q.bind(1, operationId).bind(2, position);
    return q.run();
}

Result<std::vector<OperationItem>> operationItems(Database& db, Id operationId) {
    auto q = db.prepare("SELECT asset_id, schema_version, payload FROM annotation_operation_items "
                        "WHERE operation_id = ?1 ORDER BY position");
    q.bind(1, operationId);
    std::vector<OperationItem> out;
    for (;;) {
        auto row = q.step();
        if (!row)
            return row.status();
        if (!*row)
            return out;
        out.push_back({q.int64(0), static_cast<int>(q.int64(1)), q.text(2)});
    }
}

Status finishOperation(Database& db, Id operationId, std::string_view state, std::int64_t now) {
    auto items = db.prepare("DELETE FROM annotation_operation_items WHERE operation_id = ?1");
    items.bind(1, operationId);
    PINHOLE_TRY(items.run());
    auto q = db.prepare("UPDATE annotation_operations SET state = ?2, finished_at = ?3 WHERE id = ?1");
    q.bind(1, operationId).bind(2, state).bind(3, now);
    return q.run();
}

Status indexAnnotation(Database& db, const AnnotationRow& row, const std::string& text) {
    PINHOLE_TRY(unindexAnnotation(db, row.id));
    auto q = db.prepare("INSERT INTO annotation_indexed (annotation_id, owner_id, schema_name, writer) "
                        "VALUES (?1, ?2, ?3, ?4)");
    q.bind(1, row.id).bind(2, row.ownerId).bind(3, row.schemaName).bind(4, row.writer);
    PINHOLE_TRY(q.run());
    if (text.empty())
        return Status::ok();
    auto t = db.prepare("INSERT INTO annotation_text (rowid, text) VALUES (?1, ?2)");
    t.bind(1, row.id).bind(2, text);
    return t.run();
}

Status unindexAnnotation(Database& db, Id annotationId) {
    auto t = db.prepare("DELETE FROM annotation_text WHERE rowid = ?1");
    t.bind(1, annotationId);
    PINHOLE_TRY(t.run());
    auto q = db.prepare("DELETE FROM annotation_indexed WHERE annotation_id = ?1");
    q.bind(1, annotationId);
    return q.run();
}

Status unindexWriter(Database& db, Id ownerId, std::string_view schema, std::string_view writer) {
    auto t = db.prepare("DELETE FROM annotation_text WHERE rowid IN (SELECT annotation_id FROM annotation_indexed "
                        "WHERE owner_id = ?1 AND schema_name = ?2 AND writer = ?3)");
    t.bind(1, ownerId).bind(2, schema).bind(3, writer);
    PINHOLE_TRY(t.run());
    auto q = db.prepare("DELETE FROM annotation_indexed WHERE owner_id = ?1 AND schema_name = ?2 AND writer = ?3");
    q.bind(1, ownerId).bind(2, schema).bind(3, writer);
    return q.run();
}

Result<std::vector<AnnotationRow>> searchAnnotations(Database& db, const AnnotationSearch& s) {
    // Field values compare as text: JSON true/false as "true"/"false", numbers as SQLite prints them.
    std::string sql = s.match ? "SELECT " + std::string(kColumns) +
                                    " FROM annotation_text t JOIN annotations a ON a.id = t.rowid "
                                    "WHERE annotation_text MATCH ?1"
                              : select("WHERE ?1 IS NULL");
    sql += " AND a.id < ?2 AND (?3 IS NULL OR a.schema_name = ?3)"
           " AND (a.owner_id IS ?4 OR EXISTS (SELECT 1 FROM status_media m WHERE m.asset_id = a.asset_id))";
    int bind = 6;
    for (std::size_t i = 0; i < s.fields.size(); ++i, bind += 2)
        sql += " AND (CASE json_type(a.payload, ?" + std::to_string(bind) +
               ") WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' ELSE CAST(json_extract(a.payload, ?" +
               std::to_string(bind) + ") AS TEXT) END) = ?" + std::to_string(bind + 1);
    sql += " ORDER BY a.id DESC LIMIT ?5";
    auto q = db.prepare(sql);
    q.bind(1, s.match).bind(2, s.beforeId > 0 ? s.beforeId : std::numeric_limits<Id>::max()).bind(3, s.schema);
    q.bind(4, s.viewer).bind(5, s.limit);
    bind = 6;
    for (const auto& [path, value] : s.fields) {
        q.bind(bind, path).bind(bind + 1, value);
        bind += 2;
    }
    return rowsOf(q);
}

} // namespace pinhole::server::store
