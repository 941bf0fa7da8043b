// HTTPS with --tls-self-signed: the certificate is created once and kept, its fingerprint is
// printed at start and by `pinholed admin fingerprint`, and a client that pins exactly that
// fingerprint talks to the server while one that pins another is refused.
#include "httpclient.h"
#include "serverprocess.h"

#include <QRegularExpression>
#include <QTest>

using pinhole::test::HttpClient;
using pinhole::test::ServerProcess;

class TestTls : public QObject {
    Q_OBJECT
    ServerProcess m_server{{}, {"--tls-self-signed"}};
    QString m_fingerprint;

private slots:
    // The server exits cleanly (under the sanitizer build, with no leak or error report).
    void cleanupTestCase() { QCOMPARE(m_server.stop(), 0); }

    void initTestCase() {
        QVERIFY(m_server.start());
        QVERIFY(m_server.baseUrl().startsWith("https://"));
        const auto match = QRegularExpression("fingerprint: ([0-9A-F:]{95})").match(m_server.stdoutText());
        QVERIFY2(match.hasMatch(), qPrintable(m_server.stdoutText()));
        m_fingerprint = match.captured(1);
    }

    void adminCommandPrintsTheSameFingerprint() {
        QString out;
        QCOMPARE(m_server.admin({"fingerprint"}, {}, &out), 0);
        QCOMPARE(out.trimmed(), m_fingerprint);
    }

    void clientPinningTheFingerprintConnects() {
        HttpClient http(m_server.baseUrl());
        // HttpClient accepts the self-signed certificate only if its SHA-256 equals the pin.
        http.pinCertificate(m_fingerprint);
        const auto reply = http.get("/api/v1/instance");
        QCOMPARE(reply.status, 200);
        QVERIFY(reply.json()["uri"].toString().startsWith("127.0.0.1:"));
    }

    void clientWithoutThePinIsRefused() {
        HttpClient http(m_server.baseUrl());
        QCOMPARE(http.get("/healthz").status, 0);
        QString other = m_fingerprint;
        other[0] = other[0] == 'A' ? 'B' : 'A';
        http.pinCertificate(other);
        QCOMPARE(http.get("/healthz").status, 0);
    }

    void plainHttpToTheTlsPortGetsNoAnswer() {
        HttpClient http(QString(m_server.baseUrl()).replace("https://", "http://"));
        QCOMPARE(http.get("/healthz").status, 0);
        // ...and the server keeps serving.
        HttpClient https(m_server.baseUrl());
        https.pinCertificate(m_fingerprint);
        QCOMPARE(https.get("/healthz").status, 200);
    }

    void restartKeepsTheCertificate() {
        QCOMPARE(m_server.stop(), 0);
        QVERIFY(m_server.start());
        QVERIFY(m_server.stdoutText().contains(m_fingerprint));
    }
};

QTEST_GUILESS_MAIN(TestTls)
#include "tst_e2e_tls.moc"
