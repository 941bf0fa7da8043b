// Limits and abuse against the real pinholed (issue 10): slow and idle clients, oversized
// headers and bodies, deep and huge JSON, lookalike usernames, control and bidirectional
// characters and invalid UTF-8 in profiles, path traversal and SQL metacharacters in every
// parameter of every route (`pinholed admin routes`), and token guessing. Each is bounded with a
// clear status and a log line. docs/testing.md says which check fails when each protection is
// removed; docs/SECURITY.md lists the limits.
#include "httpclient.h"
#include "serverprocess.h"

#include <QHostAddress>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>
#include <QUrl>

using pinhole::test::HttpClient;
using pinhole::test::HttpReply;
using pinhole::test::ServerProcess;

namespace {

const QString kPassword = QStringLiteral("correct horse battery");

// A short header deadline so the trickle is quick; the rest at its default.
const QString kConfig = QStringLiteral("[limits]\nheader_timeout_ms = 500\n");

// An answer read off a raw socket: what the server sent, before any client library tidied it.
struct RawReply {
    int status = 0; // 0: the connection closed without an HTTP answer
    QByteArray head;
    QByteArray body;

    QByteArray header(const QByteArray& name) const {
        for (const QByteArray& line : head.split('\n')) {
            const int colon = line.indexOf(':');
            if (colon > 0 && line.left(colon).trimmed().toLower() == name.toLower())
                return line.mid(colon + 1).trimmed();
        }
        return {};
    }
    QString error() const { return QJsonDocument::fromJson(body).object()["error"].toString(); }
};

std::unique_ptr<QTcpSocket> connectTo(const QString& baseUrl, const QHostAddress& from = {}) {
    const QUrl url(baseUrl);
    auto socket = std::make_unique<QTcpSocket>();
    if (!from.isNull() && !socket->bind(from))
        return nullptr;
    socket->connectToHost(url.host(), static_cast<quint16>(url.port()));
    if (!socket->waitForConnected(10000))
        return nullptr;
    return socket;
}

// Sends `request` as it is (no normalisation of the path) and reads until the server closes.
RawReply rawExchange(const QString& baseUrl, const QByteArray& request, const QHostAddress& from = {}) {
    RawReply reply;
    auto socket = connectTo(baseUrl, from);
    if (!socket)
        return reply;
    // An event loop, not waitForReadyRead(): the server's log pipe must keep draining meanwhile, or
    // pinholed blocks writing its log line before it closes the connection.
    QSignalSpy closed(socket.get(), &QTcpSocket::disconnected);
    socket->write(request);
    if (socket->state() == QAbstractSocket::ConnectedState)
        closed.wait(30000);
    const QByteArray got = socket->readAll();
    const int end = got.indexOf("\r\n\r\n");
    if (!got.startsWith("HTTP/1.1 ") || end < 0)
        return reply;
    reply.status = got.mid(9, 3).toInt();
    reply.head = got.left(end);
    reply.body = got.mid(end + 4);
    return reply;
}

RawReply rawRequest(const QString& baseUrl, const QByteArray& method, const QByteArray& target,
                    const QString& token = {}, const QByteArray& body = {},
                    const QByteArray& contentType = "application/x-www-form-urlencoded", const QHostAddress& from = {}) {
    QByteArray request = method + " " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n";
    if (!token.isEmpty())
        request += "Authorization: Bearer " + token.toUtf8() + "\r\n";
    if (!body.isEmpty() || method == "POST" || method == "PUT" || method == "PATCH")
        request += "Content-Type: " + contentType + "\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n";
    return rawExchange(baseUrl, request + "\r\n" + body, from);
}

double metric(const QString& metrics, const QString& name) {
    const QRegularExpression re("^" + QRegularExpression::escape(name) + " (\\S+)$",
                                QRegularExpression::MultilineOption);
    const auto m = re.match(metrics);
    return m.hasMatch() ? m.captured(1).toDouble() : -1;
}

// Every route of the server as "METHOD PATTERN", from `pinholed admin routes`.
QStringList routesOf(const ServerProcess& server) {
    QString out;
    if (server.admin({"routes"}, {}, &out) != 0)
        return {};
    QStringList routes;
    for (const QString& line : out.split('\n')) {
        const QStringList parts = line.split(' ');
        if (parts.size() == 3 && parts[1].startsWith('/'))
            routes << parts[0] + " " + parts[1];
    }
    return routes;
}

// The pattern with every ":param" segment replaced by `value` (already in URL form).
QByteArray fillPattern(const QString& pattern, const QByteArray& value) {
    QByteArray out;
    for (const QString& segment : pattern.split('/', Qt::SkipEmptyParts))
        out += "/" + (segment.startsWith(':') ? value : segment.toUtf8());
    return out;
}

// What a leaked file would show: /etc/passwd, the database, a TLS key.
bool leaksAFile(const QByteArray& body) {
    return body.contains("root:x:0:0") || body.contains("SQLite format 3") || body.contains("PRIVATE KEY");
}

QString appToken(HttpClient& http) {
    const HttpReply app = http.postJson("/api/v1/apps", {{"client_name", "limits"},
                                                         {"redirect_uris", "urn:ietf:wg:oauth:2.0:oob"},
                                                         {"scopes", "read write follow"}});
    return http
        .postJson("/oauth/token", {{"grant_type", "client_credentials"},
                                   {"client_id", app.json()["client_id"]},
                                   {"client_secret", app.json()["client_secret"]},
                                   {"scope", "read write"}})
        .json()["access_token"]
        .toString();
}

} // namespace

