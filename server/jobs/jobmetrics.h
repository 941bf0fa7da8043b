// The job queue on /metrics: a gauge of jobs per queue and state, in the Prometheus text format.
// Thread-safe (it only reads, through JobQueue).
#pragma once

#include "core/status.h"
#include "jobs/jobqueue.h"

#include <string>

namespace pinhole::server::jobs {

// Appends the `pinhole_jobs{queue="...",state="..."}` family to `out`: every state of every queue
// that has jobs, zeros included, so a series does not vanish when its last job moves on.
// Leaves `out` unchanged on failure.
Status renderJobMetrics(JobQueue& queue, std::string& out);

} // namespace pinhole::server::jobs
