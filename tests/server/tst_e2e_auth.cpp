// Accounts and OAuth against the real pinholed: registration, the three grants, revocation,
// credentials, scopes, the login rate limit, and that secrets never reach the log or the
// database in plain text.
#include "httpclient.h"
#include "serverprocess.h"

#include <QFile>
#include <QRegularExpression>
#include <QTest>
#include <QUrlQuery>

using pinhole::test::HttpClient;
using pinhole::test::HttpReply;
using pinhole::test::ServerProcess;

namespace {
const QString kPassword = QStringLiteral("correct horse battery staple");

QJsonObject registerApp(HttpClient& http, const QString& redirect = "urn:ietf:wg:oauth:2.0:oob",
                        const QString& scopes = "read write follow") {
    return http.postJson("/api/v1/apps", {{"client_name", "tests"}, {"redirect_uris", redirect}, {"scopes", scopes}})
        .json();
}

HttpReply passwordGrant(HttpClient& http, const QJsonObject& app, const QString& user, const QString& password,
                        const QString& scope = "read write follow") {
    return http.postJson("/oauth/token", {{"grant_type", "password"},
                                          {"client_id", app["client_id"].toString()},
                                          {"client_secret", app["client_secret"].toString()},
                                          {"username", user},
                                          {"password", password},
                                          {"scope", scope}});
}
} // namespace

class TestAuth : public QObject {
    Q_OBJECT
    ServerProcess m_server{
        QStringLiteral("[auth]\nlogin_failures_per_account = 3\nlogin_attempts_per_address = 1000\n")};

private slots:
    // The server exits cleanly (under the sanitizer build, with no leak or error report).
    void cleanupTestCase() { QCOMPARE(m_server.stop(), 0); }

    void initTestCase() {
        QVERIFY(m_server.start());
        QVERIFY(m_server.createUser("alice", kPassword));
    }

    void registrationWithAnAppTokenReturnsAUsableToken() {
        HttpClient http(m_server.baseUrl());
        const QJsonObject app = registerApp(http);
        const HttpReply appToken = http.postJson("/oauth/token", {{"grant_type", "client_credentials"},
                                                                  {"client_id", app["client_id"]},
                                                                  {"client_secret", app["client_secret"]},
                                                                  {"scope", "read write"}});
        QCOMPARE(appToken.status, 200);
        http.setToken(appToken.json()["access_token"].toString());
        const HttpReply reg = http.postJson("/api/v1/accounts", {{"username", "bob"},
                                                                 {"email", "bob@example.org"},
                                                                 {"password", kPassword},
                                                                 {"agreement", true},
                                                                 {"locale", "en"}});
        QCOMPARE(reg.status, 200);
        http.setToken(reg.json()["access_token"].toString());
        const HttpReply me = http.get("/api/v1/accounts/verify_credentials");
        QCOMPARE(me.status, 200);
        QCOMPARE(me.json()["username"].toString(), QString("bob"));
        QVERIFY(me.json().contains("source"));
    }

    void registrationRefusesBadInput_data() {
        QTest::addColumn<QString>("username");
        QTest::addColumn<QString>("password");
        QTest::addColumn<bool>("agreement");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("taken") << "alice" << kPassword << true << "taken";
        QTest::newRow("taken, other case") << "ALICE" << kPassword << true << "taken";
        QTest::newRow("unicode lookalike") << QString::fromUtf8("\xd0\xb0lice") << kPassword << true << "username";
        QTest::newRow("space") << "a b" << kPassword << true << "username";
        QTest::newRow("short password") << "carol"
                                        << "short" << true << "password";
        QTest::newRow("no agreement") << "carol" << kPassword << false << "agreement";
    }
    void registrationRefusesBadInput() {
        QFETCH(QString, username);
        QFETCH(QString, password);
        QFETCH(bool, agreement);
        QFETCH(QString, mentions);
        HttpClient http(m_server.baseUrl());
        const QJsonObject app = registerApp(http);
        http.setToken(http.postJson("/oauth/token", {{"grant_type", "client_credentials"},
                                                     {"client_id", app["client_id"]},
                                                     {"client_secret", app["client_secret"]}})
                          .json()["access_token"]
                          .toString());
        const HttpReply reg = http.postJson("/api/v1/accounts", {{"username", username},
                                                                 {"email", username + "@example.net"},
                                                                 {"password", password},
                                                                 {"agreement", agreement}});
        QCOMPARE(reg.status, 422);
        QVERIFY2(reg.json()["error"].toString().contains(mentions), reg.body);
    }

