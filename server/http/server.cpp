#include "http/server.h"

#include "core/log.h"
#include "http/fileslicebody.h"

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <csignal>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace ssl = boost::asio::ssl;
using tcp = boost::asio::ip::tcp;
using asio::awaitable;
using asio::use_awaitable;

namespace pinhole::server::http {

namespace {

constexpr auto kTuple = asio::as_tuple(use_awaitable);
using Strand = asio::strand<asio::io_context::executor_type>;

// What shutdown needs to reach a connection: confined to the connection's strand.
struct SessionHandle {
    explicit SessionHandle(asio::any_io_executor e) : executor(std::move(e)) {}
    asio::any_io_executor executor;
    bool idle = false;                // waiting for the first byte of a request
    beast::tcp_stream* tcp = nullptr; // valid while the session runs
};

struct InFlight {
    explicit InFlight(HttpMetrics& m) : metrics(m) { ++metrics.requestsInFlight; }
    ~InFlight() { --metrics.requestsInFlight; }
    HttpMetrics& metrics;
};

Request toRequest(const bhttp::request_parser<bhttp::string_body>& parser, const std::string& remote, bool secure) {
    const auto& msg = parser.get();
    Request r;
    r.method = std::string(msg.method_string());
    setTarget(r, msg.target());
    for (const auto& field : msg)
        r.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    r.remoteAddress = remote;
    r.secure = secure;
    return r;
}

} // namespace

struct HttpServer::Impl {
    Impl(const Router& r, ServerLimits l, HttpMetrics& m)
        : router(r), limits(l), metrics(m), io(static_cast<int>(l.ioThreads)), blocking(l.handlerThreads), acceptor(io),
          signals(io, SIGINT, SIGTERM), reloadSignals(io, SIGHUP), graceTimer(io) {}

    const Router& router;
    ServerLimits limits;
    HttpMetrics& metrics;
    asio::io_context io;
    asio::thread_pool blocking;
    tcp::acceptor acceptor;
    asio::signal_set signals;
    asio::signal_set reloadSignals;
    asio::steady_timer graceTimer;
    std::function<void()> stoppingHook; // set before run(), then only read
    std::function<void()> reloadHook;
    std::optional<ssl::context> tls;
    bool stopping = false; // read and written on io's threads under sessionsMutex

    std::mutex sessionsMutex; // guards sessions, stopping
    std::unordered_map<std::uint64_t, std::shared_ptr<SessionHandle>> sessions;
    std::uint64_t nextSession = 0;

    bool isStopping() {
        std::lock_guard lock(sessionsMutex);
        return stopping;
    }

    awaitable<void> acceptLoop();
    awaitable<void> session(tcp::socket socket);
    template <class Stream> awaitable<void> serve(Stream& stream, SessionHandle& handle, const std::string& remote);
    template <class Stream, class Message> awaitable<bool> write(Stream& stream, Message& message);
    // Returns whether the response went out whole, and the body bytes it carried.
    template <class Stream> awaitable<void> lingerAndClose(Stream& stream);
    template <class Stream>
    awaitable<std::pair<bool, std::uint64_t>> writeResponse(Stream& stream, Response& response, bool head, bool close);
    void beginStop();
    void awaitReload();
    void sessionEnded(std::uint64_t id);
};

HttpServer::HttpServer(const Router& router, ServerLimits limits, HttpMetrics& metrics)
    : m_impl(std::make_unique<Impl>(router, limits, metrics)) {}

HttpServer::~HttpServer() = default;

Status HttpServer::useTls(const std::string& certFile, const std::string& keyFile) {
    ssl::context ctx(ssl::context::tls_server);
    ctx.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                    ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
    boost::system::error_code ec;
    ctx.use_certificate_chain_file(certFile, ec);
    if (ec)
        return invalidArgument("cannot load TLS certificate " + certFile + ": " + ec.message());
    ctx.use_private_key_file(keyFile, ssl::context::pem, ec);
    if (ec)
        return invalidArgument("cannot load TLS key " + keyFile + ": " + ec.message());
    m_impl->tls.emplace(std::move(ctx));
    return Status::ok();
}

Result<std::string> HttpServer::listen(const std::string& host, unsigned short port) {
    boost::system::error_code ec;
    const auto address = asio::ip::make_address(host, ec);
    if (ec)
        return invalidArgument("not an IP address: " + host);
    const tcp::endpoint endpoint(address, port);
    auto& acceptor = m_impl->acceptor;
    acceptor.open(endpoint.protocol(), ec);
    if (!ec)
        acceptor.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec)
        acceptor.bind(endpoint, ec);
    if (!ec)
        acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec)
        return Status(Code::Unavailable, "cannot listen on " + host + ":" + std::to_string(port) + ": " + ec.message());
    const auto bound = acceptor.local_endpoint();
    const std::string hostText =
        bound.address().is_v6() ? "[" + bound.address().to_string() + "]" : bound.address().to_string();
    return hostText + ":" + std::to_string(bound.port());
}

