// OAuth scopes: top-level scopes grant their granular children, "follow" grants the follow and
// block scopes, admin scopes are never implied, and requested scopes must be within the app's.
#include "auth/scopes.h"

#include <QTest>

using namespace pinhole::server::auth;

class TestScopes : public QObject {
    Q_OBJECT
private slots:
    void allow_data() {
        QTest::addColumn<QString>("granted");
        QTest::addColumn<QString>("required");
        QTest::addColumn<bool>("allowed");
        QTest::newRow("exact") << "read:accounts"
                               << "read:accounts" << true;
        QTest::newRow("parent grants child") << "read write"
                                             << "write:statuses" << true;
        QTest::newRow("read does not grant write") << "read"
                                                   << "write:accounts" << false;
        QTest::newRow("child does not grant sibling") << "read:accounts"
                                                      << "read:statuses" << false;
        QTest::newRow("follow grants follows") << "follow"
                                               << "write:follows" << true;
        QTest::newRow("follow grants blocks") << "follow"
                                              << "write:blocks" << true;
        QTest::newRow("follow is not write") << "follow"
                                             << "write:statuses" << false;
        QTest::newRow("admin needs admin") << "read write"
                                           << "admin:read" << false;
        QTest::newRow("admin exact") << "admin:read"
                                     << "admin:read" << true;
        QTest::newRow("plus separated") << "read+write"
                                        << "write:media" << true;
    }
    void allow() {
        QFETCH(QString, granted);
        QFETCH(QString, required);
        QFETCH(bool, allowed);
        QCOMPARE(scopesAllow(granted.toStdString(), required.toStdString()), allowed);
    }
    void within() {
        QVERIFY(scopesWithin("read write:media", "read write follow"));
        QVERIFY(!scopesWithin("read write", "read"));
    }
    void knownScopes() {
        QVERIFY(isKnownScope("read"));
        QVERIFY(isKnownScope("write:statuses"));
        QVERIFY(!isKnownScope("root"));
    }
};

QTEST_APPLESS_MAIN(TestScopes)
#include "tst_scopes.moc"