    void registrationNeedsAnAppToken() {
        HttpClient http(m_server.baseUrl());
        const HttpReply reg = http.postJson(
            "/api/v1/accounts",
            {{"username", "dave"}, {"email", "dave@example.org"}, {"password", kPassword}, {"agreement", true}});
        QCOMPARE(reg.status, 401);
    }

    void approvalModeHoldsNewAccountsUntilApproved() {
        ServerProcess server(QStringLiteral("[registration]\nmode = \"approval\"\n"));
        QVERIFY(server.start());
        HttpClient http(server.baseUrl());
        QVERIFY(http.get("/api/v1/instance").json()["approval_required"].toBool());
        const QJsonObject app = registerApp(http);
        http.setToken(http.postJson("/oauth/token", {{"grant_type", "client_credentials"},
                                                     {"client_id", app["client_id"]},
                                                     {"client_secret", app["client_secret"]}})
                          .json()["access_token"]
                          .toString());
        const HttpReply reg = http.postJson(
            "/api/v1/accounts",
            {{"username", "henry"}, {"email", "henry@example.org"}, {"password", kPassword}, {"agreement", true}});
        QCOMPARE(reg.status, 200);
        http.setToken(reg.json()["access_token"].toString());
        QCOMPARE(http.get("/api/v1/accounts/verify_credentials").status, 403);
        QCOMPARE(passwordGrant(http, app, "henry", kPassword).status, 403);
        QCOMPARE(server.admin({"approve", "henry"}), 0);
        QCOMPARE(http.get("/api/v1/accounts/verify_credentials").status, 200);
    }

    void closedModeRefusesRegistration() {
        ServerProcess server(QStringLiteral("[registration]\nmode = \"closed\"\n"));
        QVERIFY(server.start());
        HttpClient http(server.baseUrl());
        QCOMPARE(http.get("/api/v1/instance").json()["registrations"].toBool(), false);
        const QJsonObject app = registerApp(http);
        http.setToken(http.postJson("/oauth/token", {{"grant_type", "client_credentials"},
                                                     {"client_id", app["client_id"]},
                                                     {"client_secret", app["client_secret"]}})
                          .json()["access_token"]
                          .toString());
        const HttpReply reg = http.postJson(
            "/api/v1/accounts",
            {{"username", "ivan"}, {"email", "ivan@example.org"}, {"password", kPassword}, {"agreement", true}});
        QCOMPARE(reg.status, 403);
        QVERIFY(reg.json()["error"].toString().contains("closed"));
    }

    void passwordGrantAcceptsUsernameOrEmail_data() {
        QTest::addColumn<QString>("login");
        QTest::newRow("username") << "alice";
        QTest::newRow("username, other case") << "Alice";
        QTest::newRow("e-mail") << "alice@example.org";
    }
    void passwordGrantAcceptsUsernameOrEmail() {
        QFETCH(QString, login);
        HttpClient http(m_server.baseUrl());
        const HttpReply token = passwordGrant(http, registerApp(http), login, kPassword);
        QCOMPARE(token.status, 200);
        QCOMPARE(token.json()["token_type"].toString(), QString("Bearer"));
        QVERIFY(token.json()["created_at"].isDouble());
        http.setToken(token.json()["access_token"].toString());
        QCOMPARE(http.get("/api/v1/accounts/verify_credentials").json()["username"].toString(), QString("alice"));
    }

    void wrongPasswordAndUnknownUserAnswerAlike() {
        HttpClient http(m_server.baseUrl());
        const QJsonObject app = registerApp(http);
        const HttpReply wrongPassword = passwordGrant(http, app, "alice", "not the password");
        const HttpReply unknownUser = passwordGrant(http, app, "nobody_here", "not the password");
        QCOMPARE(wrongPassword.status, 400);
        QCOMPARE(unknownUser.status, wrongPassword.status);
        QCOMPARE(unknownUser.body, wrongPassword.body);
    }

    void wrongClientSecretIsRefused() {
        HttpClient http(m_server.baseUrl());
        QJsonObject app = registerApp(http);
        app["client_secret"] = "forged";
        QCOMPARE(passwordGrant(http, app, "alice", kPassword).status, 401);
    }

