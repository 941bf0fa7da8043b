// The annotation search index: a consumer of the event log that keeps the FTS5 index
// (store/annotationstore.h) of the searchable text of every annotation (tags, captions, region
// labels: the fields a schema marks "searchable"). It reads the annotations' current rows, so
// applying an event again, or late, is harmless. A committed batch operation is one event, and
// its whole key is re-indexed in one transaction: search never shows half of a batch.
#pragma once

#include "social/eventlog.h"

namespace pinhole::server::annotations {

class SearchIndexConsumer : public social::Consumer {
public:
    static constexpr std::string_view kName = "annotation_search";
    std::string_view name() const override { return kName; }
    Status apply(store::Database& db, const store::Event& event) override;
};

} // namespace pinhole::server::annotations
