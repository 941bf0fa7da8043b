// 64-bit time-sortable ids (like Mastodon's and Twitter's Snowflake): the upper 48 bits are
// milliseconds since the Unix epoch, the lower 16 a per-millisecond sequence, so ids sort by
// creation time and a page cursor (max_id/since_id) is just an id. Serialized as decimal
// strings on the wire, because JavaScript clients can't hold 64-bit integers.
// Thread-safe: generation is lock-free.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pinhole::server {

using Id = std::int64_t;

// A new id, strictly greater than every id this process generated before.
Id newId();

// The smallest id that could have been generated at `unixMillis` (for time-range queries).
Id idAtMillis(std::int64_t unixMillis);
std::int64_t millisOfId(Id id);

std::string idToString(Id id);
// Accepts only a plain positive decimal that fits in 63 bits.
std::optional<Id> idFromString(std::string_view text);

} // namespace pinhole::server