    void tokenScopesMustBeWithinTheApps() {
        HttpClient http(m_server.baseUrl());
        const QJsonObject app = registerApp(http, "urn:ietf:wg:oauth:2.0:oob", "read");
        QCOMPARE(passwordGrant(http, app, "alice", kPassword, "read write").status, 400);
    }

    void clientCredentialsTokenCannotActAsAUser() {
        HttpClient http(m_server.baseUrl());
        const QJsonObject app = registerApp(http);
        const HttpReply token = http.postJson("/oauth/token", {{"grant_type", "client_credentials"},
                                                               {"client_id", app["client_id"]},
                                                               {"client_secret", app["client_secret"]}});
        QCOMPARE(token.status, 200);
        http.setToken(token.json()["access_token"].toString());
        QCOMPARE(http.get("/api/v1/apps/verify_credentials").status, 200);
        QCOMPARE(http.get("/api/v1/accounts/verify_credentials").status, 403);
    }

    void authorizationCodeGrantThroughTheLoginPage() {
        HttpClient http(m_server.baseUrl());
        const QString redirect = "https://client.example/callback";
        const QJsonObject app = registerApp(http, redirect);
        QUrlQuery query{{"response_type", "code"},
                        {"client_id", app["client_id"].toString()},
                        {"redirect_uri", redirect},
                        {"scope", "read"}};
        const HttpReply page = http.get("/oauth/authorize?" + query.toString(QUrl::FullyEncoded));
        QCOMPARE(page.status, 200);
        QVERIFY(page.header("content-type").startsWith("text/html"));
        QVERIFY(page.body.contains("name=\"password\""));

        QUrlQuery form = query;
        form.addQueryItem("state", "xyz");
        form.addQueryItem("username", "alice");
        form.addQueryItem("password", kPassword);
        const HttpReply submitted = http.postForm("/oauth/authorize", form);
        QCOMPARE(submitted.status, 302);
        const QUrl location(QString::fromUtf8(submitted.header("location")));
        QCOMPARE(location.host(), QString("client.example"));
        const QUrlQuery params(location);
        QCOMPARE(params.queryItemValue("state"), QString("xyz"));
        const QString code = params.queryItemValue("code");
        QVERIFY(!code.isEmpty());

        const QJsonObject exchange{{"grant_type", "authorization_code"},
                                   {"client_id", app["client_id"]},
                                   {"client_secret", app["client_secret"]},
                                   {"code", code},
                                   {"redirect_uri", redirect}};
        const HttpReply token = http.postJson("/oauth/token", exchange);
        QCOMPARE(token.status, 200);
        QCOMPARE(token.json()["scope"].toString(), QString("read"));
        // A code is single-use.
        QCOMPARE(http.postJson("/oauth/token", exchange).status, 400);
    }

    void authorizePageRefusesAnUnregisteredRedirect() {
        HttpClient http(m_server.baseUrl());
        const QJsonObject app = registerApp(http, "https://client.example/callback");
        QUrlQuery query{{"response_type", "code"},
                        {"client_id", app["client_id"].toString()},
                        {"redirect_uri", "https://evil.example/steal"}};
        QCOMPARE(http.get("/oauth/authorize?" + query.toString(QUrl::FullyEncoded)).status, 400);
    }

    void revokedTokenStopsWorking() {
        HttpClient http(m_server.baseUrl());
        const QString token = http.login("alice", kPassword);
        http.setToken(token);
        QCOMPARE(http.get("/api/v1/accounts/verify_credentials").status, 200);
        const QJsonObject app = http.app();
        http.setToken({});
        QCOMPARE(
            http.postJson("/oauth/revoke",
                          {{"client_id", app["client_id"]}, {"client_secret", app["client_secret"]}, {"token", token}})
                .status,
            200);
        http.setToken(token);
        QCOMPARE(http.get("/api/v1/accounts/verify_credentials").status, 401);
    }

    void verifyCredentialsNeedsAValidToken() {
        HttpClient http(m_server.baseUrl());
        const HttpReply none = http.get("/api/v1/accounts/verify_credentials");
        QCOMPARE(none.status, 401);
        QVERIFY(!none.json()["error"].toString().isEmpty());
        http.setToken("not-a-token");
        QCOMPARE(http.get("/api/v1/accounts/verify_credentials").status, 401);
    }

