// Wall-clock time as stored and sent: Unix milliseconds, and Mastodon's ISO 8601 form.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pinhole::server {

std::int64_t nowMillis();
// "2026-11-28T04:48:38.123Z": Mastodon clients (toot among them) expect fractional seconds.
std::string isoTime(std::int64_t unixMillis);
// The inverse, strictly: "YYYY-MM-DDTHH:MM:SS[.fff…](Z|+HH:MM|-HH:MM)", or a bare date
// "YYYY-MM-DD" (midnight UTC), years 1000..9999. nullopt for anything else (an invalid day too).
std::optional<std::int64_t> parseIsoTime(std::string_view text);
// RFC 9110's HTTP-date: "Sat, 28 Nov 2026 04:48:38 GMT".
std::string httpDate(std::int64_t unixMillis);

} // namespace pinhole::server
