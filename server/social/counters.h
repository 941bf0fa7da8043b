// The counters consumer of the event log: followers, following and statuses per account,
// favourites and replies per status, as deltas in the transaction that advances its cursor.
// Recount compares them with a count of the rows (`pinholed admin recount`).
#pragma once

#include "social/eventlog.h"
#include "store/counterstore.h"

#include <vector>

namespace pinhole::server::social {

class CountersConsumer : public Consumer {
public:
    static constexpr std::string_view kName = "counters";
    std::string_view name() const override { return kName; }
    Status apply(store::Database& db, const store::Event& event) override;
};

// In one write transaction: applies the events the counters consumer has not seen yet, compares
// every counter with a recount of its rows, and (with `fix`) rewrites them from the recount.
// Returns the differences found.
Result<std::vector<store::CounterDifference>> recount(store::Database& db, bool fix);

} // namespace pinhole::server::social
