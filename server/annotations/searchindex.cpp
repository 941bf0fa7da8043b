#include "annotations/searchindex.h"

#include "annotations/schema.h"
#include "store/annotationstore.h"
#include "store/schemastore.h"

#include <boost/json.hpp>

#include <map>

namespace json = boost::json;

namespace pinhole::server::annotations {

namespace {

// Parsed schema versions, for one event's rows (versions never change once registered).
class SchemaCache {
public:
    explicit SchemaCache(store::Database& db) : m_db(db) {}

    Result<const Schema*> get(const std::string& name, int version) {
        const auto key = std::make_pair(name, version);
        if (auto it = m_schemas.find(key); it != m_schemas.end())
            return &it->second;
        auto row = store::schemaVersion(m_db, name, version);
        if (!row)
            return row.status();
        boost::system::error_code ec;
        const auto definition = json::parse(row->definition, ec);
        if (ec)
            return internalError("stored schema " + name + " does not parse");
        auto schema = Schema::parse(definition);
        if (!schema)
            return schema.status();
        return &m_schemas.emplace(key, std::move(schema).value()).first->second;
    }

private:
    store::Database& m_db;
    std::map<std::pair<std::string, int>, Schema> m_schemas;
};

Status index(store::Database& db, SchemaCache& schemas, const store::AnnotationRow& row) {
    auto schema = schemas.get(row.schemaName, row.schemaVersion);
    if (!schema)
        return schema.status();
    boost::system::error_code ec;
    const auto payload = json::parse(row.payload, ec);
    std::string text;
    if (!ec)
        for (const auto& part : (*schema)->searchableText(payload))
            text += (text.empty() ? "" : "\n") + part;
    return store::indexAnnotation(db, row, text);
}

} // namespace

Status SearchIndexConsumer::apply(store::Database& db, const store::Event& e) {
    if (!e.subjectId)
        return Status::ok();
    SchemaCache schemas(db);
    switch (e.type) {
    case store::EventType::AnnotationChanged: {
        auto row = store::annotationById(db, *e.subjectId);
        if (!row)
            return row.status().code() == Code::NotFound ? store::unindexAnnotation(db, *e.subjectId) : row.status();
        return index(db, schemas, *row);
    }
    case store::EventType::AnnotationOperationCommitted: {
        auto op = store::operationById(db, *e.subjectId);
        if (!op)
            return op.status().code() == Code::NotFound ? Status::ok() : op.status();
        PINHOLE_TRY(store::unindexWriter(db, op->ownerId, op->schemaName, op->writer));
        auto rows = store::annotationsOfWriter(db, op->ownerId, op->schemaName, op->writer);
        if (!rows)
            return rows.status();
        for (const auto& row : *rows)
            PINHOLE_TRY(index(db, schemas, row));
        return Status::ok();
    }
    default: return Status::ok();
    }
}

} // namespace pinhole::server::annotations