class TestLimits : public QObject {
    Q_OBJECT
    ServerProcess m_server{kConfig};
    QString m_token; // alice's
    QString m_aliceId;

private slots:
    void initTestCase() {
        QVERIFY(m_server.start());
        QVERIFY(m_server.createUser("alice", kPassword));
        QVERIFY(m_server.createUser("bob", kPassword));
        HttpClient http(m_server.baseUrl());
        m_token = http.login("alice", kPassword);
        QVERIFY(!m_token.isEmpty());
        http.setToken(m_token);
        m_aliceId = http.get("/api/v1/accounts/verify_credentials").json()["id"].toString();
        QVERIFY(!m_aliceId.isEmpty());
    }

    void cleanupTestCase() {
        // Nothing the suite sent damaged the database or a stored file.
        QString out;
        QCOMPARE(m_server.admin({"check"}, {}, &out), 0);
        QCOMPARE(m_server.stop(), 0);
    }

    void aClientTricklingItsHeaderIsCutOffAndLogged() {
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
        QTRY_VERIFY_WITH_TIMEOUT(m_server.log().contains(QRegularExpression(
                                     "\"event\":\"request_timeout\".*\"phase\":\"header\"")),
                                 20000);
    }

    void manyIdleConnectionsAreBoundedAndAFreshClientIsServed() {
        ServerProcess server("[limits]\nmax_connections = 16\nidle_timeout_ms = 1000\n");
        QVERIFY(server.start());
        // 64 connections that never send a byte: the 16 the server takes time out, the rest are
        // refused at once. None is held for ever.
        std::vector<std::unique_ptr<QTcpSocket>> idle;
        int closed = 0;
        for (int i = 0; i < 64; ++i) {
            idle.push_back(connectTo(server.baseUrl()));
            QVERIFY(idle.back());
            QObject::connect(idle.back().get(), &QTcpSocket::disconnected, [&closed] { ++closed; });
        }
        QTRY_VERIFY_WITH_TIMEOUT(closed == 64, 30000);
        // A fresh client is answered (at once, or as soon as an idle slot times out).
        HttpClient http(server.baseUrl());
        QTRY_VERIFY_WITH_TIMEOUT(http.get("/healthz").status == 200, 20000);
        QVERIFY(metric(QString::fromUtf8(http.get("/metrics").body), "pinhole_http_rejected_connections_total") >= 1);
        QTRY_VERIFY_WITH_TIMEOUT(server.log().contains(QRegularExpression(
                                     "\"event\":\"connection_refused\".*\"reason\":\"max_connections\"")),
                                 20000);
        QTRY_VERIFY_WITH_TIMEOUT(
            server.log().contains(QRegularExpression("\"event\":\"request_timeout\".*\"phase\":\"idle\"")), 20000);
    }

