// Time-sortable ids: strictly increasing, carrying their creation time, and parsed strictly.
#include "core/ids.h"

#include <QTest>

#include <chrono>
#include <set>
#include <thread>

using namespace pinhole::server;

class TestIds : public QObject {
    Q_OBJECT
private slots:
    void strictlyIncreasingAcrossThreads() {
        std::vector<std::vector<Id>> perThread(4);
        std::vector<std::thread> threads;
        for (auto& ids : perThread)
            threads.emplace_back([&ids] {
                for (int i = 0; i < 20000; ++i)
                    ids.push_back(newId());
            });
        for (auto& t : threads)
            t.join();
        std::set<Id> all;
        for (const auto& ids : perThread) {
            for (std::size_t i = 1; i < ids.size(); ++i)
                QVERIFY(ids[i] > ids[i - 1]);
            all.insert(ids.begin(), ids.end());
        }
        QCOMPARE(all.size(), std::size_t(80000));
    }
    void carriesItsCreationTime() {
        using namespace std::chrono;
        const auto before = duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
        const Id id = newId();
        QVERIFY(millisOfId(id) >= before);
        QVERIFY(idAtMillis(before) <= id);
    }
    void parsing_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("valid");
        QTest::newRow("plain") << "117692302042333184" << true;
        QTest::newRow("empty") << "" << false;
        QTest::newRow("negative") << "-5" << false;
        QTest::newRow("zero") << "0" << false;
        QTest::newRow("trailing junk") << "12abc" << false;
        QTest::newRow("overflow") << "99999999999999999999" << false;
        QTest::newRow("path traversal") << "../1" << false;
    }
    void parsing() {
        QFETCH(QString, text);
        QFETCH(bool, valid);
        QCOMPARE(idFromString(text.toStdString()).has_value(), valid);
    }
    void roundTrip() {
        const Id id = newId();
        QCOMPARE(idFromString(idToString(id)).value(), id);
    }
};

QTEST_APPLESS_MAIN(TestIds)
#include "tst_ids.moc"
