#define _GNU_SOURCE
#include "CShims.h"

#include <stddef.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

int cshims_accept_cloexec(int listener) {
    return accept4(listener, NULL, NULL, SOCK_CLOEXEC);
}

int cshims_pipe_cloexec(int fds[2]) {
    return pipe2(fds, O_CLOEXEC);
}
