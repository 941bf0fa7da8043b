// The home timeline's caches (the hottest endpoint), in memory and shared by every viewer:
//   - rendered statuses: a status's Mastodon JSON with `favourited` cut out (the one field that
//     depends on the viewer), as the text before and after its value; each response splices in
//     its viewer's value, so a page is concatenated text, not Boost.JSON trees serialized again;
//   - home pages: for a viewer and a page's parameters, the statuses the page showed (held
//     weakly: their memory is the first cache's), the viewer's `favourited` for each and the
//     Link cursors, so a repeated read runs no query but the log position's.
//
// Invalidation, by the event log: every change that can alter a rendered status or a page (a
// status created or deleted, a favourite or comment changing its counts, a follow, request or
// block, the author's profile or counters, an asset's description or processing) appends an
// event, in the transaction of the change, that names the ids involved. An entry remembers the
// log position it was read at: the last event seq and the cursors of the `counters` consumer
// (counts lag their event until it applies it) and of the `feed` consumer (feed rows likewise).
// The cache remembers, for each id, the last event naming it at each of these three levels. An
// entry is used only if no event newer than its position names one of the ids it depends on: a
// status its row, author and media; a page its viewer, every account whose posts can enter the
// viewer's feed (themselves and whom they follow), its statuses and their media. Readers bring the cache up to
// their own snapshot (catchUp) before looking up, so a hit is exactly what reading at the
// snapshot would give; a stale entry inserted late by a slow reader is never used, as the ids it
// depends on have been marked with the newer seq already. Visibility is decided when an entry is
// made (social/visibility.h, the one place); a block, unfollow or deletion names the viewer or
// the status, so the entry that showed what they hide is not used after it.
//
// Writes outside the event log (`pinholed admin recount` fixing a counter) are bounded by maxAge.
// Memory is bounded in bytes for each kind of entry (config [cache]); when one kind is full, an
// arbitrary half of it is dropped. The per-id marks are bounded by kMaxMarks (then the cache
// starts over).
//
// Threading: every member is thread-safe (one mutex; the critical sections are map look-ups).
#pragma once

#include "core/ids.h"
#include "core/status.h"
#include "store/database.h"
#include "store/page.h"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <unordered_map>
#include <vector>

namespace pinhole::server::api::mastodon {

// Where a reader's snapshot stands in the log: the last event it sees and the last ones the
// counters and feed consumers had applied in it.
struct LogPosition {
    std::int64_t events = 0;
    std::int64_t counted = 0;
    std::int64_t fed = 0;
    bool operator==(const LogPosition&) const = default;
};

// A status's JSON without its viewer: the text is before + "true"/"false" + after.
struct RenderedStatus {
    std::string before;
    std::string after;
};

// Which page of whose home timeline.
struct HomePageKey {
    Id viewer = 0;
    store::Page page;
    bool operator==(const HomePageKey& o) const {
        return viewer == o.viewer && page.maxId == o.page.maxId && page.sinceId == o.page.sinceId &&
               page.minId == o.page.minId && page.limit == o.page.limit;
    }
};

// A page as a viewer saw it: its statuses' renderings, newest first, the viewer's `favourited`
// for each, and the Link cursors (of the feed rows read, shown or not).
struct HomePage {
    std::vector<std::shared_ptr<const RenderedStatus>> rendered;
    std::vector<bool> favourited;
    std::optional<Id> newest;
    std::optional<Id> oldest;
};

class StatusJsonCache {
public:
    // At most `statusBytes` of rendered statuses and `pageBytes` of pages are kept (0: none). An
    // entry older than `maxAge` is not used.
    explicit StatusJsonCache(std::size_t statusBytes = std::size_t{64} << 20,
                             std::size_t pageBytes = std::size_t{32} << 20,
                             std::chrono::seconds maxAge = std::chrono::seconds(60))
        : m_statusBytesMax(statusBytes), m_pageBytesMax(pageBytes), m_maxAge(maxAge) {}

    // Reads the log position of `db`'s snapshot (one statement) and applies the events the cache
    // has not seen up to it. Inside a read transaction, the position is the transaction's.
    Result<LogPosition> catchUp(store::Database& db);

