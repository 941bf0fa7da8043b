// Reading a home feed (the pull half of the hybrid feed): the pushed rows of the viewer's feed,
// merged with the recent posts of followed authors above the celebrity threshold, newest first,
// deduplicated. An empty feed is rebuilt from the followed accounts' recent posts first.
// Threading: stateless; callable from any handler thread.
#pragma once

#include "feed/fanout.h"
#include "social/paged.h"
#include "store/page.h"
#include "store/store.h"

namespace pinhole::server::feed {

class HomeFeed {
public:
    HomeFeed(store::Store& store, FeedOptions options) : m_store(store), m_options(options) {}

    // The ids of a page of `viewer`'s feed, newest first; the cursors are the first and last.
    Result<social::Paged<Id>> page(Id viewer, const store::Page& page);
    // The accounts whose posts can be in `viewer`'s feed: the viewer and whom they follow (what a
    // kept page of the feed depends on besides its posts; api/mastodon/statuscache.h).
    Result<std::vector<Id>> sources(Id viewer);
    // Fills an empty feed from the viewer's own and followed accounts' recent posts.
    Status rebuild(store::Database& db, Id viewer);

private:
    store::Store& m_store;
    FeedOptions m_options;
};

} // namespace pinhole::server::feed
