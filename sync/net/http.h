// The sync library's one HTTP client, on libcurl: every request has a connect timeout and a
// low-speed cut-off (a stalled server can't hang a sync), TLS is verified against the system's
// CAs, or — for a self-signed server the user accepted at login — against the server key
// pinned then (trust on first use; CURLOPT_PINNEDPUBLICKEY, "sha256//<base64>").
//
// A request that got no HTTP answer (refused, reset, timeout) is a Status with
// Code::Unavailable (Code::Untrusted for a certificate that doesn't verify or match the pin); any HTTP answer, 4xx and
// 5xx included, is a HttpResponse. Threading: an HttpClient is used by one thread at a time (it keeps one curl handle,
// so connections are reused).
#pragma once

#include "core/status.h"

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pinhole::sync::net {

struct HttpResponse {
    int status = 0;
    std::map<std::string, std::string> headers; // names in lower case
    std::string body;

    std::optional<std::string> header(const std::string& lowerName) const;
    // Retry-After in seconds (the delta form), if present.
    std::optional<int> retryAfterSeconds() const;
};

struct HttpRequest {
    std::string method = "GET";
    std::string url;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
};

struct TlsOptions {
    // "sha256//<base64 of the SHA-256 of the server's public key (DER)>"; when set, the
    // certificate chain is not checked against CAs, only this key.
    std::string pinnedKey;
};

class HttpClient {
public:
    HttpClient();
    ~HttpClient();
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;

    // A new client (its own connection) with this one's TLS, bearer and timeouts.
    std::unique_ptr<HttpClient> withSameSettings() const;

    void setTls(TlsOptions tls) { m_tls = std::move(tls); }
    void setBearer(std::string token) { m_bearer = std::move(token); }
    // Limits: connect within connectTimeoutMs; abort when fewer than 1 byte/s flows for
    // stallTimeoutS seconds (a whole request may take long: a big upload on a slow line).
    void setTimeouts(long connectTimeoutMs, long stallTimeoutS) {
        m_connectTimeoutMs = connectTimeoutMs;
        m_stallTimeoutS = stallTimeoutS;
    }

    Result<HttpResponse> send(const HttpRequest& request);

    // Receives a 2xx answer's body as it arrives: `sink` gets each piece and returns false to
    // stop (then a Status with Code::Unavailable, "cancelled"). A non-2xx answer's body goes to
    // the response as with send(), never to `sink`. For bodies too big to hold (originals).
    using BodySink = std::function<bool(std::string_view piece)>;
    Result<HttpResponse> receive(const HttpRequest& request, const BodySink& sink);

private:
    Result<HttpResponse> perform(const HttpRequest& request, const BodySink* sink);

    void* m_curl;
    TlsOptions m_tls;
    std::string m_bearer;
    long m_connectTimeoutMs = 10'000;
    long m_stallTimeoutS = 30;
};

// The server's public key pin for trust on first use: connects without verifying, and returns
// "sha256//<base64>" of the key the server presented (the pin survives a certificate renewed
// with the same key), and the certificate's SHA-256 fingerprint ("AB:CD:..."), the one
// `pinholed admin fingerprint` prints, for the user to compare.
struct ServerKey {
    std::string pin;
    std::string fingerprint;
};
Result<ServerKey> fetchServerKey(const std::string& url);

// An HTTP answer that is not a success as a Status: 401 Unauthenticated, 404 NotFound, 409
// Conflict, 413 PayloadTooLarge, 415 UnsupportedMediaType, 429 TooManyRequests (with
// Retry-After), 460 ChecksumMismatch, other 4xx InvalidArgument, 5xx Internal (the server failed: transient); the
// message is `what` and the server's {"error": "..."}.
Status errorOf(const HttpResponse& response, const std::string& what);

// "http://host:port/a/b?c" -> "/a/b?c"; an already relative path is returned as is.
std::string pathOf(const std::string& url);

} // namespace pinhole::sync::net
