// Maps (method, path) to a handler. Patterns are literal segments and ":name" parameters:
// "/api/v1/accounts/:id/follow". Literal segments win over parameters at the same depth, so
// "/api/v1/accounts/verify_credentials" is never taken for an account id.
// Threading: routes are added before the server starts; matching is const and thread-safe.
#pragma once

#include "core/status.h"
#include "http/message.h"

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pinhole::server::http {

// Most API bodies are small JSON or forms: 64 KiB fits any of them with room to spare and keeps
// a flood of large bodies from pinning memory. Upload routes raise it per route.
inline constexpr std::size_t kDefaultMaxBody = 64 * 1024;

using Handler = std::function<Result<Response>(Request&)>;
// An answer from memory, tried on the I/O thread before the handler is sent to the handler pool
// (saving the two thread hand-offs a request costs there). It must never wait: no lock held
// for long, no waiting for a connection (store::Store::idleConnection), no write, reads of a
// row or two at most. nullopt sends the request on to the handler, which must give the same answer.
using QuickHandler = std::function<std::optional<Response>(Request&)>;

struct RouteOptions {
    std::size_t maxBodyBytes = kDefaultMaxBody;
    QuickHandler quick;
};

struct Route {
    std::string method;
    std::string pattern;
    std::vector<std::string> segments;
    Handler handler;
    RouteOptions options;
};

class Router {
public:
    void add(std::string method, std::string pattern, Handler handler, RouteOptions options = {});

    struct Match {
        const Route* route = nullptr; // null: nothing matched
        bool pathKnown = false;       // the path exists for another method
        std::vector<std::pair<std::string, std::string>> params;
    };
    Match match(std::string_view method, std::string_view path) const;

    // Runs the matched handler; every failure, including an escaped exception, becomes an
    // error response here, through errorResponse().
    Response dispatch(Request& request, const Match& match) const;
    // The matched route's QuickHandler's answer, if it has one and gives one; an escaped
    // exception is logged and is no answer (the handler then runs).
    std::optional<Response> answerQuickly(Request& request, const Match& match) const;

    const std::vector<Route>& routes() const { return m_routes; }

private:
    std::vector<Route> m_routes;
};

// The one place a Status becomes an HTTP response: {"error": message} with the status that the
// Code maps to (and Retry-After for TooManyRequests).
Response errorResponse(const Status& status);
int httpStatusOf(Code code);

} // namespace pinhole::server::http
