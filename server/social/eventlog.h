// The event log's consumers and the thread that runs them (the Instagram design's streaming data
// store): services append events in the transaction of their change (store/eventstore.h) and call
// notify() after commit; each consumer reads the log after its durable cursor and applies a batch
// of events and the new cursor in ONE write transaction, so a crash or a second runner never
// applies an event twice or skips one.
//
// Adding a consumer (a search index, the sync change stream): implement Consumer, give it a
// unique name (its cursor's key) and register it in daemon/daemon.cpp before start():
//     log.addConsumer(std::make_unique<SearchIndexer>(...));
// A new consumer starts at the beginning of the log.
//
// Threading: addConsumer() before start(); start()/stop() from the controlling thread; notify()
// from any thread. Consumers run on the log's thread, one at a time, or on the caller's thread in
// drain() (tests, admin commands); both are safe together because every batch re-reads the cursor
// inside its transaction.
#pragma once

#include "core/status.h"
#include "store/eventstore.h"
#include "store/store.h"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace pinhole::server::social {

class Consumer {
public:
    virtual ~Consumer() = default;
    // The cursor's key; never change it once shipped (the consumer would start over).
    virtual std::string_view name() const = 0;
    // Applies one event. REQUIRES: inside the batch's write transaction on `db`. Must not fail for
    // an event whose subject no longer exists (later events undo what it would have done).
    virtual Status apply(store::Database& db, const store::Event& event) = 0;
};

class EventLog {
public:
    // Events per transaction: large enough to amortise the commit, small enough that a batch
    // never holds the write lock for long.
    static constexpr int kBatch = 256;

    // `pollInterval`: how often the idle thread looks for events appended by another process.
    explicit EventLog(store::Store& store, std::chrono::milliseconds pollInterval = std::chrono::seconds(1));
    ~EventLog();
    EventLog(const EventLog&) = delete;
    EventLog& operator=(const EventLog&) = delete;

    // REQUIRES: before start().
    void addConsumer(std::unique_ptr<Consumer> consumer);
    void start();
    // Lets the current batch finish and joins the thread. Idempotent.
    void stop();
    // Events were committed: wake the thread.
    void notify();

    // Runs every consumer (or the one named) up to the end of the log on the calling thread.
    Status drain();
    Status drain(std::string_view consumer);

    // One batch of `consumer` in one transaction on `db`; how many events it applied.
    static Result<int> runBatch(store::Database& db, Consumer& consumer);
    // As runBatch, inside a transaction the caller holds (admin recount).
    static Result<int> applyPending(store::Database& db, Consumer& consumer);

private:
    void loop();
    Status drainOne(Consumer& consumer);

    store::Store& m_store;
    const std::chrono::milliseconds m_pollInterval;
    std::vector<std::unique_ptr<Consumer>> m_consumers; // fixed after start()

    std::mutex m_mutex; // guards m_generation, m_stopping
    std::condition_variable m_wake;
    std::uint64_t m_generation = 0;
    bool m_stopping = false;
    std::thread m_thread;
};

} // namespace pinhole::server::social
