// multipart/form-data bodies: the first line of the input is the Content-Type header (its
// boundary parameter), the rest the body. parseMultipart directly, then as a handler reads the
// text fields (Params::fromRequest).
#include "fuzzsupport.h"

#include "http/params.h"

#include <cstdlib>

using namespace pinhole::server;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input = pinhole::fuzz::asText(data, size);
    const std::size_t eol = input.find('\n');
    const std::string_view contentType = input.substr(0, eol);
    const std::string_view body = eol == std::string_view::npos ? std::string_view() : input.substr(eol + 1);
    auto parts = http::parseMultipart(contentType, body);
    if (parts) {
        if (parts->size() > http::kMaxMultipartParts)
            std::abort();
        // Every part's content is a slice of the body, as the header promises.
        for (const auto& part : *parts)
            if (part.content.data() < body.data() ||
                part.content.data() + part.content.size() > body.data() + body.size())
                std::abort();
    }
    http::Request request;
    request.method = "POST";
    request.path = "/api/v2/media";
    request.headers = {{"Content-Type", std::string(contentType)}};
    request.body = std::string(body);
    (void)http::Params::fromRequest(request);
    return 0;
}