    void oversizedHeaderIs431AndLogged() {
        const RawReply reply = rawExchange(m_server.baseUrl(), "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " +
                                                                   QByteArray(20 * 1024, 'a') + "\r\n\r\n");
        QCOMPARE(reply.status, 431);
        QVERIFY2(reply.error().contains("header too large"), reply.body);
        QTRY_VERIFY_WITH_TIMEOUT(m_server.log().contains("\"status\":431"), 20000);
    }

    void oversizedBodiesAre413NamingTheLimit_data() {
        QTest::addColumn<QByteArray>("request");
        const QByteArray head = "POST /api/v1/apps HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n";
        // Declared: refused from the header, before a byte of the body is read.
        QTest::newRow("declared Content-Length") << head + "Content-Length: 1048576\r\n\r\n" + QByteArray(1000, ' ');
        // Chunked: no length up front; refused when the body passes the limit.
        QByteArray chunked = head + "Transfer-Encoding: chunked\r\n\r\n";
        for (int i = 0; i < 6; ++i)
            chunked += "4000\r\n" + QByteArray(0x4000, ' ') + "\r\n";
        QTest::newRow("chunked") << chunked + "0\r\n\r\n";
        // A huge JSON document (200 KiB of valid JSON).
        QByteArray huge = "{\"client_name\": \"x\", \"pad\": [";
        while (huge.size() < 200 * 1024)
            huge += "\"aaaaaaaaaaaaaaaa\",";
        huge += "1]}";
        QTest::newRow("huge JSON") << head + "Content-Length: " + QByteArray::number(huge.size()) + "\r\n\r\n" + huge;
    }
    void oversizedBodiesAre413NamingTheLimit() {
        QFETCH(QByteArray, request);
        const RawReply reply = rawExchange(m_server.baseUrl(), request);
        QCOMPARE(reply.status, 413);
        QVERIFY2(reply.error().contains("65536 bytes"), reply.body);
        QTRY_VERIFY_WITH_TIMEOUT(m_server.log().contains("\"status\":413"), 20000);
        QCOMPARE(HttpClient(m_server.baseUrl()).get("/healthz").status, 200);
    }

    void deepJsonIs400NamingTheLimit() {
        HttpClient http(m_server.baseUrl());
        const QByteArray deep = "{\"client_name\": " + QByteArray(1000, '[') + QByteArray(1000, ']') + "}";
        const HttpReply reply = http.send("POST", "/api/v1/apps", deep, "application/json");
        QCOMPARE(reply.status, 400);
        QVERIFY2(reply.json()["error"].toString().contains("deeper than 32 levels"), reply.body);
        // Just under the limit parses (and fails later, on its meaning).
        const QByteArray shallow = "{\"client_name\": " + QByteArray(30, '[') + QByteArray(30, ']') + "}";
        const HttpReply ok = http.send("POST", "/api/v1/apps", shallow, "application/json");
        QCOMPARE(ok.status, 400);
        QVERIFY2(!ok.json()["error"].toString().contains("deeper"), ok.body);
    }

