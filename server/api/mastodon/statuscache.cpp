#include "api/mastodon/statuscache.h"

#include "feed/fanout.h"
#include "social/counters.h"
#include "store/eventstore.h"

#include <algorithm>
#include <functional>
#include <initializer_list>
#include <utility>

namespace pinhole::server::api::mastodon {

namespace {
// More unseen events than this (an import, a long-stopped server) and the cache starts over
// rather than reading them all on one request.
constexpr std::int64_t kMaxCatchUp = 20000;
// Ids with a mark (about 48 bytes each): beyond, the cache starts over.
constexpr std::size_t kMaxMarks = 262144;
constexpr int kBatch = 512;
constexpr std::string_view kFavourited = ",\"favourited\":false,";
// What an entry costs beyond the bytes it counts itself: the map node, the control blocks.
constexpr std::size_t kEntryOverhead = 160;

// Drops an arbitrary half of `map` whose entries count their `bytes` in `total`.
template <class Map> void dropHalf(Map& map, std::size_t& total) {
    std::size_t drop = map.size() / 2 + 1;
    for (auto it = map.begin(); it != map.end() && drop > 0; --drop) {
        total -= it->second.bytes;
        it = map.erase(it);
    }
}
} // namespace

std::size_t StatusJsonCache::KeyHash::operator()(const HomePageKey& k) const {
    std::size_t h = std::hash<Id>{}(k.viewer);
    auto mix = [&h](std::size_t v) { h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2); };
    for (const auto& id : {k.page.maxId, k.page.sinceId, k.page.minId})
        mix(id ? std::hash<Id>{}(*id) : 0x51ed27);
    mix(static_cast<std::size_t>(k.page.limit));
    return h;
}

Result<LogPosition> StatusJsonCache::catchUp(store::Database& db) {
    auto head = positionAndAuthGeneration(db);
    if (!head)
        return head.status();
    const LogPosition at = head->first;

    std::lock_guard lock(m_mutex);
    if (!m_seen) {
        resetLocked(at);
        return at;
    }
    if (at.events - m_seen->events > kMaxCatchUp || at.counted - m_seen->counted > kMaxCatchUp ||
        at.fed - m_seen->fed > kMaxCatchUp) {
        resetLocked({std::max(at.events, m_seen->events), std::max(at.counted, m_seen->counted),
                     std::max(at.fed, m_seen->fed)});
        return at;
    }
    // Events newer than the cache has seen change rows; those a consumer has newly applied change
    // what it writes (counts, feed rows). (A reader behind the cache has nothing to apply.) Events
    // are append-only and become visible in seq order, so reading them outside the position's
    // snapshot finds the same ones up to it.
    auto mark = [&](std::int64_t after, std::int64_t upTo, std::int64_t Touched::*level) -> Status {
        while (after < upTo) {
            auto batch = store::eventsAfter(db, after, kBatch);
            if (!batch)
                return batch.status();
            if (batch->empty())
                break;
            for (const auto& e : *batch) {
                if (e.seq > upTo)
                    return Status::ok();
                for (const std::optional<Id>& id :
                     {std::optional<Id>(e.actorId), e.accountId, e.statusId, e.parentId, e.subjectId})
                    if (id)
                        m_touched[*id].*level = e.seq;
                after = e.seq;
            }
        }
        return Status::ok();
    };
    if (at.events > m_seen->events) {
        PINHOLE_TRY(mark(m_seen->events, at.events, &Touched::event));
        m_seen->events = at.events;
    }
    if (at.counted > m_seen->counted) {
        PINHOLE_TRY(mark(m_seen->counted, at.counted, &Touched::counted));
        m_seen->counted = at.counted;
    }
    if (at.fed > m_seen->fed) {
        PINHOLE_TRY(mark(m_seen->fed, at.fed, &Touched::fed));
        m_seen->fed = at.fed;
    }
    if (m_touched.size() > kMaxMarks)
        resetLocked(*m_seen);
    return at;
}

bool StatusJsonCache::validLocked(Id id, const LogPosition& at) const {
    auto it = m_touched.find(id);
    return it == m_touched.end() ||
           (it->second.event <= at.events && it->second.counted <= at.counted && it->second.fed <= at.fed);
}

