#include "core/config.h"

#include <toml++/toml.h>

#include <charconv>
#include <set>

namespace pinhole::server {

namespace {

// Reads keys of one table, remembering which it used so leftovers can be reported.
class TableReader {
public:
    TableReader(const toml::table& root, std::string name, Status& status) : m_name(std::move(name)), m_status(status) {
        if (const auto* node = root.get(m_name)) {
            m_table = node->as_table();
            if (!m_table)
                fail("[" + m_name + "] must be a table");
        }
    }
    ~TableReader() {
        if (!m_table || !m_status)
            return;
        for (const auto& [key, value] : *m_table)
            if (!m_used.contains(std::string(key.str())))
                fail("unknown key " + m_name + "." + std::string(key.str()));
    }

    template <class T> void read(const char* key, T& out) {
        m_used.insert(key);
        if (!m_table || !m_status)
            return;
        const toml::node* node = m_table->get(key);
        if (!node)
            return;
        if constexpr (std::is_same_v<T, bool>) {
            if (auto v = node->value<bool>())
                out = *v;
            else
                fail(m_name + "." + key + " must be true or false");
        } else if constexpr (std::is_same_v<T, std::string>) {
            if (auto v = node->value<std::string>())
                out = *v;
            else
                fail(m_name + "." + key + " must be a string");
        } else {
            auto v = node->value<std::int64_t>();
            if (!v || *v < 0)
                fail(m_name + "." + key + " must be a non-negative integer");
            else
                out = static_cast<T>(*v);
        }
    }

    void readMs(const char* key, std::chrono::milliseconds& out) {
        std::int64_t ms = out.count();
        read(key, ms);
        out = std::chrono::milliseconds(ms);
    }

private:
    void fail(std::string message) {
        if (m_status)
            m_status = invalidArgument(std::move(message));
    }
    std::string m_name;
    Status& m_status;
    const toml::table* m_table = nullptr;
    std::set<std::string> m_used;
};

} // namespace

Status parseListen(const std::string& text, Config& config) {
    const auto colon = text.rfind(':');
    if (colon == std::string::npos)
        return invalidArgument("listen address must be HOST:PORT, got \"" + text + "\"");
    std::string host = text.substr(0, colon);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
    const std::string port = text.substr(colon + 1);
    unsigned value = 0;
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc{} || end != port.data() + port.size() || value > 65535)
        return invalidArgument("bad port in listen address \"" + text + "\"");
    config.listenHost = host.empty() ? "0.0.0.0" : host;
    config.listenPort = static_cast<unsigned short>(value);
    return Status::ok();
}

