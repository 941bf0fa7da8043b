// SQL for the annotation schema registry: versions of a name, each with its definition (canonical
// JSON, server/annotations/schema.h). Rows are never updated or deleted: stored annotations keep
// referring to the version they were written with.
#pragma once

#include "core/ids.h"
#include "core/status.h"
#include "store/database.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pinhole::server::store {

struct SchemaRow {
    std::string name;
    int version = 1;
    std::string definition;
    std::optional<Id> ownerId; // nullopt: built in
    std::int64_t createdAt = 0;
};

// Conflict if (name, version) exists.
Status insertSchema(Database& db, const SchemaRow& row);
// NotFound if there is no such version.
Result<SchemaRow> schemaVersion(Database& db, std::string_view name, int version);
// The newest version of `name`; NotFound if the name is not registered.
Result<SchemaRow> latestSchema(Database& db, std::string_view name);
// Every version of every schema, by name then version.
Result<std::vector<SchemaRow>> allSchemas(Database& db);

} // namespace pinhole::server::store
