#define _GNU_SOURCE
#include "CShims.h"

#include <stddef.h>
#include <sys/prctl.h>
#include <sys/socket.h>

int cshims_set_parent_death_signal(int signal) {
    return prctl(PR_SET_PDEATHSIG, signal, 0, 0, 0);
}

int cshims_accept_cloexec(int listener) {
    return accept4(listener, NULL, NULL, SOCK_CLOEXEC);
}
