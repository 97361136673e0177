#define _GNU_SOURCE
#include "CShims.h"

#include <stddef.h>
#include <sys/socket.h>
#include <poll.h>
#include <time.h>

int cshims_accept_cloexec(int listener) {
    return accept4(listener, NULL, NULL, SOCK_CLOEXEC);
}

int cshims_wait_readable(int fd, long long nanoseconds) {
    struct pollfd entry = { .fd = fd, .events = POLLIN, .revents = 0 };
    struct timespec timeout = { .tv_sec = nanoseconds / 1000000000LL, .tv_nsec = nanoseconds % 1000000000LL };
    return ppoll(&entry, 1, &timeout, NULL);
}
