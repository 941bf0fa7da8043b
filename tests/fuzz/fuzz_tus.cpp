// tus 1.0.0 headers. Input lines: Upload-Metadata, Upload-Checksum, Upload-Length, Upload-Offset;
// the rest is a PATCH body. The header parsers directly (parseUploadMetadata,
// parseUploadChecksum), then the real handlers: creation with Upload-Length and Upload-Metadata,
// a PATCH of the new upload with Upload-Offset and Upload-Checksum, HEAD and termination.
// Bad headers are a 4xx with a reason, never a 5xx.
#include "fuzzsupport.h"

#include "media/uploads.h"

#include <cstdio>
#include <cstdlib>

using namespace pinhole::server;

namespace {

std::string_view nextLine(std::string_view& input) {
    const std::size_t eol = input.find('\n');
    const std::string_view line = input.substr(0, eol);
    input = eol == std::string_view::npos ? std::string_view() : input.substr(eol + 1);
    return line;
}

http::Response send(const pinhole::fuzz::ApiFixture& api, std::string method, const std::string& path,
                    http::Headers headers, std::string body = {}) {
    http::Request request;
    request.method = std::move(method);
    http::setTarget(request, path);
    headers.emplace_back("Authorization", api.substitute("Bearer {token}"));
    headers.emplace_back("Tus-Resumable", "1.0.0");
    request.headers = std::move(headers);
    request.body = std::move(body);
    request.remoteAddress = "127.0.0.1";
    http::Response response = api.handle(request);
    if (response.status >= 500) {
        std::fprintf(stderr, "%s %s answered %d: %s\n", request.method.c_str(), path.c_str(), response.status,
                     response.body.c_str());
        std::abort();
    }
    return response;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view input = pinhole::fuzz::asText(data, size);
    const std::string metadata(nextLine(input));
    const std::string checksum(nextLine(input));
    const std::string length(nextLine(input));
    const std::string offset(nextLine(input));
    const std::string chunk(input);

    if (auto pairs = media::parseUploadMetadata(metadata))
        for (const auto& [key, value] : *pairs)
            if (key.empty() || key.size() > 64)
                std::abort();
    if (auto digest = media::parseUploadChecksum(checksum); digest && digest->size() != 32)
        std::abort();

    const auto& api = pinhole::fuzz::ApiFixture::instance();
    const std::string uploads = "/api/pinhole/v1/uploads";
    const http::Response created =
        send(api, "POST", uploads, {{"Upload-Length", length}, {"Upload-Metadata", metadata}});
    const std::string_view location = http::findHeader(created.headers, "location");
    const std::size_t slash = location.rfind('/');
    // An upload the fuzzer made, or else the fixture's unfinished one.
    const std::string target = created.status == 201 && slash != std::string_view::npos
                                   ? uploads + std::string(location.substr(slash))
                                   : api.substitute(uploads + "/{upload}");
    (void)send(
        api, "PATCH", target,
        {{"Content-Type", "application/offset+octet-stream"}, {"Upload-Offset", offset}, {"Upload-Checksum", checksum}},
        chunk);
    (void)send(api, "HEAD", target, {});
    if (created.status == 201)
        (void)send(api, "DELETE", target, {});
    return 0;
}