void HttpServer::run() {
    Impl& impl = *m_impl;
    impl.signals.async_wait([&impl](const boost::system::error_code& ec, int signal) {
        if (!ec) {
            log::info("shutdown_requested", {{"signal", static_cast<long long>(signal)}});
            impl.beginStop();
        }
    });
    impl.awaitReload();
    asio::co_spawn(impl.io, impl.acceptLoop(), asio::detached);
    std::vector<std::thread> threads;
    for (std::size_t i = 1; i < impl.limits.ioThreads; ++i)
        threads.emplace_back([&impl] { impl.io.run(); });
    impl.io.run();
    for (auto& t : threads)
        t.join();
    impl.blocking.join();
    log::info("server_stopped");
}

void HttpServer::stop() {
    asio::post(m_impl->io, [impl = m_impl.get()] { impl->beginStop(); });
}

void HttpServer::onStopping(std::function<void()> hook) {
    m_impl->stoppingHook = std::move(hook);
}

void HttpServer::onReload(std::function<void()> hook) {
    m_impl->reloadHook = std::move(hook);
}

void HttpServer::Impl::awaitReload() {
    reloadSignals.async_wait([this](const boost::system::error_code& ec, int) {
        if (ec)
            return; // cancelled by beginStop()
        if (reloadHook)
            asio::post(blocking, reloadHook);
        awaitReload();
    });
}

void HttpServer::Impl::beginStop() {
    std::vector<std::shared_ptr<SessionHandle>> toClose;
    {
        std::lock_guard lock(sessionsMutex);
        if (stopping)
            return;
        stopping = true;
        for (auto& [id, h] : sessions)
            toClose.push_back(h);
    }
    if (stoppingHook)
        stoppingHook();
    boost::system::error_code ignored;
    acceptor.close(ignored);
    signals.cancel(ignored);
    reloadSignals.cancel(ignored);
    for (auto& h : toClose) {
        asio::post(h->executor, [h] {
            if (h->idle && h->tcp)
                h->tcp->cancel();
        });
    }
    graceTimer.expires_after(limits.shutdownGrace);
    graceTimer.async_wait([this](const boost::system::error_code& ec) {
        if (!ec) {
            log::warn("shutdown_grace_expired",
                      {{"connections", static_cast<long long>(metrics.openConnections.load())}});
            io.stop();
        }
    });
    sessionEnded(0);
}

void HttpServer::Impl::sessionEnded(std::uint64_t id) {
    std::lock_guard lock(sessionsMutex);
    if (id != 0)
        sessions.erase(id);
    if (stopping && sessions.empty())
        asio::post(io, [this] { graceTimer.cancel(); });
}