    // Two accounts must never look alike: names are ASCII letters, digits and '_', compared
    // without case, so a confusable or a normalisation variant of "alice" is refused.
    void lookalikeUsernamesAreRefused_data() {
        QTest::addColumn<QString>("username");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("Cyrillic a") << QString::fromUtf8("\xd0\xb0lice") << "username";
        QTest::newRow("Ukrainian i") << QString::fromUtf8("al\xd1\x96""ce") << "username";
        QTest::newRow("Greek omicron in bob") << QString::fromUtf8("b\xce\xbf""b") << "username";
        QTest::newRow("full-width letters") << QString::fromUtf8("\xef\xbd\x81\xef\xbd\x8c\xef\xbd\x89\xef\xbd\x83\xef\xbd\x85")
                                            << "username";
        QTest::newRow("zero-width space") << QString::fromUtf8("alice\xe2\x80\x8b") << "username";
        QTest::newRow("combining accent") << QString::fromUtf8("alic\x65\xcc\x81") << "username";
        QTest::newRow("dotless i") << QString::fromUtf8("al\xc4\xb1""ce") << "username";
        QTest::newRow("mathematical bold a") << QString::fromUtf8("\xf0\x9d\x90\x9a""lice") << "username";
        QTest::newRow("upper case") << "ALICE"
                                    << "taken";
        QTest::newRow("mixed case") << "Bob"
                                    << "taken";
    }
    void lookalikeUsernamesAreRefused() {
        QFETCH(QString, username);
        QFETCH(QString, mentions);
        HttpClient http(m_server.baseUrl());
        http.setToken(appToken(http));
        const HttpReply reg = http.postJson("/api/v1/accounts", {{"username", username},
                                                                 {"email", QString::number(qHash(username)) + "@example.net"},
                                                                 {"password", kPassword},
                                                                 {"agreement", true}});
        QCOMPARE(reg.status, 422);
        QVERIFY2(reg.json()["error"].toString().contains(mentions), reg.body);
        // Nor can an administrator create it.
        QVERIFY(m_server.admin({"create-user", username, "--password-stdin"}, kPassword.toUtf8() + "\n") != 0);
        // Looking it up finds no other account than the one it imitates.
        http.setToken({});
        const HttpReply found = http.get("/api/v1/accounts/lookup?acct=" + QUrl::toPercentEncoding(username));
        QVERIFY2(found.status == 404 || found.json()["username"].toString().toLower() == username.toLower(),
                 found.body);
    }

    void badProfileTextIsRefusedAndLosesNothing_data() {
        QTest::addColumn<QByteArray>("form"); // raw application/x-www-form-urlencoded
        QTest::addColumn<QString>("mentions");
        QTest::newRow("right-to-left override") << QByteArray("display_name=%E2%80%AEecila") << "display_name";
        QTest::newRow("left-to-right isolate") << QByteArray("display_name=a%E2%81%A6b") << "display_name";
        QTest::newRow("right-to-left mark") << QByteArray("display_name=a%E2%80%8Fb") << "display_name";
        QTest::newRow("Arabic letter mark") << QByteArray("display_name=a%D8%9Cb") << "display_name";
        QTest::newRow("bell") << QByteArray("display_name=a%07b") << "display_name";
        QTest::newRow("NUL") << QByteArray("display_name=a%00b") << "display_name";
        QTest::newRow("newline in a name") << QByteArray("display_name=a%0Ab") << "display_name";
        QTest::newRow("C1 control (NEL)") << QByteArray("display_name=a%C2%85b") << "display_name";
        QTest::newRow("escape in note") << QByteArray("note=%1B%5B31mred") << "note";
        QTest::newRow("bidi in note") << QByteArray("note=x%E2%80%ADy") << "note";
        QTest::newRow("overlong slash") << QByteArray("display_name=a%C0%AFb") << "UTF-8";
        QTest::newRow("overlong NUL") << QByteArray("note=a%C0%80b") << "UTF-8";
        QTest::newRow("surrogate") << QByteArray("display_name=a%ED%A0%80b") << "UTF-8";
        QTest::newRow("past U+10FFFF") << QByteArray("display_name=a%F4%90%80%80") << "UTF-8";
        QTest::newRow("lone continuation byte") << QByteArray("note=a%80b") << "UTF-8";
        QTest::newRow("truncated sequence") << QByteArray("display_name=a%E2%82") << "UTF-8";
        QTest::newRow("0xFF") << QByteArray("note=%FF") << "UTF-8";
    }
    void badProfileTextIsRefusedAndLosesNothing() {
        QFETCH(QByteArray, form);
        QFETCH(QString, mentions);
        HttpClient http(m_server.baseUrl(), m_token);
        const QJsonObject before = http.get("/api/v1/accounts/verify_credentials").json();
        const HttpReply reply =
            http.send("PATCH", "/api/v1/accounts/update_credentials", form + "&locked=true",
                      "application/x-www-form-urlencoded");
        QCOMPARE(reply.status, 400);
        QVERIFY2(reply.json()["error"].toString().contains(mentions), reply.body);
        // Nothing of the request was applied, not even its valid part.
        const QJsonObject after = http.get("/api/v1/accounts/verify_credentials").json();
        QCOMPARE(after["display_name"], before["display_name"]);
        QCOMPARE(after["note"], before["note"]);
        QCOMPARE(after["locked"], before["locked"]);
    }

