// core/clock.h: parseIsoTime, the strict reader of the times clients send (capture-time
// corrections, date filters), checked against times written out here by hand; and isoTime back.
#include "core/clock.h"

#include <QTest>

using pinhole::server::isoTime;
using pinhole::server::parseIsoTime;

class TestClock : public QObject {
    Q_OBJECT
private slots:
    void parsesIsoTimes_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("millis");
        QTest::newRow("epoch") << "1970-01-01T00:00:00Z" << qint64(0);
        QTest::newRow("bare date is midnight UTC") << "2024-05-01" << qint64(1714521600000);
        QTest::newRow("UTC") << "2024-05-01T14:03:22Z" << qint64(1714572202000);
        QTest::newRow("milliseconds") << "2024-05-01T14:03:22.123Z" << qint64(1714572202123);
        QTest::newRow("one fraction digit") << "2024-05-01T14:03:22.5Z" << qint64(1714572202500);
        QTest::newRow("microseconds cut to ms") << "2024-05-01T14:03:22.123456Z" << qint64(1714572202123);
        QTest::newRow("east of UTC") << "2024-05-01T16:03:22+02:00" << qint64(1714572202000);
        QTest::newRow("west of UTC") << "2024-05-01T09:33:22-04:30" << qint64(1714572202000);
        QTest::newRow("leap day") << "2024-02-29" << qint64(1709164800000);
        QTest::newRow("before 1970") << "1969-12-31T23:59:59Z" << qint64(-1000);
    }
    void parsesIsoTimes() {
        QFETCH(QString, text);
        QFETCH(qint64, millis);
        const auto parsed = parseIsoTime(text.toStdString());
        QVERIFY(parsed.has_value());
        QCOMPARE(qint64(*parsed), millis);
    }

    void refusesEverythingElse_data() {
        QTest::addColumn<QString>("text");
        for (const char* bad :
             {"", "2024", "2024-05", "2024-5-01", "2024-02-30", "2023-02-29", "2024-13-01", "2024-05-01T",
              "2024-05-01T14:03:22", "2024-05-01 14:03:22Z", "2024-05-01T24:00:00Z", "2024-05-01T14:60:00Z",
              "2024-05-01T14:03:22.Z", "2024-05-01T14:03:22+0200", "2024-05-01T14:03:22+02:00 ",
              "2024-05-01T14:03:22ZZ", "0999-01-01", "yesterday", "+2024-05-01"})
            QTest::newRow(bad) << QString(bad);
    }
    void refusesEverythingElse() {
        QFETCH(QString, text);
        QVERIFY(!parseIsoTime(text.toStdString()).has_value());
    }

    // Regression: isoTime truncated negative times toward zero (-1 ms read as 00:00:00.999).
    void isoTimeFloorsTimesBefore1970() {
        QCOMPARE(QString::fromStdString(isoTime(-1)), QString("1969-12-31T23:59:59.999Z"));
        QCOMPARE(QString::fromStdString(isoTime(-86400001)), QString("1969-12-30T23:59:59.999Z"));
    }

    void readsWhatIsoTimeWrites() {
        for (const qint64 t : {qint64(0), qint64(1714572202123), qint64(-86400001), qint64(253402300799999)})
            QCOMPARE(qint64(*parseIsoTime(isoTime(t))), t);
    }
};

QTEST_GUILESS_MAIN(TestClock)
#include "tst_clock.moc"
