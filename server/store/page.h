// A page of a list ordered by id, the Mastodon way: max_id (older than), since_id (newer than, the
// newest first), min_id (the page just newer than, oldest first then reversed), limit.
#pragma once

#include "core/ids.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

namespace pinhole::server::store {

struct Page {
    std::optional<Id> maxId;
    std::optional<Id> sinceId;
    std::optional<Id> minId;
    int limit = 20;

    // Bounds, exclusive, for "id < upper() AND id > lower()".
    Id upper() const { return maxId.value_or(std::numeric_limits<Id>::max()); }
    Id lower() const { return std::max(sinceId.value_or(0), minId.value_or(0)); }
    // With min_id the rows just above it are wanted: read ascending, then reverse().
    bool ascending() const { return minId.has_value(); }
    const char* order() const { return ascending() ? "ASC" : "DESC"; }
};

// Puts rows read in page.order() newest first.
template <class T> void newestFirst(const Page& page, std::vector<T>& rows) {
    if (page.ascending())
        std::reverse(rows.begin(), rows.end());
}

} // namespace pinhole::server::store
