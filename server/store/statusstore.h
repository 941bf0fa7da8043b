// SQL for the statuses aggregate: posts and comments, their media and hashtags, favourites and
// the idempotency keys of their creation. Callers pass the connection and hold any transaction.
#pragma once

#include "core/ids.h"
#include "core/status.h"
#include "store/database.h"
#include "store/followstore.h"
#include "store/page.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pinhole::server::store {

enum class Visibility { Public, Unlisted, Private };
std::string_view visibilityName(Visibility v);
std::optional<Visibility> visibilityFromName(std::string_view name);

struct StatusRow {
    Id id = 0;
    Id accountId = 0;
    std::optional<Id> inReplyToId;
    std::optional<Id> inReplyToAccountId;
    Visibility visibility = Visibility::Public;
    std::string text;
    std::int64_t createdAt = 0;
    std::vector<Id> mediaIds;      // in order
    std::vector<std::string> tags; // lower case, without '#'
};

// With its media and tags.
Status insertStatus(Database& db, const StatusRow& status);
Result<StatusRow> statusById(Database& db, Id id);
// The statuses of `ids` that exist, with their media and tags, in the order of `ids`: three
// queries for a whole page (the home feed's read path), however long it is.
Result<std::vector<StatusRow>> statusesByIds(Database& db, const std::vector<Id>& ids);
Status deleteStatus(Database& db, Id id);
// Direct replies of `parent`, oldest first.
Result<std::vector<Id>> replyIds(Database& db, Id parent);

// Statuses of an account, newest first; posts only (no comments) when `postsOnly`.
Result<std::vector<Id>> accountStatusIds(Database& db, Id account, const Page& page, bool postsOnly);
// Public posts of everybody (the local timeline), newest first.
Result<std::vector<Id>> publicStatusIds(Database& db, const Page& page);
// Public posts carrying `tag`, newest first.
Result<std::vector<Id>> taggedStatusIds(Database& db, std::string_view tag, const Page& page);
// Public posts whose text contains `text`, newest first.
Result<std::vector<Id>> publicStatusIdsMatching(Database& db, std::string_view text, int limit);
// Tags in use that start with `prefix`.
Result<std::vector<std::string>> tagsWithPrefix(Database& db, std::string_view prefix, int limit);
// The statuses `asset` is attached to.
Result<std::vector<Id>> statusesWithAsset(Database& db, Id assetId);

// False if it existed already / did not exist.
Result<bool> insertFavourite(Database& db, Id statusId, Id accountId, Id id, std::int64_t now);
Result<bool> deleteFavourite(Database& db, Id statusId, Id accountId);
Result<bool> hasFavourited(Database& db, Id statusId, Id accountId);
// Of `statusIds`, those `accountId` has favourited (in no particular order).
Result<std::vector<Id>> favouritedAmong(Database& db, Id accountId, const std::vector<Id>& statusIds);
// Who favourited `status`, newest first; entry ids are the favourites' (the page cursor).
Result<std::vector<EdgeEntry>> favouritesOf(Database& db, Id statusId, const Page& page);

// The status an earlier request with this Idempotency-Key created.
Result<std::optional<Id>> idempotentStatus(Database& db, Id accountId, std::string_view key);
// Also forgets keys older than `now - keepMillis`.
Status rememberIdempotencyKey(Database& db, Id accountId, std::string_view key, Id statusId, std::int64_t now,
                              std::int64_t keepMillis);

} // namespace pinhole::server::store
