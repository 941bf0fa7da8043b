// A raw HTTP/1.1 request, as the session reads it: Beast's parser with the server's limits, the
// request-target split and percent-decoded (http::setTarget), routing (Router::match) and the
// parameters of query and body, whatever the Content-Type (Params::fromRequest), read back
// through every accessor a handler uses. No handler runs: fuzz_api does that.
#include "fuzzsupport.h"

#include "http/params.h"

#include <cstdlib>

using namespace pinhole::server;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto& router = pinhole::fuzz::ApiFixture::instance().router();
    http::Router::Match match;
    auto request = pinhole::fuzz::parseWireRequest(router, pinhole::fuzz::asText(data, size), match);
    if (!request)
        return 0;
    // The route's parameters are segments of the path: never empty, never holding a '/'.
    for (const auto& [name, value] : match.params)
        if (value.empty() || value.find('/') != std::string::npos)
            std::abort();
    auto params = http::Params::fromRequest(*request);
    if (!params)
        return 0;
    for (const auto& [key, value] : params->object()) {
        (void)value;
        (void)params->string(key);
        (void)params->boolean(key);
        (void)params->integer(key);
        (void)params->strings(key);
    }
    return 0;
}