bool StatusJsonCache::currentLocked(const std::vector<Id>& dependsOn, const LogPosition& at,
                                    std::chrono::steady_clock::time_point made,
                                    std::optional<LogPosition>& checkedAt) const {
    if (std::chrono::steady_clock::now() - made > m_maxAge)
        return false;
    if (checkedAt && m_seen && *checkedAt == *m_seen)
        return true; // no event applied since it was last found current
    for (Id id : dependsOn)
        if (!validLocked(id, at))
            return false;
    checkedAt = m_seen;
    return true;
}

std::shared_ptr<const RenderedStatus> StatusJsonCache::findLocked(Id statusId) {
    auto it = m_entries.find(statusId);
    if (it == m_entries.end())
        return nullptr;
    Entry& e = it->second;
    return currentLocked(e.dependsOn, e.at, e.made, e.checkedAt) ? e.rendered : nullptr;
}

std::shared_ptr<const RenderedStatus> StatusJsonCache::find(Id statusId, const std::vector<Id>& dependsOn) {
    std::lock_guard lock(m_mutex);
    auto it = m_entries.find(statusId);
    if (it == m_entries.end())
        return nullptr;
    // The row's current author and media, not only the ones the entry was made with.
    for (Id id : dependsOn)
        if (!validLocked(id, it->second.at))
            return nullptr;
    return findLocked(statusId);
}

bool StatusJsonCache::acceptableLocked(const LogPosition& at) const {
    // Made before the events the cache knows start: it could miss a change.
    return m_seen && at.events >= m_floor.events && at.counted >= m_floor.counted && at.fed >= m_floor.fed;
}

void StatusJsonCache::insert(Id statusId, std::shared_ptr<const RenderedStatus> rendered, std::vector<Id> dependsOn,
                             const LogPosition& at) {
    dependsOn.push_back(statusId);
    const std::size_t bytes =
        rendered->before.size() + rendered->after.size() + dependsOn.size() * sizeof(Id) + kEntryOverhead;
    std::lock_guard lock(m_mutex);
    if (!acceptableLocked(at) || bytes > m_statusBytesMax)
        return;
    auto it = m_entries.find(statusId);
    if (it != m_entries.end()) {
        const LogPosition& old = it->second.at;
        if (old.events > at.events || old.counted > at.counted || old.fed > at.fed)
            return; // a newer rendering is kept already
        m_statusBytes -= it->second.bytes;
        m_entries.erase(it);
    }
    while (m_statusBytes + bytes > m_statusBytesMax && !m_entries.empty())
        dropHalf(m_entries, m_statusBytes);
    m_entries.emplace(statusId, Entry{std::move(rendered), std::move(dependsOn), at, std::chrono::steady_clock::now(),
                                      bytes, std::nullopt});
    m_statusBytes += bytes;
}

std::optional<HomePage> StatusJsonCache::findHomePage(const HomePageKey& key) {
    auto hit = lookUpHomePage(key);
    ++(hit ? m_pageHits : m_pageMisses);
    return hit;
}

Result<std::pair<LogPosition, std::int64_t>> StatusJsonCache::positionAndAuthGeneration(store::Database& db) {
    auto head =
        store::lastSeqCursorsAndAuthGeneration(db, social::CountersConsumer::kName, feed::FanoutConsumer::kName);
    if (!head)
        return head.status();
    return std::pair{LogPosition{(*head)[0], (*head)[1], (*head)[2]}, (*head)[3]};
}

std::optional<HomePage> StatusJsonCache::findHomePageIfCaughtUp(const LogPosition& at, const HomePageKey& key) {
    {
        std::lock_guard lock(m_mutex);
        if (!m_seen || at.events > m_seen->events || at.counted > m_seen->counted || at.fed > m_seen->fed)
            return std::nullopt;
    }
    // The cache may move on meanwhile; what it applies only marks more entries stale.
    auto hit = lookUpHomePage(key);
    if (hit)
        ++m_pageHits;
    return hit;
}

