#include "api/mastodon/statuscache.h"

#include "social/counters.h"
#include "store/eventstore.h"

#include <algorithm>

namespace pinhole::server::api::mastodon {

namespace {
// More unseen events than this (an import, a long-stopped server) and the cache starts over
// rather than reading them all on one request.
constexpr std::int64_t kMaxCatchUp = 20000;
constexpr int kBatch = 512;
constexpr std::string_view kFavourited = ",\"favourited\":false,";
} // namespace

Result<LogPosition> StatusJsonCache::catchUp(store::Database& db) {
    auto events = store::lastEventSeq(db);
    if (!events)
        return events.status();
    auto counted = store::consumerCursor(db, social::CountersConsumer::kName);
    if (!counted)
        return counted.status();
    const LogPosition at{*events, *counted};

    std::lock_guard lock(m_mutex);
    if (!m_seen) {
        resetLocked(at);
        return at;
    }
    if (at.events - m_seen->events > kMaxCatchUp || at.counted - m_seen->counted > kMaxCatchUp) {
        resetLocked({std::max(at.events, m_seen->events), std::max(at.counted, m_seen->counted)});
        return at;
    }
    // Events newer than the cache has seen change rows; those the counters consumer has newly
    // applied change counts. (A reader behind the cache has nothing to apply.)
    auto mark = [&](std::int64_t after, std::int64_t upTo, bool counts) -> Status {
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
                     {std::optional<Id>(e.actorId), e.accountId, e.statusId, e.parentId, e.subjectId}) {
                    if (!id)
                        continue;
                    Touched& t = m_touched[*id];
                    (counts ? t.counted : t.event) = e.seq;
                }
                after = e.seq;
            }
        }
        return Status::ok();
    };
    if (at.events > m_seen->events) {
        PINHOLE_TRY(mark(m_seen->events, at.events, false));
        m_seen->events = at.events;
    }
    if (at.counted > m_seen->counted) {
        PINHOLE_TRY(mark(m_seen->counted, at.counted, true));
        m_seen->counted = at.counted;
    }
    if (m_touched.size() > 4 * m_capacity)
        resetLocked(*m_seen);
    return at;
}

bool StatusJsonCache::validLocked(Id id, const LogPosition& at) const {
    auto it = m_touched.find(id);
    return it == m_touched.end() || (it->second.event <= at.events && it->second.counted <= at.counted);
}

std::shared_ptr<const RenderedStatus> StatusJsonCache::find(Id statusId, const std::vector<Id>& dependsOn) {
    std::lock_guard lock(m_mutex);
    auto it = m_entries.find(statusId);
    if (it == m_entries.end())
        return nullptr;
    if (std::chrono::steady_clock::now() - it->second.made > m_maxAge)
        return nullptr;
    const LogPosition& made = it->second.at;
    if (!validLocked(statusId, made))
        return nullptr;
    for (Id id : dependsOn)
        if (!validLocked(id, made))
            return nullptr;
    return it->second.rendered;
}

void StatusJsonCache::insert(Id statusId, std::shared_ptr<const RenderedStatus> rendered, const LogPosition& at) {
    std::lock_guard lock(m_mutex);
    if (!m_seen || at.events < m_floor.events || at.counted < m_floor.counted)
        return; // rendered before the events the cache knows start: it could miss a change
    if (m_entries.size() >= m_capacity) {
        std::size_t drop = m_entries.size() / 2;
        for (auto it = m_entries.begin(); it != m_entries.end() && drop > 0; --drop)
            it = m_entries.erase(it);
    }
    const auto now = std::chrono::steady_clock::now();
    auto [it, added] = m_entries.try_emplace(statusId, Entry{rendered, at, now});
    if (!added && it->second.at.events <= at.events && it->second.at.counted <= at.counted)
        it->second = Entry{std::move(rendered), at, now};
}

void StatusJsonCache::resetLocked(const LogPosition& at) {
    m_entries.clear();
    m_touched.clear();
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

} // namespace pinhole::server::api::mastodon
