#include "social/statusservice.h"

#include "accounts/accountservice.h"
#include "core/clock.h"
#include "store/eventstore.h"
#include "store/followstore.h"

#include <algorithm>
#include <deque>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

namespace pinhole::server::social {

using store::EventType;

namespace {

bool isWordByte(unsigned char c) {
    return std::isalnum(c) || c == '_' || c >= 0x80;
}

// Loads the asset with its derivatives (assetById fills them).
Result<store::Asset> readyAssetOf(store::Database& db, Id owner, Id assetId) {
    auto asset = store::assetById(db, assetId);
    if (!asset || asset->ownerId != owner)
        return unprocessable("media_ids: " + idToString(assetId) + " is not one of your photos");
    if (asset->state != "ready")
        return unprocessable("media_ids: " + idToString(assetId) + " is not processed yet");
    if (asset->trashedAt) // a post never shows what its author threw away (library/libraryservice.h)
        return unprocessable("media_ids: " + idToString(assetId) + " is in the trash");
    return asset;
}

} // namespace

std::vector<std::string> hashtagsOf(std::string_view text) {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '#' || (i > 0 && isWordByte(static_cast<unsigned char>(text[i - 1]))))
            continue;
        std::size_t j = i + 1;
        while (j < text.size() && isWordByte(static_cast<unsigned char>(text[j])))
            ++j;
        if (j == i + 1)
            continue;
        std::string tag(text.substr(i + 1, j - i - 1));
        std::transform(tag.begin(), tag.end(), tag.begin(),
                       [](unsigned char c) { return c < 0x80 ? static_cast<char>(std::tolower(c)) : c; });
        if (std::find(out.begin(), out.end(), tag) == out.end() && tag.size() <= 100)
            out.push_back(std::move(tag));
        i = j - 1;
    }
    return out;
}

Result<StatusView> StatusService::create(Id author, const NewStatus& input, const store::AlsoInTransaction& also) {
    auto length = accounts::utf8Length(input.text);
    if (!length || *length > kMaxCaption)
        return unprocessable("status: must be valid text of at most 2200 characters");
    if (input.mediaIds.size() > kMaxMedia)
        return unprocessable("media_ids: at most 10 photos");
    if (input.mediaIds.empty() && !input.inReplyToId)
        return unprocessable("media_ids: a post needs 1 to 10 photos");
    if (std::set<Id>(input.mediaIds.begin(), input.mediaIds.end()).size() != input.mediaIds.size())
        return unprocessable("media_ids: a photo appears twice");
    if (input.idempotencyKey && input.idempotencyKey->size() > 200)
        return invalidArgument("Idempotency-Key: at most 200 characters");
    store::StatusRow row;
    row.tags = hashtagsOf(input.text);
    if (row.tags.size() > kMaxTags)
        return unprocessable("status: at most 30 hashtags");

    Id created = 0;
    {
        auto db = m_store.connection();
        if (!db)
            return db.status();
        store::Transaction tx(**db);
        PINHOLE_TRY(tx.status());
        if (input.idempotencyKey) {
            auto earlier = store::idempotentStatus(**db, author, *input.idempotencyKey);
            if (!earlier)
                return earlier.status();
            if (*earlier) // a retry: answer what the first request created (nothing written)
                created = **earlier;
        }
        if (created) // read on another connection; this transaction rolls back, having written nothing
            return get(author, created);
        for (Id media : input.mediaIds)
            PINHOLE_TRY(readyAssetOf(**db, author, media));
        if (input.inReplyToId) {
            auto parent = store::statusById(**db, *input.inReplyToId);
            if (!parent)
                return parent.status().code() == Code::NotFound ? notFound("in_reply_to_id: status not found")
                                                                : parent.status();
            Access access(**db, author);
            auto may = access.mayViewStatus(*parent);
            if (!may)
                return may.status();
            auto ties = access.ties(parent->accountId);
            if (!ties)
                return ties.status();
            if (!*may || !mayInteract(*ties))
                return notFound("in_reply_to_id: status not found");
            row.inReplyToId = parent->id;
            row.inReplyToAccountId = parent->accountId;
        }
        const std::int64_t now = nowMillis();
        row.id = newId();
        row.accountId = author;
        row.visibility = input.visibility;
        row.text = input.text;
        row.createdAt = now;
        row.mediaIds = input.mediaIds;
        PINHOLE_TRY(store::insertStatus(**db, row));
        PINHOLE_TRY(store::appendEvent(**db,
                                       {.type = EventType::StatusCreated,
                                        .actorId = author,
                                        .accountId = row.inReplyToAccountId,
                                        .statusId = row.id,
                                        .parentId = row.inReplyToId},
                                       now));
        if (input.idempotencyKey)
            PINHOLE_TRY(store::rememberIdempotencyKey(**db, author, *input.idempotencyKey, row.id, now,
                                                      kIdempotencyKeepMillis));
        if (also)
            PINHOLE_TRY(also(**db, row.id));
        PINHOLE_TRY(tx.commit());
        created = row.id;
    }
    m_events.notify();
    return get(author, created);
}

