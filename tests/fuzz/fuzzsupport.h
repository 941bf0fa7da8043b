// What the libFuzzer targets of tests/fuzz share: turning fuzz input into an http::Request the
// way the Beast session does (http/server.cpp), and ApiFixture, the server's services and routes
// composed in-process over a throw-away data directory, so a target reaches the real handlers
// without sockets or threads of its own.
//
// Placeholders: API inputs may contain {token} (a user's bearer token with every scope),
// {app_token} (an app's client_credentials token), {client_id}, {client_secret}, {account},
// {asset} (a processed JPEG of that user), {upload} (an unfinished tus upload of 64 bytes) and
// {operation} (an open annotation batch operation of that user, schema tag);
// {album} (an album of that user holding {asset});
// the fixture replaces them before parsing, so seeds can reach code behind authentication.
//
// Threading: a target runs one input at a time; the fixture's job workers run in the
// background, as in pinholed.
#pragma once

#include "http/message.h"
#include "http/router.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pinhole::fuzz {

std::string_view asText(const std::uint8_t* data, std::size_t size);

// Log lines are formatted (fuzzed text goes through the JSON escaping) and then dropped, so the
// fuzzer's own output stays readable. Idempotent; ApiFixture does it too.
void quietLogs();

// Parses `wire` as one HTTP/1.1 request with the session's limits (header size, then the
// matched route's body limit) and converts it as the session does. Nothing: the session would
// have answered 4xx (malformed, header too large, body over the route's limit) or hung up.
// `match` receives the route match the session would use.
std::optional<server::http::Request> parseWireRequest(const server::http::Router& router, std::string_view wire,
                                                      server::http::Router::Match& match);

class ApiFixture {
public:
    // Built once per process (on first use), never destroyed (background threads keep running
    // until exit; the data directory is removed at exit).
    static ApiFixture& instance();

    const server::http::Router& router() const;
    // Replaces the placeholders of the header comment.
    std::string substitute(std::string_view text) const;
    // Routes and dispatches as the session does, including the route's body limit.
    server::http::Response handle(server::http::Request& request) const;

    struct Impl;

private:
    ApiFixture();
    Impl* m_impl;
};

// A request `method path` with `body` as application/json and the user's bearer token.
// For the per-body-type targets (PINHOLE_FUZZ_JSON_BODY).
void fuzzJsonBody(std::string_view method, std::string_view path, const std::uint8_t* data, std::size_t size);

} // namespace pinhole::fuzz

// A target that fuzzes the JSON body of one endpoint: a whole fuzz_<name>.cpp is this one line.
// The path may use the placeholders above ("/api/v1/media/{asset}").
#define PINHOLE_FUZZ_JSON_BODY(method, path)                                                                           \
    extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {                                \
        pinhole::fuzz::fuzzJsonBody(method, path, data, size);                                                         \
        return 0;                                                                                                      \
    }
