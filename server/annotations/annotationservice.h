// Annotations (after Netflix's Marken): the schema registry, typed annotations on assets, batch
// operations that replace a writer's annotations atomically, and search. Each change and its
// event are written in one transaction; the search index follows the event log
// (annotations/searchindex.h).
//
// Who may do what: the owner of an asset writes its annotations; its annotations are read by the
// owner and by who may see a post the asset is in (social/visibility.h, as the photo's
// derivatives). Anyone else gets NotFound, as for an asset that does not exist.
//
// Threading: stateless; callable from any handler thread.
#pragma once

#include "annotations/schema.h"
#include "core/ids.h"
#include "core/status.h"
#include "social/eventlog.h"
#include "social/paged.h"
#include "store/annotationstore.h"
#include "store/store.h"

#include <boost/json/value.hpp>

#include <optional>
#include <string>
#include <vector>

namespace pinhole::server::annotations {

inline constexpr std::size_t kMaxPayloadBytes = 16 * 1024; // serialized
inline constexpr std::size_t kMaxItemsPerRequest = 1000;
inline constexpr std::int64_t kMaxItemsPerOperation = 10000;
inline constexpr std::size_t kMaxQueryLength = 200;
inline constexpr std::size_t kMaxFieldFilters = 8;

struct SchemaVersion {
    std::string name;
    int version = 1;
    bool builtin = false;
    std::int64_t createdAt = 0;
    Schema schema;
};

struct NewAnnotation {
    std::string schema;
    std::optional<int> version; // nullopt: the newest
    boost::json::value payload;
};

struct NewItem {
    Id assetId = 0;
    std::optional<int> version; // nullopt: the newest
    boost::json::value payload;
};

struct CommitResult {
    store::OperationRow operation;
    int replaced = 0; // annotations of the key the batch replaced
};

struct SearchRequest {
    std::optional<std::string> query; // words; every one must occur
    std::optional<std::string> schema;
    std::vector<std::pair<std::string, std::string>> fields; // field name, value as text
    std::optional<Id> maxId;
    int limit = 20;
};

// Writer ids: 1-100 of A-Z, a-z, 0-9, '.', '_', ':', '-' ("autotagger-2", "import:digikam").
bool isValidWriter(std::string_view writer);

class AnnotationService {
public:
    AnnotationService(store::Store& store, social::EventLog& events) : m_store(store), m_events(events) {}

    // Registers version 1 of each built-in schema that is missing. Run at every start.
    Status registerBuiltins();

    Result<std::vector<SchemaVersion>> schemas();
    // NotFound for an unknown name or version; nullopt: the newest.
    Result<SchemaVersion> schema(const std::string& name, std::optional<int> version);
    // A new version of `name` (version 1 if new). The first account to register a name owns it;
    // built-in names and others' names answer PermissionDenied.
    Result<SchemaVersion> registerSchema(Id account, const std::string& name, const boost::json::value& definition);

    // An asset's annotations in id order, after `afterId`.
    Result<std::vector<store::AnnotationRow>> list(std::optional<Id> viewer, Id assetId,
                                                   const std::optional<std::string>& schema, Id afterId, int limit);
    // create, update and remove run `also` (sync's op record) in the change's transaction with
    // the annotation's id.
    Result<store::AnnotationRow> create(Id account, Id assetId, const NewAnnotation& annotation,
                                        const store::AlsoInTransaction& also = {});
    Result<store::AnnotationRow> get(std::optional<Id> viewer, Id id);
    // Conflict when `revision` is not the stored one. The schema stays; the version may move
    // (nullopt: keeps the annotation's own).
    Result<store::AnnotationRow> update(Id account, Id id, std::int64_t revision, std::optional<int> version,
                                        const boost::json::value& payload, const store::AlsoInTransaction& also = {});
    // With a revision, Conflict when it is stale.
    Result<store::AnnotationRow> remove(Id account, Id id, std::optional<std::int64_t> revision,
                                        const store::AlsoInTransaction& also = {});

    // Batch operations; only their owner sees them (NotFound for anyone else).
    Result<store::OperationRow> openOperation(Id account, const std::string& schema, const std::string& writer);
    Result<store::OperationRow> operation(Id account, Id id);
    // Validates every item (errors name it: "items[3].payload.label: ...") and stages them, all or none.
    Result<store::OperationRow> addItems(Id account, Id id, const std::vector<NewItem>& items);
    Result<CommitResult> commit(Id account, Id id);
    Result<store::OperationRow> abort(Id account, Id id);

    // Annotations matching the request on assets the viewer may see, newest first.
    Result<social::Paged<store::AnnotationRow>> search(std::optional<Id> viewer, const SearchRequest& request);

private:
    store::Store& m_store;
    social::EventLog& m_events;
};

} // namespace pinhole::server::annotations
