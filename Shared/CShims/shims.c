#define _GNU_SOURCE
#include <spawn.h>
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

int cshims_spawn_addclosefrom(void *actions, int from) {
    return posix_spawn_file_actions_addclosefrom_np((posix_spawn_file_actions_t *)actions, from);
}

#if defined(__GLIBC__)
#include <malloc.h>
int cshims_malloc_trim(void) { return malloc_trim(0); }
#else
int cshims_malloc_trim(void) { return 0; }
#endif