    // The other side: what people really write is kept as they wrote it.
    void ordinaryProfileTextIsKept_data() {
        QTest::addColumn<QString>("displayName");
        QTest::addColumn<QString>("note");
        QTest::newRow("Hebrew and an emoji") << QString::fromUtf8("\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d \xf0\x9f\x93\xb7")
                                            << QString("line one\nline two\twith a tab");
        QTest::newRow("family emoji (zero-width joiners)")
            << QString::fromUtf8("\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x91\xa7")
            << QString::fromUtf8("caf\xc3\xa9, \xe5\x86\x99\xe7\x9c\x9f");
    }
    void ordinaryProfileTextIsKept() {
        QFETCH(QString, displayName);
        QFETCH(QString, note);
        HttpClient http(m_server.baseUrl(), m_token);
        const HttpReply reply = http.patchJson("/api/v1/accounts/update_credentials",
                                               {{"display_name", displayName}, {"note", note}});
        QCOMPARE(reply.status, 200);
        const QJsonObject me = http.get("/api/v1/accounts/verify_credentials").json();
        QCOMPARE(me["display_name"].toString(), displayName);
        QCOMPARE(me["source"].toObject()["note"].toString(), note);
    }

    void pathTraversalInEveryPathParameterReachesNoFile() {
        const QStringList routes = routesOf(m_server);
        QVERIFY2(routes.size() > 20, qPrintable(routes.join('\n')));
        const QList<QByteArray> payloads = {
            "..",
            "%2e%2e",
            "%2E%2E%2F%2E%2E%2Fpinhole.db",
            "..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd",
            "..%5c..%5cpinhole.db",
            "....%2f%2f....%2f%2fetc%2fpasswd",
            "%252e%252e%252fpinhole.db",
            "pinhole.db",
            "..%00.jpg",
            "%00",
            "%c0%ae%c0%ae%c0%afetc%c0%afpasswd",
            "~root",
        };
        int walked = 0;
        for (const QString& route : routes) {
            const QString method = route.section(' ', 0, 0);
            const QString pattern = route.section(' ', 1);
            if (!pattern.contains(':'))
                continue;
            ++walked;
            for (const QByteArray& payload : payloads) {
                const QByteArray target = fillPattern(pattern, payload);
                const RawReply reply = rawRequest(m_server.baseUrl(), method.toUtf8(), target, m_token);
                const QString what = method + " " + QString::fromUtf8(target) + " -> " +
                                     QString::number(reply.status) + " " + QString::fromUtf8(reply.body.left(200));
                QVERIFY2(reply.status >= 200 && reply.status < 500, qPrintable(what));
                QVERIFY2(!leaksAFile(reply.body), qPrintable(what));
            }
        }
        QVERIFY(walked >= 15); // every route with a path parameter, including /media and /static
        // Raw dot segments change the path itself: they match no route at all.
        for (const QByteArray& target : {QByteArray("/media/../../../../etc/passwd"),
                                        QByteArray("/static/../../pinhole.db"),
                                        QByteArray("/media/1/../../../pinhole.db")}) {
            const RawReply reply = rawRequest(m_server.baseUrl(), "GET", target, m_token);
            QVERIFY2(reply.status == 404 && !leaksAFile(reply.body), target.constData());
        }
    }

