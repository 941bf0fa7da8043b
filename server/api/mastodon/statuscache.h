// Rendered Mastodon Status JSON, shared by every viewer, so the home timeline (the hottest
// endpoint) serializes a page by concatenating cached text instead of building and serializing
// Boost.JSON trees for every post.
//
// What is cached: a status's JSON with `favourited` cut out (the one field that depends on the
// viewer), as the text before and after its value; each response splices in its viewer's value.
//
// Invalidation, by the event log: every change that can alter a rendered status (the status
// deleted, a favourite or comment changing its counts, the author's profile or counters, an
// asset's description or processing) appends an event, in the transaction of the change, that
// names the ids involved. An entry remembers the event seq and the `counters` consumer's cursor
// of the snapshot it was rendered from; the cache remembers, for each id, the last event naming
// it (for rows) and the last such event the counters consumer has applied (for counts). An entry
// is used only if no event newer than its snapshot names the status, its author or its media.
// Readers bring the cache up to their own snapshot (catchUp) before looking up, so a hit renders
// exactly what the snapshot would. A stale entry inserted late by a slow reader is never used:
// the ids it depends on have been marked with the newer seq already.
//
// Threading: every member is thread-safe (one mutex; the critical sections are map look-ups).
#pragma once

#include "core/ids.h"
#include "core/status.h"
#include "store/database.h"

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace pinhole::server::api::mastodon {

// Where a reader's snapshot stands in the log: the last event it sees and the last one the
// counters consumer had applied in it.
struct LogPosition {
    std::int64_t events = 0;
    std::int64_t counted = 0;
};

// A status's JSON without its viewer: the text is before + "true"/"false" + after.
struct RenderedStatus {
    std::string before;
    std::string after;
};

class StatusJsonCache {
public:
    // At most `capacity` statuses are kept (about 2 KiB each); when full, an arbitrary half is
    // dropped. An entry older than `maxAge` is not used: the bound on what a write outside the
    // event log (`pinholed admin recount` fixing a counter) can leave stale.
    explicit StatusJsonCache(std::size_t capacity = 32768, std::chrono::seconds maxAge = std::chrono::seconds(60))
        : m_capacity(capacity), m_maxAge(maxAge) {}

    // Reads the log position of `db`'s snapshot and applies the events the cache has not seen up
    // to it. REQUIRES: `db` inside a read transaction, the snapshot then used for the page.
    Result<LogPosition> catchUp(store::Database& db);

    // The rendering of `statusId` if no event the cache has applied changed it, its author or its
    // media (`dependsOn`) since it was made. REQUIRES: catchUp() for the caller's snapshot, so
    // every event up to it is applied.
    std::shared_ptr<const RenderedStatus> find(Id statusId, const std::vector<Id>& dependsOn);
    // Keeps a rendering made from the snapshot at `at`.
    void insert(Id statusId, std::shared_ptr<const RenderedStatus> rendered, const LogPosition& at);

    // Splits a serialized status (rendered with `"favourited":false`) at its viewer's value;
    // nullopt if the key is not there.
    static std::optional<RenderedStatus> split(std::string_view json);

    std::size_t size() const;

private:
    struct Touched {
        std::int64_t event = 0;   // the last event naming the id
        std::int64_t counted = 0; // the last event naming it that the counters consumer applied
    };
    struct Entry {
        std::shared_ptr<const RenderedStatus> rendered;
        LogPosition at;
        std::chrono::steady_clock::time_point made;
    };
    // REQUIRES: m_mutex held.
    bool validLocked(Id id, const LogPosition& at) const;
    void resetLocked(const LogPosition& at);

    const std::size_t m_capacity;
    const std::chrono::seconds m_maxAge;
    mutable std::mutex m_mutex;        // guards every member below
    std::optional<LogPosition> m_seen; // the log as far as the cache has applied it
    LogPosition m_floor;               // entries from before this are not trusted (events not applied)
    std::unordered_map<Id, Touched> m_touched;
    std::unordered_map<Id, Entry> m_entries;
};

} // namespace pinhole::server::api::mastodon
