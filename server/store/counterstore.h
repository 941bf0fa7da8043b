// SQL for the counters (followers, following, statuses per account; favourites and replies per
// status), maintained from the event log by server/social/counters.h, and their recount from the
// rows they count.
#pragma once

#include "core/ids.h"
#include "core/status.h"
#include "store/database.h"

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace pinhole::server::store {

struct AccountCounts {
    std::int64_t followers = 0;
    std::int64_t following = 0;
    std::int64_t statuses = 0;
};
struct StatusCounts {
    std::int64_t favourites = 0;
    std::int64_t replies = 0;
};

// Zero for an account or status without a counter row.
Result<AccountCounts> accountCounts(Database& db, Id accountId);
Result<StatusCounts> statusCounts(Database& db, Id statusId);
// The same for many at once: an entry for each id that has a counter row.
Result<std::unordered_map<Id, AccountCounts>> accountCountsOf(Database& db, const std::vector<Id>& accountIds);
Result<std::unordered_map<Id, StatusCounts>> statusCountsOf(Database& db, const std::vector<Id>& statusIds);

// Add deltas; nothing happens for an account or status that no longer exists (a consumer may
// apply an event after its subject was deleted).
Status addAccountCounts(Database& db, Id accountId, const AccountCounts& delta);
Status addStatusCounts(Database& db, Id statusId, const StatusCounts& delta);
Status deleteStatusCounts(Database& db, Id statusId);

// A counter that differs from the recount of its rows.
struct CounterDifference {
    std::string counter; // "followers_count", ...
    Id subject = 0;      // account or status id
    std::int64_t stored = 0;
    std::int64_t actual = 0;
};
Result<std::vector<CounterDifference>> counterDifferences(Database& db);
// Sets every counter to its recount. REQUIRES: inside a write transaction.
Status rewriteCounters(Database& db);

} // namespace pinhole::server::store
