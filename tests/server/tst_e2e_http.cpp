// The HTTP layer of the real pinholed: errors are JSON with the right status, limits hold
// (body, header, a client trickling its header), keep-alive works, /metrics reports, and a
// graceful shutdown completes a request that was in flight.
#include "httpclient.h"
#include "serverprocess.h"

#include <QRegularExpression>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>
#include <QUrl>

#include <csignal>

using pinhole::test::HttpClient;
using pinhole::test::HttpReply;
using pinhole::test::ServerProcess;

namespace {

// A short header deadline so the trickle test is quick; everything else at its default.
const QString kConfig = QStringLiteral("[limits]\nheader_timeout_ms = 500\n");
const QString kTwoConnections = QStringLiteral("[limits]\nmax_connections = 2\n");

std::unique_ptr<QTcpSocket> connectTo(const QString& baseUrl) {
    const QUrl url(baseUrl);
    auto socket = std::make_unique<QTcpSocket>();
    socket->connectToHost(url.host(), static_cast<quint16>(url.port()));
    if (!socket->waitForConnected(10000))
        return nullptr;
    return socket;
}

// Reads until the peer closes or `needle` arrives.
QByteArray readUntil(QTcpSocket& socket, const QByteArray& needle, int timeoutMs = 30000) {
    QByteArray got;
    while (!got.contains(needle) && socket.state() == QAbstractSocket::ConnectedState) {
        if (!socket.waitForReadyRead(timeoutMs))
            break;
        got += socket.readAll();
    }
    got += socket.readAll();
    return got;
}

double metric(const QString& metrics, const QString& name) {
    const QRegularExpression re("^" + QRegularExpression::escape(name) + " (\\S+)$",
                                QRegularExpression::MultilineOption);
    const auto m = re.match(metrics);
    return m.hasMatch() ? m.captured(1).toDouble() : -1;
}

} // namespace

class TestHttp : public QObject {
    Q_OBJECT
    ServerProcess m_server{kConfig};

private slots:
    void initTestCase() { QVERIFY(m_server.start()); }

    void healthAndReadiness() {
        HttpClient http(m_server.baseUrl());
        QCOMPARE(http.get("/healthz").status, 200);
        const HttpReply ready = http.get("/readyz");
        QCOMPARE(ready.status, 200);
        QCOMPARE(ready.json()["status"].toString(), QString("ready"));
    }

    void errorsAreJsonWithTheRightStatus_data() {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QByteArray>("contentType");
        QTest::addColumn<int>("status");
        QTest::newRow("unknown route") << QByteArray("GET") << "/api/v1/nothing-here" << QByteArray() << QByteArray()
                                       << 404;
        QTest::newRow("wrong method") << QByteArray("DELETE") << "/healthz" << QByteArray() << QByteArray() << 405;
        QTest::newRow("malformed JSON") << QByteArray("POST") << "/api/v1/apps" << QByteArray("{\"client_name\": ")
                                        << QByteArray("application/json") << 400;
        QTest::newRow("JSON not an object")
            << QByteArray("POST") << "/api/v1/apps" << QByteArray("[1,2]") << QByteArray("application/json") << 400;
        QTest::newRow("deeply nested JSON")
            << QByteArray("POST") << "/api/v1/apps" << QByteArray(5000, '[') << QByteArray("application/json") << 400;
        QTest::newRow("unsupported body type")
            << QByteArray("POST") << "/api/v1/apps" << QByteArray("x") << QByteArray("text/plain") << 415;
        QTest::newRow("oversized body") << QByteArray("POST") << "/api/v1/apps" << QByteArray(200 * 1024, 'a')
                                        << QByteArray("application/x-www-form-urlencoded") << 413;
        QTest::newRow("missing field") << QByteArray("POST") << "/api/v1/apps" << QByteArray("{}")
                                       << QByteArray("application/json") << 400;
    }
    void errorsAreJsonWithTheRightStatus() {
        QFETCH(QByteArray, method);
        QFETCH(QString, path);
        QFETCH(QByteArray, body);
        QFETCH(QByteArray, contentType);
        QFETCH(int, status);
        HttpClient http(m_server.baseUrl());
        const HttpReply reply = http.send(method, path, body, contentType);
        QCOMPARE(reply.status, status);
        QVERIFY(reply.header("content-type").startsWith("application/json"));
        QVERIFY2(!reply.json()["error"].toString().isEmpty(), reply.body);
        // The server is still serving.
        QCOMPARE(http.get("/healthz").status, 200);
    }

