// pinholed's command line: `serve` and the `admin` commands. Returns the process exit status.
#pragma once

namespace pinhole::server {
int runCommandLine(int argc, char** argv);
} // namespace pinhole::server
