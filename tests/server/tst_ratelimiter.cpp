// The token-bucket rate limiter, on a clock the test drives: a budget, a wait when it is spent,
// refill over the window, keys independent, and a bounded table.
#include "auth/ratelimiter.h"

#include <QTest>

using pinhole::server::auth::RateLimiter;
using namespace std::chrono_literals;

class TestRateLimiter : public QObject {
    Q_OBJECT
    RateLimiter::Clock::time_point m_now{};
    RateLimiter make(double capacity, std::chrono::seconds window) {
        return RateLimiter(capacity, window, [this] { return m_now; });
    }
private slots:
    void init() { m_now = RateLimiter::Clock::time_point{} + 1000h; }

    void allowsTheBudgetThenAsksToWait() {
        auto limiter = make(3, 60s);
        for (int i = 0; i < 3; ++i)
            QVERIFY(!limiter.acquire("k").has_value());
        const auto wait = limiter.acquire("k");
        QVERIFY(wait.has_value());
        QCOMPARE(*wait, 20); // one attempt refills every 60 s / 3
    }
    void refillsOverTheWindow() {
        auto limiter = make(2, 60s);
        QVERIFY(!limiter.acquire("k"));
        QVERIFY(!limiter.acquire("k"));
        QVERIFY(limiter.acquire("k"));
        m_now += 30s;
        QVERIFY(!limiter.acquire("k"));
        QVERIFY(limiter.acquire("k"));
    }
    void keysAreIndependent() {
        auto limiter = make(1, 60s);
        QVERIFY(!limiter.acquire("a"));
        QVERIFY(limiter.acquire("a"));
        QVERIFY(!limiter.acquire("b"));
    }
    void exhaustedDoesNotSpend() {
        auto limiter = make(1, 60s);
        QVERIFY(!limiter.exhausted("k"));
        QVERIFY(!limiter.exhausted("k"));
        QVERIFY(!limiter.acquire("k"));
        QVERIFY(limiter.exhausted("k"));
    }
    void tableStaysBounded() {
        auto limiter = make(1, 1s);
        for (std::size_t i = 0; i < RateLimiter::kMaxKeys + 10; ++i)
            limiter.acquire("key" + std::to_string(i));
        // The newest key still has its state: it was just spent.
        QVERIFY(limiter.acquire("key" + std::to_string(RateLimiter::kMaxKeys + 9)).has_value());
    }
};

QTEST_APPLESS_MAIN(TestRateLimiter)
#include "tst_ratelimiter.moc"