    void oversizedHeaderIs431() {
        auto socket = connectTo(m_server.baseUrl());
        QVERIFY(socket);
        socket->write("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + QByteArray(20 * 1024, 'a') + "\r\n\r\n");
        const QByteArray answer = readUntil(*socket, "}");
        QVERIFY2(answer.startsWith("HTTP/1.1 431"), answer.left(100));
    }

    void garbageRequestIs400() {
        auto socket = connectTo(m_server.baseUrl());
        QVERIFY(socket);
        socket->write("THIS IS NOT HTTP\r\n\r\n");
        const QByteArray answer = readUntil(*socket, "}");
        QVERIFY2(answer.startsWith("HTTP/1.1 400"), answer.left(100));
    }

    void keepAliveServesSeveralRequestsOnOneConnection() {
        auto socket = connectTo(m_server.baseUrl());
        QVERIFY(socket);
        socket->write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /readyz HTTP/1.1\r\nHost: x\r\n\r\n");
        const QByteArray answer = readUntil(*socket, "ready");
        QCOMPARE(answer.count("HTTP/1.1 200"), 2);
    }

    void aClientTricklingItsHeaderIsCutOff() {
        auto socket = connectTo(m_server.baseUrl());
        QVERIFY(socket);
        QSignalSpy closed(socket.get(), &QTcpSocket::disconnected);
        socket->write("GET /healthz HTTP/1.1\r\n");
        // One header byte every 50 ms: 400 bytes would take 20 s; the deadline is 0.5 s.
        int sent = 0;
        QTimer trickle;
        QObject::connect(&trickle, &QTimer::timeout, [&] {
            if (socket->state() == QAbstractSocket::ConnectedState && sent < 400) {
                socket->write("X-Slow: 1\r\n", sent % 11 == 10 ? 11 : 1);
                ++sent;
            }
        });
        trickle.start(50);
        QTRY_VERIFY_WITH_TIMEOUT(closed.count() > 0, 20000);
        QVERIFY2(sent < 400, "the server waited for the whole trickle");
        QVERIFY(!socket->readAll().contains("200 OK"));
    }

    void connectionsBeyondTheLimitAreClosed() {
        ServerProcess server(kTwoConnections);
        QVERIFY(server.start());
        // Two keep-alive connections, each proven open by an answered request.
        std::vector<std::unique_ptr<QTcpSocket>> open;
        for (int i = 0; i < 2; ++i) {
            open.push_back(connectTo(server.baseUrl()));
            QVERIFY(open.back());
            open.back()->write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
            QVERIFY(readUntil(*open.back(), "}").startsWith("HTTP/1.1 200"));
        }
        auto third = connectTo(server.baseUrl());
        QVERIFY(third);
        QSignalSpy closed(third.get(), &QTcpSocket::disconnected);
        third->write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
        QTRY_VERIFY_WITH_TIMEOUT(closed.count() > 0, 20000);
        QVERIFY(!third->readAll().contains("200"));
        // Once one closes, the server takes new connections again and counts the refusal.
        open.front()->disconnectFromHost();
        open.erase(open.begin());
        HttpClient http(server.baseUrl());
        QTRY_VERIFY_WITH_TIMEOUT(http.get("/healthz").status == 200, 20000);
        QVERIFY(metric(QString::fromUtf8(http.get("/metrics").body), "pinhole_http_rejected_connections_total") >= 1);
    }

    void metricsReportRequestsLatencyAndDatabase() {
        HttpClient http(m_server.baseUrl());
        QCOMPARE(http.get("/healthz").status, 200);
        QCOMPARE(http.get("/no/such/route").status, 404);
        const HttpReply reply = http.get("/metrics");
        QCOMPARE(reply.status, 200);
        QVERIFY(reply.header("content-type").startsWith("text/plain"));
        const QString text = QString::fromUtf8(reply.body);
        QVERIFY(text.contains(
            QRegularExpression(R"(pinhole_http_requests_total\{method="GET",route="/healthz",status="200"\} [1-9])")));
        QVERIFY(text.contains(
            QRegularExpression(R"(pinhole_http_requests_total\{method="GET",route="-",status="404"\} [1-9])")));
        QVERIFY(metric(text, "pinhole_http_request_duration_seconds_count") >= 1);
        QVERIFY(text.contains("pinhole_http_request_duration_seconds_bucket{le=\"+Inf\"}"));
        QVERIFY(text.contains("pinhole_build_info{version="));
        QVERIFY(metric(text, "pinhole_database_bytes") > 0);
    }

    // Last: it stops the server.
    void shutdownCompletesAnInFlightRequest() {
        HttpClient http(m_server.baseUrl());
        const QByteArray body = "client_name=late&redirect_uris=urn%3Aietf%3Awg%3Aoauth%3A2.0%3Aoob&scopes=read";
        auto socket = connectTo(m_server.baseUrl());
        QVERIFY(socket);
        socket->write("POST /api/v1/apps HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                      "Content-Length: " +
                      QByteArray::number(body.size()) + "\r\n\r\n" + body.left(10));
        socket->flush();
        // Wait until the server counts our half-sent request as in flight (the /metrics request
        // that asks counts itself too).
        QTRY_VERIFY_WITH_TIMEOUT(
            metric(QString::fromUtf8(http.get("/metrics").body), "pinhole_http_requests_in_flight") >= 2, 20000);
        ::kill(static_cast<pid_t>(m_server.pid()), SIGTERM);
        // New connections are no longer accepted once the server is stopping...
        QTRY_VERIFY_WITH_TIMEOUT(http.get("/healthz").status == 0, 20000);
        // ...but the request already in flight is completed and answered.
        socket->write(body.mid(10));
        const QByteArray answer = readUntil(*socket, "vapid_key");
        QVERIFY2(answer.startsWith("HTTP/1.1 200"), answer.left(200));
        QVERIFY(answer.contains("client_secret"));
        QVERIFY(answer.toLower().contains("connection: close"));
        QCOMPARE(m_server.stop(), 0);
        QVERIFY(m_server.log().contains("server_stopped"));
    }
};

QTEST_GUILESS_MAIN(TestHttp)
#include "tst_e2e_http.moc"
