// The change stream's cursor (server/sync/cursor.h): what formatCursor writes parses back to the
// same value, and nothing else parses (the stream then answers a reset).
#include "sync/cursor.h"

#include <QTest>

using pinhole::server::sync::Cursor;
using pinhole::server::sync::formatCursor;
using pinhole::server::sync::parseCursor;
using pinhole::server::sync::Snapshot;

class TestSyncCursor : public QObject {
    Q_OBJECT
private slots:
    void aFormattedCursorParsesBackToItself_data() {
        QTest::addColumn<qint64>("epoch");
        QTest::addColumn<qint64>("seq");
        QTest::addColumn<int>("phase"); // -1: no snapshot
        QTest::addColumn<qint64>("after");
        QTest::newRow("log start") << qint64(7) << qint64(0) << -1 << qint64(0);
        QTest::newRow("log") << qint64(4294967295) << qint64(123456789) << -1 << qint64(0);
        QTest::newRow("snapshot") << qint64(1) << qint64(40) << 3 << qint64(117692345678901248);
    }
    void aFormattedCursorParsesBackToItself() {
        QFETCH(qint64, epoch);
        QFETCH(qint64, seq);
        QFETCH(int, phase);
        QFETCH(qint64, after);
        Cursor c{epoch, seq, std::nullopt};
        if (phase >= 0)
            c.snapshot = Snapshot{phase, after};
        const auto parsed = parseCursor(formatCursor(c));
        QVERIFY(parsed.has_value());
        QVERIFY(*parsed == c);
    }

    void anythingElseIsRefused_data() {
        QTest::addColumn<QByteArray>("text");
        for (const char* bad : {"",
                                "1",
                                "1.2",
                                "1.2.3.4",
                                "2.1.1",
                                "1.a.1",
                                "1.1.-1",
                                "1.01.1",
                                "1.1.1.x3.4",
                                "1.1.1.s.4",
                                "1.1.1.s3",
                                "1.1.1.s3.4.5",
                                "1.99999999999999999999.1",
                                "1.1. 1",
                                "1.1.1\n",
                                "1..1",
                                "1.-0.4",
                                "1.1.-0",
                                "1.1.1.s-0.1",
                                "1.+1.1"})
            QTest::newRow(bad) << QByteArray(bad);
        QTest::newRow("too long") << QByteArray("1.1.") + QByteArray(200, '1');
    }
    void anythingElseIsRefused() {
        QFETCH(QByteArray, text);
        QVERIFY(!parseCursor(std::string_view(text.constData(), static_cast<std::size_t>(text.size()))).has_value());
    }
};

QTEST_MAIN(TestSyncCursor)
#include "tst_synccursor.moc"
