// Annotation schemas: the small JSON DSL that types an annotation's payload (after Netflix's
// Marken), its parser and the validator. docs/annotations.md describes the DSL for users.
//
// A definition names its fields and their types:
//     {"description": "A box around something on the photo, with a name",
//      "fields": {"box":   {"type": "box"},
//                 "label": {"type": "string", "max_length": 200, "optional": true, "searchable": true},
//                 "kind":  {"type": "enum", "values": ["face", "pet", "object", "text"]}}}
// and {"box": {"x": 0.1, "y": 0.2, "w": 0.3, "h": 0.4}, "kind": "face"} is a valid payload of it.
// Errors name the field by its path ("payload.box.w: must be a number in 0..1").
//
// Schemas are immutable values; threading: none needed.
#pragma once

#include "core/status.h"

#include <boost/json/value.hpp>

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pinhole::server::annotations {

// Bounds that keep a hostile definition or payload small.
inline constexpr std::size_t kMaxFields = 64;
inline constexpr std::size_t kMaxStringLength = 10000; // characters, the most a string field may allow
inline constexpr std::size_t kMaxListItems = 1000;     // the most a list field may allow
inline constexpr int kMaxListNesting = 4;
inline constexpr std::size_t kMaxDescription = 500;

enum class FieldType { String, Number, Integer, Boolean, Enum, List, Box, Point };

struct FieldSpec {
    FieldType type = FieldType::String;
    bool optional = false;                       // may be absent (or null)
    bool searchable = false;                     // string (or list of strings): its text feeds annotation search
    std::optional<double> min, max;              // number, integer
    std::size_t minLength = 0, maxLength = 1000; // string, in characters
    std::vector<std::string> values;             // enum
    std::shared_ptr<const FieldSpec> items;      // list
    std::size_t minItems = 0, maxItems = 100;    // list
};

class Schema {
public:
    // Parses a definition ({"description"?, "fields": {...}}); errors name the definition's
    // offending path ("fields.kind.values: ...").
    static Result<Schema> parse(const boost::json::value& definition);

    // The definition in canonical form (every attribute spelled out): what the registry stores
    // and the API shows. parse(toJson()) gives an equal schema.
    boost::json::object toJson() const;

    // OK, or Unprocessable naming the first bad field under `path` ("payload").
    Status validate(const boost::json::value& payload, std::string_view path = "payload") const;

    // The text of the payload's searchable fields, in field order. REQUIRES: validate() passed.
    std::vector<std::string> searchableText(const boost::json::value& payload) const;

    const std::string& description() const { return m_description; }
    const std::vector<std::pair<std::string, FieldSpec>>& fields() const { return m_fields; }
    const FieldSpec* field(std::string_view name) const;

private:
    std::string m_description;
    std::vector<std::pair<std::string, FieldSpec>> m_fields; // in definition order
};

// Schema names: 1-64 of a-z, 0-9, '.', '_', '-', starting with a letter ("tag", "acme.quality").
bool isValidSchemaName(std::string_view name);
// Field names: 1-64 of A-Z, a-z, 0-9, '_', starting with a letter.
bool isValidFieldName(std::string_view name);

// The built-in schemas, version 1 of each, registered at first start: tag, caption, region,
// rating, favorite.
struct BuiltinSchema {
    std::string_view name;
    std::string_view definition; // JSON
};
const std::vector<BuiltinSchema>& builtinSchemas();

} // namespace pinhole::server::annotations