    void updateCredentialsChangesTheProfile() {
        HttpClient http(m_server.baseUrl());
        http.setToken(http.login("alice", kPassword));
        const HttpReply updated = http.patchJson("/api/v1/accounts/update_credentials",
                                                 {{"display_name", QString::fromUtf8("Alice \xf0\x9f\x93\xb7")},
                                                  {"note", "Photos of birds"},
                                                  {"locked", true}});
        QCOMPARE(updated.status, 200);
        const QString id = updated.json()["id"].toString();
        http.setToken({});
        const QJsonObject pub = http.get("/api/v1/accounts/" + id).json();
        QCOMPARE(pub["display_name"].toString(), QString::fromUtf8("Alice \xf0\x9f\x93\xb7"));
        QCOMPARE(pub["note"].toString(), QString("Photos of birds"));
        QCOMPARE(pub["locked"].toBool(), true);
        QCOMPARE(http.get("/api/v1/accounts/lookup?acct=alice").json()["id"].toString(), id);
    }

    void updateCredentialsValidates() {
        HttpClient http(m_server.baseUrl());
        http.setToken(http.login("alice", kPassword));
        const HttpReply tooLong =
            http.patchJson("/api/v1/accounts/update_credentials", {{"display_name", QString(31, QChar('x'))}});
        QCOMPARE(tooLong.status, 400);
        QVERIFY(tooLong.json()["error"].toString().contains("display_name"));
    }

    void readOnlyTokenCannotWrite() {
        HttpClient http(m_server.baseUrl());
        http.setToken(http.login("alice", kPassword, "read"));
        QCOMPARE(http.get("/api/v1/accounts/verify_credentials").status, 200);
        QCOMPARE(http.patchJson("/api/v1/accounts/update_credentials", {{"note", "x"}}).status, 403);
    }

    void resetPasswordSignsTheAccountOutEverywhere() {
        QVERIFY(m_server.createUser("erin", kPassword));
        HttpClient http(m_server.baseUrl());
        const QString old = http.login("erin", kPassword);
        QVERIFY(!old.isEmpty());
        QCOMPARE(m_server.admin({"reset-password", "erin", "--password-stdin"}, "a brand new password\n"), 0);
        http.setToken(old);
        QCOMPARE(http.get("/api/v1/accounts/verify_credentials").status, 401);
        QVERIFY(!http.login("erin", "a brand new password").isEmpty());
    }

    void loginAttemptsAreRateLimited() {
        QVERIFY(m_server.createUser("frank", kPassword));
        HttpClient http(m_server.baseUrl());
        const QJsonObject app = registerApp(http);
        // The per-account budget is 3 failures (config above); then even the right password waits.
        for (int i = 0; i < 3; ++i)
            QCOMPARE(passwordGrant(http, app, "frank", "wrong password").status, 400);
        const HttpReply limited = passwordGrant(http, app, "frank", kPassword);
        QCOMPARE(limited.status, 429);
        QVERIFY(limited.header("retry-after").toInt() > 0);
        QVERIFY(!limited.json()["error"].toString().isEmpty());
    }

    void noPasswordOrTokenInTheLogOrDatabase() {
        QVERIFY(m_server.createUser("grace", kPassword));
        HttpClient http(m_server.baseUrl());
        const QString token = http.login("grace", kPassword);
        QVERIFY(!token.isEmpty());
        http.setToken(token);
        QCOMPARE(http.get("/api/v1/accounts/verify_credentials?access_token=" + token).status, 200);
        const QString secret = http.app()["client_secret"].toString();

        QByteArray stored;
        for (const char* suffix : {"", "-wal"}) {
            QFile f(m_server.dataDir() + "/pinhole.db" + suffix);
            if (f.open(QIODevice::ReadOnly))
                stored += f.readAll();
        }
        QVERIFY(!stored.isEmpty());
        const QString log = m_server.log();
        QVERIFY(log.contains("\"event\":\"request\""));
        for (const QString& s : {kPassword, token, secret}) {
            QVERIFY2(!log.contains(s), qPrintable("log leaks " + s));
            QVERIFY2(!stored.contains(s.toUtf8()), qPrintable("database stores in plain text: " + s));
        }
    }
};

QTEST_GUILESS_MAIN(TestAuth)
#include "tst_e2e_auth.moc"
