// Wall-clock time as stored and sent: Unix milliseconds, and Mastodon's ISO 8601 form.
#pragma once

#include <cstdint>
#include <string>

namespace pinhole::server {

std::int64_t nowMillis();
// "2026-11-28T04:48:38.123Z": Mastodon clients (toot among them) expect fractional seconds.
std::string isoTime(std::int64_t unixMillis);
// RFC 9110's HTTP-date: "Sat, 28 Nov 2026 04:48:38 GMT".
std::string httpDate(std::int64_t unixMillis);

} // namespace pinhole::server
