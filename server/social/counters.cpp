#include "social/counters.h"

namespace pinhole::server::social {

using store::AccountCounts;
using store::EventType;
using store::StatusCounts;

Status CountersConsumer::apply(store::Database& db, const store::Event& e) {
    switch (e.type) {
    case EventType::StatusCreated:
    case EventType::StatusDeleted: {
        const int d = e.type == EventType::StatusCreated ? 1 : -1;
        PINHOLE_TRY(store::addAccountCounts(db, e.actorId, AccountCounts{0, 0, d}));
        if (e.parentId)
            PINHOLE_TRY(store::addStatusCounts(db, *e.parentId, StatusCounts{0, d}));
        if (e.type == EventType::StatusDeleted && e.statusId)
            PINHOLE_TRY(store::deleteStatusCounts(db, *e.statusId));
        return Status::ok();
    }
    case EventType::FavouriteCreated:
    case EventType::FavouriteDeleted:
        if (!e.statusId)
            return Status::ok();
        return store::addStatusCounts(db, *e.statusId,
                                      StatusCounts{e.type == EventType::FavouriteCreated ? 1 : -1, 0});
    case EventType::FollowCreated:
    case EventType::FollowDeleted: {
        if (!e.accountId)
            return Status::ok();
        const int d = e.type == EventType::FollowCreated ? 1 : -1;
        PINHOLE_TRY(store::addAccountCounts(db, *e.accountId, AccountCounts{d, 0, 0}));
        return store::addAccountCounts(db, e.actorId, AccountCounts{0, d, 0});
    }
    default:
        return Status::ok();
    }
}

Result<std::vector<store::CounterDifference>> recount(store::Database& db, bool fix) {
    store::Transaction tx(db);
    PINHOLE_TRY(tx.status());
    CountersConsumer consumer;
    for (;;) {
        auto applied = EventLog::applyPending(db, consumer);
        if (!applied)
            return applied.status();
        if (*applied == 0)
            break;
    }
    auto differences = store::counterDifferences(db);
    if (!differences)
        return differences.status();
    if (fix && !differences->empty())
        PINHOLE_TRY(store::rewriteCounters(db));
    PINHOLE_TRY(tx.commit());
    return differences;
}

} // namespace pinhole::server::social
