// The change stream's cursor: parseCursor is total, what it accepts formats back to the same
// text (so a client's stored cursor means exactly one position), and the handler answers any
// cursor with a 200 stream (a reset for what it cannot continue) or a 4xx, never a 5xx.
#include "fuzzsupport.h"
#include "sync/cursor.h"

#include <cstdio>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace pinhole::server;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    if (const auto cursor = sync::parseCursor(text)) {
        if (sync::formatCursor(*cursor) != text) {
            std::fprintf(stderr, "cursor does not format back to its text\n");
            std::abort();
        }
    }

    std::string query = "/api/pinhole/v1/sync/changes?limit=3&cursor=";
    static const char* hex = "0123456789ABCDEF";
    for (unsigned char c : text) {
        query += '%';
        query += hex[c >> 4];
        query += hex[c & 15];
    }
    const auto& api = pinhole::fuzz::ApiFixture::instance();
    http::Request request;
    request.method = "GET";
    http::setTarget(request, query);
    request.headers = {{"Authorization", api.substitute("Bearer {token}")}};
    request.remoteAddress = "127.0.0.1";
    const http::Response response = api.handle(request);
    if (response.status >= 500) {
        std::fprintf(stderr, "answered %d: %s\n", response.status, response.body.c_str());
        std::abort();
    }
    return 0;
}
