// Request parameters: query, form, JSON and multipart bodies merge into one shape; arrays from
// "key[]"; typed reads validate; bad bodies are refused with a reason.
#include "http/params.h"

#include <QTest>

using namespace pinhole::server;
using namespace pinhole::server::http;

namespace {
Request request(std::string body, std::string contentType, std::string query = {}) {
    Request r;
    r.method = "POST";
    r.rawQuery = std::move(query);
    r.body = std::move(body);
    if (!contentType.empty())
        r.headers.emplace_back("Content-Type", std::move(contentType));
    return r;
}
} // namespace

class TestParams : public QObject {
    Q_OBJECT
private slots:
    void formDecodesPercentAndPlus() {
        auto p = Params::fromRequest(request("name=a+b%26c&empty=", "application/x-www-form-urlencoded"));
        QVERIFY(p.isOk());
        QCOMPARE(p->string("name").value(), std::string("a b&c"));
        QCOMPARE(p->string("empty").value(), std::string());
        QVERIFY(!p->string("missing").has_value());
    }
    void bracketKeysBecomeArrays() {
        auto p = Params::fromRequest(request("media_ids[]=1&media_ids[]=2", "application/x-www-form-urlencoded"));
        QVERIFY(p.isOk());
        QCOMPARE(p->strings("media_ids"), (std::vector<std::string>{"1", "2"}));
    }
    void queryAndBodyMerge() {
        auto p = Params::fromRequest(request(R"({"b": 2})", "application/json; charset=utf-8", "a=1"));
        QVERIFY(p.isOk());
        QCOMPARE(p->string("a").value(), std::string("1"));
        QCOMPARE(p->integer("b").value().value(), std::int64_t(2));
    }
    void multipartTextFieldsAreRead() {
        const std::string body = "--XyZ\r\nContent-Disposition: form-data; name=\"client_name\"\r\n\r\ntoot\r\n"
                                 "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.jpg\"\r\n"
                                 "Content-Type: image/jpeg\r\n\r\n\xff\xd8\xff\r\n--XyZ--\r\n";
        auto p = Params::fromRequest(request(body, "multipart/form-data; boundary=XyZ"));
        QVERIFY(p.isOk());
        QCOMPARE(p->string("client_name").value(), std::string("toot"));
        QVERIFY(!p->has("file")); // file parts are the media module's business
    }
    void booleansAcceptFormAndJsonSpellings_data() {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QByteArray>("type");
        QTest::addColumn<bool>("expected");
        QTest::newRow("json true") << QByteArray(R"({"locked": true})") << QByteArray("application/json") << true;
        QTest::newRow("json false") << QByteArray(R"({"locked": false})") << QByteArray("application/json") << false;
        QTest::newRow("form true") << QByteArray("locked=true") << QByteArray("") << true;
        QTest::newRow("form 1") << QByteArray("locked=1") << QByteArray("") << true;
        QTest::newRow("form 0") << QByteArray("locked=0") << QByteArray("") << false;
    }
    void booleansAcceptFormAndJsonSpellings() {
        QFETCH(QByteArray, body);
        QFETCH(QByteArray, type);
        QFETCH(bool, expected);
        auto p = Params::fromRequest(request(body.toStdString(), type.toStdString()));
        QVERIFY(p.isOk());
        auto b = p->boolean("locked");
        QVERIFY(b.isOk());
        QCOMPARE(b->value(), expected);
    }
    void typedReadsRefuseWrongTypes() {
        auto p = Params::fromRequest(request(R"({"locked": "maybe", "limit": "ten"})", "application/json"));
        QVERIFY(p.isOk());
        QVERIFY(!p->boolean("locked").isOk());
        QCOMPARE(p->integer("limit").status().code(), Code::InvalidArgument);
        QVERIFY(p->integer("limit").status().message().find("limit") != std::string::npos);
    }
    void badBodiesAreRefused_data() {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QByteArray>("type");
        QTest::addColumn<int>("code");
        QTest::newRow("truncated json") << QByteArray(R"({"a": )") << QByteArray("application/json")
                                        << int(Code::InvalidArgument);
        QTest::newRow("json array") << QByteArray("[]") << QByteArray("application/json") << int(Code::InvalidArgument);
        QTest::newRow("too deep") << QByteArray(100, '[') << QByteArray("application/json")
                                  << int(Code::InvalidArgument);
        QTest::newRow("multipart without boundary")
            << QByteArray("x") << QByteArray("multipart/form-data") << int(Code::InvalidArgument);
        QTest::newRow("truncated multipart")
            << QByteArray("--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nxx")
            << QByteArray("multipart/form-data; boundary=b") << int(Code::InvalidArgument);
        QTest::newRow("bad percent escape")
            << QByteArray("a=%zz") << QByteArray("application/x-www-form-urlencoded") << int(Code::InvalidArgument);
        QTest::newRow("unknown type") << QByteArray("x") << QByteArray("application/xml")
                                      << int(Code::UnsupportedMediaType);
    }
    void badBodiesAreRefused() {
        QFETCH(QByteArray, body);
        QFETCH(QByteArray, type);
        QFETCH(int, code);
        auto p = Params::fromRequest(request(body.toStdString(), type.toStdString()));
        QVERIFY(!p.isOk());
        QCOMPARE(int(p.status().code()), code);
        QVERIFY(!p.status().message().empty());
    }
};

QTEST_APPLESS_MAIN(TestParams)
#include "tst_params.moc"
