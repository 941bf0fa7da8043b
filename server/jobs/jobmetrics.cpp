#include "jobs/jobmetrics.h"

#include <map>

namespace pinhole::server::jobs {

Status renderJobMetrics(JobQueue& queue, std::string& out) {
    auto counts = queue.counts();
    if (!counts)
        return counts.status();
    constexpr JobState kStates[] = {JobState::Invisible, JobState::Pending,  JobState::Running,
                                    JobState::Completed, JobState::Canceled, JobState::Errored};
    std::map<std::string, std::map<JobState, std::int64_t>> byQueue;
    for (const auto& c : *counts)
        byQueue[c.queue][c.state] += c.count;
    out += "# HELP pinhole_jobs Jobs in the durable queue, by queue and state.\n# TYPE pinhole_jobs gauge\n";
    // Queue names are [A-Za-z0-9._-] (isValidQueueName), so they need no escaping in a label.
    for (const auto& [name, states] : byQueue)
        for (const JobState state : kStates) {
            const auto it = states.find(state);
            out += "pinhole_jobs{queue=\"" + name + "\",state=\"" + std::string(stateName(state)) + "\"} " +
                   std::to_string(it == states.end() ? 0 : it->second) + "\n";
        }
    return Status::ok();
}

} // namespace pinhole::server::jobs