    // The rendering of `statusId` if no event the cache has applied changed it, its author or its
    // media (`dependsOn`) since it was made. REQUIRES: catchUp() for the caller's snapshot, so
    // every event up to it is applied.
    std::shared_ptr<const RenderedStatus> find(Id statusId, const std::vector<Id>& dependsOn);
    // Keeps a rendering made from the snapshot at `at`, which depends on `dependsOn` (its author
    // and media; the status itself is implied).
    void insert(Id statusId, std::shared_ptr<const RenderedStatus> rendered, std::vector<Id> dependsOn,
                const LogPosition& at);

    // The page as kept, if nothing it depends on changed since and its statuses' renderings are
    // still kept. REQUIRES: catchUp() for the caller's snapshot.
    std::optional<HomePage> findHomePage(const HomePageKey& key);
    // The log position and the auth generation (store/oauthstore.h), in one statement: what
    // catchUp() reads, and all a reader that must not wait (an I/O thread) reads.
    static Result<std::pair<LogPosition, std::int64_t>> positionAndAuthGeneration(store::Database& db);
    // findHomePage() for a reader at `at` that did not catch up: nullopt, counting nothing, if
    // the cache has events to apply up to `at` or the page is not kept current.
    std::optional<HomePage> findHomePageIfCaughtUp(const LogPosition& at, const HomePageKey& key);
    // Keeps a page read at or after `at` (the position read before any of the page was), which
    // depends on `dependsOn`: the viewer, whom they follow, its statuses and their media (so an
    // unchanged page's renderings are current too). The page holds its renderings weakly: memory
    // stays the statuses' cache's, and a page whose rendering that cache dropped is a miss.
    void insertHomePage(const HomePageKey& key, const HomePage& page, std::vector<Id> dependsOn, const LogPosition& at);

    // Splits a serialized status (rendered with `"favourited":false`) at its viewer's value;
    // nullopt if the key is not there.
    static std::optional<RenderedStatus> split(std::string_view json);

    std::size_t size() const;
    std::size_t pageCount() const;
    // Prometheus lines: pages answered from memory or not, and what each kind of entry holds.
    void renderMetrics(std::string& out) const;

private:
    struct Touched {
        std::int64_t event = 0;   // the last event naming the id
        std::int64_t counted = 0; // the last event naming it that the counters consumer applied
        std::int64_t fed = 0;     // the last event naming it that the feed consumer applied
    };
    struct Entry {
        std::shared_ptr<const RenderedStatus> rendered;
        std::vector<Id> dependsOn;
        LogPosition at;
        std::chrono::steady_clock::time_point made;
        std::size_t bytes = 0;
        std::optional<LogPosition> checkedAt; // the cache's position when last found valid
    };
    struct PageEntry {
        std::vector<std::weak_ptr<const RenderedStatus>> rendered;
        std::vector<bool> favourited;
        std::optional<Id> newest;
        std::optional<Id> oldest;
        std::vector<Id> dependsOn;
        LogPosition at;
        std::chrono::steady_clock::time_point made;
        std::size_t bytes = 0;
        std::optional<LogPosition> checkedAt;
    };
    struct KeyHash {
        std::size_t operator()(const HomePageKey& k) const;
    };

    // REQUIRES: m_mutex held.
    bool validLocked(Id id, const LogPosition& at) const;
    // Whether an entry made at `at` at `made`, depending on `dependsOn`, may be used now; records
    // the position it was checked at, so an unchanged log skips the walk next time.
    bool currentLocked(const std::vector<Id>& dependsOn, const LogPosition& at,
                       std::chrono::steady_clock::time_point made, std::optional<LogPosition>& checkedAt) const;
    std::shared_ptr<const RenderedStatus> findLocked(Id statusId);
    std::optional<HomePage> lookUpHomePage(const HomePageKey& key); // takes m_mutex
    void resetLocked(const LogPosition& at);
    bool acceptableLocked(const LogPosition& at) const;

    const std::size_t m_statusBytesMax;
    const std::size_t m_pageBytesMax;
    const std::chrono::seconds m_maxAge;
    mutable std::mutex m_mutex;        // guards every member below
    std::optional<LogPosition> m_seen; // the log as far as the cache has applied it
    LogPosition m_floor;               // entries from before this are not trusted (events not applied)
    std::unordered_map<Id, Touched> m_touched;
    std::unordered_map<Id, Entry> m_entries;
    std::size_t m_statusBytes = 0;
    std::unordered_map<HomePageKey, PageEntry, KeyHash> m_pages;
    std::size_t m_pageBytes = 0;
    std::atomic<std::uint64_t> m_pageHits{0};
    std::atomic<std::uint64_t> m_pageMisses{0};
};

} // namespace pinhole::server::api::mastodon
