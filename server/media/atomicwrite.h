// Crash-safe file writes: a reader (or a restart after a crash or power loss) sees either the
// old file or the complete new one, never a torn one. The bytes go to a temporary file in the
// destination directory (same filesystem, so the rename is atomic), which is fsynced and then
// renamed over the target; syncDirectory() then makes the rename itself durable.
// Threading: thread-safe; concurrent writers of the same target each publish a whole file and
// the last rename wins.
#pragma once

#include "core/status.h"

#include <span>
#include <string>

namespace pinhole::server::media {

// Writes `bytes` to `dir`/`name` (mode 0644) through a temporary ".name.tmp-XXXXXX" in `dir`,
// which is removed again on failure. REQUIRES: `dir` exists; `name` has no '/'.
// Not durable until syncDirectory(dir) returns: call that once after a batch of writes.
Status writeFileAtomically(const std::string& dir, const std::string& name, std::span<const unsigned char> bytes);

// fsyncs the directory, so the renames done in it survive a crash.
Status syncDirectory(const std::string& dir);

} // namespace pinhole::server::media