Result<StatusView> StatusService::get(std::optional<Id> viewer, Id id) {
    auto db = m_store.connection();
    if (!db)
        return db.status();
    Access access(**db, viewer);
    auto views = this->views(**db, access, {id});
    if (!views)
        return views.status();
    if (views->empty())
        return notFound("status not found");
    return std::move(views->front());
}

Result<StatusView> StatusService::remove(Id viewer, Id id, const store::AlsoInTransaction& also) {
    auto view = get(viewer, id);
    if (!view)
        return view.status();
    if (view->status.accountId != viewer)
        return notFound("status not found");
    {
        auto db = m_store.connection();
        if (!db)
            return db.status();
        store::Transaction tx(**db);
        PINHOLE_TRY(tx.status());
        // The status and its comments, each with its event, comments before what they answer.
        std::vector<store::StatusRow> doomed;
        std::deque<Id> queue{id};
        while (!queue.empty()) {
            auto row = store::statusById(**db, queue.front());
            queue.pop_front();
            if (!row) {
                if (row.status().code() == Code::NotFound)
                    continue;
                return row.status();
            }
            auto replies = store::replyIds(**db, row->id);
            if (!replies)
                return replies.status();
            queue.insert(queue.end(), replies->begin(), replies->end());
            doomed.push_back(std::move(row).value());
        }
        const std::int64_t now = nowMillis();
        for (auto it = doomed.rbegin(); it != doomed.rend(); ++it) {
            PINHOLE_TRY(store::appendEvent(**db,
                                           {.type = EventType::StatusDeleted,
                                            .actorId = it->accountId,
                                            .accountId = it->inReplyToAccountId,
                                            .statusId = it->id,
                                            .parentId = it->inReplyToId},
                                           now));
            PINHOLE_TRY(store::deleteStatus(**db, it->id));
        }
        if (also)
            PINHOLE_TRY(also(**db, id));
        PINHOLE_TRY(tx.commit());
    }
    m_events.notify();
    return view;
}

Result<StatusView> StatusService::favourite(Id viewer, Id id, const store::AlsoInTransaction& also) {
    {
        auto db = m_store.connection();
        if (!db)
            return db.status();
        store::Transaction tx(**db);
        PINHOLE_TRY(tx.status());
        auto row = store::statusById(**db, id);
        if (!row)
            return row.status();
        Access access(**db, viewer);
        auto may = access.mayViewStatus(*row);
        if (!may)
            return may.status();
        if (!*may)
            return notFound("status not found");
        const std::int64_t now = nowMillis();
        auto added = store::insertFavourite(**db, id, viewer, newId(), now);
        if (!added)
            return added.status();
        if (*added)
            PINHOLE_TRY(store::appendEvent(
                **db,
                {.type = EventType::FavouriteCreated, .actorId = viewer, .accountId = row->accountId, .statusId = id},
                now));
        if (also)
            PINHOLE_TRY(also(**db, id));
        PINHOLE_TRY(tx.commit());
    }
    m_events.notify();
    // The answer shows the new count: bring the counters up to date first (a small batch).
    PINHOLE_TRY(m_events.drain("counters"));
    return get(viewer, id);
}

Result<StatusView> StatusService::unfavourite(Id viewer, Id id, const store::AlsoInTransaction& also) {
    {
        auto db = m_store.connection();
        if (!db)
            return db.status();
        store::Transaction tx(**db);
        PINHOLE_TRY(tx.status());
        auto row = store::statusById(**db, id);
        if (!row)
            return row.status();
        Access access(**db, viewer);
        auto may = access.mayViewStatus(*row);
        if (!may)
            return may.status();
        if (!*may)
            return notFound("status not found");
        auto removed = store::deleteFavourite(**db, id, viewer);
        if (!removed)
            return removed.status();
        if (*removed)
            PINHOLE_TRY(store::appendEvent(
                **db,
                {.type = EventType::FavouriteDeleted, .actorId = viewer, .accountId = row->accountId, .statusId = id},
                nowMillis()));
        if (also)
            PINHOLE_TRY(also(**db, id));
        PINHOLE_TRY(tx.commit());
    }
    m_events.notify();
    PINHOLE_TRY(m_events.drain("counters"));
    return get(viewer, id);
}

