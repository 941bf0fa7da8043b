// A page of a list answered to a client, with the cursors of its Link header: the ids (of the
// rows paged, which may be edges rather than the items) of the newest and oldest row read.
// Rows the viewer may not see are left out of `items` but still move the cursors, so a client
// paging on never sees the same row twice nor misses one.
#pragma once

#include "core/ids.h"

#include <optional>
#include <vector>

namespace pinhole::server::social {

template <class T> struct Paged {
    std::vector<T> items;
    std::optional<Id> newest; // prev page: min_id=newest
    std::optional<Id> oldest; // next page: max_id=oldest
};

// Sets the cursors from row ids read newest first.
template <class T> void setCursors(Paged<T>& page, const std::vector<Id>& rowIds) {
    if (!rowIds.empty()) {
        page.newest = rowIds.front();
        page.oldest = rowIds.back();
    }
}

} // namespace pinhole::server::social
