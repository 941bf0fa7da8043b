// The HTTP/1.1 server: Boost.Beast on Asio with C++20 coroutines.
//
// Threading: `ioThreads` threads run the io_context (accept, read, write; never blocking work);
// each connection lives on its own strand. Handlers run on a separate pool of `handlerThreads`
// (database, images), so a slow handler never stalls the I/O threads; only a route's QuickHandler
// (router.h), an answer from memory that never waits, is tried on the I/O thread first. Router
// and Metrics are shared read-mostly and thread-safe.
//
// Connection life: idle (waiting for the first byte of a request, `idleTimeout`) -> reading the
// header (one deadline for the whole header from its first byte, `headerTimeout`: a client
// trickling headers is cut off) -> reading the body (`bodyTimeout`, size bounded per route) ->
// handling -> writing (`writeTimeout`) -> idle again if keep-alive.
//
// Shutdown (stop(), SIGINT, SIGTERM): stop accepting, close idle connections at once, let each
// in-flight request finish and answer it with "Connection: close", then return from run();
// connections still busy after `shutdownGrace` are dropped. SIGHUP runs the reload hook.
#pragma once

#include "core/status.h"
#include "http/metrics.h"
#include "http/router.h"

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

namespace pinhole::server::http {

struct ServerLimits {
    // Beast's default is 8 KiB; 16 KiB admits long bearer tokens and cookies, more is abuse.
    std::size_t headerBytes = 16 * 1024;
    // The whole header must arrive within this from its first byte (slowloris defence).
    std::chrono::milliseconds headerTimeout{10'000};
    // The whole body; uploads come in tus chunks, so minutes are never needed for one request.
    std::chrono::milliseconds bodyTimeout{120'000};
    // A keep-alive connection may wait this long for its next request.
    std::chrono::milliseconds idleTimeout{30'000};
    std::chrono::milliseconds writeTimeout{60'000};
    std::chrono::milliseconds shutdownGrace{30'000};
    // Each connection costs a socket and ~10 KiB of buffers; past this we refuse new ones so the
    // process keeps its file descriptors and memory for the connections it already serves.
    std::size_t maxConnections = 1024;
    std::size_t ioThreads = 2;
    std::size_t handlerThreads = 4;
};

class HttpServer {
public:
    HttpServer(const Router& router, ServerLimits limits, HttpMetrics& metrics);
    ~HttpServer();
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    // Serve HTTPS with this PEM certificate chain and key. REQUIRES: before listen().
    Status useTls(const std::string& certFile, const std::string& keyFile);

    // Binds and listens; port 0 picks a free port. Returns the bound "host:port".
    Result<std::string> listen(const std::string& host, unsigned short port);

    // Serves until stop() or SIGINT/SIGTERM, then drains and returns. Call once.
    void run();

    // Graceful stop; thread-safe, idempotent.
    void stop();

    // Runs once when shutdown begins, on an I/O thread: must be quick (a datagram, a flag).
    // REQUIRES: before run().
    void onStopping(std::function<void()> hook);
    // Runs on each SIGHUP, on the handler pool (it may read files). Without a hook SIGHUP is
    // ignored (not the default action, which terminates). REQUIRES: before run().
    void onReload(std::function<void()> hook);

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace pinhole::server::http
