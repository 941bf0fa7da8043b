#include "outbox/outbox.h"

#include "core/digest.h"

#include <algorithm>
#include <random>

namespace pinhole::sync {

const char* toString(OpState state) {
    switch (state) {
    case OpState::Queued: return "queued";
    case OpState::Sending: return "sending";
    case OpState::Applied: return "applied";
    case OpState::Parked: return "parked";
    case OpState::Discarded: return "discarded";
    }
    return "queued";
}

namespace {
OpState stateOf(const std::string& s) {
    for (OpState st : {OpState::Queued, OpState::Sending, OpState::Applied, OpState::Parked, OpState::Discarded})
        if (s == toString(st))
            return st;
    return OpState::Queued;
}

constexpr const char* kColumns = "seq, op_id, kind, payload, hlc, state, attempts, next_attempt_at, reason";

Operation rowOf(const store::Query& q) {
    Operation op;
    op.seq = q.int64(0);
    op.id = q.text(1);
    op.kind = q.text(2);
    op.payload = q.text(3);
    op.hlc = static_cast<std::uint64_t>(q.int64(4));
    op.state = stateOf(q.text(5));
    op.attempts = static_cast<int>(q.int64(6));
    op.nextAttemptAt = static_cast<std::uint64_t>(q.int64(7));
    if (!q.isNull(8))
        op.reason = q.text(8);
    return op;
}

Result<std::vector<Operation>> collect(store::Query& q) {
    std::vector<Operation> out;
    for (;;) {
        auto row = q.step();
        if (!row)
            return row.status();
        if (!*row)
            return out;
        out.push_back(rowOf(q));
    }
}
} // namespace

Result<std::string> Outbox::enqueue(std::string_view kind, std::string_view payload, std::uint64_t hlc,
                                    std::uint64_t now) {
    std::string id = randomUuid();
    PINHOLE_TRY(m_db.prepare("INSERT INTO outbox(op_id, kind, payload, hlc, state, created_at, updated_at) "
                             "VALUES (?, ?, ?, ?, 'queued', ?, ?)")
                    .bind(1, id)
                    .bind(2, kind)
                    .bind(3, payload)
                    .bind(4, static_cast<std::int64_t>(hlc))
                    .bind(5, static_cast<std::int64_t>(now))
                    .bind(6, static_cast<std::int64_t>(now))
                    .run());
    return id;
}

Result<std::vector<Operation>> Outbox::takeDue(int limit, std::uint64_t now) {
    store::Transaction tx(m_db);
    PINHOLE_TRY(tx.status());
    auto q =
        m_db.prepare(std::string("SELECT ") + kColumns + " FROM outbox WHERE state = 'queued' ORDER BY seq LIMIT ?");
    q.bind(1, limit);
    auto ops = collect(q);
    if (!ops)
        return ops.status();
    const auto notDue =
        std::find_if(ops->begin(), ops->end(), [&](const Operation& op) { return op.nextAttemptAt > now; });
    ops->erase(notDue, ops->end());
    for (auto& op : *ops) {
        PINHOLE_TRY(transition(op.id, OpState::Queued, OpState::Sending, now));
        op.state = OpState::Sending;
    }
    PINHOLE_TRY(tx.commit());
    return ops;
}

Status Outbox::transition(const std::string& id, OpState from, OpState to, std::uint64_t now) {
    PINHOLE_TRY(m_db.prepare("UPDATE outbox SET state = ?, updated_at = ? WHERE op_id = ? AND state = ?")
                    .bind(1, toString(to))
                    .bind(2, static_cast<std::int64_t>(now))
                    .bind(3, id)
                    .bind(4, toString(from))
                    .run());
    if (m_db.changes() != 1)
        return Status(Code::Conflict, "operation " + id + " is not " + toString(from));
    return Status::ok();
}

Status Outbox::markApplied(const std::string& id, std::string_view result, std::uint64_t now) {
    PINHOLE_TRY(m_db.prepare("UPDATE outbox SET state = 'applied', result = ?, reason = NULL, updated_at = ? "
                             "WHERE op_id = ? AND state = 'sending'")
                    .bind(1, result)
                    .bind(2, static_cast<std::int64_t>(now))
                    .bind(3, id)
                    .run());
    return m_db.changes() == 1 ? Status::ok() : Status(Code::Conflict, "operation " + id + " is not sending");
}

Status Outbox::release(const std::string& id, std::uint64_t retryAt, std::uint64_t now) {
    PINHOLE_TRY(m_db.prepare("UPDATE outbox SET state = 'queued', next_attempt_at = ?, updated_at = ? "
                             "WHERE op_id = ? AND state = 'sending'")
                    .bind(1, static_cast<std::int64_t>(retryAt))
                    .bind(2, static_cast<std::int64_t>(now))
                    .bind(3, id)
                    .run());
    return m_db.changes() == 1 ? Status::ok() : Status(Code::Conflict, "operation " + id + " is not sending");
}

Status Outbox::markRetry(const std::string& id, std::string_view reason, std::uint64_t retryAt, std::uint64_t now) {
    // One statement decides between Queued and Parked, so the attempt count and the state
    // can't disagree after a crash.
    PINHOLE_TRY(m_db.prepare("UPDATE outbox SET attempts = attempts + 1, updated_at = ?2, next_attempt_at = ?3, "
                             "state = CASE WHEN attempts + 1 >= ?4 THEN 'parked' ELSE 'queued' END, "
                             "reason = CASE WHEN attempts + 1 >= ?4 THEN 'gave up after ' || (attempts + 1) || "
                             "' attempts: ' || ?5 ELSE ?5 END "
                             "WHERE op_id = ?1 AND state = 'sending'")
                    .bind(1, id)
                    .bind(2, static_cast<std::int64_t>(now))
                    .bind(3, static_cast<std::int64_t>(retryAt))
                    .bind(4, kMaxAttempts)
                    .bind(5, reason)
                    .run());
    return m_db.changes() == 1 ? Status::ok() : Status(Code::Conflict, "operation " + id + " is not sending");
}

Status Outbox::markParked(const std::string& id, std::string_view reason, std::uint64_t now) {
    PINHOLE_TRY(m_db.prepare("UPDATE outbox SET state = 'parked', reason = ?, updated_at = ? "
                             "WHERE op_id = ? AND state = 'sending'")
                    .bind(1, reason)
                    .bind(2, static_cast<std::int64_t>(now))
                    .bind(3, id)
                    .run());
    return m_db.changes() == 1 ? Status::ok() : Status(Code::Conflict, "operation " + id + " is not sending");
}

Status Outbox::retry(const std::string& id, std::uint64_t now) {
    PINHOLE_TRY(m_db.prepare("UPDATE outbox SET state = 'queued', attempts = 0, next_attempt_at = 0, updated_at = ? "
                             "WHERE op_id = ? AND state = 'parked'")
                    .bind(1, static_cast<std::int64_t>(now))
                    .bind(2, id)
                    .run());
    return m_db.changes() == 1 ? Status::ok() : Status(Code::NotFound, "no parked operation " + id);
}

Status Outbox::discard(const std::string& id, std::uint64_t now) {
    PINHOLE_TRY(transition(id, OpState::Parked, OpState::Discarded, now));
    return Status::ok();
}

Result<int> Outbox::recoverInterrupted(std::uint64_t now) {
    PINHOLE_TRY(m_db.prepare("UPDATE outbox SET state = 'queued', updated_at = ? WHERE state = 'sending'")
                    .bind(1, static_cast<std::int64_t>(now))
                    .run());
    return m_db.changes();
}

Result<std::optional<Operation>> Outbox::find(const std::string& id) {
    auto q = m_db.prepare(std::string("SELECT ") + kColumns + " FROM outbox WHERE op_id = ?");
    q.bind(1, id);
    auto ops = collect(q);
    if (!ops)
        return ops.status();
    if (ops->empty())
        return std::optional<Operation>();
    return std::optional<Operation>(ops->front());
}

Result<std::vector<Operation>> Outbox::list(OpState state) {
    auto q = m_db.prepare(std::string("SELECT ") + kColumns + " FROM outbox WHERE state = ? ORDER BY seq");
    q.bind(1, toString(state));
    return collect(q);
}

Result<OutboxCounts> Outbox::counts() {
    auto q = m_db.prepare("SELECT state, count(*) FROM outbox GROUP BY state");
    OutboxCounts c;
    for (;;) {
        auto row = q.step();
        if (!row)
            return row.status();
        if (!*row)
            return c;
        const int n = static_cast<int>(q.int64(1));
        switch (stateOf(q.text(0))) {
        case OpState::Queued: c.queued = n; break;
        case OpState::Sending: c.sending = n; break;
        case OpState::Applied: c.applied = n; break;
        case OpState::Parked: c.parked = n; break;
        case OpState::Discarded: c.discarded = n; break;
        }
    }
}

Result<std::optional<std::uint64_t>> Outbox::nextDue() {
    // The head of the queue decides (nothing overtakes it).
    auto q = m_db.prepare("SELECT next_attempt_at FROM outbox WHERE state = 'queued' ORDER BY seq LIMIT 1");
    auto row = q.step();
    if (!row)
        return row.status();
    if (!*row || q.isNull(0))
        return std::optional<std::uint64_t>();
    return std::optional<std::uint64_t>(static_cast<std::uint64_t>(q.int64(0)));
}

std::uint64_t backoffDelayMs(int attempts, std::uint64_t floorMs) {
    constexpr std::uint64_t kBaseMs = 500;
    constexpr std::uint64_t kCapMs = 5 * 60 * 1000;
    const std::uint64_t ceiling = std::min(kCapMs, kBaseMs << std::min(attempts, 20));
    thread_local std::mt19937_64 rng{std::random_device{}()};
    const std::uint64_t jittered = std::uniform_int_distribution<std::uint64_t>(0, ceiling)(rng);
    return std::max(jittered, floorMs);
}

} // namespace pinhole::sync
