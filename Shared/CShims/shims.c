#define _GNU_SOURCE
#include "CShims.h"

#include <stddef.h>
#include <sys/socket.h>

int cshims_accept_cloexec(int listener) {
    return accept4(listener, NULL, NULL, SOCK_CLOEXEC);
}