    void sqlMetacharactersInEveryParameterAreHarmless() {
        const QStringList routes = routesOf(m_server);
        QVERIFY(!routes.isEmpty());
        const QList<QByteArray> payloads = {
            "1' OR '1'='1",
            "1; DROP TABLE accounts; --",
            "\" OR 1=1 --",
            "1 UNION SELECT password_hash, email FROM accounts",
            "%'; DELETE FROM statuses WHERE '1'='1",
            "?1",
            "O'Brien",
        };
        const QList<QByteArray> fields = {
            "q", "acct", "id", "username", "email", "password", "display_name", "note", "status", "visibility",
            "spoiler_text", "in_reply_to_id", "media_ids[]", "description", "focus", "client_name",
            "redirect_uris", "redirect_uri", "scopes", "scope", "grant_type", "client_id", "client_secret",
            "code", "token", "type", "resolve", "max_id", "since_id", "min_id", "limit", "sha256[]", "locked",
        };
        for (const QByteArray& payload : payloads) {
            const QByteArray encoded = QUrl::toPercentEncoding(QString::fromUtf8(payload));
            QByteArray form;
            for (const QByteArray& field : fields)
                form += (form.isEmpty() ? "" : "&") + field + "=" + encoded;
            for (const QString& route : routes) {
                const QString method = route.section(' ', 0, 0);
                const QByteArray target = fillPattern(route.section(' ', 1), encoded) + "?" + form;
                const bool hasBody = method == "POST" || method == "PUT" || method == "PATCH";
                const RawReply reply =
                    rawRequest(m_server.baseUrl(), method.toUtf8(), target, m_token, hasBody ? form : QByteArray());
                const QString what = route + " with " + QString::fromUtf8(payload) + " -> " +
                                     QString::number(reply.status) + " " + QString::fromUtf8(reply.body.left(200));
                QVERIFY2(reply.status >= 200 && reply.status < 500, qPrintable(what));
                QVERIFY2(!reply.body.contains("argon2"), qPrintable(what));
            }
        }
        // Everything is still there, and text full of SQL is stored as the text it is.
        HttpClient http(m_server.baseUrl(), m_token);
        for (const QByteArray& payload : payloads)
            QCOMPARE(http.get("/api/v1/accounts/lookup?acct=" + QUrl::toPercentEncoding(QString::fromUtf8(payload)))
                         .status,
                     404);
        QCOMPARE(http.get("/api/v1/accounts/lookup?acct=bob").status, 200);
        QCOMPARE(http.get("/api/v1/accounts/" + m_aliceId).json()["username"].toString(), QString("alice"));
        const QString text = QString::fromUtf8(payloads[1]);
        QCOMPARE(http.patchJson("/api/v1/accounts/update_credentials", {{"display_name", text}}).status, 200);
        QCOMPARE(http.get("/api/v1/accounts/" + m_aliceId).json()["display_name"].toString(), text);
    }

    void tokenGuessingIsBoundedPerAddress() {
        ServerProcess server("[auth]\ntoken_failures_per_address = 5\nlogin_window_seconds = 3600\n");
        QVERIFY(server.start());
        QVERIFY(server.createUser("carol", kPassword));
        HttpClient http(server.baseUrl());
        const QString token = http.login("carol", kPassword);
        QVERIFY(!token.isEmpty());
        const QByteArray me = "/api/v1/accounts/verify_credentials";
        // A valid token spends nothing: more requests than the budget all pass.
        for (int i = 0; i < 10; ++i)
            QCOMPARE(rawRequest(server.baseUrl(), "GET", me, token).status, 200);
        // Five wrong guesses are answered 401...
        for (int i = 0; i < 5; ++i)
            QCOMPARE(rawRequest(server.baseUrl(), "GET", me, "guess" + QString::number(i)).status, 401);
        // ...then the address is refused, whatever token it presents, until the budget refills.
        const RawReply limited = rawRequest(server.baseUrl(), "GET", me, "guess-again");
        QCOMPARE(limited.status, 429);
        QVERIFY(limited.header("retry-after").toInt() > 0);
        QVERIFY2(limited.error().contains("too many invalid access tokens"), limited.body);
        QCOMPARE(rawRequest(server.baseUrl(), "GET", me, token).status, 429);
        QCOMPARE(rawRequest(server.baseUrl(), "GET", me + "?access_token=" + token.toUtf8()).status, 429);
        // Another address is not affected.
        const RawReply other = rawRequest(server.baseUrl(), "GET", me, token, {}, {}, QHostAddress("127.0.0.2"));
        QCOMPARE(other.status, 200);
        // Requests without a token are not a guess.
        QCOMPARE(rawRequest(server.baseUrl(), "GET", "/api/v1/timelines/public").status, 200);
        QTRY_VERIFY_WITH_TIMEOUT(server.log().contains(QRegularExpression(
                                     "\"event\":\"token_rate_limited\".*\"remote\":\"127.0.0.1\"")),
                                 20000);
        QVERIFY(server.log().contains("\"event\":\"token_rejected\""));
    }
};

QTEST_GUILESS_MAIN(TestLimits)
#include "tst_e2e_limits.moc"
