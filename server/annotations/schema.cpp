#include "annotations/schema.h"

#include <boost/json.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <set>

namespace json = boost::json;

namespace pinhole::server::annotations {

namespace {

constexpr std::array<std::pair<FieldType, std::string_view>, 8> kTypeNames{{
    {FieldType::String, "string"},
    {FieldType::Number, "number"},
    {FieldType::Integer, "integer"},
    {FieldType::Boolean, "boolean"},
    {FieldType::Enum, "enum"},
    {FieldType::List, "list"},
    {FieldType::Box, "box"},
    {FieldType::Point, "point"},
}};

constexpr std::size_t kMaxEnumValues = 100;
constexpr std::size_t kMaxEnumValueLength = 100;

std::string_view typeName(FieldType type) {
    for (const auto& [t, name] : kTypeNames)
        if (t == type)
            return name;
    return "string";
}

std::optional<FieldType> typeFromName(std::string_view name) {
    for (const auto& [t, n] : kTypeNames)
        if (n == name)
            return t;
    return std::nullopt;
}

Status bad(std::string_view path, std::string_view why) {
    return unprocessable(std::string(path) + ": " + std::string(why));
}

// Characters of UTF-8 text (Boost.JSON has checked that it is UTF-8).
std::size_t characters(std::string_view text) {
    std::size_t n = 0;
    for (unsigned char c : text)
        n += (c & 0xC0) != 0x80;
    return n;
}

std::optional<double> numberOf(const json::value& v) {
    if (v.is_int64())
        return static_cast<double>(v.get_int64());
    if (v.is_uint64())
        return static_cast<double>(v.get_uint64());
    if (v.is_double() && std::isfinite(v.get_double()))
        return v.get_double();
    return std::nullopt;
}

// A whole number within ±2^53, the integers a double (and every JSON reader) holds exactly; also
// what keeps a bound's conversion to int64 defined (a uint64 near 2^64 once reached it: fuzzing).
bool isIntegral(const json::value& v) {
    const auto d = numberOf(v);
    return d && std::trunc(*d) == *d && std::fabs(*d) <= 9007199254740992.0;
}

std::string formatNumber(double d) {
    return json::serialize(std::trunc(d) == d && std::fabs(d) < 1e15 ? json::value(static_cast<std::int64_t>(d))
                                                                     : json::value(d));
}

// A non-negative integer attribute at most `limit`.
Result<std::size_t> sizeAttribute(const json::value& v, std::string_view path, std::size_t limit) {
    if (!isIntegral(v) || *numberOf(v) < 0 || *numberOf(v) > static_cast<double>(limit))
        return bad(path, "must be an integer in 0.." + std::to_string(limit));
    return static_cast<std::size_t>(*numberOf(v));
}

Result<FieldSpec> parseField(const json::value& v, const std::string& path, int nesting) {
    const auto* o = v.if_object();
    if (!o)
        return bad(path, "must be an object with a \"type\"");
    const auto* typeValue = o->if_contains("type");
    if (!typeValue || !typeValue->is_string())
        return bad(path + ".type", "required: one of string, number, integer, boolean, enum, list, box, point");
    const auto type = typeFromName(typeValue->get_string());
    if (!type)
        return bad(path + ".type", "must be one of string, number, integer, boolean, enum, list, box, point");
    if (*type == FieldType::List && nesting >= kMaxListNesting)
        return bad(path, "lists nest at most " + std::to_string(kMaxListNesting) + " deep");
    FieldSpec spec;
    spec.type = *type;
    for (const auto& [key, value] : *o) {
        const std::string at = path + "." + std::string(key);
        if (key == "type")
            continue;
        if (key == "optional") {
            if (!value.is_bool())
                return bad(at, "must be true or false");
            if (nesting > 0)
                return bad(at, "list items cannot be optional");
            spec.optional = value.get_bool();
        } else if (key == "searchable") {
            if (!value.is_bool())
                return bad(at, "must be true or false");
            spec.searchable = value.get_bool();
        } else if ((key == "min" || key == "max") && (*type == FieldType::Number || *type == FieldType::Integer)) {
            const auto n = numberOf(value);
            if (!n || (*type == FieldType::Integer && !isIntegral(value)))
                return bad(at, *type == FieldType::Integer ? "must be an integer within ±2^53" : "must be a finite number");
            (key == "min" ? spec.min : spec.max) = *n;
        } else if ((key == "min_length" || key == "max_length") && *type == FieldType::String) {
            auto n = sizeAttribute(value, at, kMaxStringLength);
            if (!n)
                return n.status();
            (key == "min_length" ? spec.minLength : spec.maxLength) = *n;
        } else if ((key == "min_items" || key == "max_items") && *type == FieldType::List) {
            auto n = sizeAttribute(value, at, kMaxListItems);
            if (!n)
                return n.status();
            (key == "min_items" ? spec.minItems : spec.maxItems) = *n;
        } else if (key == "values" && *type == FieldType::Enum) {
            const auto* values = value.if_array();
            if (!values || values->empty() || values->size() > kMaxEnumValues)
                return bad(at, "must be a list of 1 to 100 strings");
            std::set<std::string_view> seen;
            for (std::size_t i = 0; i < values->size(); ++i) {
                const auto* s = (*values)[i].if_string();
                if (!s || s->empty() || s->size() > kMaxEnumValueLength)
                    return bad(at + "[" + std::to_string(i) + "]", "must be a string of 1 to 100 bytes");
                if (!seen.insert(*s).second)
                    return bad(at + "[" + std::to_string(i) + "]", "appears twice");
                spec.values.emplace_back(*s);
            }
        } else if (key == "items" && *type == FieldType::List) {
            auto items = parseField(value, at, nesting + 1);
            if (!items)
                return items.status();
            spec.items = std::make_shared<const FieldSpec>(std::move(items).value());
        } else {
            return bad(at, "is not an attribute of a " + std::string(typeName(*type)) + " field");
        }
    }
    if (*type == FieldType::Enum && spec.values.empty())
        return bad(path + ".values", "required for an enum");
    if (*type == FieldType::List && !spec.items)
        return bad(path + ".items", "required for a list");
    if (spec.min && spec.max && *spec.min > *spec.max)
        return bad(path + ".min", "is above max");
    if (spec.minLength > spec.maxLength)
        return bad(path + ".min_length", "is above max_length");
    if (spec.minItems > spec.maxItems)
        return bad(path + ".min_items", "is above max_items");
    const bool textual =
        *type == FieldType::String || (*type == FieldType::List && spec.items->type == FieldType::String);
    if (spec.searchable && !textual)
        return bad(path + ".searchable", "only a string or a list of strings can be searchable");
    return spec;
}

json::object fieldJson(const FieldSpec& spec, bool topLevel) {
    json::object o{{"type", typeName(spec.type)}};
    if (topLevel)
        o["optional"] = spec.optional;
    switch (spec.type) {
    case FieldType::String:
        o["min_length"] = spec.minLength;
        o["max_length"] = spec.maxLength;
        o["searchable"] = spec.searchable;
        break;
    case FieldType::Number:
    case FieldType::Integer:
        if (spec.min)
            o["min"] = spec.type == FieldType::Integer ? json::value(static_cast<std::int64_t>(*spec.min))
                                                       : json::value(*spec.min);
        if (spec.max)
            o["max"] = spec.type == FieldType::Integer ? json::value(static_cast<std::int64_t>(*spec.max))
                                                       : json::value(*spec.max);
        break;
    case FieldType::Enum: o["values"] = json::value_from(spec.values); break;
    case FieldType::List:
        o["items"] = fieldJson(*spec.items, false);
        o["min_items"] = spec.minItems;
        o["max_items"] = spec.maxItems;
        o["searchable"] = spec.searchable;
        break;
    default: break;
    }
    return o;
}

// A unit-square coordinate of a box or point.
Result<double> unitCoordinate(const json::object& o, std::string_view key, const std::string& path) {
    const auto* v = o.if_contains(key);
    const auto n = v ? numberOf(*v) : std::nullopt;
    if (!n || *n < 0 || *n > 1)
        return bad(path + "." + std::string(key), "must be a number in 0..1");
    return *n;
}

Status onlyKeys(const json::object& o, std::initializer_list<std::string_view> keys, const std::string& path) {
    for (const auto& [key, value] : o)
        if (std::find(keys.begin(), keys.end(), std::string_view(key)) == keys.end())
            return bad(path + "." + std::string(key), "unknown field");
    return Status::ok();
}

Status validateValue(const FieldSpec& spec, const json::value& v, const std::string& path) {
    switch (spec.type) {
    case FieldType::String: {
        if (!v.is_string())
            return bad(path, "must be a string");
        const std::size_t n = characters(v.get_string());
        if (n < spec.minLength || n > spec.maxLength)
            return bad(path, "must have " + std::to_string(spec.minLength) + " to " + std::to_string(spec.maxLength) +
                                 " characters");
        return Status::ok();
    }
    case FieldType::Number:
    case FieldType::Integer: {
        const bool integer = spec.type == FieldType::Integer;
        const auto n = numberOf(v);
        if (!n || (integer && !isIntegral(v)))
            return bad(path, integer ? "must be an integer within ±2^53" : "must be a number");
        if ((spec.min && *n < *spec.min) || (spec.max && *n > *spec.max))
            return bad(path, "must be in " + (spec.min ? formatNumber(*spec.min) : std::string()) + ".." +
                                 (spec.max ? formatNumber(*spec.max) : std::string()));
        return Status::ok();
    }
    case FieldType::Boolean: return v.is_bool() ? Status::ok() : bad(path, "must be true or false");
    case FieldType::Enum: {
        const auto* s = v.if_string();
        if (s && std::find(spec.values.begin(), spec.values.end(), std::string_view(*s)) != spec.values.end())
            return Status::ok();
        std::string list;
        for (const auto& value : spec.values)
            list += (list.empty() ? "" : ", ") + value;
        return bad(path, "must be one of " + list);
    }
    case FieldType::List: {
        const auto* a = v.if_array();
        if (!a)
            return bad(path, "must be a list");
        if (a->size() < spec.minItems || a->size() > spec.maxItems)
            return bad(path, "must have " + std::to_string(spec.minItems) + " to " + std::to_string(spec.maxItems) +
                                 " items");
        for (std::size_t i = 0; i < a->size(); ++i)
            PINHOLE_TRY(validateValue(*spec.items, (*a)[i], path + "[" + std::to_string(i) + "]"));
        return Status::ok();
    }
    case FieldType::Box: {
        const auto* o = v.if_object();
        if (!o)
            return bad(path, "must be a box {x, y, w, h} in 0..1 of the upright image");
        PINHOLE_TRY(onlyKeys(*o, {"x", "y", "w", "h"}, path));
        double c[4];
        int i = 0;
        for (const char* key : {"x", "y", "w", "h"}) {
            auto n = unitCoordinate(*o, key, path);
            if (!n)
                return n.status();
            c[i++] = *n;
        }
        if (c[2] <= 0 || c[3] <= 0)
            return bad(path, "w and h must be above 0");
        constexpr double kSlack = 1e-9; // x + w of a box touching the edge, after rounding
        if (c[0] + c[2] > 1 + kSlack)
            return bad(path + ".w", "x + w must be at most 1");
        if (c[1] + c[3] > 1 + kSlack)
            return bad(path + ".h", "y + h must be at most 1");
        return Status::ok();
    }
    case FieldType::Point: {
        const auto* o = v.if_object();
        if (!o)
            return bad(path, "must be a point {x, y} in 0..1 of the upright image");
        PINHOLE_TRY(onlyKeys(*o, {"x", "y"}, path));
        for (const char* key : {"x", "y"})
            if (auto n = unitCoordinate(*o, key, path); !n)
                return n.status();
        return Status::ok();
    }
    }
    return bad(path, "has an unknown type");
}

bool isAsciiAlpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool isAsciiDigit(char c) {
    return c >= '0' && c <= '9';
}

} // namespace

bool isValidSchemaName(std::string_view name) {
    if (name.empty() || name.size() > 64 || !(name[0] >= 'a' && name[0] <= 'z'))
        return false;
    for (char c : name)
        if (!((c >= 'a' && c <= 'z') || isAsciiDigit(c) || c == '.' || c == '_' || c == '-'))
            return false;
    return true;
}

bool isValidFieldName(std::string_view name) {
    if (name.empty() || name.size() > 64 || !isAsciiAlpha(name[0]))
        return false;
    for (char c : name)
        if (!(isAsciiAlpha(c) || isAsciiDigit(c) || c == '_'))
            return false;
    return true;
}

Result<Schema> Schema::parse(const json::value& definition) {
    const auto* o = definition.if_object();
    if (!o)
        return bad("definition", "must be an object with \"fields\"");
    Schema schema;
    for (const auto& [key, value] : *o) {
        if (key == "description") {
            if (!value.is_string() || characters(value.get_string()) > kMaxDescription)
                return bad("description", "must be a string of at most 500 characters");
            schema.m_description = value.get_string();
        } else if (key != "fields") {
            return bad(std::string(key), "is not part of a schema definition (description, fields)");
        }
    }
    const auto* fields = o->if_contains("fields");
    if (!fields || !fields->is_object())
        return bad("fields", "required: an object of field definitions");
    if (fields->get_object().size() > kMaxFields)
        return bad("fields", "at most " + std::to_string(kMaxFields) + " fields");
    for (const auto& [name, spec] : fields->get_object()) {
        const std::string path = "fields." + std::string(name);
        if (!isValidFieldName(name))
            return bad(path, "a field name is 1-64 letters, digits or '_', starting with a letter");
        auto parsed = parseField(spec, path, 0);
        if (!parsed)
            return parsed.status();
        schema.m_fields.emplace_back(std::string(name), std::move(parsed).value());
    }
    return schema;
}

json::object Schema::toJson() const {
    json::object fields;
    for (const auto& [name, spec] : m_fields)
        fields[name] = fieldJson(spec, true);
    return json::object{{"description", m_description}, {"fields", std::move(fields)}};
}

const FieldSpec* Schema::field(std::string_view name) const {
    for (const auto& [n, spec] : m_fields)
        if (n == name)
            return &spec;
    return nullptr;
}

Status Schema::validate(const json::value& payload, std::string_view path) const {
    const std::string root(path);
    const auto* o = payload.if_object();
    if (!o)
        return bad(root, "must be an object");
    for (const auto& [key, value] : *o)
        if (!field(key))
            return bad(root + "." + std::string(key), "unknown field");
    for (const auto& [name, spec] : m_fields) {
        const auto* value = o->if_contains(name);
        if (!value || value->is_null()) {
            if (!spec.optional)
                return bad(root + "." + name, "required");
            continue;
        }
        PINHOLE_TRY(validateValue(spec, *value, root + "." + name));
    }
    return Status::ok();
}

std::vector<std::string> Schema::searchableText(const json::value& payload) const {
    std::vector<std::string> out;
    const auto* o = payload.if_object();
    if (!o)
        return out;
    for (const auto& [name, spec] : m_fields) {
        const auto* value = o->if_contains(name);
        if (!spec.searchable || !value)
            continue;
        if (const auto* s = value->if_string())
            out.emplace_back(*s);
        else if (const auto* a = value->if_array())
            for (const auto& item : *a)
                if (const auto* s = item.if_string())
                    out.emplace_back(*s);
    }
    return out;
}

const std::vector<BuiltinSchema>& builtinSchemas() {
    static const std::vector<BuiltinSchema> all = {
        {"tag",
         R"json({"description": "A keyword; '/' separates the levels of a hierarchical tag (places/Paris/Louvre)",
                    "fields": {"label": {"type": "string", "min_length": 1, "max_length": 200, "searchable": true}}})json"},
        {"caption", R"json({"description": "What the photo shows, in words",
                        "fields": {"text": {"type": "string", "min_length": 1, "max_length": 2200, "searchable": true}}})json"},
        {"region",
         R"json({"description": "A box around a face, a pet, a thing or some text, in 0..1 of the upright image",
                       "fields": {"box": {"type": "box"},
                                  "label": {"type": "string", "max_length": 200, "optional": true, "searchable": true},
                                  "kind": {"type": "enum", "values": ["face", "pet", "object", "text"]}}})json"},
        {"rating", R"json({"description": "Stars, 0 (rejected) to 5",
                       "fields": {"value": {"type": "integer", "min": 0, "max": 5}}})json"},
        {"favorite", R"json({"description": "The owner likes this photo", "fields": {}})json"},
    };
    return all;
}

} // namespace pinhole::server::annotations
