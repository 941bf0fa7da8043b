#include "social/eventlog.h"

#include "core/log.h"

namespace pinhole::server::social {

EventLog::EventLog(store::Store& store, std::chrono::milliseconds pollInterval)
    : m_store(store), m_pollInterval(pollInterval) {}

EventLog::~EventLog() {
    stop();
}

void EventLog::addConsumer(std::unique_ptr<Consumer> consumer) {
    m_consumers.push_back(std::move(consumer));
}

void EventLog::start() {
    m_thread = std::thread([this] { loop(); });
}

void EventLog::stop() {
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable())
        m_thread.join();
}

void EventLog::notify() {
    {
        std::lock_guard lock(m_mutex);
        ++m_generation;
    }
    m_wake.notify_all();
}

Result<int> EventLog::applyPending(store::Database& db, Consumer& consumer) {
    auto cursor = store::consumerCursor(db, consumer.name());
    if (!cursor)
        return cursor.status();
    auto events = store::eventsAfter(db, *cursor, kBatch);
    if (!events)
        return events.status();
    for (const auto& event : *events)
        PINHOLE_TRY(consumer.apply(db, event));
    if (!events->empty())
        PINHOLE_TRY(store::setConsumerCursor(db, consumer.name(), events->back().seq));
    return static_cast<int>(events->size());
}

Result<int> EventLog::runBatch(store::Database& db, Consumer& consumer) {
    // A batch lost with its cursor in a power cut is applied again (consumers are idempotent).
    store::Transaction tx(db, store::Durability::Deferred);
    PINHOLE_TRY(tx.status());
    auto applied = applyPending(db, consumer);
    if (!applied)
        return applied.status();
    PINHOLE_TRY(tx.commit());
    return applied;
}

Status EventLog::drainOne(Consumer& consumer) {
    auto db = m_store.connection();
    if (!db)
        return db.status();
    for (;;) {
        auto applied = runBatch(**db, consumer);
        if (!applied)
            return applied.status();
        if (*applied < kBatch)
            return Status::ok();
    }
}

Status EventLog::drain() {
    for (auto& consumer : m_consumers)
        PINHOLE_TRY(drainOne(*consumer));
    return Status::ok();
}

Status EventLog::drain(std::string_view name) {
    for (auto& consumer : m_consumers)
        if (consumer->name() == name)
            return drainOne(*consumer);
    return notFound("no consumer named " + std::string(name));
}

void EventLog::loop() {
    std::uint64_t seen = ~std::uint64_t{0}; // run at once: events may be waiting from before
    for (;;) {
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait_for(lock, m_pollInterval, [&] { return m_stopping || m_generation != seen; });
            if (m_stopping)
                return;
            seen = m_generation;
        }
        for (auto& consumer : m_consumers) {
            // A failing consumer is retried on the next wake-up or poll; the others go on.
            if (Status s = drainOne(*consumer); !s)
                log::error("consumer_failed", {{"consumer", consumer->name()}, {"error", s.message()}});
        }
    }
}

} // namespace pinhole::server::social
