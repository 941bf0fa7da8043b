#include "http/params.h"

#include <boost/json.hpp>
#include <boost/url/encoding_opts.hpp>
#include <boost/url/pct_string_view.hpp>

#include <charconv>

namespace json = boost::json;
namespace urls = boost::urls;

namespace pinhole::server::http {

namespace {

bool startsWithNoCase(std::string_view text, std::string_view prefix) {
    if (text.size() < prefix.size())
        return false;
    for (std::size_t i = 0; i < prefix.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(text[i])) != std::tolower(static_cast<unsigned char>(prefix[i])))
            return false;
    }
    return true;
}

void addFormValue(json::object& into, std::string key, std::string_view value) {
    if (key.size() > 2 && key.ends_with("[]")) {
        key.resize(key.size() - 2);
        auto& slot = into[key];
        if (!slot.is_array())
            slot = json::array();
        slot.as_array().emplace_back(value);
        return;
    }
    into[key] = value;
}

// Splits on '&' and '=' ourselves and lets Boost.URL percent-decode each part: its query parser
// is RFC 3986-strict and refuses the unescaped "[]" that form encoders commonly send.
Result<std::string> decodeFormPart(std::string_view part) {
    auto pct = urls::make_pct_string_view(part);
    if (!pct)
        return invalidArgument("malformed percent-encoding in form or query string");
    urls::encoding_opts opt;
    opt.space_as_plus = true;
    return pct->decode(opt);
}

Status mergeForm(json::object& into, std::string_view encoded) {
    while (!encoded.empty()) {
        const std::size_t amp = encoded.find('&');
        const std::string_view pair = encoded.substr(0, amp);
        encoded = amp == std::string_view::npos ? std::string_view() : encoded.substr(amp + 1);
        if (pair.empty())
            continue;
        const std::size_t eq = pair.find('=');
        auto key = decodeFormPart(pair.substr(0, eq));
        auto value = decodeFormPart(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1));
        if (!key || !value)
            return key ? value.status() : key.status();
        addFormValue(into, std::move(key).value(), std::move(value).value());
    }
    return Status::ok();
}

Status mergeJson(json::object& into, std::string_view body) {
    json::parse_options options;
    options.max_depth = kMaxJsonDepth;
    boost::system::error_code ec;
    json::value value = json::parse(body, ec, {}, options);
    if (ec == json::error::too_deep)
        return invalidArgument("JSON body nested deeper than " + std::to_string(kMaxJsonDepth) + " levels");
    if (ec)
        return invalidArgument("malformed JSON body: " + ec.message());
    if (!value.is_object())
        return invalidArgument("the JSON body must be an object");
    for (auto& [k, v] : value.as_object())
        into[k] = std::move(v);
    return Status::ok();
}

Status mergeMultipartText(json::object& into, std::string_view contentType, std::string_view body) {
    auto parts = parseMultipart(contentType, body);
    if (!parts)
        return parts.status();
    for (const auto& part : *parts)
        if (!part.filename && !part.name.empty())
            addFormValue(into, part.name, std::string(part.content));
    return Status::ok();
}

std::string_view headerParameter(std::string_view headers, std::string_view key) {
    // Finds key="value" in a part's headers (Content-Disposition parameters).
    std::size_t at = 0;
    const std::string needle = std::string(key) + "=\"";
    while ((at = headers.find(needle, at)) != std::string_view::npos) {
        if (at == 0 || headers[at - 1] == ' ' || headers[at - 1] == ';') {
            const std::size_t start = at + needle.size();
            const std::size_t end = headers.find('"', start);
            if (end == std::string_view::npos)
                return {};
            return headers.substr(start, end - start);
        }
        at += needle.size();
    }
    return {};
}

} // namespace

