#include "http/router.h"

#include "core/log.h"

#include <boost/json.hpp>

#include <cctype>
#include <exception>

namespace pinhole::server::http {

namespace {

std::vector<std::string_view> splitPath(std::string_view path) {
    std::vector<std::string_view> out;
    std::size_t i = 0;
    while (i < path.size()) {
        if (path[i] == '/') {
            ++i;
            continue;
        }
        const std::size_t end = path.find('/', i);
        const std::size_t stop = end == std::string_view::npos ? path.size() : end;
        out.push_back(path.substr(i, stop - i));
        i = stop;
    }
    return out;
}

// Higher is more specific: literal segments count more than parameters, earlier ones most.
int specificity(const Route& route) {
    int score = 0;
    for (const auto& s : route.segments)
        score = score * 2 + (s.starts_with(':') ? 0 : 1);
    return score;
}

} // namespace

std::string_view findHeader(const Headers& headers, std::string_view name) {
    for (const auto& [k, v] : headers) {
        if (k.size() == name.size() && std::equal(k.begin(), k.end(), name.begin(), [](char a, char b) {
                return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
            }))
            return v;
    }
    return {};
}

std::string_view Request::pathParam(std::string_view name) const {
    for (const auto& [k, v] : pathParams)
        if (k == name)
            return v;
    return {};
}

void setTarget(Request& request, std::string_view target) {
    const auto q = target.find('?');
    const std::string_view rawPath = target.substr(0, q);
    request.rawQuery = q == std::string_view::npos ? std::string() : std::string(target.substr(q + 1));
    // Percent-decode the path, except an encoded '/': "%2F" stays as it is, inside its segment,
    // so "/api/v1/statuses/1%2Ffavourite" is one odd id (refused), never a second route, and
    // "..%2F..%2Fetc" can never become path segments of its own.
    request.path.clear();
    request.path.reserve(rawPath.size());
    for (std::size_t i = 0; i < rawPath.size(); ++i) {
        if (rawPath[i] == '%' && i + 2 < rawPath.size() && std::isxdigit(static_cast<unsigned char>(rawPath[i + 1])) &&
            std::isxdigit(static_cast<unsigned char>(rawPath[i + 2]))) {
            const char decoded = static_cast<char>(std::stoi(std::string(rawPath.substr(i + 1, 2)), nullptr, 16));
            if (decoded == '/') {
                request.path.append(rawPath.substr(i, 3));
            } else {
                request.path.push_back(decoded);
            }
            i += 2;
        } else {
            request.path.push_back(rawPath[i]);
        }
    }
}

void Router::add(std::string method, std::string pattern, Handler handler, RouteOptions options) {
    Route r{std::move(method), std::move(pattern), {}, std::move(handler), options};
    for (auto s : splitPath(r.pattern))
        r.segments.emplace_back(s);
    m_routes.push_back(std::move(r));
}

Router::Match Router::match(std::string_view method, std::string_view path) const {
    const auto parts = splitPath(path);
    Match best;
    int bestScore = -1;
    for (const Route& route : m_routes) {
        if (route.segments.size() != parts.size())
            continue;
        std::vector<std::pair<std::string, std::string>> params;
        bool ok = true;
        for (std::size_t i = 0; i < parts.size() && ok; ++i) {
            const std::string& seg = route.segments[i];
            if (seg.starts_with(':')) {
                if (parts[i].empty())
                    ok = false;
                else
                    params.emplace_back(seg.substr(1), std::string(parts[i]));
            } else {
                ok = seg == parts[i];
            }
        }
        if (!ok)
            continue;
        if (route.method != method && !(method == "HEAD" && route.method == "GET")) {
            best.pathKnown = true;
            continue;
        }
        const int score = specificity(route);
        if (score > bestScore) {
            bestScore = score;
            best.route = &route;
            best.params = std::move(params);
        }
    }
    return best;
}

std::optional<Response> Router::answerQuickly(Request& request, const Match& match) const {
    if (!match.route || !match.route->options.quick)
        return std::nullopt;
    request.routePattern = match.route->pattern;
    request.pathParams = match.params;
    try {
        return match.route->options.quick(request);
    } catch (const std::exception& e) {
        log::error("quick_handler_exception", {{"route", match.route->pattern}, {"what", std::string(e.what())}});
        return std::nullopt;
    }
}

Response Router::dispatch(Request& request, const Match& match) const {
    if (!match.route) {
        return errorResponse(match.pathKnown ? Status(Code::MethodNotAllowed, "method not allowed")
                                             : notFound("no such endpoint"));
    }
    request.routePattern = match.route->pattern;
    request.pathParams = match.params;
    try {
        Result<Response> result = match.route->handler(request);
        if (!result)
            return errorResponse(result.status());
        return std::move(result).value();
    } catch (const std::exception& e) {
        log::error("handler_exception", {{"route", match.route->pattern}, {"what", std::string(e.what())}});
        return errorResponse(internalError("internal error"));
    }
}

int httpStatusOf(Code code) {
    switch (code) {
    case Code::Ok: return 200;
    case Code::InvalidArgument: return 400;
    case Code::Unauthenticated: return 401;
    case Code::PermissionDenied: return 403;
    case Code::NotFound: return 404;
    case Code::MethodNotAllowed: return 405;
    case Code::Conflict: return 409;
    case Code::PreconditionFailed: return 412;
    case Code::PayloadTooLarge: return 413;
    case Code::RangeNotSatisfiable: return 416;
    case Code::UnsupportedMediaType: return 415;
    case Code::ChecksumMismatch: return 460;
    case Code::Unprocessable: return 422;
    case Code::TooManyRequests: return 429;
    case Code::Unavailable: return 503;
    case Code::Internal: return 500;
    }
    return 500;
}

Response errorResponse(const Status& status) {
    Response r;
    r.status = httpStatusOf(status.code());
    r.body = boost::json::serialize(boost::json::object{{"error", status.message()}});
    if (auto after = status.retryAfterSeconds())
        r.header("Retry-After", std::to_string(*after));
    if (status.code() == Code::Unauthenticated)
        r.header("WWW-Authenticate", "Bearer");
    return r;
}

} // namespace pinhole::server::http
