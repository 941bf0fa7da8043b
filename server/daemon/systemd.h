// The service manager's side channel (sd_notify, man 3 sd_notify): pinholed runs as a
// Type=notify unit (packaging/systemd/pinholed.service). Each call is one datagram to
// $NOTIFY_SOCKET and does nothing when that is unset (not started by systemd), so the server
// behaves the same everywhere else. Thread-safe (libsystemd opens a socket per call).
#pragma once

#include <string_view>

namespace pinhole::server::systemd {

// READY=1: the listener is bound and /readyz answers "ready". `status` is shown by
// `systemctl status`.
void notifyReady(std::string_view status);
// STOPPING=1: shutdown began (SIGTERM or stop()); in-flight requests and jobs are finishing.
void notifyStopping();
// RELOADING=1 while the configuration is re-read on SIGHUP, then READY=1 again.
void notifyReloading();

} // namespace pinhole::server::systemd