Result<Paged<store::Account>> StatusService::favouritedBy(std::optional<Id> viewer, Id id, const store::Page& page) {
    auto db = m_store.connection();
    if (!db)
        return db.status();
    auto row = store::statusById(**db, id);
    if (!row)
        return row.status();
    Access access(**db, viewer);
    auto may = access.mayViewStatus(*row);
    if (!may)
        return may.status();
    if (!*may)
        return notFound("status not found");
    auto edges = store::favouritesOf(**db, id, page);
    if (!edges)
        return edges.status();
    Paged<store::Account> out;
    std::vector<Id> ids;
    for (const auto& e : *edges) {
        ids.push_back(e.id);
        auto ties = access.ties(e.accountId);
        if (!ties)
            return ties.status();
        if (!mayInteract(*ties))
            continue;
        auto a = access.account(e.accountId);
        if (!a)
            return a.status();
        out.items.push_back(std::move(a).value());
    }
    setCursors(out, ids);
    return out;
}

Result<Thread> StatusService::context(std::optional<Id> viewer, Id id) {
    auto db = m_store.connection();
    if (!db)
        return db.status();
    Access access(**db, viewer);
    auto self = views(**db, access, {id});
    if (!self)
        return self.status();
    if (self->empty())
        return notFound("status not found");
    Thread thread;
    // Ancestors: the chain of parents (visible, since the status is: visibility includes them).
    std::vector<Id> up;
    for (auto parent = self->front().status.inReplyToId; parent && up.size() < 64;) {
        auto row = store::statusById(**db, *parent);
        if (!row)
            break;
        up.push_back(row->id);
        parent = row->inReplyToId;
    }
    std::reverse(up.begin(), up.end());
    auto ancestors = views(**db, access, up);
    if (!ancestors)
        return ancestors.status();
    thread.ancestors = std::move(ancestors).value();
    // Descendants: every comment below, in id order, as the viewer may see them.
    std::vector<Id> down;
    std::deque<Id> queue{id};
    while (!queue.empty() && down.size() < 4096) {
        auto replies = store::replyIds(**db, queue.front());
        queue.pop_front();
        if (!replies)
            return replies.status();
        down.insert(down.end(), replies->begin(), replies->end());
        queue.insert(queue.end(), replies->begin(), replies->end());
    }
    std::sort(down.begin(), down.end());
    auto descendants = views(**db, access, down);
    if (!descendants)
        return descendants.status();
    thread.descendants = std::move(descendants).value();
    return thread;
}

Result<Paged<StatusView>> StatusService::pageOf(store::Database& db, Access& access,
                                                const Result<std::vector<Id>>& ids) {
    if (!ids)
        return ids.status();
    Paged<StatusView> out;
    auto items = views(db, access, *ids);
    if (!items)
        return items.status();
    out.items = std::move(items).value();
    setCursors(out, *ids);
    return out;
}

Result<Paged<StatusView>> StatusService::accountStatuses(std::optional<Id> viewer, Id account, const store::Page& page,
                                                         bool excludeReplies) {
    auto db = m_store.connection();
    if (!db)
        return db.status();
    Access access(**db, viewer);
    auto may = access.mayViewPostsOf(account);
    if (!may)
        return may.status();
    if (!*may)
        return Paged<StatusView>{};
    return pageOf(**db, access, store::accountStatusIds(**db, account, page, excludeReplies));
}

Result<Paged<StatusView>> StatusService::publicTimeline(std::optional<Id> viewer, const store::Page& page) {
    auto db = m_store.connection();
    if (!db)
        return db.status();
    Access access(**db, viewer);
    return pageOf(**db, access, store::publicStatusIds(**db, page));
}

Result<Paged<StatusView>> StatusService::tagTimeline(std::optional<Id> viewer, const std::string& tag,
                                                     const store::Page& page) {
    auto tags = hashtagsOf("#" + tag);
    if (tags.size() != 1)
        return Paged<StatusView>{};
    auto db = m_store.connection();
    if (!db)
        return db.status();
    Access access(**db, viewer);
    return pageOf(**db, access, store::taggedStatusIds(**db, tags.front(), page));
}

