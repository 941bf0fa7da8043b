// SQL for home feeds: the rows fan-out writes (server/feed/) and the reads of a feed page.
#pragma once

#include "core/ids.h"
#include "core/status.h"
#include "store/database.h"
#include "store/page.h"

#include <cstdint>
#include <vector>

namespace pinhole::server::store {

// Puts `statusId` by `authorId` into the feed of each of `accounts` (a no-op where it is already).
Status pushToFeeds(Database& db, Id statusId, Id authorId, const std::vector<Id>& accounts);
// Removes `statusId` from the feeds of `accounts`.
Status removeFromFeeds(Database& db, Id statusId, const std::vector<Id>& accounts);
// Removes every post of `authorId` from `accountId`'s feed.
Status removeAuthorFromFeed(Database& db, Id accountId, Id authorId);
// Keeps the newest `cap` rows of the feed.
Status trimFeed(Database& db, Id accountId, int cap);
Result<bool> feedIsEmpty(Database& db, Id accountId);

// A page of `accountId`'s feed, newest first. Only rows whose author is the account itself or
// one it follows now (so a feed never shows what an unfollow or a block has not yet removed).
Result<std::vector<Id>> feedPage(Database& db, Id accountId, const Page& page);
// The accounts `followerId` follows that have more than `threshold` followers (pulled at read).
Result<std::vector<Id>> followedAbove(Database& db, Id followerId, std::int64_t threshold);

} // namespace pinhole::server::store