std::optional<HomePage> StatusJsonCache::lookUpHomePage(const HomePageKey& key) {
    std::lock_guard lock(m_mutex);
    auto it = m_pages.find(key);
    if (it == m_pages.end())
        return std::nullopt;
    PageEntry& e = it->second;
    if (!currentLocked(e.dependsOn, e.at, e.made, e.checkedAt))
        return std::nullopt;
    HomePage hit;
    hit.rendered.reserve(e.rendered.size());
    for (const auto& weak : e.rendered) {
        auto rendered = weak.lock();
        if (!rendered)
            return std::nullopt;
        hit.rendered.push_back(std::move(rendered));
    }
    hit.favourited = e.favourited;
    hit.newest = e.newest;
    hit.oldest = e.oldest;
    return hit;
}

void StatusJsonCache::insertHomePage(const HomePageKey& key, const HomePage& page, std::vector<Id> dependsOn,
                                     const LogPosition& at) {
    const std::size_t bytes = dependsOn.size() * sizeof(Id) + page.rendered.size() * 16 + page.favourited.size() / 8 +
                              sizeof(PageEntry) + kEntryOverhead;
    std::lock_guard lock(m_mutex);
    if (!acceptableLocked(at) || bytes > m_pageBytesMax)
        return;
    auto it = m_pages.find(key);
    if (it != m_pages.end()) {
        const LogPosition& old = it->second.at;
        if (old.events > at.events || old.counted > at.counted || old.fed > at.fed)
            return;
        m_pageBytes -= it->second.bytes;
        m_pages.erase(it);
    }
    while (m_pageBytes + bytes > m_pageBytesMax && !m_pages.empty())
        dropHalf(m_pages, m_pageBytes);
    m_pages.emplace(key, PageEntry{{page.rendered.begin(), page.rendered.end()},
                                   page.favourited,
                                   page.newest,
                                   page.oldest,
                                   std::move(dependsOn),
                                   at,
                                   std::chrono::steady_clock::now(),
                                   bytes,
                                   std::nullopt});
    m_pageBytes += bytes;
}

void StatusJsonCache::resetLocked(const LogPosition& at) {
    m_entries.clear();
    m_pages.clear();
    m_touched.clear();
    m_statusBytes = 0;
    m_pageBytes = 0;
    m_seen = at;
    m_floor = at;
}

std::optional<RenderedStatus> StatusJsonCache::split(std::string_view json) {
    // Keys are ours and come before any text a user wrote; a quote inside a string value is
    // escaped, so this byte sequence can only be the key itself.
    const auto at = json.find(kFavourited);
    if (at == std::string_view::npos)
        return std::nullopt;
    const std::size_t value = at + kFavourited.size() - std::string_view("false,").size();
    return RenderedStatus{std::string(json.substr(0, value)), std::string(json.substr(value + 5))};
}

std::size_t StatusJsonCache::size() const {
    std::lock_guard lock(m_mutex);
    return m_entries.size();
}

std::size_t StatusJsonCache::pageCount() const {
    std::lock_guard lock(m_mutex);
    return m_pages.size();
}

void StatusJsonCache::renderMetrics(std::string& out) const {
    std::size_t statuses = 0, statusBytes = 0, pages = 0, pageBytes = 0;
    {
        std::lock_guard lock(m_mutex);
        statuses = m_entries.size();
        statusBytes = m_statusBytes;
        pages = m_pages.size();
        pageBytes = m_pageBytes;
    }
    auto metric = [&out](std::string_view name, std::string_view type, std::string_view help,
                         std::initializer_list<std::pair<std::string_view, std::uint64_t>> values) {
        out.append("# HELP ").append(name).append(" ").append(help).append("\n# TYPE ").append(name).append(" ");
        out.append(type).append("\n");
        for (const auto& [labels, value] : values)
            out.append(name).append(labels).append(" ").append(std::to_string(value)).append("\n");
    };
    metric("pinhole_home_pages_total", "counter", "Home timeline pages answered from memory (hit) or read (miss).",
           {{"{result=\"hit\"}", m_pageHits.load()}, {"{result=\"miss\"}", m_pageMisses.load()}});
    metric("pinhole_cache_entries", "gauge", "Entries in the home timeline's caches.",
           {{"{cache=\"statuses\"}", statuses}, {"{cache=\"home_pages\"}", pages}});
    metric("pinhole_cache_bytes", "gauge", "Bytes the home timeline's caches count against their limits.",
           {{"{cache=\"statuses\"}", statusBytes}, {"{cache=\"home_pages\"}", pageBytes}});
}

} // namespace pinhole::server::api::mastodon
