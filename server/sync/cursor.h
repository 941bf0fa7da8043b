// The change stream's cursor (docs/protocol.md §2): opaque to clients, versioned, and tied to
// the server's epoch so that a cursor from another database (replaced, or restored from an older
// backup) is recognised and answered with a reset instead of a wrong stream.
//
// Text form (version 1), all numbers decimal:
//   "1.<epoch>.<seq>"                         the log after event <seq>
//   "1.<epoch>.<seq>.s<phase>.<after>"        a snapshot that began at log position <seq>, in
//                                             phase <phase>, after the entity id <after>
// Threading: plain values and pure functions.
#pragma once

#include "core/ids.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pinhole::server::sync {

inline constexpr std::size_t kMaxCursorLength = 128;

struct Snapshot {
    int phase = 0; // SnapshotPhase, as a number
    Id after = 0;  // the last entity id sent in this phase
    bool operator==(const Snapshot&) const = default;
};

struct Cursor {
    std::int64_t epoch = 0;
    std::int64_t seq = 0;             // the log position: events <= seq are sent (or covered)
    std::optional<Snapshot> snapshot; // set while a snapshot is being sent
    bool operator==(const Cursor&) const = default;
};

std::string formatCursor(const Cursor& cursor);
// nullopt for anything that is not a version-1 cursor exactly as formatCursor writes it (the
// caller answers a reset). Total: any bytes give a value or nullopt.
std::optional<Cursor> parseCursor(std::string_view text);

} // namespace pinhole::server::sync
