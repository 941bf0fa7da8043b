// The router: literal segments beat parameters, path parameters are captured, an unknown path
// is 404 and a known path with another method 405, and every failure is a JSON error. A route's
// quick answer is used when it gives one; otherwise, or when it throws, the handler answers.
#include "http/router.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace pinhole::server;
using namespace pinhole::server::http;

namespace {
Handler answer(std::string text) {
    return [text](Request& r) -> Result<Response> {
        Response res;
        res.body = text;
        for (const auto& [k, v] : r.pathParams)
            res.body += " " + k + "=" + v;
        return res;
    };
}
Response dispatch(const Router& router, const char* method, const char* path) {
    Request request;
    request.method = method;
    request.path = path;
    return router.dispatch(request, router.match(method, path));
}
QString errorOf(const Response& r) {
    return QJsonDocument::fromJson(QByteArray::fromStdString(r.body)).object().value("error").toString();
}
} // namespace

class TestRouter : public QObject {
    Q_OBJECT
private slots:
    void literalSegmentBeatsParameter() {
        Router router;
        router.add("GET", "/api/v1/accounts/:id", answer("get"));
        router.add("GET", "/api/v1/accounts/verify_credentials", answer("verify"));
        QCOMPARE(dispatch(router, "GET", "/api/v1/accounts/verify_credentials").body, std::string("verify"));
        QCOMPARE(dispatch(router, "GET", "/api/v1/accounts/42").body, std::string("get id=42"));
    }
    void capturesSeveralParameters() {
        Router router;
        router.add("GET", "/media/:id/:variant", answer("media"));
        QCOMPARE(dispatch(router, "GET", "/media/7/thumb").body, std::string("media id=7 variant=thumb"));
    }
    void trailingSlashAndDoubleSlashesMatch() {
        Router router;
        router.add("GET", "/oauth/authorize", answer("form"));
        QCOMPARE(dispatch(router, "GET", "/oauth/authorize/").body, std::string("form"));
    }
    // Regression (issue 10, limits suite): "%2F" was decoded before the path was split, so an
    // encoded slash inside one parameter made new segments and reached another route.
    void anEncodedSlashStaysInsideItsSegment() {
        Router router;
        router.add("GET", "/media/:id", answer("media"));
        router.add("GET", "/media/:id/:variant", answer("variant"));
        Request request;
        setTarget(request, "/media/..%2F..%2Fetc%2fpasswd?x=1");
        QCOMPARE(request.path, std::string("/media/..%2F..%2Fetc%2fpasswd"));
        const auto match = router.match("GET", request.path);
        QVERIFY(match.route);
        QCOMPARE(match.route->pattern, std::string("/media/:id"));
        // Other escapes are decoded as before.
        setTarget(request, "/media/a%20b%2e%2E");
        QCOMPARE(request.path, std::string("/media/a b.."));
    }

    void unknownPathIsJson404() {
        Router router;
        router.add("GET", "/healthz", answer("ok"));
        const Response r = dispatch(router, "GET", "/nope");
        QCOMPARE(r.status, 404);
        QVERIFY(!errorOf(r).isEmpty());
    }
    void wrongMethodIs405() {
        Router router;
        router.add("GET", "/healthz", answer("ok"));
        const Response r = dispatch(router, "DELETE", "/healthz");
        QCOMPARE(r.status, 405);
        QVERIFY(!errorOf(r).isEmpty());
    }
    void headIsServedByGet() {
        Router router;
        router.add("GET", "/healthz", answer("ok"));
        QCOMPARE(dispatch(router, "HEAD", "/healthz").status, 200);
    }
    void handlerStatusBecomesJsonError() {
        Router router;
        router.add("GET", "/limited", [](Request&) -> Result<Response> {
            return Status(Code::TooManyRequests, "slow down").withRetryAfter(30);
        });
        const Response r = dispatch(router, "GET", "/limited");
        QCOMPARE(r.status, 429);
        QCOMPARE(errorOf(r), QString("slow down"));
        QCOMPARE(std::string(findHeader(r.headers, "retry-after")), std::string("30"));
    }
    void aQuickAnswerIsUsedWhenGivenAndTheHandlerAnswersOtherwise() {
        Router router;
        RouteOptions options;
        options.quick = [](Request& r) -> std::optional<Response> {
            if (r.pathParams.empty() || r.pathParams[0].second != "kept")
                return std::nullopt;
            Response res;
            res.body = "from memory";
            return res;
        };
        router.add("GET", "/pages/:id", answer("handler"), options);
        Request kept;
        const auto keptMatch = router.match("GET", "/pages/kept");
        const auto quick = router.answerQuickly(kept, keptMatch);
        QVERIFY(quick.has_value());
        QCOMPARE(quick->body, std::string("from memory"));
        QCOMPARE(kept.routePattern, std::string("/pages/:id"));
        Request other;
        QVERIFY(!router.answerQuickly(other, router.match("GET", "/pages/other")).has_value());
        QCOMPARE(dispatch(router, "GET", "/pages/other").body, std::string("handler id=other"));
    }
    void aRouteWithoutAQuickAnswerOrOneThatThrowsGoesToItsHandler() {
        Router router;
        router.add("GET", "/plain", answer("plain"));
        RouteOptions throwing;
        throwing.quick = [](Request&) -> std::optional<Response> { throw std::runtime_error("no memory"); };
        router.add("GET", "/throws", answer("handler"), throwing);
        Request plain;
        QVERIFY(!router.answerQuickly(plain, router.match("GET", "/plain")).has_value());
        Request throws;
        QVERIFY(!router.answerQuickly(throws, router.match("GET", "/throws")).has_value());
        QCOMPARE(dispatch(router, "GET", "/throws").body, std::string("handler"));
        Request unknown;
        QVERIFY(!router.answerQuickly(unknown, router.match("GET", "/nope")).has_value());
    }
    void escapedExceptionIs500WithoutDetails() {
        Router router;
        router.add("GET", "/boom", [](Request&) -> Result<Response> { throw std::runtime_error("secret detail"); });
        const Response r = dispatch(router, "GET", "/boom");
        QCOMPARE(r.status, 500);
        QVERIFY(r.body.find("secret detail") == std::string::npos);
    }
    void everyCodeMapsToItsStatus_data() {
        QTest::addColumn<int>("code");
        QTest::addColumn<int>("status");
        QTest::newRow("invalid") << int(Code::InvalidArgument) << 400;
        QTest::newRow("unauthenticated") << int(Code::Unauthenticated) << 401;
        QTest::newRow("denied") << int(Code::PermissionDenied) << 403;
        QTest::newRow("not found") << int(Code::NotFound) << 404;
        QTest::newRow("conflict") << int(Code::Conflict) << 409;
        QTest::newRow("too large") << int(Code::PayloadTooLarge) << 413;
        QTest::newRow("media type") << int(Code::UnsupportedMediaType) << 415;
        QTest::newRow("unprocessable") << int(Code::Unprocessable) << 422;
        QTest::newRow("unavailable") << int(Code::Unavailable) << 503;
        QTest::newRow("internal") << int(Code::Internal) << 500;
    }
    void everyCodeMapsToItsStatus() {
        QFETCH(int, code);
        QFETCH(int, status);
        const Response r = errorResponse(Status(static_cast<Code>(code), "x"));
        QCOMPARE(r.status, status);
        QCOMPARE(errorOf(r), QString("x"));
    }
};

QTEST_APPLESS_MAIN(TestRouter)
#include "tst_router.moc"
