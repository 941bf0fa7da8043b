// The outbox: every local change becomes an operation (a UUID the server remembers, an HLC
// stamp, a kind and a JSON payload) that waits here until the server has answered it. Nothing
// leaves the outbox silently: an operation ends applied, or parked for the user with a reason.
//
// Threading: an Outbox is a view over the LocalStore's connection; use it from the thread that
// holds the store (the engine's mutex).
#pragma once

#include "core/status.h"
#include "store/database.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pinhole::sync {

// The life of an operation (column outbox.state):
//
//   enqueue()          takeDue()              markApplied()
//  ─────────► Queued ───────────► Sending ─────────────────► Applied
//               ▲  ▲                │ │
//               │  └─ release() ────┘ │ markRetry(): the server failed transiently (5xx, 429,
//               │  (no answer at all: │   timeout): attempts + 1, due again after a backoff;
//               │   not an attempt)   │   at kMaxAttempts it is parked instead
//               │                     │ markParked(): the server refused it for good
//               │  retry()            ▼
//               └──────────────── Parked ──── discard() ──► Discarded
//
// recoverInterrupted() (at start-up) returns Sending to Queued: the process died waiting for
// an answer; sending again is safe because the server applies an operation id at most once.
// Applied and Discarded rows are kept (the history the user can look at); nothing is deleted.
//
// Order: operations leave in `seq` order and none overtakes an earlier one that is waiting
// for its retry time (takeDue stops at it), so the server sees each entity's changes in the
// order they were made. Parked operations are out of the queue and block nothing.
enum class OpState { Queued, Sending, Applied, Parked, Discarded };

const char* toString(OpState state);

struct Operation {
    std::int64_t seq = 0;
    std::string id; // UUID
    std::string kind;
    std::string payload; // JSON object
    std::uint64_t hlc = 0;
    OpState state = OpState::Queued;
    int attempts = 0;
    std::uint64_t nextAttemptAt = 0;
    std::optional<std::string> reason;
};

struct OutboxCounts {
    int queued = 0;
    int sending = 0;
    int applied = 0;
    int parked = 0;
    int discarded = 0;
};

class Outbox {
public:
    // Server answers that fail an operation this many times park it ("never retried forever").
    static constexpr int kMaxAttempts = 8;

    explicit Outbox(store::Database& db) : m_db(db) {}

    // Queues an operation; call inside the transaction that made the local change, so the
    // change and its operation are stored together or not at all. Returns the new op id.
    Result<std::string> enqueue(std::string_view kind, std::string_view payload, std::uint64_t hlc, std::uint64_t now);

    // Up to `limit` queued operations, oldest first, moved to Sending; stops at the first one
    // not due at `now`.
    Result<std::vector<Operation>> takeDue(int limit, std::uint64_t now);

    Status markApplied(const std::string& id, std::string_view result, std::uint64_t now);
    // Back to Queued without counting an attempt (the request never got an answer, or the
    // operation waits for its photos' upload), due again at `retryAt`.
    Status release(const std::string& id, std::uint64_t retryAt, std::uint64_t now);
    // A transient failure: retried at `retryAt`, or parked once kMaxAttempts is reached.
    Status markRetry(const std::string& id, std::string_view reason, std::uint64_t retryAt, std::uint64_t now);
    Status markParked(const std::string& id, std::string_view reason, std::uint64_t now);
    // The user's decisions about a parked operation.
    Status retry(const std::string& id, std::uint64_t now);
    Status discard(const std::string& id, std::uint64_t now);

    Result<int> recoverInterrupted(std::uint64_t now);

    Result<std::optional<Operation>> find(const std::string& id);
    Result<std::vector<Operation>> list(OpState state);
    Result<OutboxCounts> counts();
    // The earliest next_attempt_at among queued operations (to sleep until), if any.
    Result<std::optional<std::uint64_t>> nextDue();

private:
    Status transition(const std::string& id, OpState from, OpState to, std::uint64_t now);
    store::Database& m_db;
};

// Exponential backoff with full jitter: a uniformly random delay in [0, min(cap, base * 2^n)]
// milliseconds, n = attempts so far; at least `floorMs` (a server's Retry-After).
std::uint64_t backoffDelayMs(int attempts, std::uint64_t floorMs = 0);

} // namespace pinhole::sync
