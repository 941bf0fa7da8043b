#include "daemon/systemd.h"

#include "core/log.h"

#include <systemd/sd-daemon.h>

#include <string>

namespace pinhole::server::systemd {

namespace {

// A failed notification is logged, never fatal: the service manager then times the start out
// or kills the unit, which says more than pinholed could.
void notify(const std::string& state) {
    const int r = sd_notify(0, state.c_str());
    if (r < 0)
        log::warn("sd_notify_failed", {{"state", state}, {"errno", -r}});
}

} // namespace

void notifyReady(std::string_view status) {
    notify("READY=1\nSTATUS=" + std::string(status));
}

void notifyStopping() {
    notify("STOPPING=1\nSTATUS=Stopping: finishing in-flight requests and jobs");
}

void notifyReloading() {
    notify("RELOADING=1");
}

} // namespace pinhole::server::systemd
