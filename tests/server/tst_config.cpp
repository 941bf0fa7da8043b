// Configuration: TOML values override defaults, unknown keys and bad values are errors that
// name the key, and listen addresses parse.
#include "core/config.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace pinhole::server;

class TestConfig : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    Status load(const QByteArray& toml, Config& config) {
        const QString path = m_dir.path() + "/c.toml";
        QFile f(path);
        f.open(QIODevice::WriteOnly | QIODevice::Truncate);
        f.write(toml);
        f.close();
        return loadConfigFile(path.toStdString(), config);
    }
private slots:
    void defaultsAreTheBriefs() {
        Config c;
        QCOMPARE(c.listenHost, std::string("127.0.0.1"));
        QCOMPARE(c.listenPort, (unsigned short)8470);
        QCOMPARE(c.tokenFailuresPerAddress, 30);
    }
    void fileOverridesDefaults() {
        Config c;
        QVERIFY(load("[server]\nlisten = \"0.0.0.0:9000\"\ndata_dir = \"/srv/p\"\n[limits]\nheader_timeout_ms = 250\n"
                     "[registration]\nmode = \"approval\"\n[auth]\ntoken_failures_per_address = 7\n[jobs]\nnice = 3\n"
                     "[cache]\ntokens = 0\nstatuses_mib = 8\nhome_pages_mib = 4\n",
                     c)
                    .isOk());
        QCOMPARE(c.listenHost, std::string("0.0.0.0"));
        QCOMPARE(c.listenPort, (unsigned short)9000);
        QCOMPARE(c.dataDir, std::string("/srv/p"));
        QCOMPARE(c.limits.headerTimeout.count(), 250);
        QVERIFY(c.registration == RegistrationMode::Approval);
        QCOMPARE(c.tokenFailuresPerAddress, 7);
        QCOMPARE(c.jobNice, 3);
        QCOMPARE(c.tokenCacheEntries, std::size_t{0});
        QCOMPARE(c.statusCacheMiB, std::size_t{8});
        QCOMPARE(c.homePageCacheMiB, std::size_t{4});
    }
    void errorsNameTheKey_data() {
        QTest::addColumn<QByteArray>("toml");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("unknown key") << QByteArray("[server]\nlisten_port = 1\n") << "server.listen_port";
        QTest::newRow("unknown section") << QByteArray("[servre]\n") << "servre";
        QTest::newRow("wrong type") << QByteArray("[tls]\nself_signed = \"yes\"\n") << "tls.self_signed";
        QTest::newRow("negative") << QByteArray("[limits]\nmax_connections = -1\n") << "limits.max_connections";
        QTest::newRow("zero token budget") << QByteArray("[auth]\ntoken_failures_per_address = 0\n") << "auth limits";
        QTest::newRow("bad mode") << QByteArray("[registration]\nmode = \"maybe\"\n") << "registration.mode";
        QTest::newRow("bad listen") << QByteArray("[server]\nlisten = \"nowhere\"\n") << "listen";
        QTest::newRow("nice out of range") << QByteArray("[jobs]\nnice = 20\n") << "jobs.nice";
        QTest::newRow("cache too large") << QByteArray("[cache]\nstatuses_mib = 70000\n") << "cache.";
        QTest::newRow("unknown cache key") << QByteArray("[cache]\npages = 1\n") << "cache.pages";
        QTest::newRow("syntax") << QByteArray("[server\n") << "cannot read config";
    }
    void errorsNameTheKey() {
        QFETCH(QByteArray, toml);
        QFETCH(QString, mentions);
        Config c;
        const Status s = load(toml, c);
        QVERIFY(!s.isOk());
        QVERIFY2(QString::fromStdString(s.message()).contains(mentions), s.message().c_str());
    }
    void listenForms() {
        Config c;
        QVERIFY(parseListen("[::1]:8080", c).isOk());
        QCOMPARE(c.listenHost, std::string("::1"));
        QVERIFY(parseListen(":0", c).isOk());
        QCOMPARE(c.listenPort, (unsigned short)0);
        QVERIFY(!parseListen("host:99999", c).isOk());
    }
};

QTEST_APPLESS_MAIN(TestConfig)
#include "tst_config.moc"
