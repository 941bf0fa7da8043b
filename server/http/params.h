// Request parameters the Mastodon way: the query string, then the body as
// application/x-www-form-urlencoded, application/json or multipart/form-data text fields, merged
// into one JSON object. Form keys ending in "[]" become arrays under the bare name
// ("media_ids[]=1&media_ids[]=2" -> {"media_ids": ["1", "2"]}), so handlers read one shape.
#pragma once

#include "core/status.h"
#include "http/message.h"

#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pinhole::server::http {

// Limits on what a JSON body may contain, so a hostile body can't exhaust the parser.
inline constexpr std::size_t kMaxJsonDepth = 32;

// A multipart/form-data body has at most this many parts (a form has a handful).
inline constexpr std::size_t kMaxMultipartParts = 64;

struct MultipartPart {
    std::string name;
    std::optional<std::string> filename; // set for file parts
    std::string_view content;            // points into the request body
};

// The parts of a multipart/form-data body; the Content-Type header carries the boundary.
Result<std::vector<MultipartPart>> parseMultipart(std::string_view contentType, std::string_view body);

class Params {
public:
    static Result<Params> fromRequest(const Request& request);
    static Result<Params> fromQuery(std::string_view rawQuery);

    bool has(std::string_view key) const;
    // Strings, numbers and booleans are all accepted as text (forms carry only text).
    std::optional<std::string> string(std::string_view key) const;
    // "true"/"1"/true and "false"/"0"/false; InvalidArgument for anything else.
    Result<std::optional<bool>> boolean(std::string_view key) const;
    Result<std::optional<std::int64_t>> integer(std::string_view key) const;
    std::vector<std::string> strings(std::string_view key) const;

    const boost::json::object& object() const { return m_values; }

private:
    boost::json::object m_values;
};

} // namespace pinhole::server::http