Result<std::vector<MultipartPart>> parseMultipart(std::string_view contentType, std::string_view body) {
    auto at = contentType.find("boundary=");
    if (at == std::string_view::npos)
        return invalidArgument("multipart body without a boundary");
    std::string_view boundary = contentType.substr(at + 9);
    if (auto semi = boundary.find(';'); semi != std::string_view::npos)
        boundary = boundary.substr(0, semi);
    if (boundary.size() >= 2 && boundary.front() == '"' && boundary.back() == '"')
        boundary = boundary.substr(1, boundary.size() - 2);
    if (boundary.empty() || boundary.size() > 70)
        return invalidArgument("multipart boundary is empty or too long");
    const std::string delimiter = "--" + std::string(boundary);
    std::vector<MultipartPart> parts;
    std::size_t pos = body.find(delimiter);
    if (pos == std::string_view::npos)
        return invalidArgument("multipart body without its boundary");
    for (;;) {
        pos += delimiter.size();
        if (body.substr(pos, 2) == "--")
            return parts;
        if (body.substr(pos, 2) != "\r\n")
            return invalidArgument("malformed multipart body");
        pos += 2;
        const std::size_t headersEnd = body.find("\r\n\r\n", pos);
        if (headersEnd == std::string_view::npos)
            return invalidArgument("malformed multipart part headers");
        const std::string_view partHeaders = body.substr(pos, headersEnd - pos);
        const std::size_t next = body.find("\r\n" + delimiter, headersEnd + 4);
        if (next == std::string_view::npos)
            return invalidArgument("truncated multipart body");
        if (parts.size() >= kMaxMultipartParts)
            return invalidArgument("too many multipart parts");
        MultipartPart part;
        part.name = std::string(headerParameter(partHeaders, "name"));
        if (partHeaders.find("filename=\"") != std::string_view::npos)
            part.filename = std::string(headerParameter(partHeaders, "filename"));
        part.content = body.substr(headersEnd + 4, next - headersEnd - 4);
        parts.push_back(std::move(part));
        pos = next + 2;
    }
}

Result<Params> Params::fromQuery(std::string_view rawQuery) {
    Params p;
    PINHOLE_TRY(mergeForm(p.m_values, rawQuery));
    return p;
}

Result<Params> Params::fromRequest(const Request& request) {
    Params p;
    PINHOLE_TRY(mergeForm(p.m_values, request.rawQuery));
    if (request.body.empty())
        return p;
    const std::string_view type = request.header("content-type");
    if (startsWithNoCase(type, "application/json")) {
        PINHOLE_TRY(mergeJson(p.m_values, request.body));
    } else if (startsWithNoCase(type, "multipart/form-data")) {
        PINHOLE_TRY(mergeMultipartText(p.m_values, type, request.body));
    } else if (type.empty() || startsWithNoCase(type, "application/x-www-form-urlencoded")) {
        PINHOLE_TRY(mergeForm(p.m_values, request.body));
    } else {
        return Status(Code::UnsupportedMediaType, "unsupported request body type");
    }
    return p;
}

bool Params::has(std::string_view key) const {
    return m_values.contains(key);
}

std::optional<std::string> Params::string(std::string_view key) const {
    auto it = m_values.find(key);
    if (it == m_values.end())
        return std::nullopt;
    const json::value& v = it->value();
    if (v.is_string())
        return std::string(v.as_string());
    if (v.is_int64())
        return std::to_string(v.as_int64());
    if (v.is_uint64())
        return std::to_string(v.as_uint64());
    if (v.is_bool())
        return v.as_bool() ? "true" : "false";
    if (v.is_double())
        return json::serialize(v);
    return std::nullopt;
}

Result<std::optional<bool>> Params::boolean(std::string_view key) const {
    auto it = m_values.find(key);
    if (it == m_values.end() || it->value().is_null())
        return std::optional<bool>{};
    const json::value& v = it->value();
    if (v.is_bool())
        return std::optional<bool>{v.as_bool()};
    if (v.is_string()) {
        const std::string_view s = v.as_string();
        if (s == "true" || s == "1" || s == "on")
            return std::optional<bool>{true};
        if (s == "false" || s == "0" || s == "off" || s.empty())
            return std::optional<bool>{false};
    }
    return invalidArgument(std::string(key) + " must be a boolean");
}

Result<std::optional<std::int64_t>> Params::integer(std::string_view key) const {
    auto it = m_values.find(key);
    if (it == m_values.end() || it->value().is_null())
        return std::optional<std::int64_t>{};
    const json::value& v = it->value();
    if (v.is_int64())
        return std::optional<std::int64_t>{v.as_int64()};
    if (v.is_string()) {
        const std::string_view s = v.as_string();
        std::int64_t n = 0;
        auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
        if (ec == std::errc{} && end == s.data() + s.size())
            return std::optional<std::int64_t>{n};
    }
    return invalidArgument(std::string(key) + " must be an integer");
}

std::vector<std::string> Params::strings(std::string_view key) const {
    std::vector<std::string> out;
    auto it = m_values.find(key);
    if (it == m_values.end())
        return out;
    if (it->value().is_array()) {
        for (const auto& v : it->value().as_array()) {
            if (v.is_string())
                out.emplace_back(v.as_string());
            else if (v.is_int64())
                out.push_back(std::to_string(v.as_int64()));
        }
    } else if (auto one = string(key)) {
        out.push_back(*one);
    }
    return out;
}

} // namespace pinhole::server::http