Result<std::vector<StatusView>> StatusService::searchStatuses(std::optional<Id> viewer, const std::string& query,
                                                              int limit) {
    auto db = m_store.connection();
    if (!db)
        return db.status();
    auto ids = store::publicStatusIdsMatching(**db, query, limit);
    if (!ids)
        return ids.status();
    Access access(**db, viewer);
    return views(**db, access, *ids);
}

Result<std::vector<std::string>> StatusService::searchTags(const std::string& prefix, int limit) {
    auto tags = hashtagsOf("#" + (prefix.starts_with('#') ? prefix.substr(1) : prefix));
    if (tags.size() != 1)
        return std::vector<std::string>{};
    auto db = m_store.connection();
    if (!db)
        return db.status();
    return store::tagsWithPrefix(**db, tags.front(), limit);
}

Result<store::AccountCounts> StatusService::accountCounts(Id account) {
    auto db = m_store.connection();
    if (!db)
        return db.status();
    return store::accountCounts(**db, account);
}

Result<store::Asset> StatusService::viewableAsset(std::optional<Id> viewer, Id assetId, bool original) {
    auto db = m_store.connection();
    if (!db)
        return db.status();
    auto asset = store::assetById(**db, assetId);
    if (!asset)
        return asset.status();
    Access access(**db, viewer);
    auto may = access.mayViewAsset(*asset, original);
    if (!may)
        return may.status();
    if (!*may)
        return notFound("asset not found");
    return asset;
}

Result<std::vector<StatusView>> StatusService::views(store::Database& db, Access& access, const std::vector<Id>& ids,
                                                     const std::function<bool(const store::StatusRow&)>& rendered) {
    // A page in a handful of queries whatever its length (rows, accounts and ties, media, counts,
    // the viewer's favourites), all in one snapshot.
    store::ReadTransaction snapshot(db);
    auto rows = store::statusesByIds(db, ids);
    if (!rows)
        return rows.status();
    std::vector<Id> authors;
    for (const auto& row : *rows)
        authors.push_back(row.accountId);
    PINHOLE_TRY(access.preload(authors));
    std::vector<store::StatusRow> visible;
    visible.reserve(rows->size());
    for (auto& row : *rows) {
        auto may = access.mayViewStatus(row);
        if (!may)
            return may.status();
        if (*may)
            visible.push_back(std::move(row));
    }
    std::vector<Id> statusIds, toRender, mediaIds; // all visible; those the caller has not rendered
    std::vector<bool> full(visible.size());
    authors.clear();
    for (std::size_t i = 0; i < visible.size(); ++i) {
        const auto& row = visible[i];
        statusIds.push_back(row.id);
        full[i] = !rendered || !rendered(row);
        if (!full[i])
            continue;
        toRender.push_back(row.id);
        authors.push_back(row.accountId);
        mediaIds.insert(mediaIds.end(), row.mediaIds.begin(), row.mediaIds.end());
    }
    auto assets = store::assetsByIds(db, mediaIds);
    if (!assets)
        return assets.status();
    std::unordered_map<Id, store::Asset*> assetsById;
    for (auto& a : *assets)
        assetsById.emplace(a.id, &a);
    auto statusCounts = store::statusCountsOf(db, toRender);
    if (!statusCounts)
        return statusCounts.status();
    auto authorCounts = store::accountCountsOf(db, authors);
    if (!authorCounts)
        return authorCounts.status();
    std::unordered_set<Id> favourited;
    if (access.viewer()) {
        auto mine = store::favouritedAmong(db, *access.viewer(), statusIds);
        if (!mine)
            return mine.status();
        favourited.insert(mine->begin(), mine->end());
    }

    std::vector<StatusView> out;
    out.reserve(visible.size());
    for (std::size_t i = 0; i < visible.size(); ++i) {
        auto& row = visible[i];
        StatusView v;
        auto author = access.account(row.accountId);
        if (!author)
            return author.status();
        v.author = std::move(author).value();
        v.favourited = favourited.contains(row.id);
        if (!full[i]) {
            v.status = std::move(row);
            out.push_back(std::move(v));
            continue;
        }
        if (auto it = authorCounts->find(row.accountId); it != authorCounts->end())
            v.authorCounts = it->second;
        for (Id media : row.mediaIds) {
            auto it = assetsById.find(media);
            if (it == assetsById.end())
                return notFound("asset not found"); // as assetById() answered before: the asset is gone
            v.media.push_back(*it->second);
        }
        if (auto it = statusCounts->find(row.id); it != statusCounts->end())
            v.counts = it->second;
        v.status = std::move(row);
        out.push_back(std::move(v));
    }
    return out;
}

} // namespace pinhole::server::social
