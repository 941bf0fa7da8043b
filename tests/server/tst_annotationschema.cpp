// The annotation schema DSL (server/annotations/schema.h): definitions that parse and those that
// don't, payloads of the built-in schemas that validate and those that don't — each refusal
// naming the field and why —, searchable text, and the registry keeping versions side by side.
// JSON is written with single quotes (turned into double quotes by json()) so moc reads this file.
#include "annotations/annotationservice.h"
#include "annotations/schema.h"
#include "social/eventlog.h"
#include "store/store.h"

#include <boost/json.hpp>

#include <QTemporaryDir>
#include <QTest>

using namespace pinhole::server;
using annotations::Schema;

namespace {

boost::json::value json(std::string text) {
    std::replace(text.begin(), text.end(), '\'', '"');
    return boost::json::parse(text);
}

Schema builtin(std::string_view name) {
    for (const auto& b : annotations::builtinSchemas())
        if (b.name == name)
            if (auto s = Schema::parse(boost::json::parse(b.definition)))
                return *s;
    qFatal("no built-in schema %s", std::string(name).c_str());
}

} // namespace

class TestAnnotationSchema : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

private slots:
    void everyBuiltinParsesAndRoundTrips() {
        QCOMPARE(annotations::builtinSchemas().size(), std::size_t{5});
        for (const auto& b : annotations::builtinSchemas()) {
            auto schema = Schema::parse(boost::json::parse(b.definition));
            QVERIFY2(schema.isOk(), std::string(b.name).c_str());
            auto again = Schema::parse(schema->toJson());
            QVERIFY(again.isOk());
            QCOMPARE(boost::json::serialize(again->toJson()), boost::json::serialize(schema->toJson()));
        }
    }

    void definition_data() {
        QTest::addColumn<QString>("definition");
        QTest::addColumn<QString>("error"); // empty: valid; else the start of the error message
        QTest::newRow("every type") << "{'fields': {'s': {'type': 'string', 'max_length': 5, 'searchable': true},"
                                       " 'n': {'type': 'number', 'min': -1.5, 'max': 2}, 'i': {'type': 'integer'},"
                                       " 'b': {'type': 'boolean', 'optional': true},"
                                       " 'e': {'type': 'enum', 'values': ['a', 'b']},"
                                       " 'l': {'type': 'list', 'items': {'type': 'string'}, 'max_items': 3},"
                                       " 'box': {'type': 'box'}, 'p': {'type': 'point'}}}"
                                    << "";
        QTest::newRow("no fields") << "{'description': 'x'}"
                                   << "fields: required";
        QTest::newRow("unknown top-level key") << "{'fields': {}, 'colour': 1}"
                                               << "colour: is not part";
        QTest::newRow("unknown type") << "{'fields': {'a': {'type': 'date'}}}"
                                      << "fields.a.type: must be one of";
        QTest::newRow("missing type") << "{'fields': {'a': {}}}"
                                      << "fields.a.type: required";
        QTest::newRow("bad field name") << "{'fields': {'1a': {'type': 'string'}}}"
                                        << "fields.1a: a field name";
        QTest::newRow("attribute of another type") << "{'fields': {'a': {'type': 'string', 'min': 1}}}"
                                                   << "fields.a.min: is not an attribute of a string";
        QTest::newRow("enum without values") << "{'fields': {'k': {'type': 'enum'}}}"
                                             << "fields.k.values: required";
        QTest::newRow("enum value twice") << "{'fields': {'k': {'type': 'enum', 'values': ['a', 'a']}}}"
                                          << "fields.k.values[1]: appears twice";
        QTest::newRow("list without items") << "{'fields': {'l': {'type': 'list'}}}"
                                            << "fields.l.items: required";
        QTest::newRow("lists nested too deep")
            << "{'fields': {'l': {'type': 'list', 'items': {'type': 'list', 'items': {'type': 'list', 'items':"
               " {'type': 'list', 'items': {'type': 'list', 'items': {'type': 'string'}}}}}}}}"
            << "fields.l.items.items.items.items: lists nest at most 4 deep";
        QTest::newRow("lists nested 4 deep")
            << "{'fields': {'l': {'type': 'list', 'items': {'type': 'list', 'items': {'type': 'list', 'items':"
               " {'type': 'list', 'items': {'type': 'string'}}}}}}}"
            << "";
        QTest::newRow("min above max") << "{'fields': {'n': {'type': 'integer', 'min': 5, 'max': 1}}}"
                                       << "fields.n.min: is above max";
        QTest::newRow("integer bound not integral") << "{'fields': {'n': {'type': 'integer', 'max': 1.5}}}"
                                                    << "fields.n.max: must be an integer";
        // Beyond int64 (found by fuzz_body_schemas): refused, never converted.
        QTest::newRow("integer bound beyond 2^53") << "{'fields': {'n': {'type': 'integer', 'max': 11774647235225796608}}}"
                                                   << "fields.n.max: must be an integer within";
        QTest::newRow("max_length too large") << "{'fields': {'s': {'type': 'string', 'max_length': 1000000}}}"
                                              << "fields.s.max_length: must be an integer";
        QTest::newRow("searchable number") << "{'fields': {'n': {'type': 'number', 'searchable': true}}}"
                                           << "fields.n.searchable: only a string";
        QTest::newRow("optional list items")
            << "{'fields': {'l': {'type': 'list', 'items': {'type': 'string', 'optional': true}}}}"
            << "fields.l.items.optional: list items cannot be optional";
        QTest::newRow("not an object") << "[1, 2]"
                                       << "definition: must be an object";
    }
    void definition() {
        QFETCH(QString, definition);
        QFETCH(QString, error);
        auto schema = Schema::parse(json(definition.toStdString()));
        if (error.isEmpty()) {
            QVERIFY2(schema.isOk(), schema.isOk() ? "" : schema.status().message().c_str());
            return;
        }
        QVERIFY(!schema.isOk());
        QCOMPARE(schema.status().code(), Code::Unprocessable);
        QVERIFY2(QString::fromStdString(schema.status().message()).startsWith(error),
                 schema.status().message().c_str());
    }

    void payload_data() {
        QTest::addColumn<QString>("schema");
        QTest::addColumn<QString>("payload");
        QTest::addColumn<QString>("error"); // empty: valid; else the start of the error message
        QTest::newRow("tag") << "tag"
                             << "{'label': 'places/Paris'}"
                             << "";
        QTest::newRow("tag without label") << "tag"
                                           << "{}"
                                           << "payload.label: required";
        QTest::newRow("tag with empty label") << "tag"
                                              << "{'label': ''}"
                                              << "payload.label: must have 1 to 200";
        QTest::newRow("tag with a number") << "tag"
                                           << "{'label': 7}"
                                           << "payload.label: must be a string";
        QTest::newRow("tag with an extra field") << "tag"
                                                 << "{'label': 'a', 'colour': 'red'}"
                                                 << "payload.colour: unknown field";
        QTest::newRow("caption of 2200 characters") << "caption"
                                                    << "{'text': '" + QString(2200, QChar(0xe9)) + "'}"
                                                    << "";
        QTest::newRow("caption of 2201 characters") << "caption"
                                                    << "{'text': '" + QString(2201, 'a') + "'}"
                                                    << "payload.text: must have 1 to 2200";
        QTest::newRow("region") << "region"
                                << "{'box': {'x': 0.1, 'y': 0.2, 'w': 0.3, 'h': 0.4}, 'kind': 'face',"
                                   " 'label': 'Ann'}"
                                << "";
        QTest::newRow("region touching the corner") << "region"
                                                    << "{'box': {'x': 0.5, 'y': 0, 'w': 0.5, 'h': 1}, 'kind': 'pet'}"
                                                    << "";
        QTest::newRow("region without a label") << "region"
                                                << "{'box': {'x': 0, 'y': 0, 'w': 1, 'h': 1}, "
                                                   "'kind': 'object', 'label': null}"
                                                << "";
        QTest::newRow("region box outside") << "region"
                                            << "{'box': {'x': 1.2, 'y': 0, 'w': 0.1, 'h': 0.1}, 'kind': "
                                               "'face'}"
                                            << "payload.box.x: must be a number in 0..1";
        QTest::newRow("region box past the edge") << "region"
                                                  << "{'box': {'x': 0.8, 'y': 0, 'w': 0.3, 'h': 0.1}, 'kind': 'face'}"
                                                  << "payload.box.w: x + w must be at most 1";
        QTest::newRow("region box without height") << "region"
                                                   << "{'box': {'x': 0, 'y': 0, 'w': 0.3}, 'kind': 'face'}"
                                                   << "payload.box.h: must be a number";
        QTest::newRow("region empty box") << "region"
                                          << "{'box': {'x': 0, 'y': 0, 'w': 0, 'h': 0.1}, 'kind': 'face'}"
                                          << "payload.box: w and h";
        QTest::newRow("region box extra key") << "region"
                                              << "{'box': {'x': 0, 'y': 0, 'w': 0.1, 'h': 0.1, 'z': 1}, 'kind': 'face'}"
                                              << "payload.box.z: unknown field";
        QTest::newRow("region unknown kind") << "region"
                                             << "{'box': {'x': 0, 'y': 0, 'w': 0.1, 'h': 0.1}, 'kind': 'car'}"
                                             << "payload.kind: must be one of face, pet, object, text";
        QTest::newRow("rating 5") << "rating"
                                  << "{'value': 5}"
                                  << "";
        QTest::newRow("rating 5.0") << "rating"
                                    << "{'value': 5.0}"
                                    << "";
        QTest::newRow("rating 6") << "rating"
                                  << "{'value': 6}"
                                  << "payload.value: must be in 0..5";
        QTest::newRow("rating 2.5") << "rating"
                                    << "{'value': 2.5}"
                                    << "payload.value: must be an integer";
        QTest::newRow("rating as text") << "rating"
                                        << "{'value': '3'}"
                                        << "payload.value: must be an integer";
        QTest::newRow("favorite") << "favorite"
                                  << "{}"
                                  << "";
        QTest::newRow("favorite with a field") << "favorite"
                                               << "{'yes': true}"
                                               << "payload.yes: unknown field";
        QTest::newRow("payload not an object") << "tag"
                                               << "['a']"
                                               << "payload: must be an object";
    }
    void payload() {
        QFETCH(QString, schema);
        QFETCH(QString, payload);
        QFETCH(QString, error);
        const Status s = builtin(schema.toStdString()).validate(json(payload.toStdString()));
        if (error.isEmpty()) {
            QVERIFY2(s.isOk(), s.message().c_str());
            return;
        }
        QCOMPARE(s.code(), Code::Unprocessable);
        QVERIFY2(QString::fromStdString(s.message()).startsWith(error), s.message().c_str());
    }

    void listsValidateEachItemByIndex() {
        auto schema = Schema::parse(json("{'fields': {'people': {'type': 'list', 'max_items': 3, 'items': {'type':"
                                         " 'point'}}}}"));
        QVERIFY(schema.isOk());
        QVERIFY(schema->validate(json("{'people': [{'x': 0.5, 'y': 0.5}]}")).isOk());
        const Status bad = schema->validate(json("{'people': [{'x': 0.5, 'y': 0.5}, {'x': 2, 'y': 0}]}"));
        QCOMPARE(QString::fromStdString(bad.message()), QString("payload.people[1].x: must be a number in 0..1"));
        const Status many =
            schema->validate(json("{'people': [{'x':0,'y':0},{'x':0,'y':0},{'x':0,'y':0},{'x':0,'y':0}]}"));
        QVERIFY(QString::fromStdString(many.message()).startsWith("payload.people: must have 0 to 3 items"));
    }

    void searchableTextIsTheMarkedFields() {
        auto schema = Schema::parse(json("{'fields': {'title': {'type': 'string', 'searchable': true}, 'code': {'type':"
                                         " 'string'}, 'words': {'type': 'list', 'searchable': true, 'items': {'type':"
                                         " 'string'}}}}"));
        QVERIFY(schema.isOk());
        const auto text = schema->searchableText(json("{'title': 'Harbour', 'code': 'X1', 'words': ['boat', 'sea']}"));
        QCOMPARE(text, (std::vector<std::string>{"Harbour", "boat", "sea"}));
        QCOMPARE(builtin("region").searchableText(json("{'box': {'x':0,'y':0,'w':1,'h':1}, 'kind': 'face', 'label':"
                                                       " 'Ann'}")),
                 std::vector<std::string>{"Ann"});
    }

    void versionsCoexistInTheRegistry() {
        QVERIFY(m_dir.isValid());
        auto store = store::Store::open(m_dir.filePath("registry.db").toStdString());
        QVERIFY(store.isOk());
        social::EventLog log(**store);
        annotations::AnnotationService service(**store, log);
        QVERIFY(service.registerBuiltins().isOk());
        QVERIFY(service.registerBuiltins().isOk()); // every start: nothing registered twice
        QCOMPARE(service.schemas()->size(), std::size_t{5});

        const Id owner = 1001, other = 1002;
        auto v1 = service.registerSchema(owner, "acme.quality",
                                         json("{'fields': {'score': {'type': 'integer', 'min': 0, 'max': 10}}}"));
        QVERIFY(v1.isOk());
        QCOMPARE(v1->version, 1);
        auto v2 = service.registerSchema(owner, "acme.quality",
                                         json("{'fields': {'score': {'type': 'number', 'min': 0, 'max': 1},"
                                              " 'model': {'type': 'string'}}}"));
        QVERIFY(v2.isOk());
        QCOMPARE(v2->version, 2);

        // The newest is version 2; version 1 is still there, unchanged, and still judges its payloads.
        QCOMPARE(service.schema("acme.quality", std::nullopt)->version, 2);
        auto old = service.schema("acme.quality", 1);
        QVERIFY(old.isOk());
        QVERIFY(old->schema.validate(json("{'score': 7}")).isOk());
        QVERIFY(!service.schema("acme.quality", 2)->schema.validate(json("{'score': 7}")).isOk());
        QVERIFY(service.schema("acme.quality", 2)->schema.validate(json("{'score': 0.7, 'model': 'm'}")).isOk());
        QCOMPARE(service.schema("acme.quality", 3).status().code(), Code::NotFound);

        // A name belongs to who registered it first; built-in names to nobody.
        QCOMPARE(service.registerSchema(other, "acme.quality", json("{'fields': {}}")).status().code(),
                 Code::PermissionDenied);
        QCOMPARE(service.registerSchema(owner, "tag", json("{'fields': {}}")).status().code(), Code::PermissionDenied);
        QCOMPARE(service.registerSchema(owner, "Bad Name", json("{'fields': {}}")).status().code(),
                 Code::Unprocessable);
        QCOMPARE(service.schemas()->size(), std::size_t{7});
    }
};

QTEST_GUILESS_MAIN(TestAnnotationSchema)
#include "tst_annotationschema.moc"
