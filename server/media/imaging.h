// Process-wide libvips set-up for the media pipeline: one initialisation, explicit limits, and
// the loaders we accept unblocked (every other libvips loader is blocked, so hostile bytes can
// only ever reach the six decoders the probe recognises).
// Threading: initImaging() may be called from any thread, any number of times (std::call_once);
// every other media function calls it first, so callers never need to.
#pragma once

#include "core/status.h"

#include <string>

namespace pinhole::server::media {

// Threads libvips may use inside one image pipeline. The server runs derivative jobs on a worker
// pool sized to the cores, so parallelism comes from processing several assets at once; more
// threads inside each pipeline would only oversubscribe the cores and add memory per image.
inline constexpr int kVipsThreadsPerPipeline = 1;

// Initialises libvips once per process. Returns the same Status every time: a failure (libvips
// could not start) is permanent for the process.
Status initImaging();

// Takes and clears libvips' error buffer. The buffer is process-global and only grows (to a
// fixed size, after which later messages are dropped), so every catch of vips::VError must call
// this. With several threads failing at once a message may carry another thread's text too.
std::string takeVipsError(const char* fallback);

} // namespace pinhole::server::media
