// The transport-neutral request and response that handlers see. The Beast session (server.cpp)
// converts to and from the wire; everything above http/ deals only with these, so handlers,
// routing and their tests never include Beast.
#pragma once

#include "core/ids.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pinhole::server::http {

using Headers = std::vector<std::pair<std::string, std::string>>;

// Case-insensitive header lookup; empty when absent.
std::string_view findHeader(const Headers& headers, std::string_view name);

struct Request {
    std::string method;   // upper case, as sent: "GET", "POST", ...
    std::string path;     // percent-decoded path, without the query
    std::string rawQuery; // the query string as sent, without '?'
    Headers headers;
    std::string body;
    std::string remoteAddress;
    bool secure = false; // arrived over TLS

    // Filled by the router.
    std::string routePattern;                                    // e.g. "/api/v1/accounts/:id"
    std::vector<std::pair<std::string, std::string>> pathParams; // decoded segments

    // Filled by authentication, for the access log.
    std::optional<Id> accountId;

    std::string_view header(std::string_view name) const { return findHeader(headers, name); }
    std::string_view pathParam(std::string_view name) const;
};

// Sets `path` (percent-decoded) and `rawQuery` (as sent) from an HTTP request-target such as
// "/api/v1/accounts/lookup?acct=alice". Total: any bytes give some path (fuzzed in tests/fuzz).
void setTarget(Request& request, std::string_view target);

// A slice of a file streamed from disk instead of a body held in memory.
struct FileBody {
    std::string path;
    std::uint64_t offset = 0;
    std::uint64_t length = 0;
};

struct Response {
    int status = 200;
    std::string contentType = "application/json; charset=utf-8";
    Headers headers;
    std::string body;
    std::optional<FileBody> file;     // instead of `body`

    Response& header(std::string name, std::string value) {
        headers.emplace_back(std::move(name), std::move(value));
        return *this;
    }
};

} // namespace pinhole::server::http
