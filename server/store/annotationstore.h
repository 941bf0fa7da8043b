// SQL for the annotations aggregate: annotations on assets, batch operations and their staged
// items, and the full-text search index (FTS5) the annotation_search consumer keeps.
// Callers pass the connection and hold any transaction.
#pragma once

#include "core/ids.h"
#include "core/status.h"
#include "store/database.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pinhole::server::store {

struct AnnotationRow {
    Id id = 0;
    Id assetId = 0;
    Id ownerId = 0; // the asset's owner
    Id authorId = 0;
    std::string schemaName;
    int schemaVersion = 1;
    std::string payload;               // JSON
    std::optional<std::string> writer; // set when a batch operation wrote it
    std::int64_t revision = 1;
    std::int64_t createdAt = 0, updatedAt = 0;
};

Status insertAnnotation(Database& db, const AnnotationRow& row);
// NotFound if there is none.
Result<AnnotationRow> annotationById(Database& db, Id id);
// An asset's annotations (of one schema, if given), by id ascending, after `afterId`, at most `limit`.
Result<std::vector<AnnotationRow>> annotationsOfAsset(Database& db, Id assetId,
                                                      const std::optional<std::string>& schema, Id afterId, int limit);
// Replaces payload and version if the stored revision is `revision`, and bumps the revision.
// False: the revision was stale (or the annotation is gone).
Result<bool> updateAnnotation(Database& db, Id id, std::int64_t revision, int schemaVersion, const std::string& payload,
                              std::int64_t now);
Status deleteAnnotation(Database& db, Id id);
// The annotations a batch writer's key (owner, schema, writer) holds now.
Result<std::vector<AnnotationRow>> annotationsOfWriter(Database& db, Id ownerId, std::string_view schema,
                                                       std::string_view writer);
// Deletes them; how many.
Result<int> deleteAnnotationsOfWriter(Database& db, Id ownerId, std::string_view schema, std::string_view writer);

// A batch operation (Marken): its key is (ownerId, schemaName, writer).
//   open --commit()--> committed      (items become the key's annotations, replacing the old ones)
//   open --abort()---> aborted        (items dropped)
// Both in AnnotationService; nothing leaves committed or aborted.
struct OperationRow {
    Id id = 0;
    Id ownerId = 0;
    std::string schemaName;
    std::string writer;
    std::string state = "open"; // open | committed | aborted
    std::int64_t itemCount = 0;
    std::int64_t createdAt = 0;
    std::optional<std::int64_t> finishedAt;
};

struct OperationItem {
    Id assetId = 0;
    int schemaVersion = 1;
    std::string payload;
};

Status insertOperation(Database& db, const OperationRow& row);
Result<OperationRow> operationById(Database& db, Id id);
// Appends items after the operation's item_count and raises it.
Status addOperationItems(Database& db, Id operationId, const std::vector<OperationItem>& items);
Result<std::vector<OperationItem>> operationItems(Database& db, Id operationId);
// Sets the final state and drops the staged items.
Status finishOperation(Database& db, Id operationId, std::string_view state, std::int64_t now);

// The search index. `text`: the annotation's searchable text (empty: indexed without text, so a
// batch key still finds it).
Status indexAnnotation(Database& db, const AnnotationRow& row, const std::string& text);
Status unindexAnnotation(Database& db, Id annotationId);
// Removes every indexed annotation of a batch writer's key.
Status unindexWriter(Database& db, Id ownerId, std::string_view schema, std::string_view writer);

struct AnnotationSearch {
    std::optional<std::string> match; // an FTS5 query, built from safe quoted tokens
    std::optional<std::string> schema;
    // (JSON path "$.field", value as text) pairs every result's payload must equal.
    std::vector<std::pair<std::string, std::string>> fields;
    std::optional<Id> viewer;
    Id beforeId = 0; // 0: from the newest
    int limit = 20;
};
// Candidates, newest first: annotations matching the search on assets the viewer owns or that
// are in some post. The caller applies the visibility rules to the posted ones.
Result<std::vector<AnnotationRow>> searchAnnotations(Database& db, const AnnotationSearch& search);

} // namespace pinhole::server::store
