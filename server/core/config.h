// pinholed's configuration: defaults, then the TOML file (--config), then command-line flags.
// docs/configuration.md documents every key; keep the two in step.
#pragma once

#include "core/status.h"
#include "http/server.h"

#include <cstdint>
#include <string>
#include <vector>

namespace pinhole::server {

enum class RegistrationMode { Open, Approval, Closed };

struct Config {
    // [server]
    std::string listenHost = "127.0.0.1";
    unsigned short listenPort = 8470;
    std::string dataDir = "pinhole-data";
    std::string publicUrl; // empty: derived from the bound address and TLS
    // [tls]
    bool tlsSelfSigned = false;
    std::string tlsCert;
    std::string tlsKey;
    // [registration]
    RegistrationMode registration = RegistrationMode::Open;
    // [limits]
    http::ServerLimits limits;
    // [auth]: login attempts per window from one client address, and failed logins per window
    // against one account.
    int loginAttemptsPerAddress = 20;
    int loginFailuresPerAccount = 10;
    int loginWindowSeconds = 300;
    // Failed bearer-token authentications per window from one client address (token guessing).
    int tokenFailuresPerAddress = 30;
    // [instance]
    std::string instanceTitle = "Pinhole";
    std::string instanceDescription = "A self-hosted photo-sharing server";
    std::string contactEmail;
    // [log]
    std::string logLevel = "info";
    // [jobs]: background job workers (0: one per core) and how long a claimed job stays leased
    // to its worker without a heartbeat before it returns to the queue.
    unsigned jobWorkers = 0;
    int jobLeaseSeconds = 60;
    int jobNice = 10;
    // [media]: an unfinished tus upload is removed this long after it was created.
    int uploadExpiryHours = 24;
    // [social]: authors with more followers than this are not fanned out but pulled into their
    // followers' feeds at read time; a home feed keeps about this many posts; a new follow
    // brings this many recent posts of the followed account into the follower's feed.
    std::int64_t celebrityFollowers = 10000;
    int feedLength = 800;
    int followBackfill = 40;
    // [library]: an asset stays this long in the trash before a job purges it (30 days).
    std::int64_t trashRetentionSeconds = 30LL * 24 * 3600;
    // [cache]: the in-memory caches of the hot read paths, each bounded: resolved
    // bearer tokens (entries), rendered statuses and home-timeline pages (MiB each); 0 turns one off.
    std::size_t tokenCacheEntries = 65536;
    std::size_t statusCacheMiB = 64;
    std::size_t homePageCacheMiB = 32;

    std::string databasePath() const { return dataDir + "/pinhole.db"; }
};

// Reads a TOML file over `config`. Unknown keys are errors (a typo must not pass silently).
Status loadConfigFile(const std::string& path, Config& config);

// "host:port", "[v6]:port" or ":port".
Status parseListen(const std::string& text, Config& config);

} // namespace pinhole::server