awaitable<void> HttpServer::Impl::acceptLoop() {
    for (;;) {
        auto [ec, socket] = co_await acceptor.async_accept(asio::make_strand(io), kTuple);
        if (ec) {
            if (isStopping() || ec == asio::error::operation_aborted)
                co_return;
            // Out of file descriptors and the like: log it and keep accepting.
            log::warn("accept_failed", {{"error", ec.message()}});
            continue;
        }
        if (static_cast<std::size_t>(metrics.openConnections.load()) >= limits.maxConnections) {
            ++metrics.rejectedConnections;
            log::warn("connection_refused", {{"reason", "max_connections"}});
            continue; // socket closes as it goes out of scope
        }
        auto executor = socket.get_executor();
        asio::co_spawn(executor, session(std::move(socket)), asio::detached);
    }
}

awaitable<void> HttpServer::Impl::session(tcp::socket socket) {
    boost::system::error_code ec;
    // A response leaves in as many writes as it takes (a file in 64 KiB chunks); with Nagle's
    // algorithm the last small one would wait for the client's delayed ACK (40 ms). Each write
    // is a whole part of a response, so there is nothing to coalesce (nginx's tcp_nodelay, on by
    // default, for the same reason).
    socket.set_option(tcp::no_delay(true), ec);
    const auto peer = socket.remote_endpoint(ec);
    const std::string remote = ec ? std::string("unknown") : peer.address().to_string();

    auto handle = std::make_shared<SessionHandle>(socket.get_executor());
    std::uint64_t id = 0;
    {
        std::lock_guard lock(sessionsMutex);
        if (stopping)
            co_return;
        id = ++nextSession;
        sessions.emplace(id, handle);
    }
    ++metrics.openConnections;

    beast::tcp_stream tcpStream(std::move(socket));
    try {
        if (tls) {
            beast::ssl_stream<beast::tcp_stream> stream(std::move(tcpStream), *tls);
            handle->tcp = &beast::get_lowest_layer(stream);
            beast::get_lowest_layer(stream).expires_after(limits.headerTimeout);
            auto [hec] = co_await stream.async_handshake(ssl::stream_base::server, kTuple);
            if (!hec) {
                co_await serve(stream, *handle, remote);
                beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(5));
                co_await stream.async_shutdown(kTuple);
            }
            handle->tcp = nullptr;
        } else {
            handle->tcp = &tcpStream;
            co_await serve(tcpStream, *handle, remote);
            tcpStream.socket().shutdown(tcp::socket::shutdown_send, ec);
            handle->tcp = nullptr;
        }
    } catch (const std::exception& e) {
        handle->tcp = nullptr;
        log::error("session_failed", {{"what", std::string(e.what())}});
    }
    --metrics.openConnections;
    sessionEnded(id);
}

template <class Stream, class Message> awaitable<bool> HttpServer::Impl::write(Stream& stream, Message& message) {
    beast::get_lowest_layer(stream).expires_after(limits.writeTimeout);
    auto [ec, n] = co_await bhttp::async_write(stream, message, kTuple);
    co_return !ec;
}