Status loadConfigFile(const std::string& path, Config& config) {
    toml::table root;
    try {
        root = toml::parse_file(path);
    } catch (const toml::parse_error& e) {
        return invalidArgument("cannot read config " + path + ": " + std::string(e.description()));
    }
    static const std::set<std::string> kTables{"server", "tls",  "registration", "limits", "auth",    "instance",
                                               "log",    "jobs", "media",        "social", "library", "cache"};
    for (const auto& [key, value] : root)
        if (!kTables.contains(std::string(key.str())))
            return invalidArgument("unknown section [" + std::string(key.str()) + "] in " + path);

    Status status;
    {
        TableReader t(root, "server", status);
        std::string listen;
        t.read("listen", listen);
        if (status && !listen.empty())
            status = parseListen(listen, config);
        t.read("data_dir", config.dataDir);
        t.read("public_url", config.publicUrl);
        t.read("io_threads", config.limits.ioThreads);
        t.read("handler_threads", config.limits.handlerThreads);
    }
    {
        TableReader t(root, "tls", status);
        t.read("self_signed", config.tlsSelfSigned);
        t.read("cert", config.tlsCert);
        t.read("key", config.tlsKey);
    }
    {
        TableReader t(root, "registration", status);
        std::string mode;
        t.read("mode", mode);
        if (mode == "open")
            config.registration = RegistrationMode::Open;
        else if (mode == "approval")
            config.registration = RegistrationMode::Approval;
        else if (mode == "closed")
            config.registration = RegistrationMode::Closed;
        else if (!mode.empty() && status)
            status = invalidArgument("registration.mode must be open, approval or closed");
    }
    {
        TableReader t(root, "limits", status);
        t.read("header_bytes", config.limits.headerBytes);
        t.readMs("header_timeout_ms", config.limits.headerTimeout);
        t.readMs("body_timeout_ms", config.limits.bodyTimeout);
        t.readMs("idle_timeout_ms", config.limits.idleTimeout);
        t.readMs("write_timeout_ms", config.limits.writeTimeout);
        t.readMs("shutdown_grace_ms", config.limits.shutdownGrace);
        t.read("max_connections", config.limits.maxConnections);
    }
    {
        TableReader t(root, "auth", status);
        t.read("login_attempts_per_address", config.loginAttemptsPerAddress);
        t.read("login_failures_per_account", config.loginFailuresPerAccount);
        t.read("login_window_seconds", config.loginWindowSeconds);
        t.read("token_failures_per_address", config.tokenFailuresPerAddress);
    }
    {
        TableReader t(root, "instance", status);
        t.read("title", config.instanceTitle);
        t.read("description", config.instanceDescription);
        t.read("contact_email", config.contactEmail);
    }
    {
        TableReader t(root, "log", status);
        t.read("level", config.logLevel);
    }
    {
        TableReader t(root, "jobs", status);
        t.read("workers", config.jobWorkers);
        t.read("lease_seconds", config.jobLeaseSeconds);
        t.read("nice", config.jobNice);
    }
    {
        TableReader t(root, "media", status);
        t.read("upload_expiry_hours", config.uploadExpiryHours);
    }
    {
        TableReader t(root, "social", status);
        t.read("celebrity_followers", config.celebrityFollowers);
        t.read("feed_length", config.feedLength);
        t.read("follow_backfill", config.followBackfill);
    }
    {
        TableReader t(root, "library", status);
        t.read("trash_retention_seconds", config.trashRetentionSeconds);
    }
    {
        TableReader t(root, "cache", status);
        t.read("tokens", config.tokenCacheEntries);
        t.read("statuses_mib", config.statusCacheMiB);
        t.read("home_pages_mib", config.homePageCacheMiB);
    }
    if (status &&
        (config.tokenCacheEntries > 10'000'000 || config.statusCacheMiB > 65536 || config.homePageCacheMiB > 65536))
        status = invalidArgument("cache.tokens must be at most 10000000, cache.*_mib at most 65536");
    if (status && (config.trashRetentionSeconds < 0 || config.trashRetentionSeconds > 10LL * 366 * 24 * 3600))
        status = invalidArgument("library.trash_retention_seconds must be between 0 and 316224000 (10 years)");
    if (status && (config.limits.ioThreads == 0 || config.limits.handlerThreads == 0))
        status = invalidArgument("server.io_threads and server.handler_threads must be at least 1");
    if (status && (config.loginAttemptsPerAddress < 1 || config.loginFailuresPerAccount < 1 ||
                   config.loginWindowSeconds < 1 || config.tokenFailuresPerAddress < 1))
        status = invalidArgument("auth limits must be at least 1");
    if (status && (config.jobLeaseSeconds < 1 || config.jobLeaseSeconds > 86400))
        status = invalidArgument("jobs.lease_seconds must be between 1 and 86400");
    if (status && (config.jobNice < 0 || config.jobNice > 19))
        status = invalidArgument("jobs.nice must be between 0 and 19");
    if (status && (config.uploadExpiryHours < 1 || config.uploadExpiryHours > 24 * 365))
        status = invalidArgument("media.upload_expiry_hours must be between 1 and 8760");
    if (status && (config.feedLength < 20 || config.feedLength > 100000))
        status = invalidArgument("social.feed_length must be between 20 and 100000");
    if (status && config.followBackfill > config.feedLength)
        status = invalidArgument("social.follow_backfill must be at most social.feed_length");
    return status;
}

} // namespace pinhole::server
