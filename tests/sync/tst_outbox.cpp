// The outbox state machine (outbox/outbox.h): every legal transition, the illegal ones refused,
// nothing ever deleted, transient failures counted and eventually parked, a crash while sending
// recovered, and the backoff bounded and jittered.
#include "outbox/outbox.h"
#include "store/localstore.h"

#include <QTemporaryDir>

#include <QTest>
#include <set>

using namespace pinhole::sync;

class TestOutbox : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::unique_ptr<store::LocalStore> m_store;
    int m_n = 0;

    std::string enqueue(std::uint64_t hlc = 1) {
        auto id = Outbox(m_store->db()).enqueue("tag.add", "{\"label\":\"x\"}", hlc, 100);
        return id.isOk() ? *id : std::string();
    }
    OpState stateOf(const std::string& id) { return Outbox(m_store->db()).find(id).value()->state; }

private slots:
    void init() {
        auto s = store::LocalStore::open((m_dir.path() + QString("/o%1.db").arg(++m_n)).toStdString());
        QVERIFY(s.isOk());
        m_store = std::move(*s);
    }

    void aNewOperationIsQueuedWithAUuid() {
        const auto id = enqueue();
        QCOMPARE(id.size(), std::size_t(36));
        QCOMPARE(stateOf(id), OpState::Queued);
        QVERIFY(enqueue() != id);
    }

    void takingDueOperationsMovesThemToSendingInOrder() {
        const auto a = enqueue(1), b = enqueue(2), c = enqueue(3);
        Outbox outbox(m_store->db());
        auto batch = outbox.takeDue(2, 100);
        QVERIFY(batch.isOk());
        QCOMPARE(batch->size(), std::size_t(2));
        QCOMPARE((*batch)[0].id, a);
        QCOMPARE((*batch)[1].id, b);
        QCOMPARE(stateOf(a), OpState::Sending);
        QCOMPARE(stateOf(c), OpState::Queued);
        QVERIFY(outbox.takeDue(10, 100)->size() == 1); // only c is left to take
    }

    void anAnsweredOperationIsAppliedAndKept() {
        const auto id = enqueue();
        Outbox outbox(m_store->db());
        QVERIFY(outbox.takeDue(10, 100).isOk());
        QVERIFY(outbox.markApplied(id, "{\"status\":\"applied\"}", 200).isOk());
        QCOMPARE(stateOf(id), OpState::Applied);
        QCOMPARE(outbox.counts()->applied, 1);
        QVERIFY(outbox.takeDue(10, 1000)->empty());
    }

    void aRefusalParksWithItsReasonUntilTheUserDecides() {
        const auto id = enqueue();
        Outbox outbox(m_store->db());
        QVERIFY(outbox.takeDue(10, 100).isOk());
        QVERIFY(outbox.markParked(id, "album not found", 200).isOk());
        auto op = outbox.find(id).value();
        QCOMPARE(op->state, OpState::Parked);
        QCOMPARE(op->reason.value_or(""), std::string("album not found"));
        QVERIFY(outbox.takeDue(10, 1'000'000)->empty()); // a parked op is never sent by itself

        QVERIFY(outbox.retry(id, 300).isOk());
        QCOMPARE(stateOf(id), OpState::Queued);
        QVERIFY(outbox.takeDue(10, 300).isOk());
        QVERIFY(outbox.markParked(id, "still refused", 400).isOk());
        QVERIFY(outbox.discard(id, 500).isOk());
        QCOMPARE(stateOf(id), OpState::Discarded); // discarded, yet still there to look at
    }

    void aTransientFailureWaitsForItsBackoff() {
        const auto id = enqueue();
        Outbox outbox(m_store->db());
        QVERIFY(outbox.takeDue(10, 100).isOk());
        QVERIFY(outbox.markRetry(id, "HTTP 503", 5000, 100).isOk());
        auto op = outbox.find(id).value();
        QCOMPARE(op->state, OpState::Queued);
        QCOMPARE(op->attempts, 1);
        QVERIFY(outbox.takeDue(10, 4999)->empty());
        QCOMPARE(outbox.nextDue().value().value_or(0), std::uint64_t(5000));
        QCOMPARE(outbox.takeDue(10, 5000)->size(), std::size_t(1));
    }

    void aLaterOperationNeverOvertakesOneWaitingForItsRetry() {
        const auto first = enqueue(1), second = enqueue(2);
        Outbox outbox(m_store->db());
        QCOMPARE(outbox.takeDue(1, 100)->size(), std::size_t(1));
        QVERIFY(outbox.markRetry(first, "HTTP 503", 5000, 100).isOk());
        QVERIFY(outbox.takeDue(10, 200)->empty()); // `second` waits behind `first`
        auto batch = outbox.takeDue(10, 5000).value();
        QCOMPARE(batch.size(), std::size_t(2));
        QCOMPARE(batch[0].id, first);
        QCOMPARE(batch[1].id, second);
    }

    void aParkedOperationBlocksNothing() {
        const auto first = enqueue(1), second = enqueue(2);
        Outbox outbox(m_store->db());
        QCOMPARE(outbox.takeDue(1, 100)->size(), std::size_t(1));
        QVERIFY(outbox.markParked(first, "refused", 100).isOk());
        auto batch = outbox.takeDue(10, 100).value();
        QCOMPARE(batch.size(), std::size_t(1));
        QCOMPARE(batch[0].id, second);
    }

    void anOperationIsNotRetriedForever() {
        const auto id = enqueue();
        Outbox outbox(m_store->db());
        for (int i = 0; i < Outbox::kMaxAttempts; ++i) {
            QCOMPARE(outbox.takeDue(10, 1'000'000)->size(), std::size_t(1));
            QVERIFY(outbox.markRetry(id, "HTTP 500", 0, 100).isOk());
        }
        auto op = outbox.find(id).value();
        QCOMPARE(op->state, OpState::Parked);
        QVERIFY(op->reason->find("HTTP 500") != std::string::npos);
        QVERIFY(op->reason->find(std::to_string(Outbox::kMaxAttempts)) != std::string::npos);
    }

    void noAnswerAtAllIsNotAnAttempt() {
        const auto id = enqueue();
        Outbox outbox(m_store->db());
        for (int i = 0; i < Outbox::kMaxAttempts * 2; ++i) {
            QVERIFY(outbox.takeDue(10, 100).isOk());
            QVERIFY(outbox.release(id, 100, 100).isOk());
        }
        auto op = outbox.find(id).value();
        QCOMPARE(op->state, OpState::Queued); // an offline client keeps everything queued
        QCOMPARE(op->attempts, 0);
    }

    void aCrashWhileSendingReturnsOperationsToTheQueue() {
        const auto a = enqueue(), b = enqueue();
        Outbox outbox(m_store->db());
        QVERIFY(outbox.takeDue(10, 100).isOk());
        QCOMPARE(outbox.recoverInterrupted(200).value(), 2);
        QCOMPARE(stateOf(a), OpState::Queued);
        QCOMPARE(stateOf(b), OpState::Queued);
    }

    void illegalTransitionsAreRefused() {
        const auto id = enqueue();
        Outbox outbox(m_store->db());
        QCOMPARE(outbox.markApplied(id, "{}", 1).code(), Code::Conflict); // not sending
        QCOMPARE(outbox.markParked(id, "x", 1).code(), Code::Conflict);
        QCOMPARE(outbox.discard(id, 1).code(), Code::Conflict); // only a parked op is discarded
        QCOMPARE(outbox.retry(id, 1).code(), Code::NotFound);
        QCOMPARE(stateOf(id), OpState::Queued);
    }

    void backoffGrowsIsCappedAndHonoursRetryAfter() {
        for (int attempts = 0; attempts < 30; ++attempts) {
            const auto d = backoffDelayMs(attempts);
            QVERIFY(d <= std::min<std::uint64_t>(5 * 60 * 1000, 500ull << std::min(attempts, 20)));
        }
        QVERIFY(backoffDelayMs(0, 7000) >= 7000); // Retry-After: 7 is a floor
        // Jitter: many draws at the same attempt are not all equal.
        std::set<std::uint64_t> draws;
        for (int i = 0; i < 50; ++i)
            draws.insert(backoffDelayMs(10));
        QVERIFY(draws.size() > 1);
    }
};

QTEST_GUILESS_MAIN(TestOutbox)
#include "tst_outbox.moc"
