// `pinholed seed`: fills a data directory with synthetic accounts, follows and posts for demos and
// benchmarks. Rows are written directly (no events: a seeded world has no history to replay), the
// counters are computed from them, and home feeds are left empty to be rebuilt on first read.
// A few real photos are made and processed once; every account's assets reuse their files.
#pragma once

#include "core/config.h"
#include "core/status.h"

#include <cstdint>
#include <ostream>
#include <string>

namespace pinhole::server {

struct SeedOptions {
    int users = 100;
    int follows = 10; // each account follows this many others, at random
    int posts = 1000; // spread over the accounts at random, over the last 30 days
    int fans = 0;     // the first account ("user0") is also followed by this many others
    int photos = 4;   // real photos per account (the same files for all)
    int tokens = 0;   // bearer tokens to issue: user0's, the last account's, then random ones
    std::string tokensFile; // one "<username> <token>" per line
    std::uint64_t randomSeed = 1;
};

// Every seeded account's password.
inline constexpr const char* kSeedPassword = "pinhole-seed-password";

Status seedData(const Config& config, const SeedOptions& options, std::ostream& out);

} // namespace pinhole::server
