// The hybrid logical clock: stamps follow the wall clock, never repeat or go backwards (also
// when the wall clock does), and order after every stamp observed from another device.
#include "core/hlc.h"

#include <QTest>

using pinhole::sync::HybridLogicalClock;

class TestHlc : public QObject {
    Q_OBJECT
private slots:
    void followsTheWallClock() {
        std::uint64_t wall = 1000;
        HybridLogicalClock clock([&] { return wall; });
        const auto a = clock.now();
        QCOMPARE(HybridLogicalClock::millisOf(a), std::uint64_t(1000));
        QCOMPARE(HybridLogicalClock::counterOf(a), 0u);
        wall = 2000;
        QCOMPARE(HybridLogicalClock::millisOf(clock.now()), std::uint64_t(2000));
    }
    void countsWithinOneMillisecond() {
        HybridLogicalClock clock([] { return std::uint64_t(5); });
        const auto a = clock.now();
        const auto b = clock.now();
        QVERIFY(b > a);
        QCOMPARE(HybridLogicalClock::millisOf(b), std::uint64_t(5));
        QCOMPARE(HybridLogicalClock::counterOf(b), 1u);
    }
    void neverGoesBackwardsWhenTheWallClockDoes() {
        std::uint64_t wall = 10'000;
        HybridLogicalClock clock([&] { return wall; });
        const auto before = clock.now();
        wall = 9'000;
        QVERIFY(clock.now() > before);
    }
    void ordersAfterAnObservedRemoteStamp() {
        HybridLogicalClock mine([] { return std::uint64_t(100); });
        HybridLogicalClock theirs([] { return std::uint64_t(500); }); // a device whose clock runs ahead
        const auto remote = theirs.now();
        mine.observe(remote);
        QVERIFY(mine.now() > remote);
    }
    void restoredClockContinuesAfterItsLastStamp() {
        HybridLogicalClock first([] { return std::uint64_t(100); });
        first.now();
        const auto last = first.now();
        HybridLogicalClock second([] { return std::uint64_t(50); });
        second.restore(last);
        QVERIFY(second.now() > last);
    }
};

QTEST_APPLESS_MAIN(TestHlc)
#include "tst_hlc.moc"