template <class Stream>
awaitable<std::pair<bool, std::uint64_t>> HttpServer::Impl::writeResponse(Stream& stream, Response& response, bool head,
                                                                          bool close) {
    // HEAD answers with the headers a GET would carry and no body.
    if (head) {
        bhttp::response<bhttp::empty_body> msg{static_cast<bhttp::status>(response.status), 11};
        for (auto& [k, v] : response.headers)
            msg.set(k, v);
        if (!response.contentType.empty())
            msg.set(bhttp::field::content_type, response.contentType);
        msg.keep_alive(!close);
        msg.content_length(response.file ? response.file->length : response.body.size());
        bhttp::response_serializer<bhttp::empty_body> sr{msg};
        beast::get_lowest_layer(stream).expires_after(limits.writeTimeout);
        auto [ec, n] = co_await bhttp::async_write_header(stream, sr, kTuple);
        co_return std::pair{!ec, std::uint64_t{0}};
    }
    if (response.file) {
        // Streamed from disk in chunks: a large original is never read whole into memory.
        bhttp::response<FileSliceBody> msg{static_cast<bhttp::status>(response.status), 11};
        beast::error_code ec;
        msg.body().file.open(response.file->path.c_str(), beast::file_mode::scan, ec);
        msg.body().offset = response.file->offset;
        msg.body().length = response.file->length;
        if (ec) {
            log::error("file_response_failed", {{"error", ec.message()}});
            response = errorResponse(internalError("cannot read stored file"));
        } else {
            for (auto& [k, v] : response.headers)
                msg.set(k, v);
            msg.set(bhttp::field::content_type, response.contentType);
            msg.keep_alive(!close);
            msg.content_length(response.file->length);
            const bool ok = co_await write(stream, msg);
            co_return std::pair{ok, response.file->length};
        }
    }
    bhttp::response<bhttp::string_body> msg{static_cast<bhttp::status>(response.status), 11};
    if (response.status == 460)
        msg.reason("Checksum Mismatch"); // tus's checksum extension; Beast doesn't know it
    for (auto& [k, v] : response.headers)
        msg.set(k, v);
    if (!response.contentType.empty() && response.status != 204 && response.status != 304)
        msg.set(bhttp::field::content_type, response.contentType);
    msg.keep_alive(!close);
    const std::uint64_t bytes = response.body.size();
    msg.body() = std::move(response.body);
    msg.prepare_payload();
    const bool ok = co_await write(stream, msg);
    co_return std::pair{ok, bytes};
}

