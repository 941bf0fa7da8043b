// pinholed: the Pinhole server. `pinholed --help` lists the commands; each has its own --help.
#include "daemon/admin.h"

int main(int argc, char** argv) {
    return pinhole::server::runCommandLine(argc, argv);
}
