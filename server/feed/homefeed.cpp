#include "feed/homefeed.h"

#include "store/feedstore.h"
#include "store/followstore.h"
#include "store/statusstore.h"

#include <algorithm>
#include <optional>
#include <utility>

namespace pinhole::server::feed {

Status HomeFeed::rebuild(store::Database& db, Id viewer) {
    auto authors = store::followeeIds(db, viewer);
    if (!authors)
        return authors.status();
    authors->push_back(viewer);
    store::Page recent;
    recent.limit = m_options.feedLength;
    std::vector<std::pair<Id, Id>> posts; // (status, author)
    for (Id author : *authors) {
        auto ids = store::accountStatusIds(db, author, recent, true);
        if (!ids)
            return ids.status();
        for (Id id : *ids)
            posts.emplace_back(id, author);
    }
    if (posts.empty()) // nothing to write: no write lock for an account that follows nobody yet
        return Status::ok();
    const auto keep = std::min(posts.size(), static_cast<std::size_t>(m_options.feedLength));
    std::partial_sort(posts.begin(), posts.begin() + static_cast<std::ptrdiff_t>(keep), posts.end(),
                      [](const auto& a, const auto& b) { return a.first > b.first; });
    posts.resize(keep);
    store::Transaction tx(db);
    PINHOLE_TRY(tx.status());
    for (const auto& [status, author] : posts)
        PINHOLE_TRY(store::pushToFeeds(db, status, author, {viewer}));
    return tx.commit();
}

Result<std::vector<Id>> HomeFeed::sources(Id viewer) {
    auto db = m_store.connection();
    if (!db)
        return db.status();
    auto ids = store::followeeIds(**db, viewer);
    if (ids)
        ids->push_back(viewer);
    return ids;
}

Result<social::Paged<Id>> HomeFeed::page(Id viewer, const store::Page& page) {
    auto db = m_store.connection();
    if (!db)
        return db.status();
    // The pushed rows and the pulled ones from one state.
    std::optional<store::ReadTransaction> snapshot(std::in_place, **db);
    auto pushed = store::feedPage(**db, viewer, page);
    if (!pushed)
        return pushed.status();
    if (pushed->empty()) {
        // Only an empty page asks whether the whole feed is empty (to rebuild it), so the common
        // read is one query less.
        auto empty = store::feedIsEmpty(**db, viewer);
        if (!empty)
            return empty.status();
        if (*empty) {
            snapshot.reset(); // the rebuild writes
            PINHOLE_TRY(rebuild(**db, viewer));
            snapshot.emplace(**db);
            pushed = store::feedPage(**db, viewer, page);
            if (!pushed)
                return pushed.status();
        }
    }
    std::vector<Id> ids = std::move(pushed).value();
    auto celebrities = store::followedAbove(**db, viewer, m_options.celebrityFollowers);
    if (!celebrities)
        return celebrities.status();
    for (Id author : *celebrities) {
        auto pulled = store::accountStatusIds(**db, author, page, true);
        if (!pulled)
            return pulled.status();
        ids.insert(ids.end(), pulled->begin(), pulled->end());
    }
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    const auto n = static_cast<std::size_t>(std::max(page.limit, 0));
    if (ids.size() > n) {
        // The page is the n newest, or with min_id the n just above it.
        if (page.ascending())
            ids.resize(n);
        else
            ids.erase(ids.begin(), ids.end() - static_cast<std::ptrdiff_t>(n));
    }
    std::reverse(ids.begin(), ids.end());
    social::Paged<Id> out;
    social::setCursors(out, ids);
    out.items = std::move(ids);
    return out;
}

} // namespace pinhole::server::feed