template <class Stream>
awaitable<void> HttpServer::Impl::serve(Stream& stream, SessionHandle& handle, const std::string& remote) {
    auto& lowest = beast::get_lowest_layer(stream);
    beast::flat_buffer buffer;
    const bool secure = tls.has_value();
    bool servedOne = false;

    for (;;) {
        // Idle: wait for the first byte of the next request; shutdown may cancel this wait.
        if (buffer.size() == 0) {
            if (isStopping())
                co_return;
            handle.idle = true;
            lowest.expires_after(limits.idleTimeout);
            auto [ec, n] = co_await stream.async_read_some(buffer.prepare(4096), kTuple);
            handle.idle = false;
            // A keep-alive connection timing out after its requests is normal; one that never sent
            // a byte is holding a connection slot (an idle-connection flood): say so.
            if (ec == beast::error::timeout && !servedOne)
                log::warn("request_timeout", {{"phase", "idle"}, {"remote", remote}});
            if (ec)
                co_return;
            buffer.commit(n);
        }
        servedOne = true;

        InFlight inFlight(metrics);
        const auto started = std::chrono::steady_clock::now();
        Request request;
        Response response;
        std::size_t bodyLimit = kDefaultMaxBody;
        bool closeAfter = false;
        bool drainBody = false; // we answer before reading the body; see lingerAndClose()

        // Header: one deadline for all of it.
        bhttp::request_parser<bhttp::string_body> parser;
        parser.header_limit(static_cast<std::uint32_t>(limits.headerBytes));
        // No body limit while reading the header (Beast would refuse a large Content-Length as a
        // parse error); the route's limit is applied below, once we know the route.
        parser.body_limit(boost::none);
        lowest.expires_after(limits.headerTimeout);
        auto [hec, hn] = co_await bhttp::async_read_header(stream, buffer, parser, kTuple);

        Router::Match match;
        if (hec == bhttp::error::header_limit) {
            response = errorResponse(invalidArgument("request header too large"));
            response.status = 431;
            closeAfter = true;
        } else if (hec == beast::error::timeout) {
            log::warn("request_timeout", {{"phase", "header"}, {"remote", remote}});
            co_return;
        } else if (hec == bhttp::error::end_of_stream || hec == asio::error::eof ||
                   hec == asio::error::connection_reset || hec == asio::error::operation_aborted) {
            co_return;
        } else if (hec) {
            response = errorResponse(invalidArgument("malformed HTTP request"));
            closeAfter = true;
        } else {
            request = toRequest(parser, remote, secure);
            match = router.match(request.method, request.path);
            if (match.route)
                bodyLimit = match.route->options.maxBodyBytes;
            const auto declared = parser.content_length();
            if (declared && *declared > bodyLimit) {
                response = errorResponse(
                    Status(Code::PayloadTooLarge, "request body larger than " + std::to_string(bodyLimit) + " bytes"));
                closeAfter = true;
                drainBody = true;
            } else {
                if (beast::iequals(request.header("expect"), "100-continue")) {
                    bhttp::response<bhttp::empty_body> cont{bhttp::status::continue_, 11};
                    if (!co_await write(stream, cont))
                        co_return;
                }
                parser.body_limit(bodyLimit);
                lowest.expires_after(limits.bodyTimeout);
                auto [bec, bn] = co_await bhttp::async_read(stream, buffer, parser, kTuple);
                if (bec == bhttp::error::body_limit) {
                    response = errorResponse(Status(Code::PayloadTooLarge, "request body larger than " +
                                                                               std::to_string(bodyLimit) + " bytes"));
                    closeAfter = true;
                    drainBody = true;
                } else if (bec == beast::error::timeout) {
                    log::warn("request_timeout", {{"phase", "body"}, {"remote", remote}});
                    co_return;
                } else if (bec) {
                    co_return;
                } else {
                    request.body = std::move(parser.get().body());
                    if (auto quick = router.answerQuickly(request, match)) {
                        response = std::move(*quick);
                    } else {
                        // Handlers may block (database, images): run them on the blocking pool.
                        response = co_await asio::co_spawn(
                            blocking, [&]() -> awaitable<Response> { co_return router.dispatch(request, match); },
                            use_awaitable);
                    }
                    closeAfter = !parser.get().keep_alive();
                }
            }
        }
        if (isStopping())
            closeAfter = true;

        const auto [written, bytes] = co_await writeResponse(stream, response, request.method == "HEAD", closeAfter);
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        const std::string route = request.routePattern.empty() ? std::string("-") : request.routePattern;
        metrics.record(request.method.empty() ? "-" : request.method, route, response.status, seconds);
        log::info("request", {{"method", request.method},
                              {"route", route},
                              {"status", static_cast<long long>(response.status)},
                              {"bytes", static_cast<long long>(bytes)},
                              {"us", static_cast<long long>(seconds * 1e6)},
                              {"account", request.accountId ? idToString(*request.accountId) : std::string("-")},
                              {"remote", remote}});
        if (written && drainBody)
            co_await lingerAndClose(stream);
        if (!written || closeAfter)
            co_return;
    }
}

template <class Stream> awaitable<void> HttpServer::Impl::lingerAndClose(Stream& stream) {
    // Closing a socket with unread data makes the kernel send RST, which destroys our response
    // in the client's receive buffer before it reads it. So, like nginx's lingering close, we
    // stop sending and read (and drop) what the client still sends, bounded in time and bytes.
    constexpr std::size_t kMaxDrainBytes = 64 * 1024 * 1024;
    constexpr auto kMaxDrainTime = std::chrono::seconds(2);
    auto& lowest = beast::get_lowest_layer(stream);
    if constexpr (std::is_same_v<Stream, beast::tcp_stream>) {
        boost::system::error_code ignored;
        lowest.socket().shutdown(tcp::socket::shutdown_send, ignored);
    }
    lowest.expires_after(kMaxDrainTime);
    std::array<char, 16 * 1024> scratch;
    std::size_t drained = 0;
    while (drained < kMaxDrainBytes) {
        auto [ec, n] = co_await stream.async_read_some(asio::buffer(scratch), kTuple);
        if (ec)
            break;
        drained += n;
    }
}

} // namespace pinhole::server::http
