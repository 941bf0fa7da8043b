// A raw HTTP/1.1 request to the real handlers of every route (in-process, over a throw-away data
// directory; fuzzsupport.h's placeholders such as {token} reach past authentication). Bad input
// must be answered with a 4xx and a reason: a 5xx is a finding.
#include "fuzzsupport.h"

#include <cstdio>
#include <cstdlib>

using namespace pinhole::server;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto& api = pinhole::fuzz::ApiFixture::instance();
    const std::string wire = api.substitute(pinhole::fuzz::asText(data, size));
    http::Router::Match match;
    auto request = pinhole::fuzz::parseWireRequest(api.router(), wire, match);
    if (!request)
        return 0;
    const http::Response response = api.handle(*request);
    if (response.status >= 500) {
        std::fprintf(stderr, "%s %s answered %d: %s\n", request->method.c_str(), request->path.c_str(), response.status,
                     response.body.c_str());
        std::abort();
    }
    return 0;
}
